"""Rule K106: a version must keep every declared consumer of its events working.

A consumer's expectations are a reader schema (:mod:`eventcontracts.registry.consumer_schema`);
"can this consumer read every event of v3?" is then the engine's BACKWARD question with v3 as
the old schema (the writer) and the consumer as the new one (the reader), under the lenient
policy: a consumer ignores what it does not read. Each break comes with the engine's
counterexample, an event v3 allows that the consumer cannot read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from eventcontracts.check import rules
from eventcontracts.check.model import Problem
from eventcontracts.compat import compare_inputs
from eventcontracts.compat.engine import Change
from eventcontracts.compat.inputs import SchemaInput, from_document, from_version
from eventcontracts.compat.rules import LENIENT
from eventcontracts.registry.consumer_schema import reader_schema
from eventcontracts.registry.consumers import ConsumerExpectation, FieldRead
from eventcontracts.registry.model import Schema, SchemaVersion
from eventcontracts.registry.resolver import Resolver

# The engine's question "does the new schema read every event of the old one?".
WRITER_TO_READER = "BACKWARD"
DETAIL = "detail"


def versions_to_hold(
    consumer: ConsumerExpectation, schema: Schema, new: Iterable[SchemaVersion], *, changed: bool
) -> list[SchemaVersion]:
    """The versions ``consumer`` must read: EventBridge delivers every version published.

    A new version must keep every consumer whose oldest version is at or below it; a new or
    changed expectation must hold for every version from its oldest on, so that a team that
    writes down what it relies on learns at once when the schema does not promise it.
    """
    candidates = schema.versions if changed else new
    return [version for version in candidates if version.version >= consumer.oldest]


def consumer_problems(
    schema_name: str,
    consumer: ConsumerExpectation,
    versions: Iterable[SchemaVersion],
    resolver: Resolver,
) -> list[Problem]:
    """A K106 problem for each field of ``consumer`` that one of ``versions`` breaks."""
    reader = _reader(consumer)
    problems = []
    for version in versions:
        report = compare_inputs(
            from_version(version, resolver), reader, mode=WRITER_TO_READER, policy=LENIENT
        )
        problems += [
            _problem(schema_name, consumer, version, change) for change in report.breaking_changes
        ]
    return problems


def _reader(consumer: ConsumerExpectation) -> SchemaInput:
    uri = consumer.document.uri or f"file:///consumers/{consumer.name}.json"
    return from_document(reader_schema(consumer.reads), uri)


def _problem(
    schema_name: str, consumer: ConsumerExpectation, version: SchemaVersion, change: Change
) -> Problem:
    field = change.location.removeprefix(f"{DETAIL}.")
    read = _read_at(consumer, field)
    counterexample = _counterexample(change, field)
    number = f"v{version.version}"
    if _is_presence(change):
        what = f"which {number} does not guarantee: its events may lack it"
    else:
        what = f"and {number} allows values there that it does not handle"
    shown = _shown(counterexample)
    example = f"; e.g. {shown}" if shown else ""
    local = change.old_path if "#" not in change.old_path else ""
    consumer_line = consumer.line_of(read) if read else None
    expectation = consumer.document.display + (f":{consumer_line}" if consumer_line else "")
    return Problem(
        rules.CONSUMER_BROKEN.id,
        rules.CONSUMER_BROKEN.name,
        schema_name,
        version.version,
        version.document.display,
        version.document.line_of(local) if local else None,
        change.old_path,
        f"{number} breaks consumer {consumer.label}: it reads {change.location}, {what}{example}"
        f" (expectation in {expectation})",
        counterexample=counterexample,
        field_path=change.location,
        consumer={
            "name": consumer.name,
            "owner": consumer.owner,
            "file": consumer.document.display,
            "line": consumer_line,
            "field": field if read else None,
        },
    )


def _read_at(consumer: ConsumerExpectation, field: str) -> FieldRead | None:
    """The read a break at ``field`` is about: that field, or the first read below it."""
    for read in consumer.reads:
        if read.field == field:
            return read
    for read in consumer.reads:
        if read.field.startswith((f"{field}.", f"{field}[")):
            return read
    return None


def _is_presence(change: Change) -> bool:
    """Is the break that a field may be absent (rather than hold an unhandled value)?"""
    return "required" in change.name


def _counterexample(change: Change, field: str) -> dict[str, Any] | None:
    """The engine's counterexample, told as "valid for the version, rejected by the consumer"."""
    found = change.counterexample
    if not found:
        return None
    example = {**found, "accepted_by": "version", "rejected_by": "consumer"}
    if _is_presence(change) and not example.get("missing"):
        # The engine's place is the object that lacks it; what proves the break is its absence.
        example["missing"] = field.rsplit(".", 1)[-1]
    return example


def _shown(example: dict[str, Any] | None) -> str:
    if not example:
        return ""
    if example.get("missing"):
        return f"{example.get('at') or 'the event'} without {json.dumps(example['missing'])}"
    value = json.dumps(example.get("value"), ensure_ascii=False, sort_keys=True)
    shown = f"{example.get('at')} = {value}"
    return shown if len(shown) <= 120 else f"{shown[:117]}..."
