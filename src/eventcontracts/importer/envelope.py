"""The envelope the registry expects around an event's detail, in either format.

The same envelope EventBridge's registry exports carry (see registry/com.mycompany.orders/
OrderCreated/v2.json): the nine top-level fields, all required, and ``detail`` as a ``$ref``
to the detail schema; source and detail-type as the ``x-amazon-events-*`` vendor keys.
"""

from __future__ import annotations

from typing import Any

from eventcontracts.registry.formats import DRAFT4_URI
from eventcontracts.schema.keywords import DETAIL_TYPE_KEY, SOURCE_KEY
from eventcontracts.schema.pointer import escape_token

REQUIRED = [
    "detail-type",
    "resources",
    "detail",
    "id",
    "source",
    "time",
    "region",
    "version",
    "account",
]
# Dialects whose keyword for named subschemas is "$defs" rather than "definitions".
_DEFS_DIALECTS = (
    "https://json-schema.org/draft/2019-09/",
    "https://json-schema.org/draft/2020-12/",
)


def envelope_properties(detail_ref: str) -> dict[str, Any]:
    return {
        "detail": {"$ref": detail_ref},
        "account": {"type": "string"},
        "detail-type": {"type": "string"},
        "id": {"type": "string"},
        "region": {"type": "string"},
        "resources": {"type": "array", "items": {"type": "string"}},
        "source": {"type": "string"},
        "time": {"type": "string", "format": "date-time"},
        "version": {"type": "string"},
    }


def aws_event(source: str, detail_type: str, detail_name: str) -> dict[str, Any]:
    """An OpenApi3 ``AWSEvent`` component whose detail is ``components.schemas.<detail_name>``."""
    return {
        "type": "object",
        "required": list(REQUIRED),
        DETAIL_TYPE_KEY: detail_type,
        SOURCE_KEY: source,
        "properties": envelope_properties(f"#/components/schemas/{escape_token(detail_name)}"),
    }


def openapi_document(
    title: str, source: str, detail_type: str, detail_name: str, components: dict[str, Any]
) -> dict[str, Any]:
    """A whole OpenApi3 registry document: ``AWSEvent`` first, then ``components``."""
    return {
        "openapi": "3.0.0",
        "info": {"version": "1.0.0", "title": title},
        "paths": {},
        "components": {
            "schemas": {"AWSEvent": aws_event(source, detail_type, detail_name), **components}
        },
    }


def defs_keyword(dialect: str | None) -> str:
    return "$defs" if dialect and dialect.startswith(_DEFS_DIALECTS) else "definitions"


def json_schema_document(
    dialect: str | None,
    source: str,
    detail_type: str,
    detail_name: str,
    definitions: dict[str, Any],
    identifier: Any = None,
) -> dict[str, Any]:
    """A whole JSON Schema registry document: the envelope at the root, the detail and its
    helpers as named subschemas (``definitions``, or ``$defs`` from 2019-09 on)."""
    keyword = defs_keyword(dialect)
    document: dict[str, Any] = {"$schema": dialect or DRAFT4_URI}
    if identifier is not None:
        document["$id"] = identifier
    document.update(
        {
            "title": detail_name,
            "type": "object",
            SOURCE_KEY: source,
            DETAIL_TYPE_KEY: detail_type,
            "required": list(REQUIRED),
            "properties": envelope_properties(f"#/{keyword}/{escape_token(detail_name)}"),
            keyword: definitions,
        }
    )
    return document
