"""A version's detail schema as a readable property tree: what the catalog page draws.

The walk follows the version's refs the way every other feature does (:class:`VersionRefs`:
local pointers, refs between registry files, ``$id``-based refs), and reads each place of the
schema as a reader would:

- a node gathers its *parts*: the schema written there, the targets of its ``$ref`` (a chain
  of them), and the members of its ``allOf``; their properties, ``required`` names, types and
  constraints are merged into one node;
- ``oneOf``/``anyOf`` become variants; an alternative that is only ``{"type": "null"}`` makes
  the node nullable instead (how OpenAPI's ``nullable`` beside a ``$ref`` reads as JSON Schema);
- a schema that is one of its own ancestors (by object identity: the resolver hands back the
  same object for the same place) is shown once: the repeat is a leaf naming the ancestor;
- an unresolvable ref is a leaf with a note (lint reports it; the catalog still builds).

Input from a registry is hostile: depth, nodes and steps are capped (a cut is a leaf or a note
saying so), and odd values (boolean schemas, a ``type`` of 5, ``properties`` that is a list)
are shown as far as they can be, never raised on. Values (enums, defaults, descriptions) are
kept raw: escaping is the renderer's job.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Literal
from urllib.parse import quote

from eventcontracts.catalog.model import PropertyNode
from eventcontracts.registry.model import SchemaFormat, SchemaVersion
from eventcontracts.registry.refs import VersionRefs
from eventcontracts.registry.resolver import Resolver
from eventcontracts.schema.inline import Enter, entering_ids_below
from eventcontracts.schema.keywords import NULLABLE

# Bounds on one version's tree: a real detail is a few dozen nodes, 10 levels deep at most;
# a ref bomb (each definition using the next one twice) or a 200-deep schema is cut here.
MAX_DEPTH = 32
MAX_NODES = 5_000
# Parts gathered and refs followed, whatever nodes they make (a 10,000-long allOf chain).
MAX_STEPS = 50_000
# A schema summarised as text (``not``, ``if``, an additionalProperties schema) is cut here.
BRIEF_CHARS = 160

# The keywords shown beside a node's types, in the order they are shown.
CONSTRAINT_KEYWORDS = (
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
    "additionalItems",
    "minProperties",
    "maxProperties",
    "additionalProperties",
    "propertyNames",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "not",
    "if",
    "then",
    "else",
    "readOnly",
    "writeOnly",
    "deprecated",
)
# Keywords that describe rather than constrain: beside a ``$ref`` up to draft 7 (and in OpenAPI
# 3.0) validators ignore every sibling, but these are what the author wrote for the reader.
_ANNOTATIONS = ("title", "description", "examples", "example", "default", "deprecated")
VariantKind = Literal["oneOf", "anyOf"]
_COMBINATORS: tuple[VariantKind, ...] = ("oneOf", "anyOf")

# Notes (as constraints) on what could not be shown.
CUT_DEPTH = f"not shown: deeper than {MAX_DEPTH} levels"
CUT_NODES = f"not shown: the tree is over {MAX_NODES} nodes"
CUT_STEPS = f"not shown: over {MAX_STEPS} schemas and refs to follow"


def property_tree(version: SchemaVersion, resolver: Resolver) -> PropertyNode:
    """The property tree of ``version``'s detail (the whole event when it has no detail schema):
    ``$ref``s resolved across files, recursion shown once, bounded work on hostile input."""
    refs = VersionRefs(resolver, version)
    builder = _TreeBuilder(refs, openapi=version.format is SchemaFormat.OPENAPI3)
    if version.detail_pointer is None:
        if refs.schema is None:
            return PropertyNode("event", "", constraints=(("schema", "no event schema"),))
        return builder.root("event", refs.schema, None)
    try:
        # A pointer, as a ref to it: VersionRefs walks it, or (where $ids re-base refs) asks
        # the resolver, which enters every $id on the way.
        detail, scope = refs.resolve("#" + quote(version.detail_pointer, safe="/~"), None)
    except Exception as exc:  # whatever the resolver raises on a document lint reports
        return PropertyNode("detail", "", constraints=(("unresolved", _reason(exc)),))
    return builder.root("detail", detail, scope)


class _Part:
    """One schema contributing to a node. ``full`` is False for the siblings of a ``$ref``
    that validators ignore (up to draft 7): only their annotations are read."""

    __slots__ = ("full", "schema", "scope")

    def __init__(self, schema: dict[str, Any], scope: Any, full: bool) -> None:
        self.schema = schema
        self.scope = scope
        self.full = full


class _Gathered:
    """Everything one place of the schema is made of, once refs and ``allOf`` are followed."""

    __slots__ = ("absorbed", "composed_of", "notes", "nullable", "parts", "recursive_to", "ref")

    def __init__(self) -> None:
        self.parts: list[_Part] = []
        self.ref: str | None = None  # the node's own $ref, as written
        self.composed_of: list[str] = []  # refs of its allOf members
        self.notes: list[tuple[str, str]] = []
        self.recursive_to: str | None = None
        self.nullable = False
        # Parts whose oneOf/anyOf was read as "X or null" and merged (not shown as variants).
        self.absorbed: set[int] = set()


_UNSET: Any = object()
# What the reading of one part does with each keyword (one dict lookup per key written).
_ANNOTATION, _ASSERTION, _CONSTRAINT, _STRUCTURE = range(4)
_KEYWORD_KIND: dict[str, int] = {
    **{keyword: _CONSTRAINT for keyword in CONSTRAINT_KEYWORDS},
    **{keyword: _ANNOTATION for keyword in ("title", "description", "examples", "example")},
    "default": _ANNOTATION,
    **{keyword: _ASSERTION for keyword in ("type", "format", "enum", "const", NULLABLE)},
    **{
        keyword: _STRUCTURE
        for keyword in ("properties", "patternProperties", "required", "items", "prefixItems")
    },
    **{keyword: _STRUCTURE for keyword in _COMBINATORS},
}
_CONSTRAINT_RANK = {keyword: rank for rank, keyword in enumerate(CONSTRAINT_KEYWORDS)}


class _Reading:
    """What the parts of one node say, read in one pass over their keywords: the first part
    that says something wins (the schema written there, then its ref's target, then its
    ``allOf`` members); required names and properties are the union of all of them."""

    __slots__ = (
        "additional",
        "const",
        "constraints",
        "default",
        "description",
        "enum",
        "examples",
        "format",
        "nullable",
        "structured",
        "title",
        "type_notes",
        "types",
    )

    def __init__(self, parts: list[_Part], *, openapi: bool) -> None:
        self.title: str | None = None
        self.description: str | None = None
        self.format: str | None = None
        self.enum: tuple[Any, ...] | None = None
        self.const: Any = _UNSET
        self.default: Any = _UNSET
        self.examples: tuple[Any, ...] | None = None
        self.types: list[str] | None = None
        self.type_notes: list[tuple[str, str]] = []
        self.nullable = False
        self.additional: bool | None = None
        ranked: list[tuple[int, str, str]] = []
        self.structured: list[_Part] = []  # the parts with properties, items or variants
        for part in parts:
            full = part.full
            structured = False
            for keyword, value in part.schema.items():
                kind = _KEYWORD_KIND.get(keyword)
                if kind is None:
                    continue
                if kind == _ANNOTATION:
                    self._annotation(keyword, value)
                elif not full:
                    continue
                elif kind == _CONSTRAINT:
                    if keyword == "additionalProperties":
                        if value is False:
                            self.additional = False
                            continue
                        if self.additional is None:
                            self.additional = True
                        if not isinstance(value, dict):
                            continue  # true says nothing more
                    entry = (_CONSTRAINT_RANK[keyword], keyword, brief(value))
                    if entry not in ranked:
                        ranked.append(entry)
                elif kind == _ASSERTION:
                    self._assertion(keyword, value, openapi=openapi)
                else:
                    structured = True
            if structured:
                self.structured.append(part)
        ranked.sort(key=lambda entry: entry[0])  # stable: parts' order within a keyword
        self.constraints = [(keyword, text) for _, keyword, text in ranked]
        if self.types is not None and "null" in self.types:
            self.nullable = True
            if len(self.types) > 1:
                self.types = [name for name in self.types if name != "null"]

    def _annotation(self, keyword: str, value: Any) -> None:
        if keyword == "title":
            if self.title is None and isinstance(value, str):
                self.title = value
        elif keyword == "description":
            if self.description is None and isinstance(value, str):
                self.description = value
        elif keyword == "default":
            if self.default is _UNSET:
                self.default = value
        elif self.examples is None:
            if keyword == "example":  # OpenAPI 3.0's one example
                self.examples = (value,)
            elif isinstance(value, list):
                self.examples = tuple(value)

    def _assertion(self, keyword: str, value: Any, *, openapi: bool) -> None:
        if keyword == "type":
            self._type(value)
        elif keyword == "format":
            if self.format is None and isinstance(value, str):
                self.format = value
        elif keyword == "enum":
            if self.enum is None and isinstance(value, list):
                self.enum = tuple(value)
        elif keyword == "const":
            if self.const is _UNSET:
                self.const = value
        elif openapi and value is True:  # nullable (the resolver's view has made most explicit)
            self.nullable = True

    def _type(self, declared: Any) -> None:
        """The types every part allows (``allOf`` narrows); a contradiction shows the first."""
        if isinstance(declared, str):
            listed = [declared]
        elif isinstance(declared, list) and all(isinstance(item, str) for item in declared):
            listed = list(dict.fromkeys(declared))
        else:
            self.type_notes.append(("type", brief(declared)))
            return
        if self.types is None:
            self.types = listed
        else:
            self.types = _intersection(self.types, listed) or self.types


def _intersection(first: list[str], second: list[str]) -> list[str]:
    kept = [name for name in first if name in second]
    # An integer is a number: {number} and {integer} allow integers.
    if "integer" not in kept and (
        ("integer" in first and "number" in second) or ("number" in first and "integer" in second)
    ):
        kept.append("integer")
    return kept


def _properties(
    parts: list[_Part], keyword: str, *, limit: int
) -> tuple[dict[str, list[tuple[Any, Any]]], set[str]]:
    """The properties of every part in the order written (a name in several parts gathers all
    its schemas), at most ``limit`` names; and the names the parts require."""
    found: dict[str, list[tuple[Any, Any]]] = {}
    required: set[str] = set()
    for part in parts:
        names = part.schema.get("required")
        if isinstance(names, list):
            required.update(name for name in names if isinstance(name, str))
        declared = part.schema.get(keyword)
        if not isinstance(declared, dict):
            continue
        for name, schema in declared.items():
            if name in found:
                found[name].append((schema, part.scope))
            elif len(found) < limit:
                found[str(name)] = [(schema, part.scope)]
    return found, required


def _item_places(path: str, parts: list[_Part]) -> Iterator[tuple[str, str, list[Any]]]:
    """The array places below a node: ``[]`` for the items, ``[0]``... for a tuple's."""
    items: list[tuple[Any, Any]] = []
    tuples: dict[int, list[tuple[Any, Any]]] = {}
    for part in parts:
        prefix = part.schema.get("prefixItems")
        declared = part.schema.get("items")
        positional = prefix if isinstance(prefix, list) else declared
        if isinstance(positional, list):
            for index, schema in enumerate(positional):
                tuples.setdefault(index, []).append((schema, part.scope))
        if isinstance(declared, dict) or declared is False:  # true says nothing of them
            items.append((declared, part.scope))
    for index, sources in sorted(tuples.items()):
        yield f"[{index}]", f"{path}[{index}]", sources
    if items:
        yield "[]", f"{path}[]", items


