"""A simple valid value of a schema, built directly (no search): the base of counterexamples.

Event schemas are mostly objects of required properties with typed, bounded leaves; building
the smallest such value field by field is instant and deterministic, where a random search over
a 30-property envelope is slow and may give up. What this builder cannot satisfy (a clash of
``allOf`` parts, say) it leaves to the caller's search: the result is always checked.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eventcontracts import safe_regex
from eventcontracts.schema.formats import sample as format_sample

MISSING: Any = object()
MAX_DEPTH = 24


def build_example(schema: Any, depth: int = 0) -> Any:
    """A value ``schema`` (refs already inlined) probably accepts, or MISSING."""
    if depth > MAX_DEPTH:
        return MISSING
    if schema is True or schema == {}:
        return None
    if schema is False or not isinstance(schema, dict):
        return MISSING
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for combinator in ("anyOf", "oneOf"):
        if isinstance(schema.get(combinator), list):
            rest = {k: v for k, v in schema.items() if k != combinator}
            for option in schema[combinator]:
                merged = _merge(rest, option)
                value = build_example(merged, depth + 1)
                if value is not MISSING:
                    return value
            return MISSING
    if isinstance(schema.get("allOf"), list):
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            merged = _merge(merged, part)
        return build_example(merged, depth + 1)
    kind = _kind(schema)
    builder = _BUILDERS.get(kind)
    return builder(schema, depth) if builder else None


def _kind(schema: dict[str, Any]) -> str:
    declared = schema.get("type")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), declared[0] if declared else None)
    if isinstance(declared, str):
        return declared
    if any(k in schema for k in ("properties", "required", "additionalProperties")):
        return "object"
    if any(k in schema for k in ("items", "prefixItems", "minItems")):
        return "array"
    if any(k in schema for k in ("minLength", "maxLength", "pattern", "format")):
        return "string"
    if any(k in schema for k in ("minimum", "maximum", "multipleOf")):
        return "number"
    return "null"


def _object(schema: dict[str, Any], depth: int) -> Any:
    declared = schema.get("properties")
    properties: dict[str, Any] = declared if isinstance(declared, dict) else {}
    required = [name for name in schema.get("required", []) if isinstance(name, str)]
    value: dict[str, Any] = {}
    for name in required:
        sub = properties.get(name, _additional(schema))
        built = build_example(sub, depth + 1)
        if built is MISSING:
            return MISSING
        value[name] = built
    minimum = schema.get("minProperties")
    if isinstance(minimum, int):
        for name, sub in properties.items():
            if len(value) >= minimum:
                break
            if name not in value:
                built = build_example(sub, depth + 1)
                if built is not MISSING:
                    value[name] = built
    return value


def _additional(schema: dict[str, Any]) -> Any:
    return schema.get("additionalProperties", True)


def _array(schema: dict[str, Any], depth: int) -> Any:
    prefix = schema.get("prefixItems", schema.get("items"))
    items: list[Any] = []
    if isinstance(prefix, list):
        for sub in prefix:
            built = build_example(sub, depth + 1)
            if built is MISSING:
                return MISSING
            items.append(built)
        return items
    minimum = schema.get("minItems", 0)
    count = minimum if isinstance(minimum, int) and 0 <= minimum <= 100 else 0
    if count:
        built = build_example(schema.get("items", True), depth + 1)
        if built is MISSING:
            return MISSING
        items = [built] * count
        if schema.get("uniqueItems") and count > 1:
            return MISSING  # equal copies would not do; leave it to the search
    return items


def _string(schema: dict[str, Any], depth: int) -> Any:
    formatted = format_sample(schema.get("format"))
    pattern = schema.get("pattern")
    value = formatted if formatted is not None else ""
    if isinstance(pattern, str):
        value = matching(pattern, value)
        if value is MISSING:
            return MISSING
    minimum = schema.get("minLength")
    if isinstance(minimum, int) and len(value) < minimum:
        value = value + "a" * (minimum - len(value))
    return value


def matching(pattern: str, preferred: str) -> Any:
    """A string ``pattern`` matches (``preferred`` if it does), or MISSING."""
    try:
        compiled = re.compile(pattern)
    except re.error:
        return MISSING
    # Matched by RE2, as the validators do: never Python's backtracking re on hostile patterns.
    if safe_regex.search(pattern, preferred):
        return preferred
    literal = _literal(pattern)
    if literal is not None and safe_regex.search(pattern, literal):
        return literal
    quiet_hypothesis()
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis import strategies as st

    try:
        found: str = find(
            st.from_regex(compiled),  # drawn from the parse; kept only if RE2 agrees
            lambda text: safe_regex.search(pattern, text) is True,
            settings=settings(
                database=None,
                derandomize=True,
                deadline=None,
                phases=[Phase.generate, Phase.shrink],  # "explain" costs a second a call
                suppress_health_check=list(HealthCheck),
            ),
        )
        return found
    except Exception:  # an unsupported regex: no simple example
        return MISSING


def _literal(pattern: str) -> str | None:
    """The text a pattern of plain characters matches (``^ORD-`` -> ``ORD-``), or None."""
    text = pattern.removeprefix("^").removesuffix("$")
    if any(char in text for char in ".^$*+?{}[]\\|()"):
        return None
    return text


def quiet_hypothesis() -> None:
    """Before hypothesis is first imported: keep its cache out of the user's repository."""
    if "hypothesis" not in sys.modules:
        cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(cache / "eventcontracts"))


