"""Checking a bus rule's event pattern against the registry schemas it targets.

A pattern is read as alternatives (each choice of its ``$or``s is one). An alternative targets
the schemas whose source and detail-type its ``source`` and ``detail-type`` fields match
(exact values, prefixes, ``anything-but``...; a pattern without them targets every schema).
Every other field of the alternative is looked up in the latest version of each targeted
schema: a field no targeted schema declares is P101; an operator that fits the field's type in
none of them is P102; a value none of them can hold is P103. A pattern whose source is the
registry's but whose detail-type matches none of its schemas is P104; one whose source is not
the registry's (``aws.ec2``) is P106, a warning, and is not checked further.
"""

from __future__ import annotations

import difflib
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from eventcontracts.patterns import catalog
from eventcontracts.patterns.fields import FieldInfo, SchemaFields
from eventcontracts.patterns.matcher import OR_KEY, equal, field_matches, is_number, matcher_accepts
from eventcontracts.patterns.sources import BusRule
from eventcontracts.patterns.syntax import pattern_problems
from eventcontracts.registry.model import Registry, Schema
from eventcontracts.registry.resolver import Resolver
from eventcontracts.rules import Rule
from eventcontracts.schema.pointer import escape_token

TARGETING = (("source",), ("detail-type",))
MAX_ALTERNATIVES = 1000  # EventBridge's own limit on a pattern's $or combinations
STRING_OPERATORS = ("prefix", "suffix", "equals-ignore-case", "wildcard", "cidr")


@dataclass(frozen=True)
class PatternFinding:
    """One problem with one bus rule; ``pointer`` is into the pattern.

    ``about`` names the schemas the finding is about, each with the version checked (its
    latest): for P101 every targeted schema (none has the field), for P102/P103 every one that
    has the field (the operator or value is wrong in all of them). P104-P107 are about the
    pattern alone: ``about`` is empty.
    """

    rule: Rule
    bus_rule: BusRule
    pointer: str
    message: str
    about: tuple[tuple[str, int], ...] = ()

    @property
    def line(self) -> int | None:
        return self.bus_rule.line(self.pointer)

    @property
    def file_pointer(self) -> str:
        """Where the finding is in the rule file (an embedded pattern: where its string is)."""
        return self.bus_rule.pointer + ("" if self.bus_rule.embedded else self.pointer)

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule.id,
            "name": self.rule.name,
            "severity": self.rule.severity,
            "file": self.bus_rule.file,
            "line": self.line,
            "bus_rule": self.bus_rule.name,
            "pointer": self.file_pointer,
            "message": self.message,
        }


@dataclass(frozen=True)
class Field:
    path: tuple[str, ...]
    matchers: list[Any]
    pointer: str

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


def alternatives(
    pattern: dict[str, Any], path: tuple[str, ...] = (), pointer: str = ""
) -> list[list[Field]]:
    """The pattern as a list of conjunctions of fields, one per choice of its ``$or``s."""
    result: list[list[Field]] = [[]]
    for key, value in pattern.items():
        here = f"{pointer}/{escape_token(key)}"
        if key == OR_KEY and isinstance(value, list):
            options = [
                option
                for index, alternative in enumerate(value)
                if isinstance(alternative, dict)
                for option in alternatives(alternative, path, f"{here}/{index}")
            ]
        elif isinstance(value, dict):
            options = alternatives(value, (*path, key), here)
        elif isinstance(value, list):
            options = [[Field((*path, key), value, here)]]
        else:
            continue
        result = [first + second for first, second in itertools.product(result, options)]
        del result[MAX_ALTERNATIVES:]
    return result


