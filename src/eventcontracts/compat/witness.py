"""Counterexamples: a concrete event one side accepts and the other rejects.

For a breaking change found reading ``writer``'s values with ``reader``, the search goes from
the place of the change outwards:

1. a minimal event valid for the writer (the base);
2. at the change's place in the event (``detail.items[0].price``), values the writer's
   subschema allows there and the reader's rejects, each set into the base;
3. failing that, whole events of the writer's schema.

Values are searched with hypothesis-jsonschema (derandomised, so a run prints the same event
every time) and every candidate is checked with the jsonschema validators of both complete
schemas: an event is printed only when the writer's schema really accepts it and the reader's
really rejects it. Under the lenient policy the writer's events carry declared properties only,
the premise of that policy.
"""

from __future__ import annotations

import copy
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import referencing
import referencing.jsonschema

from eventcontracts.compat.diff import Difference
from eventcontracts.compat.examples import ENVELOPE, build_example, matching, quiet_hypothesis
from eventcontracts.compat.examples import MISSING as UNBUILT
from eventcontracts.compat.inputs import SPECIFICATIONS as DIALECT_SPECIFICATIONS
from eventcontracts.compat.inputs import SchemaInput
from eventcontracts.compat.model import LEGACY_REF_DIALECTS
from eventcontracts.compat.rules import CLOSED_READER_RULES, LENIENT
from eventcontracts.safe_regex import guard_hypothesis_jsonschema
from eventcontracts.schema.formats import SAMPLES as FORMAT_SAMPLES
from eventcontracts.schema.inline import Inliner, entering_ids_below, forgiving
from eventcontracts.schema.inline import step as step_into
from eventcontracts.schema.keywords import DETAIL_TYPE_KEY, SOURCE_KEY

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

MISSING = object()
MAX_INLINE_DEPTH = 6
SEARCH_EXAMPLES = 150
# Wall time for one counterexample's search with hypothesis, after the built candidates: a
# break whose counterexample the candidates do not give is searched this long, then reported
# as "could not prove compatible". Hypothesis finishes the example it is generating, so the
# whole stays within about twice this on event-sized schemas.
SEARCH_SECONDS = 0.03
UNDECLARED_KEY = "undeclaredProperty"


@dataclass(frozen=True)
class Witness:
    """An event that proves a break, and the value at the place of the change."""

    event: Any
    path: tuple[str | int, ...]
    value: Any


class Witnesses:
    """Counterexample search for one pair of schemas, with what can be reused between changes."""

    def __init__(self, writer: SchemaInput, reader: SchemaInput, policy: str) -> None:
        self.writer, self.reader, self.policy = writer, reader, policy
        self.writer_valid = _validator(writer)
        self.reader_valid = _validator(reader)
        self._base: Any = None
        self._inlined: dict[tuple[str, bool], Any] = {}
        self.found: list[Any] = []  # the events that proved earlier breaks of this pair

    def find(self, difference: Difference, *, search: bool = False) -> Witness | None:
        """A verified counterexample for ``difference``, or None.

        Without ``search`` only values built from the schemas are tried (instant); with it,
        the events that proved the pair's other breaks, then hypothesis within
        ``SEARCH_SECONDS``.
        """
        base = self.base()
        if base is MISSING:
            return None
        if search:
            for event in self.found:
                if self.accepted_and_rejected(event):
                    return Witness(event, (), event)
        deadline = time.perf_counter() + SEARCH_SECONDS
        path = data_path(difference.path)
        # The lenient premise (writers send declared properties only) is not taken where the
        # break is a reader that closes an object against a writer that may add properties.
        lenient = self.policy == LENIENT and difference.rule not in CLOSED_READER_RULES
        for depth in range(len(path), -1, -1):
            where = path[:depth]
            writer_sub = self._at("writer", where, lenient=lenient)
            reader_sub = self._at("reader", where, lenient=False)
            if writer_sub is None or reader_sub is None:
                continue
            separates = _separator(writer_sub, reader_sub, self.writer.dialect, self.reader.dialect)
            if separates is None:
                continue
            values = (
                _searched(writer_sub, separates, deadline)
                if search
                else _built(writer_sub, reader_sub, separates)
            )
            for value in values:
                event = set_at(base, where, value)
                if self.accepted_and_rejected(event):
                    self.found.append(event)
                    return Witness(event, where, value)
        return None

    def _at(self, which: str, where: tuple[str | int, ...], *, lenient: bool) -> Any:
        """``subschema_at`` with the inlined schema kept between changes."""
        side = self.writer if which == "writer" else self.reader
        key = (which, lenient)
        if key not in self._inlined:
            self._inlined[key] = subschema_at(side, (), lenient=lenient)
        schema = self._inlined[key]
        for place in where:
            if schema is None:
                return None
            schema = step_into(schema, place)
        return schema if isinstance(schema, (dict, bool)) else None

    def accepted_and_rejected(self, event: Any) -> bool:
        try:
            return self.writer_valid.is_valid(event) and not self.reader_valid.is_valid(event)
        except Exception:  # a schema the validators cannot apply proves nothing
            return False

    def base(self) -> Any:
        """A simple event the writer's schema accepts: the start of every search."""
        if self._base is None:
            self._base = MISSING
            whole = subschema_at(self.writer, (), lenient=self.policy == LENIENT)
            for value in (build_example(whole), *_candidates(whole)):
                if self._writer_accepts(value):
                    self._base = self._like_an_event(value)
                    break
            else:
                if whole is not None:
                    deadline = time.perf_counter() + SEARCH_SECONDS
                    self._base = _first(whole, self._writer_accepts, deadline)
        return self._base

    def _like_an_event(self, value: Any) -> Any:
        """The base with a real envelope (source, detail-type, account, ...) where it fits."""
        if not isinstance(value, dict) or "detail" not in value:
            return value
        identity = _identity(self.writer.schema)
        event = {**value, **{k: v for k, v in ENVELOPE.items() if k in value}, **identity}
        return event if self._writer_accepts(event) else value

    def _writer_accepts(self, value: Any) -> bool:
        try:
            return bool(self.writer_valid.is_valid(value))
        except Exception:  # a value the validator chokes on is no base
            return False


