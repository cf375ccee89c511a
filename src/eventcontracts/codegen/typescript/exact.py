"""The "reads it exactly" variant of a detail schema, for a TypeScript consumer's version choice.

The Python Consumer gives an event to the OLDEST registered version whose model reads the detail
exactly: ``model_validate(detail, extra="forbid")``, valid and no property its models do not
declare, at any depth (runtime/_routing.py). Every object schema that declares ``properties``
is a pydantic model there, and ``extra="forbid"`` closes each of them, whatever its own
``additionalProperties`` says; an object without ``properties`` is a plain dict and stays open.

This module writes that reading as JSON Schema, for Ajv to compile beside the version's
validator: every object schema that declares properties gets ``unevaluatedProperties: false``.
``unevaluatedProperties`` (not ``additionalProperties``) because a model made of parts
(``allOf`` of a base and an extension, as the Python generator merges them) knows the
properties of every part: the parts stay open and the schema holding them is closed, so a
property any successful part declares is known. A ``$ref`` in such an in-place position points
at an open copy of its target; anywhere else at a closed one. Inside ``not`` the schema is left
as it is (closing there would make ``not`` accept more).
"""

from __future__ import annotations

from typing import Any

from eventcontracts.schema.keywords import (
    DATA_KEYWORDS,
    SCHEMA_KEYWORDS,
    SCHEMA_LIST_KEYWORDS,
    SCHEMA_MAP_KEYWORDS,
)

__all__ = ["exact_schema"]

DEFINITIONS = "#/definitions/"
# Keywords whose subschemas apply to the instance itself: the properties they evaluate count as
# known for an unevaluatedProperties of the schema holding them.
IN_PLACE = frozenset({"allOf", "anyOf", "oneOf", "if", "then", "else", "dependentSchemas"})
# Drafts where a $ref replaces its siblings: the ref itself takes the place of the schema.
LEGACY = frozenset({"draft-04", "draft-06", "draft-07"})

# How a schema is copied: closed (it and the objects inside), open (its own level stays open
# for the schema holding it to close; the objects inside are closed) or as it is.
CLOSED, OPEN, AS_IS = "exact", "exact_open", ""


def exact_schema(schema: dict[str, Any] | bool, dialect: str) -> dict[str, Any] | bool:
    """``schema`` (a self-contained document, its refs pointing at its ``definitions``, as
    validators.ajv_schema makes it) reading a detail exactly, as the Python consumer does."""
    if not isinstance(schema, dict):
        return schema
    return _Closer(schema, dialect).document()


class _Closer:
    def __init__(self, root: dict[str, Any], dialect: str) -> None:
        self._root = root
        self._originals: dict[str, Any] = dict(root.get("definitions") or {})
        self._legacy = dialect in LEGACY
        self._copies: dict[tuple[str, str], str] = {}  # (definition, mode) -> its name
        self._pending: list[tuple[str, str]] = []
        self._declares: dict[str, bool] = {}

    def document(self) -> dict[str, Any]:
        top = {key: value for key, value in self._root.items() if key != "definitions"}
        result: dict[str, Any] = self._copy(top, CLOSED)
        definitions = dict(self._originals)
        while self._pending:
            name, mode = self._pending.pop(0)
            definitions[self._copies[(name, mode)]] = self._copy(self._originals[name], mode)
        kept = _reachable(result, definitions)
        if kept:
            result["definitions"] = {name: definitions[name] for name in kept}
        return result

    def _copy(self, schema: Any, mode: str) -> Any:
        if not isinstance(schema, dict) or mode == AS_IS:
            return schema
        result: dict[str, Any] = {}
        for key, value in schema.items():
            if key == "$ref" and isinstance(value, str):
                # In a legacy draft the ref is the whole schema: its target is closed for it.
                in_place = OPEN if not self._legacy else mode
                result[key] = self._ref(value, in_place)
            elif key in DATA_KEYWORDS:
                result[key] = value
            elif key == "not":
                result[key] = value  # as it is, its refs to the original definitions
            elif key in IN_PLACE and key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
                result[key] = [self._copy(item, OPEN) for item in value]
            elif key in IN_PLACE and key in SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
                result[key] = {name: self._copy(item, OPEN) for name, item in value.items()}
            elif key in IN_PLACE:
                result[key] = self._copy(value, OPEN)
            elif key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
                result[key] = [self._copy(item, CLOSED) for item in value]
            elif key in SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
                # dependencies also maps names to lists of names: those stay as they are
                result[key] = {name: self._copy(item, CLOSED) for name, item in value.items()}
            elif key in SCHEMA_KEYWORDS:
                result[key] = self._copy(value, CLOSED)
            else:
                result[key] = value
        closes = not (self._legacy and "$ref" in schema)
        if mode == CLOSED and closes and self._declares_properties(schema, set()):
            result["unevaluatedProperties"] = False
        return result

    def _ref(self, ref: str, mode: str) -> str:
        name = ref.removeprefix(DEFINITIONS)
        if not ref.startswith(DEFINITIONS) or name not in self._originals:
            return ref
        key = (name, mode)
        if key not in self._copies:
            copy, count = f"{name}__{mode}", 1
            taken = set(self._originals) | set(self._copies.values())
            while copy in taken:
                count += 1
                copy = f"{name}__{mode}_{count}"
            self._copies[key] = copy
            self._pending.append(key)
        return DEFINITIONS + self._copies[key]

    def _declares_properties(self, schema: Any, seen: set[str]) -> bool:
        """Whether ``schema`` or a part of it in place declares ``properties`` (a model)."""
        if not isinstance(schema, dict):
            return False
        if isinstance(schema.get("properties"), dict):
            return True
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(DEFINITIONS):
            name = ref.removeprefix(DEFINITIONS)
            if name in self._originals and name not in seen:
                if name not in self._declares:
                    self._declares[name] = self._declares_properties(
                        self._originals[name], seen | {name}
                    )
                if self._declares[name]:
                    return True
        for key in IN_PLACE:
            value = schema.get(key)
            parts = (
                value.values()
                if isinstance(value, dict) and key in SCHEMA_MAP_KEYWORDS
                else (value if isinstance(value, list) else [value])
            )
            if any(self._declares_properties(part, seen) for part in parts):
                return True
        return False


def _reachable(root: dict[str, Any], definitions: dict[str, Any]) -> list[str]:
    """The definitions a ref from ``root`` reaches, directly or through others, in their order
    (an original no copy needs, and no ``not`` names, is left out of the document)."""
    found: set[str] = set()
    work: list[Any] = [root]
    while work:
        node = work.pop()
        if isinstance(node, list):
            work.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "definitions" and node is root:
                    continue
                if key == "$ref" and isinstance(value, str) and value.startswith(DEFINITIONS):
                    name = value.removeprefix(DEFINITIONS)
                    if name in definitions and name not in found:
                        found.add(name)
                        work.append(definitions[name])
                else:  # data too: a ref-looking value there keeps a definition, no more
                    work.append(value)
    return [name for name in definitions if name in found]
