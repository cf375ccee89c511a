"""No false alarms from keyword bookkeeping, a plain word where the engine cannot decide,
lenient taking a closed reader at its word, and counterexamples built rather than searched.

Each verdict a user would see is checked, and each break's counterexample with jsonschema.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import CliRunner
from eventcontracts.compat import InputError, compare

DRAFT4 = "http://json-schema.org/draft-04/schema#"
DRAFT7 = "http://json-schema.org/draft-07/schema#"


def _event(*properties: tuple[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """An event schema whose detail has ``properties``."""
    detail: dict[str, Any] = {"type": "object", "properties": dict(properties)}
    if required:
        detail["required"] = required
    return {
        "$schema": DRAFT7,
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": detail},
    }


def _number(dialect: str = DRAFT7, **bounds: Any) -> dict[str, Any]:
    return {"$schema": dialect, "type": "number", **bounds}


def _rules(report: Any) -> set[str]:
    return {change.rule for change in report.breaking_changes}


def _proves(old: Any, new: Any, change: Any) -> None:
    """The change's counterexample is accepted by the side that wrote it, rejected by the other."""
    assert change.proven is True and change.counterexample is not None, change
    documents = {"old": old, "new": new}
    example = change.counterexample
    accepted, rejected = documents[example["accepted_by"]], documents[example["rejected_by"]]
    event = example["event"]

    def valid(schema: Any) -> bool:
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
        return bool(cls(schema).is_valid(event))

    assert valid(accepted) and not valid(rejected), example


# --- bounds are interval ends, whatever keyword or draft writes them ---------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (_number(exclusiveMinimum=10), _number(minimum=10)),  # > 10 -> >= 10: wider
        (_number(minimum=10), _number(exclusiveMinimum=5)),  # >= 10 -> > 5: wider
        (_number(exclusiveMaximum=10), _number(maximum=10)),  # < 10 -> <= 10: wider
        (_number(maximum=10), _number(exclusiveMaximum=15)),  # <= 10 -> < 15: wider
        # draft-04's boolean form against draft-07's number: > 10 -> >= 10
        (_number(DRAFT4, minimum=10, exclusiveMinimum=True), _number(minimum=10)),
        (_number(DRAFT4, maximum=10, exclusiveMaximum=True), _number(maximum=10)),
        # whole numbers: > 10 -> >= 9.5 (which on whole numbers is >= 10)
        ({"type": "integer", "exclusiveMinimum": 10}, {"type": "integer", "minimum": 9.5}),
    ],
)
def test_a_bound_that_moved_outwards_in_another_form_is_not_a_break(old: Any, new: Any) -> None:
    report = compare(old, new, mode="BACKWARD", policy="strict")
    assert report.compatible, [c.as_dict() for c in report.changes]
    # The other way round it narrows, and an event shows it.
    forward = compare(old, new, mode="FORWARD", policy="strict")
    assert not forward.compatible
    for change in forward.breaking_changes:
        _proves(old, new, change)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # the same lower bound written in draft-04 and in draft-07
        (_number(DRAFT4, minimum=10, exclusiveMinimum=True), _number(exclusiveMinimum=10)),
        (_number(exclusiveMaximum=10), _number(DRAFT4, maximum=10, exclusiveMaximum=True)),
        ({"type": "integer", "exclusiveMaximum": 11}, {"type": "integer", "maximum": 10}),
        ({"type": "integer", "exclusiveMinimum": 9}, {"type": "integer", "minimum": 10}),
    ],
)
def test_the_same_bound_in_another_form_is_no_change_at_all(old: Any, new: Any) -> None:
    report = compare(old, new, mode="FULL", policy="strict")
    assert report.compatible and not report.changes, [c.as_dict() for c in report.changes]


def test_a_bound_that_really_narrowed_across_forms_still_breaks_with_an_event() -> None:
    old = _number(DRAFT4, minimum=10, exclusiveMinimum=True)  # > 10
    new = _number(exclusiveMinimum=12)  # > 12
    report = compare(old, new, mode="BACKWARD", policy="strict")
    assert not report.compatible
    for change in report.breaking_changes:
        _proves(old, new, change)


