"""Visiting every subschema of a schema document, knowing which keywords hold subschemas.

A blind walk would take a property *named* ``$ref`` for a reference; this one follows only the
keywords that the JSON Schema drafts (and OpenAPI 3.0) define as holding schemas.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventcontracts.registry.locate import escape_token

# keyword -> how its value holds subschemas
_SINGLE = frozenset(
    {
        "additionalItems",
        "additionalProperties",
        "contains",
        "else",
        "if",
        "items",
        "not",
        "propertyNames",
        "then",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
_ARRAY = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
_MAP = frozenset(
    {"properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies"}
)


def iter_schemas(schema: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(pointer, subschema)`` for ``schema`` and every schema inside it, depth first."""
    stack: list[tuple[str, Any]] = [(pointer, schema)]
    while stack:
        here, node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield here, node
        children: list[tuple[str, Any]] = []
        for key, value in node.items():
            at = f"{here}/{escape_token(key)}"
            if key in _SINGLE and isinstance(value, dict):
                children.append((at, value))
            elif key in _ARRAY and isinstance(value, list):
                children.extend((f"{at}/{i}", item) for i, item in enumerate(value))
            elif key in _MAP and isinstance(value, dict):
                # "dependencies" mixes schemas and lists of names; only dicts are schemas.
                children.extend(
                    (f"{at}/{escape_token(name)}", item)
                    for name, item in value.items()
                    if isinstance(item, dict)
                )
        stack.extend(reversed(children))


def iter_document_schemas(document: Any, *, openapi: bool) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema of a registry document: the whole JSON Schema, or each OpenAPI component."""
    if not openapi:
        yield from iter_schemas(document)
        return
    components = document.get("components") if isinstance(document, dict) else None
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if isinstance(schemas, dict):
        for name, schema in schemas.items():
            yield from iter_schemas(schema, f"/components/schemas/{escape_token(name)}")
