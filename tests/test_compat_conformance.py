"""Confluent Schema Registry's own compatibility cases, run against our engine.

The suites live in ../shared/conformance/confluent-json-schema/ (see its README); the tests
run when that folder is present. Verdicts must match, BACKWARD under the strict policy and,
where the case gives one, under lenient. Where Confluent's verdict is provably wrong the case
is listed in CONFLUENT_IS_WRONG with the event that proves it, and the engine must report the
break with a counterexample that the jsonschema validators confirm.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from eventcontracts.compat import compare

SUITES = Path(__file__).parents[1].parent / "shared" / "conformance" / "confluent-json-schema"
FILES = sorted(SUITES.glob("*.json")) if SUITES.is_dir() else []

# Confluent says compatible; this event is valid under the original schema and invalid under
# the update, so readers on the update reject what writers on the original send.
CONFLUENT_IS_WRONG: dict[str, dict[str, Any]] = {
    # Confluent compares `required` only for properties both versions declare; "bar" is
    # declared by neither, yet the update requires it.
    "Detect required array to be changed": {"foo": ""},
}


def _cases() -> list[Any]:
    return [
        pytest.param(case, id=f"{path.stem}:{index}:{case['description']}")
        for path in FILES
        for index, case in enumerate(json.loads(path.read_text(encoding="utf-8")))
    ]


def _validator(schema: Any) -> Any:
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
    return cls(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.skipif(not FILES, reason=f"conformance suites not found at {SUITES}")
@pytest.mark.parametrize("case", _cases())
def test_confluent_case(case: dict[str, Any]) -> None:
    original, update = case["original_schema"], case["update_schema"]
    strict = compare(original, update, mode="BACKWARD", policy="strict")
    lenient = compare(original, update, mode="BACKWARD", policy="lenient")
    expected_lenient = case.get("compatible_lenient", case["compatible"])

    proof = CONFLUENT_IS_WRONG.get(case["description"])
    if proof is not None:
        assert case["compatible"], "only a verdict of compatible can be disproved by an event"
        assert _validator(original).is_valid(proof) and not _validator(update).is_valid(proof)
        assert not strict.compatible and not lenient.compatible
    else:
        assert strict.compatible == case["compatible"], [c.as_dict() for c in strict.changes]
        assert lenient.compatible == expected_lenient, [c.as_dict() for c in lenient.changes]

    # Every counterexample printed is real: accepted by the original, rejected by the update.
    for report in (strict, lenient):
        for change in report.breaking_changes:
            if change.counterexample is not None:
                event = change.counterexample["event"]
                assert _validator(original).is_valid(event), (change.name, event)
                assert not _validator(update).is_valid(event), (change.name, event)


def test_the_suites_are_all_here() -> None:
    if not FILES:
        pytest.skip(f"conformance suites not found at {SUITES}")
    assert sum(len(json.loads(path.read_text())) for path in FILES) == 263