# --- const and a one-value enum are the same set ---------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"const": "EUR"}, {"enum": ["EUR"]}),
        ({"enum": ["EUR"]}, {"const": "EUR"}),
        ({"type": "string", "const": "EUR"}, {"type": "string", "enum": ["EUR"]}),
    ],
)
def test_const_and_a_one_value_enum_are_the_same(old: Any, new: Any) -> None:
    for first, second in ((old, new), (new, old)):
        report = compare(_event(("currency", first)), _event(("currency", second)), mode="FULL")
        assert report.compatible and not report.changes, [c.as_dict() for c in report.changes]


def test_a_const_widened_to_an_enum_breaks_only_old_readers() -> None:
    old, new = (
        _event(("currency", {"const": "EUR"})),
        _event(("currency", {"enum": ["EUR", "USD"]})),
    )
    report = compare(old, new, mode="FULL")
    assert [change.name for change in report.breaking_changes] == ["enum-array-extended"]
    assert report.breaking_changes[0].breaks == ["FORWARD"]
    _proves(old, new, report.breaking_changes[0])


# --- conditionals are judged branch by branch --------------------------------------------------

_IF = {"required": ["kind"], "properties": {"kind": {"const": "refund"}}}


def _conditional(then: Any) -> dict[str, Any]:
    schema = _event(("kind", {"type": "string"}), ("reason", {"type": "string"}))
    schema["properties"]["detail"].update({"if": _IF, "then": then})
    return schema


def test_a_then_that_only_widened_is_not_c610() -> None:
    old = _conditional({"required": ["reason"], "properties": {"reason": {"maxLength": 10}}})
    new = _conditional({"properties": {"reason": {"maxLength": 20}}})
    backward = compare(old, new, mode="BACKWARD", policy="strict")
    assert backward.compatible, [c.as_dict() for c in backward.changes]
    assert "C610" not in {change.rule for change in backward.changes if "BACKWARD" in change.breaks}
    # Consumers on the old version still require a reason: that direction breaks.
    assert not compare(old, new, mode="FORWARD", policy="strict").compatible


def test_a_changed_if_is_still_c610() -> None:
    old = _conditional({"required": ["reason"]})
    new = _conditional({"required": ["reason"]})
    new["properties"]["detail"]["if"] = {"required": ["reason"]}
    assert "C610" in _rules(compare(old, new, mode="BACKWARD", policy="strict"))


# --- OpenApi3 documents: the API refuses what the CLI refuses ----------------------------------


def _openapi(detail: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.0",
        "info": {"title": "OrderCreated", "version": "1.0.0"},
        "paths": {},
        "components": {
            "schemas": {
                "AWSEvent": {
                    "type": "object",
                    "required": ["detail"],
                    "properties": {"detail": {"$ref": "#/components/schemas/OrderCreated"}},
                },
                "OrderCreated": detail,
            }
        },
    }


def test_the_api_refuses_an_openapi_document_with_const_like_the_cli(
    tmp_path: Path, cli: CliRunner
) -> None:
    valid = _openapi({"type": "object", "properties": {"currency": {"type": "string"}}})
    holding_const = _openapi(
        {"type": "object", "properties": {"currency": {"type": "string", "const": "EUR"}}}
    )
    with pytest.raises(InputError, match="/components/schemas/OrderCreated/properties/currency"):
        compare(valid, holding_const)
    with pytest.raises(InputError, match="const"):
        compare(holding_const, valid)
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(valid))
    new.write_text(json.dumps(holding_const))
    result = cli(["compat", str(old), str(new)], tmp_path)
    assert result.code == 2 and "const" in result.err, result.both


# --- where the engine cannot decide, it says so --------------------------------------------------


