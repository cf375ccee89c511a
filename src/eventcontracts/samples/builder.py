"""A realistic value of an inlined schema, built directly: what a reader of the catalog and of
``eventcontracts sample`` should see as a typical event.

Unlike compat's minimal builder (:func:`eventcontracts.compat.examples.build_example`, the base
of counterexamples: required properties only, the smallest values), this one shows the whole
shape: every property, optional ones too (to :data:`OPTIONAL_DEPTH`), an item or a few per
array, and values that read like data. What it takes, in order:

1. a value given for the place (the envelope's fields: :class:`Realistic` ``given``);
2. the schema's own words: ``examples``, OpenAPI's ``example``, ``default``, ``const``,
   ``enum``;
3. the format's value, a ``pattern``'s readable match (:mod:`eventcontracts.schema.regex_example`,
   else compat's search ``matching``), what the property's name says it holds
   (:mod:`eventcontracts.samples.names`) for a value the schema says nothing of;
4. bounds respected (lengths, minimum/maximum, exclusive either way, ``multipleOf``).

Where there is a choice (which example, which enum value, which first name, how many items),
the build's :class:`~eventcontracts.samples.choices.Fixed` choices make it: the first of each
for the catalog, drawn from a seeded RNG for ``sample``. Accounts, regions and times come from
the event's :class:`~eventcontracts.samples.scene.Scene`, so the detail agrees with the envelope.

The builder does not validate as it goes (that is the fast path, microseconds per property):
the caller validates the whole value and, where it fails, builds again *carefully* at the
failing places (``careful``): there every candidate and every ``anyOf``/``oneOf`` option is
checked against its own subschema with ``accepts`` before it is taken.

Hostile schemas cost bounded work: :data:`MAX_DEPTH` levels, :data:`MAX_NODES` values, at most
:data:`MAX_ITEMS` items per array; :class:`TooLarge` says the budget ran out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from eventcontracts import safe_regex
from eventcontracts.compat.examples import MISSING, matching
from eventcontracts.samples import choices as typical
from eventcontracts.samples.choices import Fixed
from eventcontracts.samples.names import (
    Place,
    format_value,
    moment_of,
    number_hint,
    string_hint,
    words_of,
)
from eventcontracts.samples.scene import FIXED_SCENE, Scene
from eventcontracts.schema.regex_example import regex_example

# What the inliner puts where recursion is cut or a ref does not resolve: not a schema to
# build from. An optional property there is left out; a required one fails the build.
CUT_KEY = "x-eventcontracts-cut"
CUT: dict[str, Any] = {CUT_KEY: True}

MAX_DEPTH = 24  # below this, nothing is built (compat's builder stops at the same depth)
OPTIONAL_DEPTH = 8  # below this, optional properties are left out: the shape stays readable
MAX_NODES = 5_000  # values built per event
MAX_ITEMS = 100  # an array needing more items than this (minItems) gets no example
MAX_TEXT = 10_000  # a string needing more characters than this (minLength) gets no example

Path = tuple[str | int, ...]
Bound = tuple[float, bool] | None  # a number bound, and whether the bound itself is excluded
Accepts = Callable[[Any, Any], bool]

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")
# A string the schema and its name say nothing of: "example" and the name's words.
_PLAIN_PREFIX = "example"


class TooLarge(Exception):
    """The schema needs more work than one example is worth (hostile or absurd)."""


def is_cut(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get(CUT_KEY) is True


@dataclass
class Realistic:
    """One build of a value. ``given``: values for exact places (the envelope's fields);
    ``careful``: places (and everything below them) where each choice is checked with
    ``accepts(schema, value)``; ``everywhere_careful``: every place is; ``seed``: what the fixed
    build derives ids from (the schema and version), so one event's ids differ and repeat
    across runs; ``choices`` who chooses (fixed or seeded); ``scene`` the event's account,
    region and moment; ``source`` the event's (the service of its ARNs)."""

    seed: str
    accepts: Accepts
    given: dict[Path, Any] = field(default_factory=dict)
    careful: set[Path] = field(default_factory=set)
    everywhere_careful: bool = False
    choices: Fixed = field(default_factory=Fixed)
    scene: Scene = FIXED_SCENE
    source: str = ""
    nodes: int = 0

    def place(self, path: Path) -> Place:
        source = self.source or self.seed.split("@", 1)[0]
        return Place(self.choices, self.scene, source, self.seed, path)

    def build(self, schema: Any) -> Any:
        """A value of ``schema`` (refs inlined), or MISSING; raises TooLarge."""
        return self.value(schema, (), None, 0)

    def _is_careful(self, path: Path) -> bool:
        if self.everywhere_careful:
            return True
        if not self.careful:
            return False  # the fast path: most builds
        return any(path[: len(place)] == place for place in self.careful)

    def value(self, schema: Any, path: Path, name: str | None, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise TooLarge("more values than one example is worth")
        if depth > MAX_DEPTH or schema is False or is_cut(schema):
            return MISSING
        careful = self._is_careful(path)
        if path in self.given:
            candidate = self.given[path]
            if not careful or self.accepts(schema, candidate):
                return candidate
        if schema is True or schema == {}:
            hint = _string_hint(self, name, path)
            return hint if hint is not None else _plain_text(name)
        if not isinstance(schema, dict):
            return MISSING
        for candidate in _own_values(schema, self.choices):
            if (self.accepts(schema, candidate)) if careful else _plausible(schema, candidate):
                return candidate
        for combinator in ("anyOf", "oneOf"):
            options = schema.get(combinator)
            if isinstance(options, list):
                return self._one_of(schema, combinator, options, path, name, depth, careful)
        if isinstance(schema.get("allOf"), list):
            merged = {key: value for key, value in schema.items() if key != "allOf"}
            for part in schema["allOf"]:
                if part is False or is_cut(part):
                    return MISSING
                merged = merge(merged, part)
            return self.value(merged, path, name, depth + 1)
        kind = _kind(schema)
        built = _BUILDERS[kind](self, schema, path, name, depth)
        if careful and built is not MISSING and not self.accepts(schema, built):
            return self._carefully(schema, kind, built, path, name, depth)
        return built

    def _one_of(
        self,
        schema: dict[str, Any],
        combinator: str,
        options: list[Any],
        path: Path,
        name: str | None,
        depth: int,
        careful: bool,
    ) -> Any:
        rest = {key: value for key, value in schema.items() if key != combinator}
        # A value rather than null: ``anyOf: [X, {type: null}]`` is how "nullable X" is written.
        ordered = sorted(options, key=_is_null_only)
        for option in ordered:
            if option is False or is_cut(option):
                continue
            built = self.value(merge(rest, option), path, name, depth + 1)
            if built is not MISSING and (not careful or self.accepts(schema, built)):
                return built
        return MISSING

    def _carefully(
        self, schema: dict[str, Any], kind: str, built: Any, path: Path, name: str | None,
        depth: int,
    ) -> Any:  # fmt: skip
        """A careful build that its schema rejects: the plainer choices, checked."""
        if kind == "object" and isinstance(built, dict):
            required = [key for key in _required(schema) if key in built]
            plainer = {key: built[key] for key in required}
            if self.accepts(schema, plainer):
                return plainer
        if kind == "string":
            for candidate in _string_candidates(self, schema, path, name, plain=True):
                if self.accepts(schema, candidate):
                    return candidate
        return built  # no better idea: the caller's validation has the last word

    # objects and arrays

    def object(self, schema: dict[str, Any], path: Path, name: str | None, depth: int) -> Any:
        declared = schema.get("properties")
        properties: dict[str, Any] = declared if isinstance(declared, dict) else {}
        required = _required(schema)
        # The properties as the author wrote them, then required ones not among them.
        names = [*properties, *(key for key in required if key not in properties)]
        limit = schema.get("maxProperties")
        optional_room = (
            max(0, limit - len(required))
            if isinstance(limit, int) and not isinstance(limit, bool)
            else None
        )
        value: dict[str, Any] = {}
        for key in names:
            needed = key in required
            if not needed and (depth >= OPTIONAL_DEPTH or optional_room == 0):
                continue
            sub = properties[key] if key in properties else _other_property(schema, key)
            built = self.value(sub, (*path, key), key, depth + 1)
            if built is MISSING:
                if needed:
                    return MISSING
                continue
            value[key] = built
            if not needed and optional_room is not None:
                optional_room -= 1
        return value

    def array(self, schema: dict[str, Any], path: Path, name: str | None, depth: int) -> Any:
        low = _least(schema.get("minItems"))
        high = _most(schema.get("maxItems"))
        if low > MAX_ITEMS:
            return MISSING
        prefix = schema.get("prefixItems", schema.get("items"))
        if isinstance(prefix, list):  # a tuple: every position shown, as far as allowed
            items = []
            for index, sub in enumerate(prefix):
                if high is not None and index >= high:
                    break
                built = self.value(sub, (*path, index), name, depth + 1)
                if built is MISSING:
                    if index < low:
                        return MISSING
                    break
                items.append(built)
            return items
        count = self.choices.items(low, high)
        item = schema.get("items", True)
        contains = schema.get("contains")
        items = []
        for index in range(count):
            sub = merge(item, contains) if index == 0 and isinstance(contains, dict) else item
            built = self.value(sub, (*path, index), name, depth + 1)
            if built is MISSING:
                return MISSING if index < low else items
            if schema.get("uniqueItems") is True and built in items:
                built = _varied(sub, built, index)
                if built is MISSING:
                    return MISSING
            items.append(built)
        return items

    # scalars

    def string(self, schema: dict[str, Any], path: Path, name: str | None, depth: int) -> Any:
        return next(_string_candidates(self, schema, path, name, plain=False), MISSING)

    def number(self, schema: dict[str, Any], path: Path, name: str | None, depth: int) -> Any:
        return self._number(schema, path, name, integer=False)

    def integer(self, schema: dict[str, Any], path: Path, name: str | None, depth: int) -> Any:
        return self._number(schema, path, name, integer=True)

    def _number(
        self, schema: dict[str, Any], path: Path, name: str | None, *, integer: bool
    ) -> Any:
        hint = number_hint(name) if name and not self._is_careful(path) else None
        epoch = int(moment_of(self.place(path)).timestamp()) if hint == "epoch" else None
        return _number(schema, self.choices, hint, integer=integer, epoch=epoch)

    def boolean(self, schema: dict[str, Any], path: Path, name: str | None, depth: int) -> Any:
        return self.choices.boolean()


def _own_values(schema: dict[str, Any], choices: Fixed) -> Iterator[Any]:
    """The values the schema itself names, the author's examples first (in the order the
    choices say: the first, or cycling with the event's index)."""
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        count = len(examples)
        yield from (
            value
            for value in choices.ordered(examples, cycle=True)
            if _shown(value, choices, count)
        )
    if "example" in schema and _shown(schema["example"], choices, 1):  # OpenAPI 3.0's one
        yield schema["example"]
    if "default" in schema:
        yield schema["default"]
    if "const" in schema:
        yield schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        # Values that are not null first: a nullable enum's real values read better.
        yield from choices.ordered([value for value in enum if value is not None], cycle=False)
        yield enum[0]


def _shown(example: Any, choices: Fixed, count: int) -> bool:
    """Whether an example is taken: an object or array example (the author's whole detail) only
    in every other round through the ``count`` examples of a seeded run, so the fields' own
    examples and the builder's values show too."""
    return not isinstance(example, (dict, list)) or choices.whole_examples(count)


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
}


def _plausible(schema: dict[str, Any], value: Any) -> bool:
    """The cheap checks a named value must pass on the fast path: const, enum, type."""
    if "const" in schema and not _equal(schema["const"], value):
        return False
    enum = schema.get("enum")
    if isinstance(enum, list) and not any(_equal(member, value) for member in enum):
        return False
    declared = schema.get("type")
    types = [declared] if isinstance(declared, str) else declared
    if isinstance(types, list):
        return any(_has_type(value, name) for name in types if isinstance(name, str))
    return True


def _has_type(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name not in ("boolean",):
        return False
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _JSON_TYPES.get(name, ()))


def _equal(one: Any, other: Any) -> bool:
    # JSON Schema equality: true is not 1.
    return type(one) is type(other) and one == other if isinstance(one, bool) else one == other


def _is_null_only(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null"


def _kind(schema: dict[str, Any]) -> str:
    declared = schema.get("type")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), declared[0] if declared else None)
    if isinstance(declared, str) and declared in _BUILDERS:
        return declared
    if any(key in schema for key in ("properties", "required", "additionalProperties")):
        return "object"
    if any(key in schema for key in ("items", "prefixItems", "minItems", "contains")):
        return "array"
    if any(key in schema for key in ("minLength", "maxLength", "pattern", "format")):
        return "string"
    if any(key in schema for key in ("minimum", "maximum", "multipleOf")):
        return "number"
    return "string"  # a schema that says nothing of its type: text reads best


