"""Opaque NextToken pagination over a sorted list of keys."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import TypeVar

from eventcontracts.emulator.errors import bad_request

T = TypeVar("T")

DEFAULT_LIMIT = 100
MAX_LIMIT = 100


def parse_limit(raw: str | None) -> int:
    """The page size asked for: absent means 100; above 100 is capped at 100."""
    if raw is None:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise bad_request(f"Limit must be an integer, got {raw!r}") from None
    if limit < 1:
        raise bad_request("Limit must be at least 1")
    return min(limit, MAX_LIMIT)


def encode_token(after: str, scope: str) -> str:
    raw = json.dumps({"after": after, "scope": scope}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def decode_token(token: str, scope: str) -> str:
    """The key the previous page ended at; a token from another listing is a bad request."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
        after, token_scope = data["after"], data["scope"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        raise bad_request("The NextToken is not valid") from None
    if not isinstance(after, str) or token_scope != scope:
        raise bad_request("The NextToken is not valid for this request")
    return after


def paginate(
    items: Sequence[tuple[str, T]], limit: int, token: str | None, scope: str
) -> tuple[list[T], str | None]:
    """One page of ``items`` (sorted by key) and the token for the next page, if any.

    The token names the last key returned, so items created or deleted between pages neither
    repeat nor shift the pages that follow.
    """
    start = 0
    if token:
        after = decode_token(token, scope)
        start = next((i for i, (key, _) in enumerate(items) if key > after), len(items))
    page = items[start : start + limit]
    more = start + limit < len(items)
    next_token = encode_token(page[-1][0], scope) if more and page else None
    return [value for _, value in page], next_token
