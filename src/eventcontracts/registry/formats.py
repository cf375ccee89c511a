"""Telling the two EventBridge schema formats apart and reading an event's identity from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from eventcontracts.schema.keywords import DETAIL_TYPE_KEY, SOURCE_KEY

AWS_EVENT_POINTER = "/components/schemas/AWSEvent"
DRAFT4_URI = "http://json-schema.org/draft-04/schema#"

# EventBridge's limits on an event's names (CreateSchema, PutEvents): lint reports a name over
# them (L205), import refuses to file one.
MAX_SCHEMA_NAME = 385
MAX_DETAIL_TYPE = 128
MAX_SOURCE = 256


@dataclass(frozen=True)
class Identity:
    """What a version file says about itself, before it is checked."""

    format: str  # "OpenApi3" or "JSONSchemaDraft4"
    envelope_pointer: str
    source: object  # whatever the document holds: the checks say when it is not a string
    detail_type: object
    detail_pointer: str | None
    dialect: str | None


def is_openapi(content: Any) -> bool:
    return isinstance(content, dict) and "openapi" in content


def is_json_schema(content: Any) -> bool:
    return isinstance(content, dict) and not is_openapi(content)


def identify(content: Any) -> Identity | None:
    """Read format, identity and detail location; ``None`` for a document that is neither."""
    if not isinstance(content, dict):
        return None
    if is_openapi(content):
        aws_event = _get(content, "components", "schemas", "AWSEvent")
        if not isinstance(aws_event, dict):
            return Identity("OpenApi3", AWS_EVENT_POINTER, None, None, None, None)
        return Identity(
            "OpenApi3",
            AWS_EVENT_POINTER,
            aws_event.get(SOURCE_KEY),
            aws_event.get(DETAIL_TYPE_KEY),
            _detail_pointer(aws_event, AWS_EVENT_POINTER),
            None,
        )
    dialect = content.get("$schema")
    return Identity(
        "JSONSchemaDraft4",
        "",
        content.get(SOURCE_KEY),
        content.get(DETAIL_TYPE_KEY),
        _detail_pointer(content, ""),
        dialect if isinstance(dialect, str) else None,
    )


def _detail_pointer(envelope: dict[str, Any], envelope_pointer: str) -> str | None:
    """Where the detail schema is: the target of a local ``$ref``, else the inline schema."""
    detail = _get(envelope, "properties", "detail")
    if not isinstance(detail, dict):
        return None
    ref = detail.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        return unquote(ref[1:])
    return f"{envelope_pointer}/properties/detail"


def _get(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value