def _required(schema: dict[str, Any]) -> list[str]:
    declared = schema.get("required")
    if not isinstance(declared, list):
        return []
    return list(dict.fromkeys(key for key in declared if isinstance(key, str)))


def _other_property(schema: dict[str, Any], key: str) -> Any:
    """The schema of a property ``properties`` does not declare."""
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict):
        for pattern, sub in patterns.items():
            if safe_regex.matches(pattern, key):
                return sub
    return schema.get("additionalProperties", True)


def _least(value: Any) -> int:
    """A ``min*`` keyword's count (0 when it says none)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _most(value: Any) -> int | None:
    """A ``max*`` keyword's count (None when it says none)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _varied(schema: Any, value: Any, index: int) -> Any:
    """A value like ``value`` but different, for the ``index``-th item of a unique array."""
    if isinstance(schema, dict) and isinstance(schema.get("enum"), list):
        members = schema["enum"]
        return members[index] if index < len(members) else MISSING
    if isinstance(value, str):
        return f"{value}{index}"
    if isinstance(value, int) and not isinstance(value, bool):
        return value + index
    return MISSING


# strings


def _string_hint(build: Realistic, name: str | None, path: Path) -> str | None:
    hint = string_hint(name) if name else None
    return None if hint is None else hint(build.place(path))


