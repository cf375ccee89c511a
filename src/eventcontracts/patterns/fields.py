"""What a schema says about a field path of its events: does it exist, and what can it hold.

Paths are a pattern's paths (``detail.items.sku``): object keys, with arrays crushed out the
way the matcher flattens events, so a key under an array of objects is looked up in the
array's ``items``. Refs are followed with the registry's resolver; ``allOf``/``anyOf``/``oneOf``
contribute every alternative (a field exists if any alternative declares it); OpenApi3
``nullable`` is already ``"null"`` in the type (the resolver's JSON Schema view).

A property that is not declared does not exist, even under an object whose
``additionalProperties`` is open: a rule on an undeclared field is how renames go unnoticed.
``patternProperties`` and an ``additionalProperties`` *schema* (a map) do declare keys, and so
does ``required``: a name listed there is in every valid event, with any value, even when
``properties`` leaves it out (AWS's Draft-4 export of CloudTrail requires ``readOnly`` and
declares it only as ``x-amazon-open-api-schema-readOnly``). Sample events are generated from
the same schema, so ``rules check`` and ``rules test`` agree on such a field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from eventcontracts import safe_regex
from eventcontracts.registry.model import SchemaVersion
from eventcontracts.registry.resolver import Resolved, Resolver, UnresolvableRef

Node = tuple[Any, "str | Resolved"]  # a subschema and where its refs resolve from
MAX_DEPTH = 40
# EventBridge sets these on every event, whatever the schema declares.
ENVELOPE_FIELDS: dict[str, Any] = {
    "version": {"type": "string"},
    "id": {"type": "string"},
    "detail-type": {"type": "string"},
    "source": {"type": "string"},
    "account": {"type": "string"},
    "time": {"type": "string"},
    "region": {"type": "string"},
    "resources": {"type": "array", "items": {"type": "string"}},
}
_COMBINATORS = ("allOf", "anyOf", "oneOf")


@dataclass
class FieldInfo:
    """What the values filed under a path can be; ``types`` is None when no type is declared."""

    types: set[str] | None
    enum: list[Any] | None = None
    integer_only: bool = False
    siblings: list[str] = field(default_factory=list)

    @property
    def leaf_types(self) -> set[str]:
        return (self.types or set()) - {"object", "array"}

    @property
    def object_only(self) -> bool:
        """Declared as objects (or arrays of them) only: no leaf value is filed here."""
        return self.types is not None and "object" in self.types and not self.leaf_types


class SchemaFields:
    """Field lookups in one version's event schema (envelope and detail)."""

    def __init__(self, version: SchemaVersion, resolver: Resolver) -> None:
        self.version = version
        self.resolver = resolver
        start = resolver.lookup(f"#{version.envelope_pointer}", version.uri)
        self.root: Node = (start.contents, start)

    def lookup(self, path: tuple[str, ...]) -> FieldInfo | None:
        """The field at ``path``, or None when the schema does not declare it."""
        nodes = [self.root]
        for depth, key in enumerate(path):
            children = list(self._children(nodes, key))
            if not children and depth == 0 and key in ENVELOPE_FIELDS:
                children = [(ENVELOPE_FIELDS[key], self.root[1])]
            if not children:
                return None
            nodes = children
        return self._describe(nodes)

    def property_names(self, path: tuple[str, ...]) -> list[str]:
        """The keys declared under ``path`` (for "did you mean")."""
        nodes = [self.root]
        for key in path:
            nodes = list(self._children(nodes, key))
        names: list[str] = []
        for node in self._values(nodes):
            properties = node[0].get("properties")
            if isinstance(properties, dict):
                names.extend(name for name in properties if name not in names)
            required = node[0].get("required")
            if isinstance(required, list):
                names.extend(n for n in required if isinstance(n, str) and n not in names)
        if not path:
            names.extend(name for name in ENVELOPE_FIELDS if name not in names)
        return names

    # -- walking ------------------------------------------------------------------------------

    def _expand(self, node: Node, depth: int = 0) -> Iterator[Node]:
        """``node`` and every schema its ``$ref`` and combinators bring in."""
        schema, base = node
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return
        yield node
        ref = schema.get("$ref")
        if isinstance(ref, str):
            try:
                target = self.resolver.lookup(ref, base)
            except UnresolvableRef:
                pass  # lint reports dangling refs; here the field is just not found through it
            else:
                yield from self._expand((target.contents, target), depth + 1)
        for keyword in _COMBINATORS:
            alternatives = schema.get(keyword)
            if isinstance(alternatives, list):
                for alternative in alternatives:
                    yield from self._expand((alternative, base), depth + 1)

    def _values(self, nodes: list[Node]) -> list[Node]:
        """The schemas of the values filed under a path: arrays crushed into their items."""
        result: list[Node] = []
        pending = [(node, 0) for node in nodes]
        while pending:
            node, depth = pending.pop(0)
            for expanded in self._expand(node):
                result.append(expanded)
                schema, base = expanded
                items = schema.get("items")
                item_schemas = items if isinstance(items, list) else [items]
                item_schemas += list(schema.get("prefixItems") or [])
                if depth < MAX_DEPTH:
                    pending.extend(
                        ((item, base), depth + 1) for item in item_schemas if isinstance(item, dict)
                    )
        return result

    def _children(self, nodes: list[Node], key: str) -> Iterator[Node]:
        for schema, base in self._values(nodes):
            properties = schema.get("properties")
            if isinstance(properties, dict) and key in properties:
                yield properties[key], base
            elif _requires(schema, key):
                yield {}, base  # required, so present; any value, as nothing constrains it
            patterns = schema.get("patternProperties")
            if isinstance(patterns, dict):
                for regex, child in patterns.items():
                    if safe_regex.matches(regex, key):
                        yield child, base
            additional = schema.get("additionalProperties")
            if isinstance(additional, dict) and additional:
                yield additional, base

    def _describe(self, nodes: list[Node]) -> FieldInfo:
        types: set[str] = set()
        declared = False
        enum: list[Any] | None = None
        integer_only = True
        for schema, _ in self._values(nodes):
            kind = schema.get("type")
            kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
            for name in kinds:
                if isinstance(name, str):
                    declared = True
                    types.add("number" if name == "integer" else name)
                    integer_only = integer_only and name in ("integer", "null", "array")
            values = (
                schema.get("enum")
                if "enum" in schema
                else ([schema["const"]] if "const" in schema else None)
            )
            if isinstance(values, list):
                enum = [*(enum or []), *values]
        return FieldInfo(
            types if declared else None,
            enum,
            integer_only=declared and integer_only and "number" in types,
        )


def _requires(schema: dict[str, Any], key: str) -> bool:
    """``key`` is in the ``required`` list of an object schema (draft-04 and later)."""
    required = schema.get("required")
    return isinstance(required, list) and key in required and _may_be_object(schema)


def _may_be_object(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    if kind is None:
        return True
    return kind == "object" or (isinstance(kind, list) and "object" in kind)
