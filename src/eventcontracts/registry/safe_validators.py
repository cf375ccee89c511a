"""jsonschema validators whose regular expressions run in linear time.

python-jsonschema evaluates ``pattern``, ``patternProperties`` and the ``additionalProperties``
that depends on them with ``re.search``: a backtracking engine, so a hostile pattern hangs
whatever validates with it (lint's example checks, compat's counterexamples, contract tests).
:func:`safe_validator_class` extends a dialect's class with those three keywords evaluated by
:mod:`eventcontracts.safe_regex` (RE2, ECMA-262's semantics). A pattern that cannot be told
(no engine reads it, or it ran out of its budget) is a validation error, never a hang.

Known limit: ``unevaluatedProperties`` (2019-09, 2020-12) still asks jsonschema which keys a
``patternProperties`` evaluated; lint reports every pattern that is not linear-time (L110).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any, cast

import attrs
from jsonschema import validators
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from eventcontracts.safe_regex import RegexBudgetExceeded, compile_pattern

__all__ = ["UndecidedPattern", "safe_validator_class"]


class UndecidedPattern(Exception):
    """Why a pattern could not be evaluated; the ``cause`` of the ValidationError it makes."""


def _matches(pattern: str, text: str) -> bool | UndecidedPattern:
    try:
        return compile_pattern(pattern).search(text)
    except RegexBudgetExceeded as exc:
        return UndecidedPattern(str(exc))
    except (re.error, RecursionError, OverflowError) as exc:
        return UndecidedPattern(f"pattern {pattern!r} is not a valid regular expression ({exc})")


def _undecided(reason: UndecidedPattern) -> ValidationError:
    return ValidationError(str(reason), cause=reason)


def _pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "string") or not isinstance(pattern, str):
        return
    matched = _matches(pattern, instance)
    if isinstance(matched, UndecidedPattern):
        yield _undecided(matched)
    elif not matched:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object") or not isinstance(patterns, dict):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            matched = _matches(pattern, key)
            if isinstance(matched, UndecidedPattern):
                yield _undecided(matched)
            elif matched:
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_properties(
    validator: Any, additional: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """jsonschema's additionalProperties, with its patternProperties test made safe."""
    if not validator.is_type(instance, "object"):
        return
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    extras = []
    for key in instance:
        if key in properties:
            continue
        covered = False
        for pattern in patterns:
            matched = _matches(pattern, key)
            if isinstance(matched, UndecidedPattern):
                yield _undecided(matched)
                covered = True  # reported already; not again as an extra
                break
            if matched:
                covered = True
                break
        if not covered:
            extras.append(key)
    if validator.is_type(additional, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], additional, path=extra)
    elif not additional and extras:
        listed = ", ".join(repr(extra) for extra in sorted(extras, key=str))
        if patterns:
            verb = "does" if len(extras) == 1 else "do"
            joined = ", ".join(repr(each) for each in sorted(patterns))
            yield ValidationError(f"{listed} {verb} not match any of the regexes: {joined}")
        else:
            verb = "was" if len(extras) == 1 else "were"
            message = f"Additional properties are not allowed ({listed} {verb} unexpected)"
            yield ValidationError(message)


@cache
def safe_validator_class(cls: type[Validator]) -> type[Validator]:
    """``cls`` with its regex keywords evaluated by RE2 (the same class for the same ``cls``)."""
    if getattr(cls, "_LINEAR_TIME_REGEXES", False):
        return cls
    extended: Any = validators.extend(  # type: ignore[no-untyped-call]
        cls,
        validators={
            "pattern": _pattern,
            "patternProperties": _pattern_properties,
            "additionalProperties": _additional_properties,
        },
    )
    extended._LINEAR_TIME_REGEXES = True
    # jsonschema's evolve picks the class of a subschema's $schema (a $ref into a draft-04
    # document makes a plain Draft4Validator): the safe keywords must survive that switch.
    extended.evolve = _evolve
    return cast("type[Validator]", extended)


def _evolve(self: Any, **changes: Any) -> Validator:
    schema = changes.setdefault("schema", self.schema)
    new_class = safe_validator_class(validators.validator_for(schema, default=type(self)))
    for each in attrs.fields(type(self)):
        if each.init and each.alias not in changes:
            changes[each.alias] = getattr(self, each.name)
    return new_class(**changes)
