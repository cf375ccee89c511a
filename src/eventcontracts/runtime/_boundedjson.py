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

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class TooDeep(ValueError):
    pass


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (brackets inside strings aside)."""
    deepest = level = 0
    for found in _BRACKETS.finditer(_STRING.sub("", text)):
        if found.group() in "[{":
            level += 1
            deepest = max(deepest, level)
        else:
            level -= 1
    return deepest


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads(text)``, or :class:`TooDeep` when it nests deeper than ``max_depth``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    found = depth(text)
    if found > max_depth:
        raise TooDeep(f"it nests {found} levels deep, more than the {max_depth} allowed")
    return json.loads(text)