def _identity(schema: Any) -> dict[str, Any]:
    if not isinstance(schema, dict):
        return {}
    found = {}
    for key, field in (
        (SOURCE_KEY, "source"),
        (DETAIL_TYPE_KEY, "detail-type"),
    ):
        if isinstance(schema.get(key), str):
            found[field] = schema[key]
    return found


def data_path(walk: tuple[str, ...]) -> tuple[str | int, ...]:
    """Where in an event a change is, from the walk that found it (keys and indexes)."""
    path: list[str | int] = []
    index = 0
    while index < len(walk):
        token = walk[index]
        if token == "properties" and index + 1 < len(walk):
            path.append(walk[index + 1])
            index += 2
            continue
        if token in ("additionalProperties", "unevaluatedProperties"):
            path.append(UNDECLARED_KEY)
        elif token == "items":
            path.append(0)
        elif token.startswith("items/") and token[6:].isdigit():
            path.append(int(token[6:]))
        elif token.startswith(("allOf/", "anyOf/", "oneOf/")):
            pass  # same place in the event
        else:
            break  # a keyword of the schema at this place (minimum, required, enum, ...)
        index += 1
    return tuple(path)


def subschema_at(
    side: SchemaInput, path: tuple[str | int, ...], *, lenient: bool
) -> dict[str, Any] | bool | None:
    """A self-contained schema of what ``side`` allows at ``path`` of an event, refs inlined.

    Where a combination makes the place ambiguous the result is an approximation; the final
    check with the real validators keeps that from mattering.
    """
    schema: Any = inliner(side, lenient=lenient).inline(side.schema)
    for key in path:
        schema = step_into(schema, key)
        if schema is None:
            return None
    return schema if isinstance(schema, (dict, bool)) else None


def inliner(side: SchemaInput, *, lenient: bool) -> Inliner:
    """How a side's refs are inlined for the search: recursion cut at a depth (with ``{}``, as
    an unresolvable ref: it only ends the search there), and under the lenient policy objects
    closed to their declared properties, the premise of that policy."""

    def resolve(ref: str, scope: Any) -> tuple[Any, Any]:
        contents, _, target_scope = side.resolve(ref, scope)
        return contents, target_scope

    return Inliner(
        forgiving(resolve),  # an unresolvable ref only ends the search there
        enter=entering_ids_below(side.schema, side.enter),
        legacy_refs=side.dialect in LEGACY_REF_DIALECTS,
        max_depth=MAX_INLINE_DEPTH,
        cut={},
        unresolved={},
        close_objects=lenient,
    )


def _separator(writer_sub: Any, reader_sub: Any, writer_dialect: str, reader_dialect: str) -> Any:
    """A test for values ``writer_sub`` allows and ``reader_sub`` rejects, or None. Each side
    is read in its own dialect (draft-04's boolean exclusiveMinimum is not draft-07's
    number)."""
    try:
        writer = _checking_class(writer_dialect)(writer_sub, format_checker=_format_checker())
        reader = _checking_class(reader_dialect)(reader_sub, format_checker=_format_checker())
    except Exception:  # a subschema jsonschema cannot read: no local search
        return None

    def separates(value: Any) -> bool:
        try:
            return bool(writer.is_valid(value) and not reader.is_valid(value))
        except Exception:  # a value the validators choke on is no witness
            return False

    return separates


