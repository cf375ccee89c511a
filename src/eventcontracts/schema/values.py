"""What JSON Schema calls a parsed JSON value: one answer for every feature that asks."""

from __future__ import annotations

from typing import Any


def json_type(value: Any) -> str:
    """The JSON Schema type name of a value from ``json.loads``: ``integer`` for a Python int,
    ``number`` for a float (``1.0`` included: a producer that writes it serialises a float),
    ``boolean`` before ``integer`` (``True`` is an int in Python)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"
