"""The candidate next version of a known schema: its latest version, widened by the traffic.

Inferring the candidate from the traffic alone would drop every optional field the traffic
happened not to carry and every constraint it cannot see (patterns, descriptions), and the gate
would call that a break the producer never made. So the candidate is the latest version as it
is, changed only where an event does not fit it:

- a field it does not declare: a new optional property, its schema inferred from the traffic
  (as :mod:`eventcontracts.infer.schema` infers one, nested objects inline; an
  ``additionalProperties: false`` stays, the field being declared now);
- a required field some event lacks: no longer required;
- a value of a type it does not allow: ``null`` makes it nullable, a fraction widens
  ``integer`` to ``number``, another type is added (a type list in JSON Schema, ``anyOf`` of
  the old schema and the inferred one in OpenAPI 3.0);
- a string outside its ``enum``: the value is added; one without its ``format``: the format
  goes; a value beyond a ``pattern``, a length, a bound, a ``multipleOf``, ``const`` or an item
  or property count: that keyword goes.

It follows the document's own ``$ref``s. It does not go into ``allOf``/``anyOf``/``oneOf``/``not``
or refs to other files: events that still do not fit the candidate there are reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import jsonschema
from jsonschema.protocols import Validator

from eventcontracts.infer.schema import OPENAPI3, Options, schema_of
from eventcontracts.infer.shape import MAX_DEPTH, Shape, observe
from eventcontracts.registry.safe_validators import safe_validator_class
from eventcontracts.safe_regex import compile_pattern
from eventcontracts.schema import pointer as json_pointer
from eventcontracts.schema.values import json_type

_COMBINATORS = ("allOf", "anyOf", "oneOf", "not")
# Keywords that only narrow a value; each group goes when a value fails it.
_NARROWING = (
    ("pattern",),
    ("minLength",),
    ("maxLength",),
    ("minimum", "exclusiveMinimum"),
    ("maximum", "exclusiveMaximum"),
    ("multipleOf",),
    ("const",),
    ("minItems",),
    ("maxItems",),
    ("uniqueItems",),
    ("minProperties",),
    ("maxProperties",),
)
_MAX_REF_HOPS = 32


@dataclass
class _Pending:
    """What the walk found at one schema node, applied once every event was seen."""

    node: dict[str, Any]
    new_keys: dict[str, Shape] = field(default_factory=dict)
    other_types: Shape | None = None


class Widening:
    """The latest version's ``document``, widened by each detail :meth:`add` is given."""

    def __init__(
        self,
        document: Any,
        detail_pointer: str,
        options: Options,
        validator_class: type[Validator],
    ) -> None:
        self._copy = json.loads(json.dumps(document))
        self._walk = _Walk(self._copy, options, safe_validator_class(validator_class))
        self._start = json_pointer.resolve(self._copy, detail_pointer)

    def add(self, detail: Any) -> None:
        self._walk.visit(self._start, detail, 0)

    def result(self) -> Any:
        """The candidate document (once: what the walk found is applied to the copy)."""
        self._walk.apply()
        return self._copy


