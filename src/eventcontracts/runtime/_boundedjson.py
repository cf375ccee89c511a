"""Parsing JSON from a message body or S3 with its nesting depth bounded.

``json.loads`` recurses once per nesting level: a 100,000-deep body raises RecursionError, which
is not a ValueError, so a consumer would propagate it and SQS would redeliver the message until
its retention ends. The depth is measured first, without recursion, and a body deeper than
``MAX_DEPTH`` is refused as :class:`TooDeep` (a ValueError, so callers dead-letter it like any
other malformed body).
"""

from __future__ import annotations

import json
import re
from typing import Any

# EventBridge's own events nest a handful of levels; 64 levels of detail inside the envelope is
# far beyond any schema in the registry and far below the interpreter's recursion limit.
MAX_DEPTH = 64

# A string (whose brackets do not count) or a bracket, in one pass over the text.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


class TooDeep(ValueError):
    pass


def nesting_depth(text: str, limit: int = MAX_DEPTH) -> int:
    """How deeply arrays and objects nest in ``text`` (brackets inside strings aside), in
    linear time; 0 when ``text`` has too few brackets to nest past ``limit`` (the common case,
    which then costs two ``count`` calls rather than a scan)."""
    if text.count("[") + text.count("{") <= limit:
        return 0
    deepest = level = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            level += 1
            deepest = max(deepest, level)
        elif token in "]}":
            level -= 1
    return deepest


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads(text)``, or :class:`TooDeep` when it nests deeper than ``max_depth``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    found = nesting_depth(text, max_depth)
    if found > max_depth:
        raise TooDeep(f"it nests {found} levels deep, more than the {max_depth} allowed")
    return json.loads(text)