class _TreeBuilder:
    def __init__(self, refs: VersionRefs, *, openapi: bool) -> None:
        self._resolve = refs.resolve
        # The event schema keeps the document's base; an $id deeper in re-bases refs inside it.
        self._enter: Enter = entering_ids_below(refs.schema, refs.enter)
        self._legacy_refs = refs.legacy_refs
        self._openapi = openapi
        self._nodes = 0
        self._steps = 0
        # The schemas on the way from the root to the node being built, by id: their paths.
        self._ancestors: dict[int, str] = {}

    def root(self, name: str, schema: Any, scope: Any) -> PropertyNode:
        return self._node(name, "", [(schema, scope)], required=False, depth=0)

    # --- one node ---------------------------------------------------------------------------

    def _node(
        self, name: str, path: str, sources: list[tuple[Any, Any]], *, required: bool, depth: int
    ) -> PropertyNode:
        self._nodes += 1
        if depth >= MAX_DEPTH:
            return PropertyNode(name, path, required=required, constraints=(("cut", CUT_DEPTH),))
        gathered = _Gathered()
        seen: dict[int, None] = {}  # the schemas gathered, by id: this node's identity
        for schema, scope in sources:
            self._gather(schema, scope, gathered, seen, level=0, direct=True)
        reading = _Reading(gathered.parts, openapi=self._openapi)
        constraints = reading.type_notes + reading.constraints
        if gathered.composed_of:
            constraints.append(("allOf", ", ".join(gathered.composed_of)))
        constraints += gathered.notes
        children: tuple[PropertyNode, ...] = ()
        kind: VariantKind | None = None
        variants: tuple[PropertyNode, ...] = ()
        if reading.structured and gathered.recursive_to is None:
            # Children are built with this node's schemas as their ancestors.
            pushed = [key for key in seen if key not in self._ancestors]
            for key in pushed:
                self._ancestors[key] = path
            try:
                children = self._children(path, reading.structured, depth)
                kind, variants = self._variants(
                    path, reading.structured, gathered.absorbed, depth, constraints
                )
            finally:
                for key in pushed:
                    del self._ancestors[key]
        return PropertyNode(
            name=name,
            path=path,
            types=tuple(reading.types or ()),
            required=required,
            nullable=reading.nullable or gathered.nullable,
            title=reading.title,
            description=reading.description,
            format=reading.format,
            enum=reading.enum,
            const=None if reading.const is _UNSET else reading.const,
            has_const=reading.const is not _UNSET,
            default=None if reading.default is _UNSET else reading.default,
            has_default=reading.default is not _UNSET,
            examples=reading.examples or (),
            constraints=tuple(constraints),
            ref=gathered.ref,
            recursive_to=gathered.recursive_to,
            additional=reading.additional,
            children=children,
            variant_kind=kind,
            variants=variants,
        )

    def _gather(
        self,
        schema: Any,
        scope: Any,
        gathered: _Gathered,
        seen: dict[int, None],
        *,
        level: int,
        direct: bool,
    ) -> None:
        """Add ``schema`` (as written at ``scope``) and what its ``$ref``/``allOf`` reach to
        ``gathered``. ``direct``: the schema is the node's own (its ``$ref`` is the node's)."""
        self._steps += 1
        if self._steps > MAX_STEPS or level >= MAX_DEPTH:
            note = ("cut", CUT_STEPS if self._steps > MAX_STEPS else CUT_DEPTH)
            if note not in gathered.notes:
                gathered.notes.append(note)
            return
        if schema is False:
            gathered.notes.append(("schema", "false: no value is valid here"))
            return
        if not isinstance(schema, dict):
            if schema is not True:  # true: any value, nothing to show
                gathered.notes.append(("schema", f"not a schema: {brief(schema)}"))
            return
        key = id(schema)
        if key in self._ancestors:
            if gathered.recursive_to is None:
                gathered.recursive_to = self._ancestors[key]
            return
        if key in seen:  # allOf [A, A], or refs going round within one node
            return
        seen[key] = None
        try:
            scope = self._enter(schema, scope)
        except Exception as exc:  # a malformed $id: refs inside resolve from where we are
            gathered.notes.append(("$id", _reason(exc)))
        full = True
        if "$ref" in schema:
            full = not self._legacy_refs
            ref = schema["$ref"]
            gathered.parts.append(_Part(schema, scope, full))
            if isinstance(ref, str):
                if direct and gathered.ref is None:
                    gathered.ref = ref
                elif not direct:
                    gathered.composed_of.append(ref)
            try:
                target, target_scope = self._resolve(ref, scope)
            except Exception as exc:  # UnresolvableRef, or what a malformed ref makes it raise
                gathered.notes.append(("unresolved", _reason(exc)))
            else:
                self._gather(target, target_scope, gathered, seen, level=level + 1, direct=direct)
            if not full:
                return
        else:
            gathered.parts.append(_Part(schema, scope, full))
        members = schema.get("allOf")
        if isinstance(members, list):
            for member in members:
                self._gather(member, scope, gathered, seen, level=level + 1, direct=False)
        for combinator in _COMBINATORS:
            alternatives = schema.get(combinator)
            if isinstance(alternatives, list) and any(map(_is_null_only, alternatives)):
                gathered.nullable = True
                rest = [item for item in alternatives if not _is_null_only(item)]
                if len(rest) == 1:  # "X or null": X is what the node is
                    gathered.absorbed.add(key)
                    self._gather(rest[0], scope, gathered, seen, level=level + 1, direct=direct)

    # --- what is below a node ----------------------------------------------------------------

    def _children(self, path: str, parts: list[_Part], depth: int) -> tuple[PropertyNode, ...]:
        properties, required = _properties(parts, "properties", limit=self._room())
        children: list[PropertyNode] = []
        for name, sources in properties.items():
            child_path = f"{path}.{name}" if path else name
            if not self._add(children, name, child_path, sources, name in required, depth):
                return tuple(children)
        patterns, _ = _properties(parts, "patternProperties", limit=self._room())
        for pattern, sources in patterns.items():
            child_path = f"{path}.{pattern}" if path else pattern
            before = len(children)
            if not self._add(children, pattern, child_path, sources, False, depth):
                return tuple(children)
            # The name is a pattern, not a property: say so where the constraints are shown.
            child = children[before]
            children[before] = replace(
                child, constraints=(("patternProperties", pattern), *child.constraints)
            )
        for name, child_path, sources in _item_places(path, parts):
            if not self._add(children, name, child_path, sources, False, depth):
                return tuple(children)
        return tuple(children)

    def _add(
        self,
        children: list[PropertyNode],
        name: str,
        path: str,
        sources: list[tuple[Any, Any]],
        required: bool,
        depth: int,
    ) -> bool:
        """Append the child; False (after appending a cut leaf) when the tree is full."""
        if self._nodes >= MAX_NODES:
            children.append(
                PropertyNode(name, path, required=required, constraints=(("cut", CUT_NODES),))
            )
            return False
        children.append(self._node(name, path, sources, required=required, depth=depth + 1))
        return True

    def _variants(
        self,
        path: str,
        parts: list[_Part],
        absorbed: set[int],
        depth: int,
        constraints: list[tuple[str, str]],
    ) -> tuple[VariantKind | None, tuple[PropertyNode, ...]]:
        """The first ``oneOf``/``anyOf`` met as variants; any further one is summarised."""
        kind: VariantKind | None = None
        variants: list[PropertyNode] = []
        for part in parts:
            if id(part.schema) in absorbed:
                continue
            for combinator in _COMBINATORS:
                alternatives = part.schema.get(combinator)
                if not isinstance(alternatives, list):
                    continue
                shown = [item for item in alternatives if not _is_null_only(item)]
                if kind is not None:
                    constraints.append((combinator, brief(shown)))
                    continue
                kind = combinator
                for number, alternative in enumerate(shown, start=1):
                    option = f"option {number}"
                    if not self._add(
                        variants, option, path, [(alternative, part.scope)], False, depth
                    ):
                        break
        return kind, tuple(variants)

    def _room(self) -> int:
        return max(MAX_NODES - self._nodes, 0) + 1