def _plain_text(name: str | None) -> str:
    return " ".join([_PLAIN_PREFIX, *words_of(name or "")[:4]])


def _string_candidates(
    build: Realistic, schema: dict[str, Any], path: Path, name: str | None, *, plain: bool
) -> Iterator[str]:
    """Strings for a string schema, the most telling first; each meets the pattern and the
    lengths (as far as this can tell without the validator)."""
    low = _least(schema.get("minLength"))
    high = _most(schema.get("maxLength"))
    if (high is not None and high < low) or low > MAX_TEXT:
        return
    pattern = schema.get("pattern")
    pattern = pattern if isinstance(pattern, str) else None
    formatted = (
        format_value(schema.get("format"), build.place(path))
        if not plain
        # Plain: the table's one sample (each uuid its own, from the place, otherwise).
        else format_value(schema.get("format"), Place(Fixed(), FIXED_SCENE, "", "", path))
    )
    hint = None if plain or "format" in schema else _string_hint(build, name, path)
    preferred = [text for text in (formatted, hint) if text is not None]
    if hint is not None and _DATE_TIME.match(hint):
        preferred.append(hint[:10])  # a time-named field whose pattern wants the date alone
    if pattern is None:
        for text in preferred:
            if low <= len(text) and (high is None or len(text) <= high):
                yield text
        if formatted is not None:
            return  # a format's value cut or padded is no longer of the format
        text = _plain_text(name)
        if len(text) < low:
            text = text + "x" * (low - len(text))
        yield text if high is None else text[:high]
        return
    for text in preferred:
        if _fits(text, low, high) and _matches(pattern, text):
            yield text
    found = _pattern_match(pattern, low, high, preferred[0] if preferred else "")
    if found is not None:
        # ORD-12345678 in every event reads like a template: its digits drawn, where the
        # pattern still matches (a seeded build; the fixed one keeps the readable match).
        varied = build.choices.vary_digits(found)
        if varied != found and _matches(pattern, varied):
            yield varied
        yield found