def _built(writer_sub: Any, reader_sub: Any, separates: Any) -> Iterator[Any]:
    """Values built from the schemas that separate them: a simple value of the writer's,
    then the edges of the reader's bounds, enums, lengths, patterns and counts (where it
    starts rejecting: maxItems 50 gives 51 items), then the writer's."""
    simple = build_example(writer_sub)
    for value in (simple, *_candidates(reader_sub), *_candidates(writer_sub)):
        if separates(value):
            yield value


def _searched(writer_sub: Any, separates: Any, deadline: float) -> Iterator[Any]:
    """A separating value found by hypothesis-jsonschema before ``deadline``."""
    if time.perf_counter() > deadline:
        return
    found = _first(writer_sub, separates, deadline)
    if found is not MISSING:
        yield found


_SIMPLE: list[Any] = [None, True, False, 0, 1, -1, 0.5, "", "a", [], {}, [0], [""], {"a": 0}]


def _candidates(schema: Any) -> Iterator[Any]:
    """Values at the edges of what ``schema`` says: its enum, bounds, lengths, formats."""
    yield from _SIMPLE
    if not isinstance(schema, dict):
        return
    yield from _as_list(schema.get("enum"))
    if "const" in schema:
        yield schema["const"]
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
        bound = schema.get(key)
        if isinstance(bound, (int, float)) and not isinstance(bound, bool):
            yield from (bound, bound - 1, bound + 1, bound * 2, bound + 0.5, bound - 0.5)
    for key in ("minLength", "maxLength"):
        length = schema.get(key)
        if isinstance(length, int) and 0 <= length <= 10_000:
            yield from ("a" * length, "a" * (length + 1), "a" * max(length - 1, 0))
    for key in ("minItems", "maxItems", "minContains", "maxContains"):
        count = schema.get(key)
        if isinstance(count, int) and 0 <= count <= 1_000:
            for item in _item_examples(schema):
                yield from ([item] * count, [item] * (count + 1))
    for item in _item_examples(schema):
        yield from ([item], [item, item])
    prefix = schema.get("prefixItems", schema.get("items"))
    if isinstance(prefix, list):
        tuple_ = [_example_of(item) for item in prefix]
        yield tuple_
        rest = schema.get("items" if "prefixItems" in schema else "additionalItems")
        for extra in (_example_of(rest), 0, ""):
            yield [*tuple_, extra]
    yield from _format_candidates(schema.get("format"))
    yield from _counted_objects(schema)
    for name in _as_dict(schema.get("properties")):
        yield from ({name: 0}, {name: ""})
    for pattern in _as_dict(schema.get("patternProperties")):
        name = matching(pattern, "")
        if isinstance(name, str):
            values: tuple[Any, ...] = (0, "", None, True, [], {})
            yield from ({name: value} for value in values)
    dependencies = _as_dict(schema.get("dependencies")) | _as_dict(schema.get("dependentSchemas"))
    for name in dependencies:
        yield {name: 0}


def _format_candidates(format_name: Any) -> Iterator[str]:
    """A value of the format and, where there is one, a near miss of it."""
    wanted = isinstance(format_name, str) and format_name in _CANDIDATE_FORMATS
    found = FORMAT_SAMPLES.get(format_name) if wanted else None
    if found is not None:
        yield found.valid
        if found.near_miss is not None:
            yield found.near_miss