class PatternChecker:
    """Checks bus rules against one registry; field lookups are cached per schema."""

    def __init__(self, registry: Registry, resolver: Resolver) -> None:
        self.registry = registry
        self.resolver = resolver
        self._fields: dict[str, SchemaFields] = {}
        # Schemas by source, in registry order: most patterns name their sources exactly, and
        # a lookup keeps checking every rule of a large registry from going rules x schemas.
        self._by_source: dict[str, list[Schema]] = {}
        for schema in registry.schemas.values():
            if schema.versions:
                self._by_source.setdefault(schema.latest.source, []).append(schema)

    def fields(self, schema: Schema) -> SchemaFields:
        if schema.name not in self._fields:
            self._fields[schema.name] = SchemaFields(schema.latest, self.resolver)
        return self._fields[schema.name]

    def check(self, bus_rule: BusRule) -> list[PatternFinding]:
        if bus_rule.unresolved:
            return [
                PatternFinding(
                    catalog.UNRESOLVED_TEMPLATE_VALUE,
                    bus_rule,
                    "",
                    f"the pattern uses {bus_rule.unresolved}; it is not checked",
                )
            ]
        problems = pattern_problems(bus_rule.pattern)
        if problems:
            return [
                PatternFinding(
                    catalog.INVALID_PATTERN,
                    bus_rule,
                    p.pointer,
                    f"{p.message} (at {p.pointer or '/'})",
                )
                for p in problems
            ]
        findings: list[PatternFinding] = []
        for conjunction in alternatives(bus_rule.pattern):
            for finding in self._alternative(bus_rule, conjunction):
                if finding not in findings:
                    findings.append(finding)
        return findings

    def _alternative(self, bus_rule: BusRule, conjunction: list[Field]) -> Iterator[PatternFinding]:
        envelope = [f for f in conjunction if f.path in TARGETING]
        targeted = [s for s in self._candidates(envelope) if _targets(envelope, s)]
        if not targeted:
            yield self._targets_nothing(bus_rule, envelope)
            return
        for item in conjunction:
            if item.path in TARGETING:
                continue
            infos = [(schema, self.fields(schema).lookup(item.path)) for schema in targeted]
            present = [(schema, info) for schema, info in infos if info is not None]
            if not present:
                yield self._missing(bus_rule, item, targeted)
                continue
            for index, matcher in enumerate(item.matchers):
                # An operator is wrong only if it is wrong in every schema that has the field.
                problems = [_type_problem(item, matcher, info) for _, info in present]
                first = problems[0]
                if first is not None and all(problems):
                    rule, message = first
                    schema = present[0][0]
                    yield PatternFinding(
                        rule,
                        bus_rule,
                        f"{item.pointer}/{index}",
                        f"{message} ({_version_name(schema)})",
                        _about(s for s, _ in present),
                    )

    def _candidates(self, envelope: list[Field]) -> list[Schema]:
        """The schemas an envelope may target: those of its sources when it names them
        exactly (one list, or several in registry order), else all."""
        for item in envelope:
            if item.path == ("source",) and all(isinstance(m, str) for m in item.matchers):
                lists = [self._by_source.get(m, []) for m in dict.fromkeys(item.matchers)]
                if len(lists) == 1:
                    return lists[0]
                order = {name: n for n, name in enumerate(self.registry.schemas)}
                return sorted((s for found in lists for s in found), key=lambda s: order[s.name])
        return [s for s in self.registry.schemas.values() if s.versions]

    def _targets_nothing(self, bus_rule: BusRule, envelope: list[Field]) -> PatternFinding:
        sources = [f for f in envelope if f.path == ("source",)]
        ours = [s for s in self.registry.schemas.values() if s.versions and _targets(sources, s)]
        if not ours:
            wanted = json.dumps(sources[0].matchers) if sources else "any source"
            return PatternFinding(
                catalog.FOREIGN_SOURCE,
                bus_rule,
                sources[0].pointer if sources else "",
                f"source {wanted} is not a source of the registry; the pattern is not checked",
            )
        detail_types = [f for f in envelope if f.path == ("detail-type",)]
        known = sorted({s.latest.detail_type for s in ours})
        wanted = json.dumps(detail_types[0].matchers) if detail_types else "?"
        hint = _did_you_mean(detail_types, known)
        return PatternFinding(
            catalog.TARGETS_NO_SCHEMA,
            bus_rule,
            detail_types[0].pointer if detail_types else "",
            f"detail-type {wanted} matches no schema of source "
            f"{', '.join(sorted({s.source for s in ours}))} (it has {', '.join(map(repr, known))})"
            f"{hint}; the rule routes nothing",
        )

    def _missing(self, bus_rule: BusRule, item: Field, targeted: list[Schema]) -> PatternFinding:
        schema = targeted[0]
        where = ", ".join(_version_name(s) for s in targeted[:3])
        more = f" and {len(targeted) - 3} more" if len(targeted) > 3 else ""
        hint = self._rename_hint(schema, item.path) or self._spelling_hint(schema, item.path)
        return PatternFinding(
            catalog.PATH_MISSING,
            bus_rule,
            item.pointer,
            f"{item.dotted} is not in {where}{more}{hint} (the rule stops matching: name the "
            "field as the schema declares it)",
            _about(targeted),
        )

    def _rename_hint(self, schema: Schema, path: tuple[str, ...]) -> str:
        """When the previous version had the field: what the latest adds beside it."""
        if len(schema.versions) < 2:
            return ""
        previous = SchemaFields(schema.versions[-2], self.resolver)
        if previous.lookup(path) is None:
            return ""
        before = set(previous.property_names(path[:-1]))
        added = [n for n in self.fields(schema).property_names(path[:-1]) if n not in before]
        was = f"; v{schema.versions[-2].version} has it"
        if not added:
            return f"{was} and v{schema.latest.version} removed it"
        named = ", ".join(".".join((*path[:-1], name)) for name in added)
        return f"{was}, v{schema.latest.version} adds {named} (renamed?)"

    def _spelling_hint(self, schema: Schema, path: tuple[str, ...]) -> str:
        names = self.fields(schema).property_names(path[:-1])
        close = difflib.get_close_matches(path[-1], names, n=1, cutoff=0.6)
        return f"; did you mean {'.'.join((*path[:-1], close[0]))}?" if close else ""