@lru_cache(maxsize=4096)
def _matches(pattern: str, text: str) -> bool:
    return safe_regex.search(pattern, text) is True


@lru_cache(maxsize=1024)
def _pattern_match(pattern: str, low: int, high: int | None, preferred: str) -> str | None:
    """A string of the pattern within the lengths (patterns repeat: found once each)."""
    for stretch in (0, low):  # the readable match, then one long enough for minLength
        text = regex_example(pattern, stretch)
        if text is not None and _fits(text, low, high) and _matches(pattern, text):
            return text
    # The search compat's builder uses: slow (hypothesis), so the last resort, and only for
    # a pattern RE2 reads: each try of one it cannot read costs a backtracking budget.
    if safe_regex.linear_time_problem(pattern) is not None:
        return None
    found = matching(pattern, preferred)
    return found if isinstance(found, str) and _fits(found, low, high) else None


def _fits(text: str, low: int, high: int | None) -> bool:
    return low <= len(text) and (high is None or len(text) <= high)


# numbers


def _number(
    schema: dict[str, Any],
    choices: Fixed,
    hint: str | None,
    *,
    integer: bool,
    epoch: int | None = None,
) -> Any:
    declared = schema.get("type")
    integer = (
        integer
        or declared == "integer"
        or (isinstance(declared, list) and "integer" in declared and "number" not in declared)
    )
    low = _bound(schema, "minimum", "exclusiveMinimum", lower=True)
    high = _bound(schema, "maximum", "exclusiveMaximum", lower=False)
    step = schema.get("multipleOf")
    step = step if isinstance(step, (int, float)) and not isinstance(step, bool) else None
    if step is not None and step <= 0:
        step = None
    value: float | None = _preferred(choices, hint, low, high, integer=integer)
    if epoch is not None:  # the moment in milliseconds (as AWS writes it), else in seconds
        value = next((t for t in (epoch * 1000, epoch) if _within(t, low, high)), value)
    if value is not None and not _within(value, low, high):
        value = _inside(low, high, integer=integer)
    if value is not None and step is not None:
        value = _multiple(value, step, low, high)
    if value is None:
        return MISSING
    if integer or (step is not None and float(value).is_integer()):
        return math.ceil(value)
    return value