def _counted_objects(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Objects at the edges of maxProperties/minProperties: built, not searched for."""
    declared = _as_dict(schema.get("properties"))
    extra = schema.get("additionalProperties", True)
    for key in ("maxProperties", "minProperties"):
        count = schema.get(key)
        if not (isinstance(count, int) and 0 <= count <= 1_000):
            continue
        for size in (count + 1, count, max(count - 1, 0)):
            value: dict[str, Any] = {}
            for name, sub in declared.items():
                if len(value) >= size:
                    break
                built = build_example(sub)
                value[name] = None if built is UNBUILT else built
            index = 0
            while len(value) < size:
                built = build_example(extra) if extra not in (True, False) else None
                value[f"p{index}"] = None if built is UNBUILT else built
                index += 1
            yield value


def _example_of(schema: Any) -> Any:
    """A plausible value of a simple schema (its first enum value, or one of its type)."""
    if isinstance(schema, dict):
        if _as_list(schema.get("enum")):
            return schema["enum"][0]
        examples = _TYPE_EXAMPLES.get(str(schema.get("type")))
        if examples:
            return examples[0]
    return 0


def _item_examples(schema: dict[str, Any]) -> list[Any]:
    items: list[Any] = []
    for key in ("contains", "items"):
        sub = schema.get(key)
        if isinstance(sub, dict):
            built = build_example(sub)  # an object item with its required properties
            if built is not UNBUILT and not isinstance(built, (str, int, float, bool)):
                items.append(built)
            items += [*_as_list(sub.get("enum")), *_TYPE_EXAMPLES.get(str(sub.get("type")), [])]
    return items or [0, ""]


_TYPE_EXAMPLES: dict[str, list[Any]] = {
    "number": [0],
    "integer": [0],
    "string": [""],
    "boolean": [True],
    "null": [None],
    "object": [{}],
    "array": [[]],
}
# The formats whose samples are tried as candidates at the edge of a format: the ones event
# schemas use most. Every other format is left to the search, as it always was: a new candidate
# would change which counterexample is printed.
_CANDIDATE_FORMATS = frozenset({"date-time", "date", "email", "uuid", "uri", "ipv4"})
# The validator class of each dialect, by its name in jsonschema: imported when a difference
# is first checked, since most comparisons find nothing to check and jsonschema is slow to import.
_CLASS_NAMES: dict[str, str] = {
    "draft-04": "Draft4Validator",
    "draft-06": "Draft6Validator",
    "draft-07": "Draft7Validator",
    "2019-09": "Draft201909Validator",
    "2020-12": "Draft202012Validator",
}


def _checking_class(dialect: str) -> Any:
    """The dialect's jsonschema validator class, made safe (bounded regexes)."""
    import jsonschema

    from eventcontracts.registry.safe_validators import safe_validator_class

    return safe_validator_class(getattr(jsonschema, _CLASS_NAMES[dialect]))


def _format_checker() -> Any:
    import jsonschema

    return jsonschema.FormatChecker()


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class _OutOfTime(Exception):
    """The search's time is up: hypothesis stops at the next example."""


def _first(schema: Any, condition: Any, deadline: float) -> Any:
    """The simplest value of ``schema`` meeting ``condition`` found before ``deadline``
    (a ``time.perf_counter()``), or MISSING."""
    quiet_hypothesis()
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis_jsonschema import from_schema

    guard_hypothesis_jsonschema()

    found: list[Any] = []  # the simplest value met so far, should time run out while shrinking

    def safe(value: Any) -> bool:
        if time.perf_counter() > deadline:
            raise _OutOfTime
        try:
            met = bool(condition(value))
        except Exception:  # a value the validators choke on is no witness
            return False
        if met:
            found[:] = [copy.deepcopy(value)]
        return met

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return find(
                from_schema(schema),
                safe,
                settings=settings(
                    max_examples=SEARCH_EXAMPLES,
                    derandomize=True,
                    database=None,
                    deadline=None,
                    phases=[Phase.generate, Phase.shrink],
                    suppress_health_check=list(HealthCheck),
                    report_multiple_bugs=False,
                ),
            )
    except Exception:  # unsupported by hypothesis-jsonschema, no value found, or out of time
        return found[0] if found else MISSING


def set_at(event: Any, path: tuple[str | int, ...], value: Any) -> Any:
    """A copy of ``event`` with ``value`` at ``path``, creating objects and arrays on the way."""
    if not path:
        return copy.deepcopy(value)
    result = copy.deepcopy(event)
    if isinstance(path[0], int):
        if not isinstance(result, list):
            result = []
    elif not isinstance(result, dict):
        result = {}
    node = result
    for step, following in zip(path, (*path[1:], None), strict=True):
        last = following is None
        fresh: Any = [] if isinstance(following, int) else {}
        if isinstance(step, int):
            while len(node) <= step:
                node.append(copy.deepcopy(node[-1]) if node else fresh)
            if last:
                node[step] = value
            elif not isinstance(node[step], (dict, list)):
                node[step] = fresh
            node = node[step]
        else:
            if last:
                node[step] = value
            else:
                if not isinstance(node.get(step), (dict, list)):
                    node[step] = fresh
                node = node[step]
    return result


def _validator(side: SchemaInput) -> Validator:
    cls = _checking_class(side.dialect)
    schema = {"$ref": f"{side.uri}#{side.pointer}"}
    from jsonschema_specifications import REGISTRY as SPECIFICATIONS

    validator: Validator = cls(
        schema,
        registry=SPECIFICATIONS.combine(side.registry).with_resources(_own_ids(side)),
        format_checker=_format_checker(),
    )
    return validator


def _own_ids(side: SchemaInput) -> list[tuple[str, referencing.Resource[Any]]]:
    """The ``$id``s this side's document declares, bound to its own subschemas: versions of a
    schema often share them, and the validator must read this version's, not another's."""
    document = side.document if side.document is not None else side.schema
    specification = DIALECT_SPECIFICATIONS.get(side.dialect, referencing.jsonschema.DRAFT7)
    alone = referencing.Registry().with_resource(side.uri, specification.create_resource(document))
    crawled = alone.crawl()
    return [(uri, crawled[uri]) for uri in crawled if uri != side.uri]
