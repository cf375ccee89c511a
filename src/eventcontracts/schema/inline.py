"""One ``$ref`` inliner: a schema made self-contained, every reference replaced by its target.

The walk knows the structure (:mod:`eventcontracts.schema.keywords`): it follows a ``$ref``
only where a schema is, so a property *named* ``$ref`` (a name under ``properties``) or a
``"$ref"`` inside an enum value or a default (data) is kept as it is written.

What differs between callers is given, not guessed:

- ``resolve(ref, scope) -> (target, target scope)`` finds a ref's target as written at
  ``scope`` (the registry's resolver, a standalone document's, ...), or None when it cannot;
- ``enter(schema, scope) -> scope`` gives the scope inside a schema (re-based by an ``$id``);
- ``legacy_refs``: up to draft 7 a ``$ref`` replaces its siblings; from 2019-09 on it is one
  applicator among them, and the result is the ``allOf`` of the target and the siblings;
- recursion: a recursive schema cannot be inlined whole, so the walk stops after
  ``max_depth`` refs followed one inside another, or after ``max_repeats`` expansions of one
  target inside itself, and puts ``cut`` there (``False`` only ever narrows what is accepted;
  ``{}`` widens it); an unresolvable ref becomes ``unresolved``; or, with ``recurse``, a ref
  to a target already being expanded (around it) becomes what ``recurse(ref, target, expand)``
  answers, ``expand()`` giving the target inlined once (a ref into a kept copy of it:
  AsyncAPI export keeps a recursive schema in ``components.schemas``);
- ``drop``: keywords left out of the result (``$id``, ``definitions``... once nothing refers to
  them); ``close_objects``: ``additionalProperties: false`` added where a schema declares
  properties and says nothing of others (compat's lenient premise).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eventcontracts.schema.keywords import (
    SCHEMA_KEYWORDS,
    SCHEMA_LIST_KEYWORDS,
    SCHEMA_MAP_KEYWORDS,
)

Resolve = Callable[[str, Any], tuple[Any, Any] | None]
Enter = Callable[[dict[str, Any], Any], Any]
Recurse = Callable[[str, Any, Callable[[], Any]], Any]


def _same_scope(schema: dict[str, Any], scope: Any) -> Any:
    return scope


@dataclass(frozen=True)
class Inliner:
    resolve: Resolve
    enter: Enter = _same_scope
    legacy_refs: bool = False
    # For a $ref with siblings (2019-09 on): allOf [siblings, target] rather than [target, ...].
    siblings_first: bool = False
    max_depth: int | None = None
    max_repeats: int | None = None
    cut: Any = False
    unresolved: Any = False
    drop: frozenset[str] = frozenset()
    close_objects: bool = False
    recurse: Recurse | None = None

    def inline(self, schema: Any, scope: Any = None) -> Any:
        """``schema`` (as written at ``scope``) with every ``$ref`` replaced by its target."""
        return self._schema(schema, scope, ())

    def _schema(self, schema: Any, scope: Any, path: tuple[int, ...]) -> Any:
        # ``path``: the identities of the targets being expanded, outermost first.
        if not isinstance(schema, dict):
            return schema  # a boolean schema, or no schema at all: kept as written
        scope = self.enter(schema, scope)
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._ref(schema, ref, scope, path)
        result: dict[str, Any] = {}
        for key, value in schema.items():
            if key not in self.drop:
                result[key] = self._member(key, value, scope, path)
        if (
            self.close_objects
            and isinstance(result.get("properties"), dict)
            and "additionalProperties" not in result
        ):
            result["additionalProperties"] = False
        return result

    def _ref(self, schema: dict[str, Any], ref: str, scope: Any, path: tuple[int, ...]) -> Any:
        if self.max_depth is not None and len(path) >= self.max_depth:
            return copy.copy(self.cut)
        found = self.resolve(ref, scope)
        if found is None:
            return copy.copy(self.unresolved)
        target, target_scope = found
        if self.recurse is not None and id(target) in path:
            # The target's own refs to itself are the ones inside the copy: expand it as if
            # entered through a ref, so the first of them becomes a ref to the copy too.
            inside = (id(target),)
            inlined = self.recurse(ref, target, lambda: self._schema(target, target_scope, inside))
        elif self.max_repeats is not None and path.count(id(target)) >= self.max_repeats:
            inlined = copy.copy(self.cut)
        else:
            inlined = self._schema(target, target_scope, (*path, id(target)))
        if self.legacy_refs:
            return inlined
        siblings = {key: value for key, value in schema.items() if key != "$ref"}
        if not siblings:
            return inlined
        rest = self._schema(siblings, scope, path)
        return {"allOf": [rest, inlined] if self.siblings_first else [inlined, rest]}

    def _member(self, key: str, value: Any, scope: Any, path: tuple[int, ...]) -> Any:
        """The value of keyword ``key``, its subschemas inlined; data kept as written."""
        if key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):  # "items" may be a list
            return [self._schema(item, scope, path) for item in value]
        if key in SCHEMA_KEYWORDS:
            return self._schema(value, scope, path)
        if key in SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
            # Every value is a schema whatever its name; "dependencies" also maps names to
            # lists of names, which are kept (only objects are walked).
            return {name: self._schema(item, scope, path) for name, item in value.items()}
        return value


def step(schema: Any, key: str | int) -> Any:
    """What an inlined ``schema`` allows at one property ``key`` (or array index) of the values
    it accepts: ``True`` for anything, None for nothing it says.

    Where a combination makes the place ambiguous the result is an approximation (the parts'
    answers under ``allOf``, their ``anyOf`` otherwise): callers check what they build from it.
    """
    if schema is True or schema == {}:
        return True
    if schema is False or not isinstance(schema, dict):
        return None
    for combinator in ("allOf", "anyOf", "oneOf"):
        if isinstance(schema.get(combinator), list):
            inner = [step(part, key) for part in schema[combinator]]
            inner = [part for part in inner if part is not None]
            if not inner:
                return None
            return {combinator if combinator == "allOf" else "anyOf": inner}
    if isinstance(key, int):
        items = schema.get("prefixItems", schema.get("items"))
        if isinstance(items, list):
            if key < len(items):
                return items[key]
            return schema.get("items" if "prefixItems" in schema else "additionalItems", True)
        return True if items is None else items
    properties = schema.get("properties")
    if isinstance(properties, dict) and key in properties:
        return properties[key]
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict):
        for pattern, sub in patterns.items():
            try:
                if re.search(pattern, key):
                    return sub
            except re.error:
                continue
    return schema.get("additionalProperties", schema.get("unevaluatedProperties", True))


def forgiving(resolve: Callable[[str, Any], tuple[Any, Any]]) -> Resolve:
    """``resolve`` answering None (the inliner's ``unresolved``) where it raises: for callers
    that take what resolves and leave the rest to lint."""

    def attempt(ref: str, scope: Any) -> tuple[Any, Any] | None:
        try:
            return resolve(ref, scope)
        except Exception:  # whatever a malformed ref makes a resolver raise
            return None

    return attempt


def entering_ids_below(root: Any, enter: Enter) -> Enter:
    """``enter`` applied at each schema below ``root`` that declares an ``$id`` (``id`` in
    draft 4): the root keeps the document's own base (its refs are the document's local
    ones), an ``$id`` deeper in re-bases the refs inside it."""

    def entering(schema: dict[str, Any], scope: Any) -> Any:
        if schema is not root and (
            isinstance(schema.get("$id"), str) or isinstance(schema.get("id"), str)
        ):
            return enter(schema, scope)
        return scope

    return entering