def targets(bus_rule: BusRule, schemas: Iterable[Schema]) -> bool:
    """Whether an alternative of the (readable, well-formed) pattern targets one of
    ``schemas`` (the pattern is read once for all of them)."""
    envelopes = _envelopes(bus_rule)
    return any(_targets(envelope, schema) for schema in schemas for envelope in envelopes)


def targeted_by(bus_rule: BusRule, schemas: Iterable[Schema]) -> list[Schema]:
    """The ``schemas`` whose source and detail-type an alternative of the pattern can match
    (in any of their versions: a detail-type renamed in v2 still routes v1's events), in the
    order given; none for a pattern that cannot be read or is not well formed."""
    envelopes = _envelopes(bus_rule)
    if not envelopes:
        return []
    found: list[Schema] = []
    for schema in schemas:
        pairs = dict.fromkeys((v.source, v.detail_type) for v in schema.versions)
        if any(
            _envelope_matches(envelope, source, detail_type)
            for source, detail_type in pairs
            for envelope in envelopes
        ):
            found.append(schema)
    return found


def sources_matched(bus_rule: BusRule, sources: Iterable[str]) -> list[str]:
    """The ``sources`` an alternative of the (readable, well-formed) pattern can match."""
    wanted = [[f for f in envelope if f.path == ("source",)] for envelope in _envelopes(bus_rule)]
    return [
        source
        for source in sources
        if any(all(field_matches(f.matchers, [source]) for f in fields) for fields in wanted)
    ]


def _envelopes(bus_rule: BusRule) -> list[list[Field]]:
    if bus_rule.unresolved or pattern_problems(bus_rule.pattern):
        return []
    return [
        [f for f in conjunction if f.path in TARGETING]
        for conjunction in alternatives(bus_rule.pattern)
    ]


def _about(schemas: Iterable[Schema]) -> tuple[tuple[str, int], ...]:
    return tuple((schema.name, schema.latest.version) for schema in schemas)


def _targets(envelope: list[Field], schema: Schema) -> bool:
    return _envelope_matches(envelope, schema.latest.source, schema.latest.detail_type)


def _envelope_matches(envelope: list[Field], source: str, detail_type: str) -> bool:
    values: dict[tuple[str, ...], list[Any]] = {
        ("source",): [source],
        ("detail-type",): [detail_type],
    }
    return all(field_matches(f.matchers, values[f.path]) for f in envelope)