class _Walk:
    def __init__(self, document: Any, options: Options, validator_class: type[Validator]) -> None:
        self.document = document
        self.options = options
        self.openapi = options.format == OPENAPI3
        self.validator_class = validator_class
        self.format_checker = jsonschema.FormatChecker()
        self.pending: dict[int, _Pending] = {}

    # --- the walk, one value at one schema node ------------------------------------------------

    def visit(self, node: Any, value: Any, depth: int) -> None:
        node = self._followed(node)
        if not isinstance(node, dict) or depth > MAX_DEPTH:
            return
        if any(keyword in node for keyword in _COMBINATORS):
            return  # not widened here: the check after the walk reports what still fails
        if not self._type_fits(node, value, depth):
            return
        if value is None:
            return
        self._widen_enum(node, value)
        self._widen_format(node, value)
        self._widen_narrowing(node, value)
        if isinstance(value, dict):
            self._visit_object(node, value, depth)
        elif isinstance(value, list) and isinstance(node.get("items"), dict):
            for item in value:
                self.visit(node["items"], item, depth + 1)

    def _followed(self, node: Any) -> Any:
        """The node a chain of local ``$ref``s leads to; None for one leaving the document."""
        for _ in range(_MAX_REF_HOPS):
            if not isinstance(node, dict) or "$ref" not in node:
                return node
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#"):
                return None
            node = json_pointer.resolve(self.document, json_pointer_of(ref))
        return None

    def _type_fits(self, node: dict[str, Any], value: Any, depth: int) -> bool:
        """Whether the node's type allows ``value``, after widening it where it can be done in
        place; False when the value is left for a new type (applied after the walk)."""
        declared = node.get("type")
        if declared is None:
            return True
        allowed = set(declared) if isinstance(declared, list) else {declared}
        if self.openapi and node.get("nullable") is True:
            allowed.add("null")
        kind = json_type(value)
        if kind in allowed or (kind == "integer" and "number" in allowed):
            return True
        if kind == "null":
            self._allow_null(node)
            return True
        if kind == "number" and "integer" in allowed:
            node["type"] = (
                [("number" if t == "integer" else t) for t in declared]
                if isinstance(declared, list)
                else "number"
            )
            return True
        pending = self._pending(node)
        pending.other_types = pending.other_types or Shape(depth=depth)
        observe(pending.other_types, value, self.options.enum_threshold)
        return False

    def _allow_null(self, node: dict[str, Any]) -> None:
        if self.openapi:
            node["nullable"] = True
            return
        declared = node["type"]
        node["type"] = [*(declared if isinstance(declared, list) else [declared]), "null"]
        if isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"].append(None)

    def _widen_enum(self, node: dict[str, Any], value: Any) -> None:
        allowed = node.get("enum")
        if isinstance(allowed, list) and not any(_same(value, known) for known in allowed):
            allowed.append(value)

    def _widen_format(self, node: dict[str, Any], value: Any) -> None:
        name = node.get("format")
        if isinstance(value, str) and isinstance(name, str) and not self._conforms(value, name):
            del node["format"]

    def _conforms(self, value: str, name: str) -> bool:
        return bool(self.format_checker.conforms(value, name))

    def _widen_narrowing(self, node: dict[str, Any], value: Any) -> None:
        for group in _NARROWING:
            present = {keyword: node[keyword] for keyword in group if keyword in node}
            if present and not self._valid(present, value):
                for keyword in present:
                    del node[keyword]

    def _valid(self, schema: dict[str, Any], value: Any) -> bool:
        try:
            return bool(self.validator_class(schema).is_valid(value))
        except (jsonschema.exceptions.SchemaError, TypeError, ValueError):
            return True  # a keyword the dialect cannot read: lint's to report, not ours

    def _visit_object(self, node: dict[str, Any], value: dict[str, Any], depth: int) -> None:
        required = node.get("required")
        if isinstance(required, list):
            kept = [name for name in required if name in value]
            if len(kept) < len(required):
                if kept:
                    node["required"] = kept
                else:
                    del node["required"]  # draft 4 and OpenAPI 3.0 refuse an empty list
        declared = node.get("properties")
        declared = declared if isinstance(declared, dict) else {}
        extra = node.get("additionalProperties")
        for key, item in value.items():
            if key in declared:
                self.visit(declared[key], item, depth + 1)
            elif _matches_pattern(node.get("patternProperties"), key):
                continue  # a patternProperties schema covers it: not widened
            elif isinstance(extra, dict):
                self.visit(extra, item, depth + 1)
            else:
                pending = self._pending(node)
                shape = pending.new_keys.get(key)
                if shape is None:
                    shape = pending.new_keys[key] = Shape(depth=depth + 1)
                observe(shape, item, self.options.enum_threshold)

    def _pending(self, node: dict[str, Any]) -> _Pending:
        found = self.pending.get(id(node))
        if found is None:
            found = self.pending[id(node)] = _Pending(node)
        return found

    # --- after the walk ---------------------------------------------------------------------

    def apply(self) -> None:
        for pending in self.pending.values():
            node = pending.node
            if pending.new_keys:
                properties = node.setdefault("properties", {})
                for key in sorted(pending.new_keys):
                    properties[key] = schema_of(pending.new_keys[key], self.options)
            if pending.other_types is not None:
                self._add_types(node, schema_of(pending.other_types, self.options))

    def _add_types(self, node: dict[str, Any], inferred: dict[str, Any]) -> None:
        if self.openapi:
            # The old schema as the first branch, with its description (compared with the old
            # version, that branch is the field as it was), and the annotations kept outside.
            kept = {key: node.pop(key) for key in list(node) if key not in _ANNOTATIONS}
            kept.update({k: node[k] for k in ("title", "description") if k in node})
            branches = inferred.get("anyOf", [inferred])
            node["anyOf"] = [kept, *(_without_nullable(branch) for branch in branches)]
            if inferred.get("nullable") is True:
                node["nullable"] = True
            return
        declared = node["type"]
        types = list(declared) if isinstance(declared, list) else [declared]
        added = inferred.get("type", [])
        for kind in added if isinstance(added, list) else [added]:
            if kind not in types:
                types.append(kind)
        node["type"] = types
        for key, value in inferred.items():
            if key not in ("type", "enum"):
                node.setdefault(key, value)
        if isinstance(node.get("enum"), list):
            del node["enum"]  # an enum of the old type would reject every value of the new


_ANNOTATIONS = ("description", "title", "nullable", "example", "examples", "deprecated")


def _without_nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key != "nullable"}


def json_pointer_of(ref: str) -> str:
    return unquote(ref[1:])


def _same(value: Any, known: Any) -> bool:
    """JSON equality (Python's says True == 1)."""
    return json.dumps(value, sort_keys=True) == json.dumps(known, sort_keys=True)


def _matches_pattern(patterns: Any, key: str) -> bool:
    if not isinstance(patterns, dict):
        return False
    for pattern in patterns:
        try:
            if compile_pattern(pattern).search(key):
                return True
        except Exception:  # a pattern no engine reads: treat the key as covered (lint says why)
            return True
    return False
