"""When two JSON values are the same: one canonical form, one equality.

:func:`canonical` is the equality JSON Schema itself uses (``enum``, ``const``,
``uniqueItems``; Core 2020-12, section 4.2.2): two values are equal when

- both are numbers of the same mathematical value: ``1`` equals ``1.0`` (and ``[1]``
  equals ``[1.0]``, at any depth);
- both are booleans, strings or null and the same; a boolean is never a number, so ``true``
  is not ``1`` and ``false`` is not ``0`` (Python would say they are: they are told apart here);
- both are arrays of equal items in the same order;
- both are objects with the same keys and equal values, whatever the keys' order.

It gives a hashable key, so values can be put in sets and compared in one step. A value that
is no JSON (a date PyYAML read from an unquoted ``2020-01-01``) is compared by its ``repr``.

:func:`canonical_text` is the one serialisation of a whole document, used where content is
compared as stored text (sync: the content in the remote registry against the local file; the
importer: a file already in the registry against a new one): keys sorted, no whitespace,
Unicode as it is. It is *not* the equality above for numbers: ``1`` and ``1.0`` are written
differently, as they are stored differently, so a remote ``1.0`` where the file now says ``1``
is a change to upload.
"""

from __future__ import annotations

import json
from typing import Any


def canonical(value: Any) -> Any:
    """A hashable key under which JSON values are equal as JSON Schema compares them."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("n", value)  # 1 == 1.0 (and hash alike) in Python, as in JSON Schema
    if isinstance(value, str):
        return ("s", value)
    if value is None:
        return ("z",)
    if isinstance(value, list):
        return ("a", tuple(canonical(item) for item in value))
    if isinstance(value, dict):
        return ("o", tuple(sorted((key, canonical(item)) for key, item in value.items())))
    return ("?", repr(value))


def canonical_text(content: Any) -> str:
    """Content as stored text is compared: parsed JSON, keys sorted, no whitespace."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