def _version_name(schema: Schema) -> str:
    return f"{schema.name} v{schema.latest.version}"


def _did_you_mean(detail_types: list[Field], known: list[str]) -> str:
    exact = [m for f in detail_types for m in f.matchers if isinstance(m, str)]
    for value in exact:
        # Only near-typos ("Order Creatd"): the message lists what the source has anyway, and
        # after a schema is removed, "Payment Failed" -> "Payment Processed" (0.65) misleads.
        close = difflib.get_close_matches(value, known, n=1, cutoff=0.8)
        if close:
            return f"; did you mean {close[0]!r}?"
    return ""


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if is_number(value):
        return "number"
    return "string" if isinstance(value, str) else "object"


def _describe_types(info: FieldInfo) -> str:
    return " or ".join(sorted(info.types or ())) or "untyped"


def _type_problem(item: Field, matcher: Any, info: FieldInfo) -> tuple[Rule, str] | None:
    """Why ``matcher`` can never match the field ``info`` describes; None if it can."""
    if info.types is None and not info.enum:
        return None
    name = item.dotted
    if isinstance(matcher, dict):
        ((operator, argument),) = matcher.items()
        if operator == "exists":
            if argument is True and info.object_only:
                return catalog.VALUE_NEVER_MATCHES, (
                    f"{name}: exists: true never matches an object (exists looks at leaf "
                    "fields); name a field inside it"
                )
            return None
        if info.object_only:
            return catalog.OPERATOR_TYPE_MISMATCH, (
                f"{name} is an object; {operator} matches leaf values: name a field inside it"
            )
        problem = _operator_fits(operator, argument, info)
        if problem:
            return catalog.OPERATOR_TYPE_MISMATCH, f"{name}: {problem}"
        if info.enum and not any(matcher_accepts(matcher, [value]) for value in info.enum):
            return catalog.VALUE_NEVER_MATCHES, (
                f"{name}: {json.dumps(matcher)} matches none of the values the schema allows "
                f"({_enum(info.enum)})"
            )
        return None
    if info.object_only:
        return catalog.OPERATOR_TYPE_MISMATCH, (
            f"{name} is an object; the value {json.dumps(matcher)} never matches it: name a "
            "field inside it"
        )
    kind = _kind(matcher)
    if info.types is not None and info.leaf_types and kind not in info.leaf_types:
        article = "" if kind == "null" else "a "
        return catalog.VALUE_NEVER_MATCHES, (
            f"{name}: {json.dumps(matcher)} is {article}{kind} and the field is "
            f"{_describe_types(info)}: it never matches"
        )
    if kind == "number" and info.integer_only and float(matcher) != int(matcher):
        return catalog.VALUE_NEVER_MATCHES, (
            f"{name}: {json.dumps(matcher)} is not an integer and the field holds integers: "
            "it never matches"
        )
    if info.enum and not any(equal(matcher, value) for value in info.enum):
        return catalog.VALUE_NEVER_MATCHES, (
            f"{name}: {json.dumps(matcher)} is not one of the values the schema allows "
            f"({_enum(info.enum)})"
        )
    return None


def _operator_fits(operator: str, argument: Any, info: FieldInfo) -> str | None:
    leaf = info.leaf_types
    if not leaf:
        return None
    if operator == "numeric" and "number" not in leaf:
        return (
            f"numeric on a {_describe_types(info)} field never matches (numeric needs JSON numbers)"
        )
    if operator in STRING_OPERATORS and "string" not in leaf:
        return (
            f"{operator} on a {_describe_types(info)} field never matches "
            f"({operator} needs strings)"
        )
    if operator == "anything-but":
        excluded = argument if isinstance(argument, list) else [argument]
        kind = "string" if isinstance(argument, dict) else _kind(excluded[0])
        if kind not in leaf:
            return (
                f"anything-but of {kind}s on a {_describe_types(info)} field excludes nothing "
                "(it matches every value)"
            )
    return None


def _enum(values: list[Any]) -> str:
    shown = ", ".join(json.dumps(v) for v in values[:8])
    return shown + (", ..." if len(values) > 8 else "")
