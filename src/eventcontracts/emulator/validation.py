"""Input checks that answer BadRequestException, as the service does for invalid input."""

from __future__ import annotations

import json
import re
from typing import Any

from eventcontracts.emulator.errors import bad_request

# The runtime's depth measure (standard library only): one implementation for both.
from eventcontracts.runtime import nesting_depth

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
# How deep a request body or a schema's Content may nest. Neither the model nor the API
# reference gives a limit; this one is the emulator's (real schemas nest a few dozen levels)
# and keeps every parse far from Python's recursion limit, so a deep document is a
# BadRequestException, not an internal error.
MAX_DEPTH = 256


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
    strict_json(value, "Content")
    return value


def _not_a_json_number(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number (RFC 8259 has no NaN or Infinity)")


def strict_json(text: str, what: str) -> Any:
    """``text`` parsed as RFC 8259 JSON, or a BadRequestException naming ``what``: no NaN or
    Infinity (Python's json reads them, JSON has no such numbers), nothing nested deeper
    than MAX_DEPTH."""
    depth = nesting_depth(text, MAX_DEPTH)
    if depth > MAX_DEPTH:
        raise bad_request(f"{what} nests {depth} levels deep; at most {MAX_DEPTH} are allowed")
    try:
        return json.loads(text, parse_constant=_not_a_json_number)
    except RecursionError:  # not expected below MAX_DEPTH; still the client's input
        raise bad_request(f"{what} nests too deeply") from None
    except ValueError as e:
        raise bad_request(f"{what} is not valid JSON: {e}") from None


def client_token(value: Any) -> str | None:
    """UpdateSchema's ClientTokenId: at most 36 characters, as the model says."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 36:
        raise bad_request("ClientTokenId must be a string of at most 36 characters")
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