def _is_null_only(schema: Any) -> bool:
    """``{"type": "null"}`` (with annotations at most): the "or null" of an alternative."""
    return (
        isinstance(schema, dict)
        and schema.get("type") == "null"
        and all(key == "type" or key in _ANNOTATIONS for key in schema)
    )


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


# --- schemas and values as short text ---------------------------------------------------------


class _Full(Exception):
    """The summary has reached its length."""


def brief(value: Any, limit: int = BRIEF_CHARS) -> str:
    """``value`` as compact JSON-like text, keys in the order written, cut at ``limit``
    characters (``…``): what a constraint shows of a schema or an odd value. Bounded work
    whatever the value's size or depth."""
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + "…"
    if not isinstance(value, (dict, list)):  # the common case: a number (minimum: 0)
        text = _scalar(value)
        return text if len(text) <= limit else text[:limit] + "…"
    pieces: list[str] = []
    size = 0

    def emit(text: str) -> None:
        nonlocal size
        pieces.append(text)
        size += len(text)
        if size > limit:
            raise _Full

    def walk(item: Any, depth: int) -> None:
        if depth > 8:
            emit("…")
        elif isinstance(item, dict):
            emit("{")
            for index, (key, inner) in enumerate(item.items()):
                emit(("," if index else "") + _scalar(str(key)) + ":")
                walk(inner, depth + 1)
            emit("}")
        elif isinstance(item, list):
            emit("[")
            for index, inner in enumerate(item):
                if index:
                    emit(",")
                walk(inner, depth + 1)
            emit("]")
        else:
            emit(_scalar(item))

    try:
        walk(value, 0)
    except _Full:
        return "".join(pieces)[:limit] + "…"
    return "".join(pieces)


def _scalar(value: Any) -> str:
    """One value as JSON writes it (strings quoted), whatever it is."""
    try:
        if isinstance(value, bool) or value is None:
            return "true" if value is True else "false" if value is False else "null"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return repr(value) if math.isfinite(value) else str(value)
        return json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:  # an integer of more digits than Python will print
        return "a number too long to show"
