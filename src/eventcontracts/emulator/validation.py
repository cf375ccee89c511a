"""Input checks that answer BadRequestException, as the service does for invalid input."""

from __future__ import annotations

import json
import re
from typing import Any

from eventcontracts.emulator.errors import bad_request

SCHEMA_TYPES = ("OpenApi3", "JSONSchemaDraft4")
MAX_CONTENT = 100_000  # the model's Content max length
MAX_DESCRIPTION = 256  # the model's Description max length
REGISTRY_NAME = re.compile(r"[.\-_A-Za-z0-9]{1,64}")
# botocore's model gives SchemaName no pattern and no length (a plain string in the URI path,
# sent percent-encoded, so '/' arrives inside one segment), and AWS's own registry names partner
# schemas with '/' in them ("aws.partner-mongodb.com/1234567-tickets@TicketCreated" in the
# AWS Toolkit and SAM CLI fixtures). So any 1 to 385 characters (the documented schema name
# quota) but whitespace and control characters: an assumption, stricter than the model, that
# keeps names one token in logs and listings.
SCHEMA_NAME = re.compile(r"[^\s\x00-\x1f\x7f]{1,385}")
MAX_TAGS = 50


def registry_name(name: str) -> str:
    if not REGISTRY_NAME.fullmatch(name):
        raise bad_request(f"Invalid registry name {name!r}: 1 to 64 of [.-_A-Za-z0-9]")
    return name


def schema_name(name: str) -> str:
    if not SCHEMA_NAME.fullmatch(name):
        raise bad_request(f"Invalid schema name {name!r}: 1 to 385 characters, no whitespace")
    return name


def required(body: dict[str, Any], member: str) -> Any:
    if body.get(member) is None:
        raise bad_request(f"Missing required member {member}")
    return body[member]


def optional_string(body: dict[str, Any], member: str) -> str | None:
    value = body.get(member)
    if value is not None and not isinstance(value, str):
        raise bad_request(f"{member} must be a string")
    return value


def schema_type(value: Any) -> str:
    if value not in SCHEMA_TYPES:
        raise bad_request(f"Invalid Type {value!r}: must be one of {', '.join(SCHEMA_TYPES)}")
    return str(value)


def content(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise bad_request("Content must be a non-empty string")
    if len(value) > MAX_CONTENT:
        raise bad_request(f"Content is {len(value)} characters, above the {MAX_CONTENT} limit")
    try:
        json.loads(value)
    except ValueError as e:
        raise bad_request(f"Content is not valid JSON: {e}") from None
    return value


def description(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_DESCRIPTION:
        raise bad_request(f"Description must be a string of at most {MAX_DESCRIPTION} characters")
    return value


def tags(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise bad_request("tags must be a map of string to string")
    if len(value) > MAX_TAGS:
        raise bad_request(f"At most {MAX_TAGS} tags are allowed")
    return dict(value)
