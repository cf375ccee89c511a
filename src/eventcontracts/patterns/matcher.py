"""Does an EventBridge event pattern match an event? EventBridge's documented semantics.

The event is flattened first, as EventBridge (and its open-source matcher aws/event-ruler)
does: every leaf value (string, number, boolean, null) is filed under the path of object
keys that leads to it, and arrays are "crushed out", so ``{"items": [{"sku": "a"}, {"sku":
"b"}]}`` files ``"a"`` and ``"b"`` under ``items.sku``. A pattern field then matches when any
of its matchers matches any value filed under its path (arrays match by intersection).

Each matcher (an exact value or an operator object such as ``{"prefix": "eu-"}``) is one small
function, dispatched from :data:`OPERATORS` by its key, the way python-jsonschema dispatches
keywords. The pattern is assumed well formed (:mod:`eventcontracts.patterns.syntax` says why
one is not); a malformed one never raises here, it just does not match.

Sources: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
(the operators), .../eb-event-patterns-arrays.html (arrays), and aws/event-ruler's README.

Deliberate choices, where the documentation leaves room:

- Fields in different elements of one array combine, as the documentation's flattening
  implies (event-ruler's older ``rulesForEvent``): ``{"employees": {"first": ["Anna"],
  "last": ["Jones"]}}`` matches Anna Smith and Peter Jones in one array. event-ruler's
  ``rulesForJSONEvent`` is stricter; a pattern that relies on either reading is fragile.
- Paths are tuples of keys, so a key containing a dot (``"a.b"``) is not confused with the
  nesting ``a`` -> ``b`` (event-ruler joins keys with dots and documents the confusion as
  not to be relied upon).
- Exact numbers compare numerically (``300`` matches ``300.0``); a boolean is never a number.
- ``numeric`` matches JSON numbers only: never a boolean, never a numeric string; event
  numbers outside EventBridge's range (+-5.0e9) do not match, as in event-ruler.
- ``exists`` looks at leaf values: a field holding an object, or an empty array, does not
  "exist" for a pattern (``exists: false`` matches it), as event-ruler documents; a field
  holding null does exist.
- ``anything-but`` matches any present leaf value the exclusion does not cover, whatever its
  type (the number 5 is "anything but" ``"initializing"``); a missing field never matches.
  Its string forms (``prefix``, ``suffix``, ``equals-ignore-case``, ``wildcard``) likewise
  match any non-string value.
- ``equals-ignore-case`` folds case with ``str.lower``.
- ``wildcard`` is matched without regular expressions (linear in the value), and a pattern
  nested more than :data:`MAX_NESTING` levels matches nothing (syntax reports it): rule
  files are untrusted input.
- A ``$or`` that is not an array of objects is a field named ``$or``, as event-ruler keeps
  for old rules; the syntax check rejects it, as EventBridge does.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

Path = tuple[str, ...]
Flat = dict[Path, list[Any]]

# EventBridge compares numbers in this range only (aws/event-ruler's ComparableNumber).
NUMERIC_LIMIT = 5.0e9
OR_KEY = "$or"
# Ours, not EventBridge's: deeper patterns are refused before anything recurses into them.
MAX_NESTING = 100


def matches(pattern: Mapping[str, Any], event: Any) -> bool:
    """Whether ``pattern`` (a parsed event pattern) matches ``event`` (a parsed event)."""
    return nesting(pattern) <= MAX_NESTING and match_flat(pattern, flatten(event))


def nesting(value: Any) -> int:
    """How deeply objects and arrays nest in ``value`` (counted without recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return deepest


def match_flat(pattern: Mapping[str, Any], flat: Flat, path: Path = ()) -> bool:
    """``pattern`` (an object of the pattern, at ``path``) against a flattened event."""
    for key, value in pattern.items():
        if key == OR_KEY and isinstance(value, list):
            if not any(isinstance(alt, dict) and match_flat(alt, flat, path) for alt in value):
                return False
        elif isinstance(value, dict):
            if not match_flat(value, flat, (*path, key)):
                return False
        elif isinstance(value, list):
            if not field_matches(value, flat.get((*path, key), [])):
                return False
        else:
            return False  # a bare value is not a valid pattern: it matches nothing
    return True


def flatten(event: Any) -> Flat:
    """Every leaf value of ``event`` under its path of object keys, arrays crushed out."""
    flat: Flat = {}
    stack: list[tuple[Path, Any]] = [((), event)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            stack.extend(((*path, str(key)), child) for key, child in node.items())
        elif isinstance(node, list):
            stack.extend((path, child) for child in reversed(node))
        else:
            flat.setdefault(path, []).append(node)
    return flat


def field_matches(matchers: list[Any], values: list[Any]) -> bool:
    """A pattern field: any matcher accepts the field (``exists``) or any of its values."""
    return any(matcher_accepts(matcher, values) for matcher in matchers)


def matcher_accepts(matcher: Any, values: list[Any]) -> bool:
    """One entry of a pattern field's array against the values filed under the field."""
    if isinstance(matcher, dict):
        if len(matcher) != 1:
            return False
        ((operator, argument),) = matcher.items()
        if operator == "exists":
            return bool(values) if argument is True else argument is False and not values
        check = OPERATORS.get(operator)
        return check is not None and any(check(argument, value) for value in values)
    if isinstance(matcher, list):
        return False
    return any(equal(matcher, value) for value in values)


# -- values ---------------------------------------------------------------------------------


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def equal(expected: Any, value: Any) -> bool:
    """An exact value of a pattern against an event value: same JSON type, same value."""
    if is_number(expected):
        return is_number(value) and float(expected) == float(value)
    if isinstance(expected, bool) or expected is None:
        return value is expected
    return isinstance(expected, str) and isinstance(value, str) and expected == value


def _strings(argument: Any) -> list[str] | None:
    """A string or a list of strings, as a list; None for anything else."""
    if isinstance(argument, str):
        return [argument]
    if isinstance(argument, list) and all(isinstance(item, str) for item in argument):
        return argument
    return None


# -- operators ------------------------------------------------------------------------------


def prefix(argument: Any, value: Any) -> bool:
    if not isinstance(value, str):
        return False
    if isinstance(argument, dict):
        folded = argument.get("equals-ignore-case")
        return isinstance(folded, str) and value.lower().startswith(folded.lower())
    return isinstance(argument, str) and value.startswith(argument)


def suffix(argument: Any, value: Any) -> bool:
    if not isinstance(value, str):
        return False
    if isinstance(argument, dict):
        folded = argument.get("equals-ignore-case")
        return isinstance(folded, str) and value.lower().endswith(folded.lower())
    return isinstance(argument, str) and value.endswith(argument)


def equals_ignore_case(argument: Any, value: Any) -> bool:
    return (
        isinstance(value, str) and isinstance(argument, str) and argument.lower() == value.lower()
    )


def wildcard(argument: Any, value: Any) -> bool:
    if not isinstance(value, str) or not isinstance(argument, str):
        return False
    segments = wildcard_segments(argument)
    if segments is None:
        return False
    # The literal runs between stars, found left to right: linear in the value, where a
    # regular expression of many stars could backtrack for as long as a rule file wants.
    if len(segments) == 1:
        return value == segments[0]
    first, *middle, last = segments
    if len(value) < len(first) + len(last) or not value.startswith(first):
        return False
    if not value.endswith(last):
        return False
    position, end = len(first), len(value) - len(last)
    for segment in middle:
        found = value.find(segment, position, end)
        if found < 0:
            return False
        position = found + len(segment)
    return True


@lru_cache(maxsize=1024)
def wildcard_segments(text: str) -> tuple[str, ...] | None:
    """The literal runs of a wildcard value, split at its stars (``\\*`` is a star,
    ``\\\\`` a backslash); None if it is malformed (consecutive stars, a stray backslash)."""
    segments = [""]
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            if index + 1 >= len(text) or text[index + 1] not in "*\\":
                return None
            segments[-1] += text[index + 1]
            index += 2
            continue
        if char == "*":
            if index > 0 and text[index - 1] == "*" and not _escaped(text, index - 1):
                return None  # consecutive wildcards are not allowed
            segments.append("")
        else:
            segments[-1] += char
        index += 1
    return tuple(segments)


def _escaped(text: str, index: int) -> bool:
    """Whether the character at ``index`` follows an odd run of backslashes."""
    run = 0
    while index - 1 - run >= 0 and text[index - 1 - run] == "\\":
        run += 1
    return run % 2 == 1


NUMERIC_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<": lambda value, bound: value < bound,
    "<=": lambda value, bound: value <= bound,
    "=": lambda value, bound: value == bound,
    ">=": lambda value, bound: value >= bound,
    ">": lambda value, bound: value > bound,
}


def numeric(argument: Any, value: Any) -> bool:
    if not is_number(value) or abs(value) > NUMERIC_LIMIT or not isinstance(argument, list):
        return False
    if len(argument) % 2 or not argument:
        return False
    for comparison, bound in zip(argument[0::2], argument[1::2], strict=True):
        compare = NUMERIC_COMPARISONS.get(comparison) if isinstance(comparison, str) else None
        if compare is None or not is_number(bound) or not compare(float(value), float(bound)):
            return False
    return True


def cidr(argument: Any, value: Any) -> bool:
    if not isinstance(argument, str) or not isinstance(value, str):
        return False
    try:
        network = ipaddress.ip_network(argument, strict=False)
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return address.version == network.version and address in network


def anything_but(argument: Any, value: Any) -> bool:
    """Anything but a value, a list of values, or what a nested string operator matches."""
    if isinstance(argument, dict):
        if len(argument) != 1:
            return False
        ((operator, inner),) = argument.items()
        exclude = ANYTHING_BUT_OPERATORS.get(operator)
        if exclude is None:
            return False
        if not isinstance(value, str):
            return True
        options = [inner] if operator in ("prefix", "suffix") else _strings(inner)
        return options is not None and not any(exclude(option, value) for option in options)
    excluded = argument if isinstance(argument, list) else [argument]
    return not any(equal(item, value) for item in excluded)


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "prefix": prefix,
    "suffix": suffix,
    "equals-ignore-case": equals_ignore_case,
    "wildcard": wildcard,
    "numeric": numeric,
    "cidr": cidr,
    "anything-but": anything_but,
}
# ``exists`` is in :func:`matcher_accepts`: it is about the field, not about one value.
ALL_OPERATORS = (*OPERATORS, "exists")
ANYTHING_BUT_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "prefix": prefix,
    "suffix": suffix,
    "equals-ignore-case": equals_ignore_case,
    "wildcard": wildcard,
}
