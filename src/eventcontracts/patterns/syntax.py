"""Is an event pattern well formed? What EventBridge rejects with InvalidEventPatternException.

Each problem comes with a JSON pointer into the pattern. The checks follow the operators'
documented shapes (https://docs.aws.amazon.com/eventbridge/latest/userguide/
eb-create-pattern-operators.html and aws/event-ruler's RuleCompiler): an object at the top,
every field an object or a non-empty array, every array entry an exact value (string, number,
boolean, null) or an object with exactly one known operator whose argument has its shape.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from eventcontracts.patterns.matcher import (
    MAX_NESTING,
    NUMERIC_COMPARISONS,
    NUMERIC_LIMIT,
    OR_KEY,
    is_number,
    nesting,
    wildcard_segments,
)
from eventcontracts.schema.pointer import escape_token

LOWER_BOUNDS = (">", ">=")
UPPER_BOUNDS = ("<", "<=")


@dataclass(frozen=True)
class SyntaxProblem:
    pointer: str  # into the pattern
    message: str


def pattern_problems(pattern: Any) -> list[SyntaxProblem]:
    """Every reason EventBridge would refuse ``pattern``; empty when it is well formed."""
    if not isinstance(pattern, dict):
        return [SyntaxProblem("", f"an event pattern is a JSON object, not {_kind(pattern)}")]
    if nesting(pattern) > MAX_NESTING:
        return [SyntaxProblem("", f"the pattern is nested more than {MAX_NESTING} levels deep")]
    return list(_object(pattern, ""))


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if is_number(value):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _object(pattern: dict[str, Any], pointer: str) -> Iterator[SyntaxProblem]:
    if not pattern:
        yield SyntaxProblem(pointer, "empty objects are not allowed: name at least one field")
    for key, value in pattern.items():
        here = f"{pointer}/{escape_token(key)}"
        if key == OR_KEY:
            yield from _or(value, here)
        elif isinstance(value, dict):
            yield from _object(value, here)
        elif isinstance(value, list):
            yield from _field(value, here)
        else:
            yield SyntaxProblem(
                here,
                f"{key!r} is {_kind(value)}; a pattern field is an array of values, "
                f"e.g. [{_json(value)}], or an object of fields",
            )


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


def _or(value: Any, pointer: str) -> Iterator[SyntaxProblem]:
    if not isinstance(value, list) or len(value) < 2:
        yield SyntaxProblem(pointer, "$or takes an array of at least two pattern objects")
        return
    for index, alternative in enumerate(value):
        if isinstance(alternative, dict):
            yield from _object(alternative, f"{pointer}/{index}")
        else:
            yield SyntaxProblem(
                f"{pointer}/{index}", f"$or alternatives are objects, not {_kind(alternative)}"
            )


def _field(matchers: list[Any], pointer: str) -> Iterator[SyntaxProblem]:
    if not matchers:
        yield SyntaxProblem(pointer, "empty arrays are not allowed: list at least one value")
    for index, matcher in enumerate(matchers):
        here = f"{pointer}/{index}"
        if isinstance(matcher, dict):
            yield from _matcher(matcher, here)
        elif isinstance(matcher, list):
            yield SyntaxProblem(here, "arrays inside a field's array are not allowed")


def _matcher(matcher: dict[str, Any], pointer: str) -> Iterator[SyntaxProblem]:
    if len(matcher) != 1:
        yield SyntaxProblem(
            pointer,
            f"a matcher object holds exactly one operator, found {len(matcher)} "
            f"({', '.join(map(repr, matcher)) or 'none'}); put alternatives in the array",
        )
        return
    ((operator, argument),) = matcher.items()
    check = ARGUMENT_CHECKS.get(operator)
    if check is None:
        known = ", ".join(sorted(ARGUMENT_CHECKS))
        yield SyntaxProblem(
            f"{pointer}/{escape_token(operator)}",
            f"unknown operator {operator!r}; EventBridge knows {known}",
        )
        return
    problem = check(argument)
    if problem:
        yield SyntaxProblem(f"{pointer}/{escape_token(operator)}", f"{operator}: {problem}")


# -- one check per operator: the problem with its argument, or None -------------------------


def _string_or_ignore_case(argument: Any) -> str | None:
    if isinstance(argument, str):
        return None
    if isinstance(argument, dict) and list(argument) == ["equals-ignore-case"]:
        return (
            None
            if isinstance(argument["equals-ignore-case"], str)
            else ("equals-ignore-case takes a string")
        )
    return 'takes a string, or {"equals-ignore-case": "..."}'


def _string(argument: Any) -> str | None:
    return None if isinstance(argument, str) else f"takes a string, not {_kind(argument)}"


def _wildcard(argument: Any) -> str | None:
    if not isinstance(argument, str):
        return f"takes a string, not {_kind(argument)}"
    if wildcard_segments(argument) is None:
        return (
            f"{argument!r} is not a valid wildcard: no consecutive '*', and a backslash only "
            "escapes '*' or '\\'"
        )
    return None


def _exists(argument: Any) -> str | None:
    return None if isinstance(argument, bool) else "takes true or false"


def _cidr(argument: Any) -> str | None:
    if not isinstance(argument, str):
        return f'takes a string such as "10.0.0.0/24", not {_kind(argument)}'
    try:
        ipaddress.ip_network(argument, strict=False)
    except ValueError:
        return f"{argument!r} is not an IPv4 or IPv6 address range (CIDR), e.g. 10.0.0.0/24"
    return None


def _numeric(argument: Any) -> str | None:
    usage = 'takes [">", 0, "<=", 5]: one or two comparisons, each an operator and a number'
    if not isinstance(argument, list) or not argument or len(argument) % 2 or len(argument) > 4:
        return usage
    comparisons = argument[0::2]
    bounds = argument[1::2]
    for comparison, bound in zip(comparisons, bounds, strict=True):
        if comparison not in NUMERIC_COMPARISONS:
            return f"{comparison!r} is not a comparison; use one of < <= = >= >"
        if not is_number(bound):
            return f"{_json(bound)} after {comparison!r} is not a number"
        if abs(bound) > NUMERIC_LIMIT:
            return f"{_json(bound)} is out of range; EventBridge compares numbers within +-5.0e9"
    if len(comparisons) == 2:
        lower = [bound for c, bound in zip(comparisons, bounds, strict=True) if c in LOWER_BOUNDS]
        upper = [bound for c, bound in zip(comparisons, bounds, strict=True) if c in UPPER_BOUNDS]
        if len(lower) != 1 or len(upper) != 1:
            return "two comparisons make a range: one of > >= and one of < <="
        if lower[0] >= upper[0]:
            return f"the range is empty: {lower[0]} is not below {upper[0]}"
    return None


def _anything_but(argument: Any) -> str | None:
    if isinstance(argument, str) or is_number(argument):
        return None
    if isinstance(argument, list):
        if not argument:
            return "takes a non-empty list"
        if all(isinstance(item, str) for item in argument):
            return None
        if all(is_number(item) for item in argument):
            return None
        return "a list holds only strings or only numbers"
    if isinstance(argument, dict):
        if len(argument) != 1:
            return "takes one nested operator: prefix, suffix, equals-ignore-case or wildcard"
        ((operator, inner),) = argument.items()
        if operator in ("prefix", "suffix"):
            problem = _string(inner)
        elif operator in ("equals-ignore-case", "wildcard"):
            items = inner if isinstance(inner, list) else [inner]
            if not items:
                return f"{operator} takes a string or a non-empty list of strings"
            check = _wildcard if operator == "wildcard" else _string
            problem = next((p for p in map(check, items) if p), None)
        else:
            return (
                f"{operator!r} cannot be nested in anything-but; use prefix, suffix, "
                "equals-ignore-case or wildcard"
            )
        return f"{operator} {problem}" if problem else None
    return (
        f"takes a string, a number, a list of either, or a nested operator, not {_kind(argument)}"
    )


ARGUMENT_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "prefix": _string_or_ignore_case,
    "suffix": _string_or_ignore_case,
    "equals-ignore-case": _string,
    "wildcard": _wildcard,
    "numeric": _numeric,
    "cidr": _cidr,
    "exists": _exists,
    "anything-but": _anything_but,
}