def _preferred(
    choices: Fixed, hint: str | None, low: Bound, high: Bound, *, integer: bool
) -> float:
    """The number the choices take for a place: an amount (two decimals), a quantity (small and
    whole), or any number, drawn where the typical range and the schema's bounds overlap."""
    if hint == "quantity" or integer:
        wanted = typical.QUANTITY_RANGE if hint == "quantity" else typical.INTEGER_RANGE
        first, last = _overlap(wanted, low, high)
        return choices.integer(math.ceil(first), math.floor(last))
    if hint == "amount":
        return choices.amount(*_overlap(typical.AMOUNT_RANGE, low, high))
    return choices.number(*_overlap(typical.NUMBER_RANGE, low, high))


def _overlap(wanted: tuple[float, float], low: Bound, high: Bound) -> tuple[float, float]:
    """The typical range ``wanted`` within the bounds; where they do not meet, a range as wide
    at the nearer bound (the caller checks the value against the bounds anyway)."""
    first = wanted[0] if low is None else max(wanted[0], typical.finite(low[0], wanted[0]))
    last = wanted[1] if high is None else min(wanted[1], typical.finite(high[0], wanted[1]))
    if first <= last:
        return first, last
    width = wanted[1] - wanted[0]
    if low is not None and first > wanted[1]:  # the bounds lie above the range
        return first, first + width if high is None else typical.finite(high[0], first + width)
    # the bounds lie below the range
    return (last - width if low is None else typical.finite(low[0], last - width)), last


def _inside(low: Bound, high: Bound, *, integer: bool) -> float | None:
    """A number within the bounds, near the lower one; None when there is none."""
    candidates: list[float] = []
    if low is not None:
        bound, excluded = low
        candidates.append(
            (math.floor(bound) + 1 if integer else bound + 0.5) if excluded
            else (math.ceil(bound) if integer else bound)
        )  # fmt: skip
    if high is not None:
        bound, excluded = high
        candidates.append(
            (math.ceil(bound) - 1 if integer else bound - 0.5) if excluded
            else (math.floor(bound) if integer else bound)
        )  # fmt: skip
    if low is not None and high is not None:
        middle = (low[0] + high[0]) / 2
        candidates.append(math.floor(middle) if integer else middle)
    return next((value for value in candidates if _within(value, low, high)), None)