def _number(schema: dict[str, Any], depth: int) -> Any:
    low = _bound(schema, "minimum", "exclusiveMinimum", lower=True)
    high = _bound(schema, "maximum", "exclusiveMaximum", lower=False)
    step = schema.get("multipleOf")
    integer = schema.get("type") == "integer" or (
        isinstance(schema.get("type"), list) and "integer" in schema["type"]
    )
    value: float = 0
    if low is not None and (value < low[0] or (low[1] and value == low[0])):
        value = low[0] + (1 if low[1] else 0)
    if high is not None and (value > high[0] or (high[1] and value == high[0])):
        value = high[0] - (1 if high[1] else 0)
    if isinstance(step, (int, float)) and step > 0:
        value = math.ceil(value / step) * step
    if integer:
        value = math.ceil(value)
    return int(value) if float(value).is_integer() else value


def _bound(schema: dict[str, Any], inclusive: str, exclusive: str, *, lower: bool) -> Any:
    value = schema.get(inclusive)
    flag = schema.get(exclusive)
    if flag is True and isinstance(value, (int, float)):
        return (value, True)  # draft-04: the bound itself is excluded
    if isinstance(flag, (int, float)) and not isinstance(flag, bool):
        if isinstance(value, (int, float)) and (value > flag if lower else value < flag):
            return (value, False)
        return (flag, True)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (value, False)
    return None


def _merge(base: dict[str, Any], extra: Any) -> Any:
    if not isinstance(extra, dict):
        return extra if base == {} else base
    merged = dict(base)
    for key, value in extra.items():
        if key == "properties" and isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = {**merged[key], **value}
        elif key == "required" and isinstance(merged.get(key), list) and isinstance(value, list):
            merged[key] = [*merged[key], *[v for v in value if v not in merged[key]]]
        else:
            merged[key] = value
    return merged


_BUILDERS: dict[str, Callable[[dict[str, Any], int], Any]] = {
    "object": _object,
    "array": _array,
    "string": _string,
    "number": _number,
    "integer": _number,
    "boolean": lambda schema, depth: False,
    "null": lambda schema, depth: None,
}
# What a real EventBridge event carries in its envelope: a base event reads like one.
ENVELOPE = {
    "version": "0",
    "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "account": "123456789012",
    "time": "2026-11-23T10:15:30Z",
    "region": "eu-west-1",
    "resources": [],
}