def test_a_break_without_a_counterexample_says_could_not_prove_compatible(
    tmp_path: Path, cli: CliRunner
) -> None:
    # Both reject every object holding "foo" (an object is never a string nor a number), so
    # no event can show a difference; the engine cannot prove that and says so.
    old = {"$schema": DRAFT7, "dependencies": {"foo": {"type": "string"}}}
    new = {"$schema": DRAFT7, "dependencies": {"foo": {"type": "number"}}}
    report = compare(old, new, mode="BACKWARD", policy="strict")
    [change] = report.breaking_changes
    assert change.proven is False and change.counterexample is None
    assert "could not prove compatible" in change.message.lower()
    assert change.as_dict()["proven"] is False
    # A proven break says so too.
    proven = compare({"type": "string"}, {"type": "string", "maxLength": 3}, mode="BACKWARD")
    assert proven.breaking_changes[0].as_dict()["proven"] is True

    old_file, new_file = tmp_path / "old.json", tmp_path / "new.json"
    old_file.write_text(json.dumps(old))
    new_file.write_text(json.dumps(new))
    args = ["compat", str(old_file), str(new_file), "--mode", "BACKWARD", "--policy", "strict"]
    text = cli(args, tmp_path)
    assert text.code == 1 and "could not prove compatible" in text.out, text.both
    payload = json.loads(cli([*args, "--format", "json"], tmp_path).out)
    assert [change["proven"] for change in payload["changes"] if change["breaking"]] == [False]


# --- lenient takes a closed reader at its word ---------------------------------------------------


def _closed(**extra: Any) -> dict[str, Any]:
    schema = _event(("id", {"type": "string"}), required=["id"])
    schema["properties"]["detail"].update(extra)
    return schema


@pytest.mark.parametrize(
    "opened",
    [
        {},  # additionalProperties: false dropped
        {"additionalProperties": {"type": "string"}},  # false -> a schema
    ],
)
def test_lenient_old_reader_that_closed_the_object_breaks_when_the_new_version_opens_it(
    opened: dict[str, Any],
) -> None:
    old, new = _closed(additionalProperties=False), _closed(**opened)
    forward = compare(old, new, mode="FORWARD", policy="lenient")
    assert not forward.compatible
    [change] = forward.breaking_changes
    _proves(old, new, change)
    assert set(change.counterexample["event"]["detail"]) - {"id"}  # an undeclared property
    # Consumers moving to a version that closes the object read what producers on the old one
    # send under lenient (Confluent's LENIENT agrees).
    assert compare(new, old, mode="BACKWARD", policy="lenient").compatible


def test_lenient_old_reader_restricting_extra_properties_breaks_when_lifted() -> None:
    old = _closed(additionalProperties={"type": "integer"})
    new = _closed()
    forward = compare(old, new, mode="FORWARD", policy="lenient")
    assert not forward.compatible
    _proves(old, new, forward.breaking_changes[0])


# --- counterexamples are built before they are searched for ------------------------------------


def test_a_max_items_break_gets_an_array_one_longer_built_directly() -> None:
    line = {
        "type": "object",
        "required": ["sku", "quantity"],
        "properties": {
            "sku": {"type": "string", "pattern": "^SKU-"},
            "quantity": {"type": "integer"},
        },
    }
    old = _event(("lines", {"type": "array", "items": line, "maxItems": 60}))
    new = _event(("lines", {"type": "array", "items": line, "maxItems": 50}))
    compare(old, new, mode="BACKWARD")  # the validators' first use is not what is measured
    started = time.perf_counter()
    report = compare(old, new, mode="BACKWARD")
    elapsed = time.perf_counter() - started
    [change] = report.breaking_changes
    _proves(old, new, change)
    assert len(change.counterexample["event"]["detail"]["lines"]) == 51
    assert elapsed < 1.0  # built, not searched: milliseconds (the search took seconds)


def test_a_max_properties_break_gets_an_object_one_larger() -> None:
    old = _event(("tags", {"type": "object", "maxProperties": 3}))
    new = _event(("tags", {"type": "object", "maxProperties": 2}))
    [change] = compare(old, new, mode="BACKWARD", policy="strict").breaking_changes
    _proves(old, new, change)
    assert len(change.counterexample["event"]["detail"]["tags"]) == 3
