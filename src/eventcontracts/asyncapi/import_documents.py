"""One message's payload and headers as a registry document, in the registry's two shapes.

- An OpenAPI 3.0 payload becomes an EventBridge ``OpenApi3`` document: ``AWSEvent`` (the
  envelope) and the detail under ``components.schemas.<Name>``, beside the schemas its refs
  reach.
- A JSON Schema payload (draft-04 to 2020-12) becomes a ``JSONSchemaDraft4`` document of its
  dialect: the envelope at the root, the detail and what it refers to under ``definitions``
  (``$defs`` from 2019-09 on).
- An AsyncAPI schema (JSON Schema draft-07 and a few keywords of its own) becomes a draft-07
  document; the keywords JSON Schema does not know (``discriminator``, ``externalDocs``) are
  kept, not dropped, under ``x-asyncapi`` on the schema that had them: validators and code
  generators skip an ``x-`` key, and nothing the author wrote is lost.

The envelope is the message's ``headers`` (what export writes: the envelope's fields but
``detail``) with ``detail`` put back as a ref to the detail, required unless the message's
``x-eventcontracts-detail-required`` is false; a message without headers gets the envelope
EventBridge's registry writes.
"""

from __future__ import annotations

from typing import Any

from eventcontracts.asyncapi.import_messages import Schema
from eventcontracts.asyncapi.import_refs import Bundle, Documents
from eventcontracts.asyncapi.names import DIALECT_URIS
from eventcontracts.importer.envelope import defs_keyword, json_schema_document, openapi_document
from eventcontracts.importer.reading import Refused
from eventcontracts.schema.keywords import DETAIL_TYPE_KEY, SOURCE_KEY
from eventcontracts.schema.pointer import escape_token
from eventcontracts.schema.walk import iter_schemas

ASYNCAPI_ONLY = ("discriminator", "externalDocs")
ASYNCAPI_EXTENSION = "x-asyncapi"
_ENVELOPE = "AWSEvent"


def registry_document(
    documents: Documents,
    payload: Schema,
    headers: Schema | None,
    *,
    source: str,
    detail_type: str,
    name: str,
    detail_required: bool = True,
) -> dict[str, Any]:
    """The registry document of one message; ``name`` names the detail schema in it, and
    ``detail_required`` says whether the envelope made of ``headers`` requires it."""
    for part in (payload, headers):
        if part is not None and not isinstance(part.node, dict):
            raise Refused(documents.display, f"{documents.shown(part.place)}: not a schema "
                          "object; write the schema as a JSON object")  # fmt: skip
    openapi = payload.format.openapi
    dialect = DIALECT_URIS[payload.format.dialect]
    prefix = "#/components/schemas/" if openapi else f"#/{defs_keyword(dialect)}/"
    bundle = Bundle(documents, prefix, taken={name, _ENVELOPE})
    bundle.claim(payload.place, name)  # a payload that refers to itself keeps doing so
    detail = _own_keywords(bundle.schema(payload.node, payload.place), payload)
    envelope = None
    if headers is not None:
        envelope = _own_keywords(bundle.schema(headers.node, headers.place), headers)
    named = {key: _own_keywords(value, payload) for key, value in bundle.named.items()}
    detail_ref = prefix + escape_token(name)
    if openapi:
        document = openapi_document(name, source, detail_type, name, {name: detail, **named})
        if envelope is not None:
            schemas = document["components"]["schemas"]
            schemas[_ENVELOPE] = _envelope(
                envelope, detail_ref, source, detail_type, detail_required
            )
            schemas[_ENVELOPE].pop("$schema", None)
        return document
    definitions = {name: detail, **named}
    if envelope is None:
        return json_schema_document(dialect, source, detail_type, name, definitions)
    root = _envelope(envelope, detail_ref, source, detail_type, detail_required)
    return {"$schema": dialect, **root, defs_keyword(dialect): definitions}


def _envelope(
    headers: dict[str, Any], detail_ref: str, source: str, detail_type: str, detail_required: bool
) -> dict[str, Any]:
    """The headers schema with ``detail`` back among its properties and the event's identity."""
    envelope = {k: v for k, v in headers.items() if k not in ("$schema", "definitions", "$defs")}
    properties = envelope.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    envelope["properties"] = {"detail": {"$ref": detail_ref}, **properties}
    required = envelope.get("required")
    required = [name for name in required if name != "detail"] if isinstance(required, list) else []
    if detail_required:
        required.append("detail")
    if required:
        envelope["required"] = required
    else:
        envelope.pop("required", None)  # draft 4 and OpenAPI 3.0 allow no empty "required"
    envelope[SOURCE_KEY], envelope[DETAIL_TYPE_KEY] = source, detail_type
    return envelope


def _own_keywords(schema: Any, part: Schema) -> Any:
    """An AsyncAPI schema's own keywords moved under ``x-asyncapi`` (see the module's doc)."""
    if not part.format.asyncapi:
        return schema
    for _, node in iter_schemas(schema):
        moved = {key: node.pop(key) for key in ASYNCAPI_ONLY if key in node}
        if moved:
            node[ASYNCAPI_EXTENSION] = moved
    return schema
