"""``ExportSchema`` of an OpenApi3 version as JSONSchemaDraft4, in the shape the registry exports.

The registry's own exports (the shared corpus holds several: ``014-eventcatalog-...``,
``023-powertools-...``, ``027``/``028-awseventgenerator-...``) have one shape:

- ``$schema`` draft-04 and the document's ``info.title`` first;
- the ``AWSEvent`` component is the root schema, with its ``x-amazon-events-source`` and
  ``x-amazon-events-detail-type``;
- every other component is under ``definitions`` by the same name, and every ref to a
  component is rewritten to match (``#/components/schemas/X`` -> ``#/definitions/X``; a ref to
  ``AWSEvent`` is a ref to the root);
- OpenAPI's ``nullable`` is written as draft 4 says it: ``"null"`` added to ``type`` (and
  ``enum``), or ``anyOf: [..., {"type": "null"}]`` beside a ``$ref`` (the reading every other
  feature of the tool uses, :func:`~eventcontracts.registry.openapi.as_json_schema`);
- object keys are sorted.

One difference is on purpose: AWS renames a *property* called ``readOnly`` (it clashes with the
OpenAPI keyword) to ``x-amazon-open-api-schema-readOnly`` and leaves ``required`` naming it
(023 in the corpus); the emulator keeps property names as written, so the export validates the
same events as the original.
"""

from __future__ import annotations

import copy
from typing import Any

from eventcontracts.registry.formats import DRAFT4_URI, is_openapi
from eventcontracts.registry.openapi import as_json_schema
from eventcontracts.schema.pointer import unescape_token
from eventcontracts.schema.walk import iter_schemas

AWS_EVENT = "AWSEvent"
COMPONENT_REF = "#/components/schemas/"
DEFINITION_REF = "#/definitions/"
# Written first, as the registry writes them; every other key sorted.
_LEADING = ("$schema", "title")


class NotExportable(ValueError):
    """An OpenApi3 document with no event schema to export: the message says what is missing."""


def draft4_export(document: Any) -> dict[str, Any]:
    """The JSONSchemaDraft4 export of the OpenApi3 registry ``document``."""
    if not is_openapi(document):
        raise NotExportable("the content is not an OpenAPI 3 document")
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict) or not isinstance(schemas.get(AWS_EVENT), dict):
        raise NotExportable(
            "the OpenAPI document has no components.schemas.AWSEvent, the event schema an "
            "export makes the root of the JSON Schema"
        )
    # A deep copy: refs are rewritten in place, and as_json_schema shares what it did not change.
    view = copy.deepcopy(as_json_schema(document))["components"]["schemas"]
    for schema in view.values():
        for _, node in iter_schemas(schema):
            ref = node.get("$ref")
            if isinstance(ref, str):
                node["$ref"] = _rewritten(ref)
    exported: dict[str, Any] = {"$schema": DRAFT4_URI}
    info = document.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    root: dict[str, Any] = dict(view[AWS_EVENT])
    if isinstance(title, str) and "title" not in root:
        exported["title"] = title
    definitions = {name: schema for name, schema in view.items() if name != AWS_EVENT}
    if definitions:
        root["definitions"] = definitions
    for key in _LEADING:
        if key in root and key not in exported:
            exported[key] = root.pop(key)
    exported.update(_sorted(root))
    return exported


def _rewritten(ref: str) -> str:
    """A ref into ``components.schemas`` as the same place in the export."""
    if not ref.startswith(COMPONENT_REF):
        return ref  # another document's, or not a component: as written
    rest = ref[len(COMPONENT_REF) :]
    token, slash, inside = rest.partition("/")
    if unescape_token(token) == AWS_EVENT:
        return f"#{slash}{inside}"
    return DEFINITION_REF + rest


def _sorted(value: Any) -> Any:
    """``value`` with the keys of every object in it sorted (lists keep their order)."""
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value
