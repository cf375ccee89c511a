"""The registry document of an inferred detail schema, in the shape EventBridge writes.

As EventBridge's schema discovery writes it (``discovered-schemas/order@NewOrder``): an OpenApi3
document whose ``AWSEvent`` envelope refs the detail component, named after the detail-type
("Order Created" -> ``OrderCreated``), and every nested object with properties its own component
named after its property (``customer`` -> ``Customer``; an array's element: ``ItemsItem``).
JSONSchemaDraft4 is the registry's export of the same: the envelope at the root with the
``x-amazon-events-*`` keys, the components under ``definitions``. The envelope is the importer's
(:mod:`eventcontracts.importer.envelope`), so an inferred schema and an imported one look alike.
"""

from __future__ import annotations

import re
from typing import Any

from eventcontracts.importer.envelope import json_schema_document, openapi_document
from eventcontracts.infer.schema import OPENAPI3
from eventcontracts.registry.formats import DRAFT4_URI

_WORDS = re.compile(r"[A-Za-z0-9]+")
_RESERVED = frozenset({"AWSEvent"})
_MAX_NAME = 100


def type_name(text: str, fallback: str) -> str:
    """A component name from a detail-type or a property name: its words in CamelCase, the
    characters OpenAPI allows in a component name only ("Order Created" -> "OrderCreated")."""
    words = _WORDS.findall(text)
    name = "".join(word[:1].upper() + word[1:] for word in words)[:_MAX_NAME]
    if not name or name[0].isdigit():
        name = fallback + name
    return name


def registry_document(
    detail: dict[str, Any], source: str, detail_type: str, name: str, schema_format: str
) -> dict[str, Any]:
    """The whole version document for the inline ``detail`` schema of ``source``/``detail_type``,
    the detail component called ``name``."""
    prefix = "#/components/schemas/" if schema_format == OPENAPI3 else "#/definitions/"
    components: dict[str, Any] = {}
    taken = set(_RESERVED) | {name}
    components[name] = _hoisted(detail, prefix, components, taken)
    if schema_format == OPENAPI3:
        ordered = {name: components.pop(name), **components}
        return openapi_document(name, source, detail_type, name, ordered)
    definitions = {key: components[key] for key in sorted(components)}
    return json_schema_document(DRAFT4_URI, source, detail_type, name, definitions)


def _hoisted(
    schema: dict[str, Any], prefix: str, components: dict[str, Any], taken: set[str]
) -> dict[str, Any]:
    """``schema`` with every nested object that has properties moved into ``components``."""
    result = dict(schema)
    if isinstance(schema.get("properties"), dict):
        result["properties"] = {
            key: _named(child, type_name(key, "Field"), prefix, components, taken)
            for key, child in schema["properties"].items()
        }
    for keyword in ("items", "additionalProperties"):
        child = schema.get(keyword)
        if isinstance(child, dict):
            hint = "Item" if keyword == "items" else "Value"
            result[keyword] = _named(child, hint, prefix, components, taken)
    if isinstance(schema.get("anyOf"), list):
        result["anyOf"] = [_hoisted(part, prefix, components, taken) for part in schema["anyOf"]]
    return result


def _named(
    child: dict[str, Any], hint: str, prefix: str, components: dict[str, Any], taken: set[str]
) -> dict[str, Any]:
    """An object with properties becomes component ``hint`` (``hint2``... when taken); an array
    hands its element the name ``<hint>Item``."""
    if "properties" not in child:
        if isinstance(child.get("items"), dict):
            items = _named(child["items"], f"{hint}Item", prefix, components, taken)
            return {**_hoisted({**child, "items": {}}, prefix, components, taken), "items": items}
        return _hoisted(child, prefix, components, taken)
    name = _free(hint, taken)
    taken.add(name)
    components[name] = {}  # claimed before its own children are named
    components[name] = _hoisted(child, prefix, components, taken)
    return {"$ref": prefix + name}


def _free(hint: str, taken: set[str]) -> str:
    if hint not in taken:
        return hint
    number = 2
    while f"{hint}{number}" in taken:
        number += 1
    return f"{hint}{number}"
