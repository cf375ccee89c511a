"""From a :class:`Shape` to a strategy: one builder per JSON type.

Every builder draws only values the shape accepts. Where a constraint is cheaper to check than
to build in (a second pattern, a float ``multipleOf``, ``maxProperties``), a filter does it;
the filters are chosen so that they almost never reject.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from eventcontracts.contract.strategies.context import Context
from eventcontracts.contract.strategies.formats import FORMATS
from eventcontracts.contract.strategies.regex import matching
from eventcontracts.contract.strategies.shape import Fallback, Piece, Shape
from eventcontracts.contract.strategies.text import ASCII_PRINTABLE, PRINTABLE, free_text
from eventcontracts.errors import EventContractsError
from eventcontracts.safe_regex import SchemaRegex, compile_pattern
from eventcontracts.schema.canonical import canonical

Strategy = st.SearchStrategy[Any]
Compile = Callable[[list[Piece]], "Strategy | None"]
# Envelope fields filled the way EventBridge fills them: name -> (typical value, strategy).
Overrides = dict[str, tuple[Any, Callable[[], Strategy]]]

# Integers without bounds stay where JSON parsers agree on them (IEEE doubles are exact).
SAFE_INTEGER = 2**53 - 1
_INTEGER_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
# Hypothesis gives up on a value nested more than 100 draws deep; a realistic object costs
# about four per level, a plain one about two, so objects below this depth are drawn plainly.
REALISTIC_OBJECT_DEPTH = 8
# The most items or characters a drawn value needs: beyond it, sampling refuses in one line.
MAX_DRAWN_SIZE = 10_000
# How far past minItems an array grows: enough to vary, small enough to stay fast.
_EXTRA_ITEMS = {False: 3, True: 2}
# Escapes and characters that ask for control characters: the pattern keeps the full alphabet.
_JUST = type(st.just(None))
_CONTROL_IN_PATTERN = re.compile(r"\\[tnrfvaexuUNc0-9]|[\x00-\x1f\x7f]")


def any_json(realistic: bool) -> Strategy:
    """A value of a schema that says nothing: small, and printable."""
    if realistic:
        return free_text(0, None, realistic=True)
    scalars = st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(PRINTABLE, max_size=8)
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(PRINTABLE, max_size=6), inner, max_size=3)
        ),
        max_leaves=5,
    )


def build(
    shape: Shape, compile: Compile, context: Context, overrides: Overrides | None = None
) -> Strategy | None:
    types = shape.types if shape.types is not None else _inferred(shape)
    if types is None:
        return any_json(context.realistic)
    built = [
        strategy
        for name in types
        if (strategy := BUILDERS[name](shape, compile, context, overrides)) is not None
    ]
    if not built:
        return None
    return built[0] if len(built) == 1 else st.one_of(built)


def _inferred(shape: Shape) -> list[str] | None:
    """A schema without ``type``: the types its keywords are about (any type would do, but a
    producer sends what the schema describes)."""
    ordered: list[str] = [
        name for name in ("object", "array", "string", "number") if name in shape.mentioned
    ]
    return ordered or None


def _null(
    shape: Shape, compile: Compile, context: Context, overrides: Overrides | None
) -> Strategy:
    return st.none()


def _boolean(
    shape: Shape, compile: Compile, context: Context, overrides: Overrides | None
) -> Strategy:
    return st.booleans()


# strings


def _string(
    shape: Shape, compile: Compile, context: Context, overrides: Overrides | None
) -> Strategy | None:
    low, high = shape.min_length, shape.max_length
    _refuse_size(context, "a string", "characters (minLength)", low)
    if high is not None and high < low:
        return None
    known = [name for name in shape.formats if name in FORMATS]
    if len(known) > 1:
        raise Fallback(f"formats {known}")
    checks: list[str] = list(shape.patterns)
    if known:
        base = FORMATS[known[0]](context.realistic)
    elif checks:
        base = _regex(checks.pop(0), context.realistic)
    else:
        return free_text(low, high, realistic=context.realistic)
    compiled = [_compile_pattern(pattern) for pattern in checks]
    if not compiled and low == 0 and high is None:
        return base

    def fits(text: str) -> bool:
        return (
            low <= len(text)
            and (high is None or len(text) <= high)
            and all(pattern.search(text) for pattern in compiled)
        )

    return base.filter(fits)


def _compile_pattern(pattern: str) -> SchemaRegex:
    """The pattern as validators evaluate it (RE2; Python's re under a budget)."""
    try:
        return compile_pattern(pattern)
    except (re.error, RecursionError, OverflowError):
        raise Fallback(f"pattern {pattern!r}") from None


def _regex(pattern: str, realistic: bool) -> Strategy:
    """Strings the whole of which match (so ``re.search``, what validators use, finds it)."""
    _compile_pattern(pattern)
    if _CONTROL_IN_PATTERN.search(pattern):
        return matching(pattern, realistic)
    alphabet = ASCII_PRINTABLE if realistic and pattern.isascii() else PRINTABLE
    return matching(pattern, realistic, alphabet)


# numbers


def _is_multiple(value: int | float, divisor: int | float) -> bool:
    """python-jsonschema's multipleOf, to the bit."""
    if isinstance(divisor, float):
        quotient = value / divisor
        try:
            return int(quotient) == quotient
        except OverflowError:
            return (Fraction(value) / Fraction(divisor)).denominator == 1
    return not value % divisor


def _integer_range(shape: Shape, context: Context) -> tuple[int, int] | None:
    low = high = None
    if shape.lower is not None:
        value = shape.lower.value
        low = math.floor(value) + 1 if shape.lower.exclusive else math.ceil(value)
    if shape.upper is not None:
        value = shape.upper.value
        high = math.ceil(value) - 1 if shape.upper.exclusive else math.floor(value)
    for name in shape.formats:
        if name in _INTEGER_FORMATS:
            first, last = _INTEGER_FORMATS[name]
            low = first if low is None else max(low, first)
            high = last if high is None else min(high, last)
    if context.realistic:
        low, high = _realistic_window(low, high)
    else:
        low = -SAFE_INTEGER if low is None else low
        high = (max(low, 0) + SAFE_INTEGER) if high is None else high
    return (low, high) if low <= high else None


def _realistic_window(low: int | None, high: int | None) -> tuple[int, int]:
    """Where realistic numbers live: 0 to 1000, moved to meet the schema's bounds."""
    if low is None:
        low = 0 if high is None or high >= 1000 else high - 1000
    if high is None:
        high = low + 1000
    return low, high


def _integer(
    shape: Shape, compile: Compile, context: Context, overrides: Overrides | None
) -> Strategy | None:
    window = _integer_range(shape, context)
    if window is None:
        return None
    low, high = window
    whole = [m for m in shape.multiples if isinstance(m, int)]
    fractional = [m for m in shape.multiples if not isinstance(m, int)]
    if whole:
        step = math.lcm(*whole)
        first, last = -(-low // step), high // step
        if first > last:
            return None
        base: Strategy = st.integers(first, last).map(lambda k: k * step)
    else:
        base = st.integers(low, high)
    if fractional:
        return base.filter(lambda value: all(_is_multiple(value, m) for m in fractional))
    return base


def _number(
    shape: Shape, compile: Compile, context: Context, overrides: Overrides | None
) -> Strategy | None:
    if shape.multiples and all(isinstance(m, int) for m in shape.multiples):
        return _integer(shape, compile, context, overrides)
    if shape.multiples:
        return _float_multiples(shape, context)
    integers = _integer(shape, compile, context, overrides)
    floats = _floats(shape, context)
    options = [strategy for strategy in (floats, integers) if strategy is not None]
    if not options:
        return None
    return options[0] if len(options) == 1 else st.one_of(options)


def _within(shape: Shape, value: float) -> bool:
    lower, upper = shape.lower, shape.upper
    if lower is not None and (value < lower.value or (lower.exclusive and value == lower.value)):
        return False
    return not (
        upper is not None and (value > upper.value or (upper.exclusive and value == upper.value))
    )


def _floats(shape: Shape, context: Context) -> Strategy | None:
    low = None if shape.lower is None else float(shape.lower.value)
    high = None if shape.upper is None else float(shape.upper.value)
    if low is not None and high is not None and (low > high or (low == high and (
        (shape.lower is not None and shape.lower.exclusive) or (shape.upper is not None
        and shape.upper.exclusive)))):  # fmt: skip
        return None
    if context.realistic:
        # Amounts with cents: what prices, totals and measurements look like.
        window_low, window_high = _realistic_window(
            None if low is None else math.ceil(low), None if high is None else math.floor(high)
        )
        if window_low < window_high:
            cents = st.integers(window_low * 100, window_high * 100).map(lambda c: c / 100)
            return cents.filter(lambda value: _within(shape, value))
    return st.floats(
        min_value=low,
        max_value=high,
        exclude_min=shape.lower is not None and shape.lower.exclusive,
        exclude_max=shape.upper is not None and shape.upper.exclusive,
        allow_nan=False,
        allow_infinity=False,
    )


def _float_multiples(shape: Shape, context: Context) -> Strategy | None:
    """k times the first divisor, checked against every divisor the way validators check."""
    step = shape.multiples[0]
    window = _integer_range(
        Shape(
            lower=None
            if shape.lower is None
            else type(shape.lower)(shape.lower.value / step, False),
            upper=None
            if shape.upper is None
            else type(shape.upper)(shape.upper.value / step, False),
        ),
        context,
    )
    if window is None:
        return None
    low, high = window
    return (
        st.integers(low, high)
        .map(lambda k: k * step)
        .filter(
            lambda value: (
                _within(shape, value) and all(_is_multiple(value, m) for m in shape.multiples)
            )
        )
    )


# arrays


def _array(
    shape: Shape, compile: Compile, context: Context, overrides: Overrides | None
) -> Strategy | None:
    low, high = shape.min_items, shape.max_items
    _refuse_size(context, "an array", "items (minItems)", low)
    rules = shape.array_rules
    prefix_length = max((len(rule.prefix) for rule in rules), default=0)
    for rule in rules:
        if rule.rest is not None and rule.rest.schema is False:
            high = len(rule.prefix) if high is None else min(high, len(rule.prefix))
    positions: list[Strategy] = []
    for index in range(prefix_length):
        if high is not None and index >= high:
            break
        pieces = [
            rule.prefix[index] if index < len(rule.prefix) else rule.rest
            for rule in rules
            if index < len(rule.prefix) or rule.rest is not None
        ]
        strategy = compile([piece for piece in pieces if piece is not None])
        if strategy is None:
            high = index
            break
        positions.append(strategy)
    rest: Strategy | None = None
    if high is None or high > len(positions):
        rest = compile([rule.rest for rule in rules if rule.rest is not None])
        if rest is None or len(positions) < prefix_length:
            high = len(positions)
    if high is not None and high < low:
        return None
    extra = _EXTRA_ITEMS[context.realistic]
    most = low + extra if high is None else min(high, low + extra)
    fewest = max(low, 1) if context.realistic and most >= 1 else low
    # Items unique as JSON Schema compares them: 1 and 1.0 are one value, true and 1 two.
    unique = canonical if shape.unique_items else None
    if not positions:
        assert rest is not None or most == 0
        return st.lists(
            rest if rest is not None else st.nothing(),
            min_size=fewest,
            max_size=most,
            unique_by=unique,
        )

    def assemble(size: int) -> Strategy:
        head = st.tuples(*positions[:size])
        tail = st.lists(rest, min_size=size - len(positions), max_size=size - len(positions)) if (
            rest is not None and size > len(positions)) else st.just([])  # fmt: skip
        return st.tuples(head, tail).map(lambda parts: [*parts[0], *parts[1]])

    drawn = st.integers(fewest, most).flatmap(assemble)
    if unique is None:
        return drawn
    return drawn.filter(lambda items: len({canonical(item) for item in items}) == len(items))


# objects


def _constraints(shape: Shape, name: str) -> list[Piece]:
    found: list[Piece] = []
    for rule in shape.object_rules:
        matched = False
        if name in rule.properties:
            found.append(rule.properties[name])
            matched = True
        for pattern, piece in rule.patterns:
            if _compile_pattern(pattern).search(name):
                found.append(piece)
                matched = True
        if not matched and rule.additional is not None:
            found.append(rule.additional)
    return found


def _refuse_size(context: Context, what: str, unit: str, low: int) -> None:
    """A value too big to draw (``minItems: 1e8`` is 1.4 GB of JSON) is one line, not a hang."""
    if low > MAX_DRAWN_SIZE:
        raise EventContractsError(
            f"{context.version.path}: {what} of {context.version.schema_name} "
            f"v{context.version.version} needs at least {low:,} {unit}; samples are drawn "
            f"with at most {MAX_DRAWN_SIZE:,}: lower the bound to sample this version"
        )


def _object(
    shape: Shape, compile: Compile, context: Context, overrides: Overrides | None
) -> Strategy | None:
    overrides = overrides or {}
    names = list(overrides)
    for rule in shape.object_rules:
        names.extend(rule.properties)
    names.extend(shape.required)
    names = list(dict.fromkeys(names))
    required: dict[str, Strategy] = {}
    optional: dict[str, Strategy] = {}
    context.object_depth += 1
    try:
        for name in names:
            constraints = _constraints(shape, name)
            strategy = _override(name, overrides, constraints, context)
            if strategy is None:
                strategy = compile(constraints)
            if strategy is None:
                if name in shape.required:
                    return None
                continue
            if name in shape.required or name in overrides:
                required[name] = strategy
            else:
                optional[name] = strategy
    finally:
        context.object_depth -= 1
    if shape.max_properties is not None and len(required) > shape.max_properties:
        return None
    order = {name: index for index, name in enumerate(names)}
    # Constants (the envelope's source and detail-type, a one-value enum) cost no draw: they
    # are put in when the object is assembled.
    constants = {
        name: strategy.value  # type: ignore[attr-defined]
        for name, strategy in required.items()
        if isinstance(strategy, _JUST)
    }
    required = {name: s for name, s in required.items() if name not in constants}

    def in_order(value: dict[str, Any]) -> dict[str, Any]:
        value = {**value, **constants}
        return dict(sorted(value.items(), key=lambda item: order[item[0]]))

    if context.realistic and optional and context.object_depth < REALISTIC_OBJECT_DEPTH:
        # Samples show what a full event looks like: each optional property is left out
        # about one time in four.
        dropped = st.lists(
            st.sampled_from(sorted(optional)), max_size=max(1, len(optional) // 4), unique=True
        )
        drawn = st.tuples(st.fixed_dictionaries({**required, **optional}), dropped).map(
            lambda parts: in_order({k: v for k, v in parts[0].items() if k not in parts[1]})
        )
    else:
        drawn = st.fixed_dictionaries(required, optional=optional).map(in_order)
    needs_check = (
        shape.min_properties > len(required)
        or (shape.max_properties is not None and shape.max_properties < len(names))
        or shape.dependent_required
    )
    if not needs_check:
        return drawn
    return drawn.filter(lambda value: _counts_and_dependencies(shape, value))


def _counts_and_dependencies(shape: Shape, value: dict[str, Any]) -> bool:
    if len(value) < shape.min_properties:
        return False
    if shape.max_properties is not None and len(value) > shape.max_properties:
        return False
    return all(
        all(needed in value for needed in needs)
        for name, needs in shape.dependent_required.items()
        if name in value
    )


def _override(
    name: str, overrides: Overrides, constraints: Sequence[Piece], context: Context
) -> Strategy | None:
    """The envelope field's own strategy, where the version's schema accepts its typical value."""
    if name not in overrides:
        return None
    typical, make = overrides[name]
    if all(context.validator(piece.schema, piece.scope).is_valid(typical) for piece in constraints):
        return make()
    return None


BUILDERS: dict[str, Callable[[Shape, Compile, Context, Overrides | None], Strategy | None]] = {
    "null": _null,
    "boolean": _boolean,
    "object": _object,
    "array": _array,
    "number": _number,
    "integer": _integer,
    "string": _string,
}