def _multiple(value: float, step: float, low: Bound, high: Bound) -> float | None:
    """The first multiple of ``step`` from ``value`` up that is within bounds, as validators
    check a multiple (float division for a float step)."""
    first = math.ceil(value / step)
    for k in range(first, first + 3):
        candidate: float = k * step
        if isinstance(step, float):
            candidate = round(candidate, 12)
        if _is_multiple(candidate, step) and _within(candidate, low, high):
            return candidate
    return None


def _is_multiple(value: float, step: float) -> bool:
    # python-jsonschema's multipleOf, as the validator that has the last word reads it.
    if isinstance(step, float):
        quotient = value / step
        try:
            return int(quotient) == quotient
        except (OverflowError, ValueError):
            return False
    return not value % step


def _within(value: float, low: Bound, high: Bound) -> bool:
    if low is not None and (value < low[0] or (low[1] and value == low[0])):
        return False
    return not (high is not None and (value > high[0] or (high[1] and value == high[0])))


def _bound(schema: dict[str, Any], inclusive: str, exclusive: str, *, lower: bool) -> Bound:
    """(bound, excluded?) from either draft's spelling, the tighter of the two; or None."""
    value = _numeric(schema.get(inclusive))
    flag = schema.get(exclusive)
    if flag is True and value is not None:
        return (value, True)  # draft-04: the bound itself is excluded
    excluded = _numeric(flag)
    if excluded is not None:
        if value is not None and (value > excluded if lower else value < excluded):
            return (value, False)
        return (excluded, True)
    return None if value is None else (value, False)


def _numeric(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


# merging allOf parts and a combinator's option into its siblings


_LOWER_BOUNDS = frozenset({"minimum", "minLength", "minItems", "minProperties"})
_UPPER_BOUNDS = frozenset({"maximum", "maxLength", "maxItems", "maxProperties"})


def merge(base: Any, extra: Any) -> Any:
    """One schema asking (about) what both ask: properties merged by name, required joined,
    bounds tightened, enums intersected. Where it cannot tell, the later part wins; the value
    built from it is validated anyway."""
    if not isinstance(base, dict) or base == {}:
        return extra
    if not isinstance(extra, dict):
        return base if extra is True else extra
    merged = dict(base)
    for key, value in extra.items():
        if key not in merged or merged[key] == value:
            merged[key] = value
        elif key == "properties" and isinstance(value, dict) and isinstance(merged[key], dict):
            combined = dict(merged[key])
            for name, sub in value.items():
                combined[name] = merge(combined[name], sub) if name in combined else sub
            merged[key] = combined
        elif key == "required" and isinstance(value, list) and isinstance(merged[key], list):
            merged[key] = [*merged[key], *(name for name in value if name not in merged[key])]
        elif key in _LOWER_BOUNDS and _numbers(merged[key], value):
            merged[key] = max(merged[key], value)
        elif key in _UPPER_BOUNDS and _numbers(merged[key], value):
            merged[key] = min(merged[key], value)
        elif key == "enum" and isinstance(value, list) and isinstance(merged[key], list):
            merged[key] = [member for member in merged[key] if member in value]
        elif key == "type" and isinstance(value, (str, list)):
            merged[key] = _common_types(merged[key], value)
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _common_types(one: Any, other: Any) -> Any:
    first = [one] if isinstance(one, str) else one if isinstance(one, list) else []
    second = [other] if isinstance(other, str) else other
    common = [name for name in first if name in second]
    if "integer" in first and "number" in second and "integer" not in common:
        common.append("integer")
    if "number" in first and "integer" in second and "integer" not in common:
        common.append("integer")
    return common if len(common) != 1 else common[0]


_BUILDERS: dict[str, Callable[[Realistic, dict[str, Any], Path, str | None, int], Any]] = {
    "object": Realistic.object,
    "array": Realistic.array,
    "string": Realistic.string,
    "number": Realistic.number,
    "integer": Realistic.integer,
    "boolean": Realistic.boolean,
    "null": lambda build, schema, path, name, depth: None,
}
