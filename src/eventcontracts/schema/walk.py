"""Visiting every subschema of a schema document, knowing which keywords hold subschemas.

A blind walk would take a property *named* ``$ref`` for a reference; this one follows only the
keywords that the JSON Schema drafts (and OpenAPI 3.0) define as holding schemas (see
:mod:`eventcontracts.schema.keywords`): under a map keyword every value is a schema whatever
its name, and data keywords (``enum``, ``default``...) are never entered.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventcontracts.schema.keywords import (
    SCHEMA_KEYWORDS,
    SCHEMA_LIST_KEYWORDS,
    SCHEMA_MAP_KEYWORDS,
)
from eventcontracts.schema.pointer import escape_token

_ID_KEYWORDS = ("$id", "id")


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
            if key in SCHEMA_KEYWORDS and isinstance(value, dict):
                children.append((at, value))
            elif key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
                children.extend((f"{at}/{i}", item) for i, item in enumerate(value))
            elif key in SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
                # "dependencies" mixes schemas and lists of names; only dicts are schemas.
                children.extend(
                    (f"{at}/{escape_token(name)}", item)
                    for name, item in value.items()
                    if isinstance(item, dict)
                )
        stack.extend(reversed(children))


def iter_document_schemas(document: Any, *, openapi: bool) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema of a registry document: the whole JSON Schema, or each OpenAPI component."""
    for root, pointer in _roots(document, openapi=openapi):
        yield from iter_schemas(root, pointer)


def find_refs(document: Any, *, openapi: bool) -> tuple[list[tuple[str, Any]], bool]:
    """Every ``$ref`` of a document as ``(pointer of the $ref, value)``, and whether any
    subschema declares an ``$id``/``id`` (which changes what a local ref means).

    The hot path of lint: no pointer is built for a schema that has no ``$ref``.
    """
    refs: list[tuple[str, Any]] = []
    has_ids = False

    def visit(node: dict[str, Any], path: tuple[Any, ...]) -> None:
        nonlocal has_ids
        if "$ref" in node:
            refs.append((_pointer((path, "$ref")), node["$ref"]))
        for keyword in _ID_KEYWORDS:
            if isinstance(node.get(keyword), str):
                has_ids = True
        for key, value in node.items():
            if key in SCHEMA_MAP_KEYWORDS:
                if isinstance(value, dict):
                    for name, item in value.items():
                        if isinstance(item, dict):
                            visit(item, ((path, key), name))
            elif key in SCHEMA_KEYWORDS and isinstance(value, dict):
                visit(value, (path, key))
            elif key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, dict):
                        visit(item, ((path, key), index))

    for root, pointer in _roots(document, openapi=openapi):
        try:
            visit(root, (pointer,) if pointer else ())
        except RecursionError:
            break  # absurdly deep documents are reported by the structure check
    return refs, has_ids


def _roots(document: Any, *, openapi: bool) -> Iterator[tuple[dict[str, Any], str]]:
    if not openapi:
        if isinstance(document, dict):
            yield document, ""
        return
    components = document.get("components") if isinstance(document, dict) else None
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if isinstance(schemas, dict):
        for name, schema in schemas.items():
            if isinstance(schema, dict):
                yield schema, f"/components/schemas/{escape_token(name)}"


def _pointer(path: tuple[Any, ...]) -> str:
    """A linked path ``((((), a), b), c)`` (its innermost may be a ready prefix) as a pointer."""
    tokens: list[str] = []
    while len(path) == 2:
        path, key = path
        tokens.append(escape_token(str(key)))
    prefix = path[0] if path else ""
    return prefix + "".join(f"/{token}" for token in reversed(tokens))
