"""The compatibility engine: its catalog, its verdicts on everyday changes, its CLI."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import REPO_ROOT, CliRunner
from eventcontracts.compat import compare
from eventcontracts.compat.docs import rules_markdown
from eventcontracts.compat.rules import BY_NAME, RULES

ORDERS = REPO_ROOT / "registry" / "com.mycompany.orders" / "OrderCreated"


def test_rules_page_is_up_to_date() -> None:
    page = REPO_ROOT / "docs" / "compat-rules.md"
    assert page.read_text(encoding="utf-8") == rules_markdown(), "run `make docs`"


@pytest.mark.parametrize("rule", list(RULES.values()), ids=lambda rule: rule.name)
def test_every_rule_has_an_example_that_shows_it(rule: Any) -> None:
    assert re.fullmatch(r"C[0-9]{3}", rule.id)
    assert rule.summary.endswith(".") and rule.inverse in BY_NAME
    old, new = rule.example_schemas
    report = compare(old, new, mode="FULL", policy="strict", counterexamples=False)
    found = {change.name for change in report.changes} | {
        difference.rule for difference in report.found["BACKWARD"]
    }
    assert rule.name in found


def _obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


CURRENCY = {"type": "string", "enum": ["USD", "EUR"]}


STRING, NUMBER = {"type": "string"}, {"type": "number"}
EVERYDAY = {
    # adding an enum value: old consumers reject the new value
    "enum value added": (CURRENCY, {**CURRENCY, "enum": ["USD", "EUR", "GBP"]}, {"FORWARD"}),
    # removing one: new consumers reject old events that carry it
    "enum value removed": (CURRENCY, {**CURRENCY, "enum": ["USD"]}, {"BACKWARD"}),
    # a bound tightened, and loosened
    "minimum raised": ({**NUMBER, "minimum": 0}, {**NUMBER, "minimum": 1}, {"BACKWARD"}),
    "maximum raised": ({**NUMBER, "maximum": 5}, {**NUMBER, "maximum": 9}, {"FORWARD"}),
    # a type narrowed, and made nullable
    "number to integer": (NUMBER, {"type": "integer"}, {"BACKWARD"}),
    "made nullable": (STRING, {"type": ["string", "null"]}, {"FORWARD"}),
    # nothing changed but the words
    "description": ({**STRING, "description": "a"}, {**STRING, "description": "b"}, set()),
}


@pytest.mark.parametrize("policy", ["lenient", "strict"])
@pytest.mark.parametrize("case", sorted(EVERYDAY))
def test_everyday_changes_to_a_field(case: str, policy: str) -> None:
    before, after, breaks = EVERYDAY[case]
    _check(_obj(f=before), _obj(f=after), policy, breaks)


@pytest.mark.parametrize(("policy", "breaks"), [("lenient", set()), ("strict", {"BACKWARD"})])
def test_an_optional_field_added_to_an_open_object(policy: str, breaks: set[str]) -> None:
    _check(_obj(a=STRING), _obj(a=STRING, b={"type": "integer"}), policy, breaks)


def test_a_field_made_required() -> None:
    _check(_obj(a=STRING), {**_obj(a=STRING), "required": ["a"]}, "lenient", {"BACKWARD"})


def _check(old: Any, new: Any, policy: str, breaks: set[str]) -> None:
    report = compare(old, new, mode="FULL", policy=policy)
    assert {d for change in report.changes for d in change.breaks} == breaks
    assert report.compatible == (not breaks)
    for change in report.breaking_changes:
        example = change.counterexample
        assert example is not None, change.as_dict()
        accepting = old if example["accepted_by"] == "old" else new
        rejecting = new if example["rejected_by"] == "new" else old
        assert jsonschema.Draft7Validator(accepting).is_valid(example["event"])
        assert not jsonschema.Draft7Validator(rejecting).is_valid(example["event"])


def test_modes_pick_the_directions() -> None:
    old, new = _obj(c=CURRENCY), _obj(c={**CURRENCY, "enum": ["USD", "EUR", "GBP"]})
    assert compare(old, new, mode="BACKWARD").compatible
    assert not compare(old, new, mode="FORWARD").compatible
    assert not compare(old, new, mode="FULL").compatible
    assert compare(old, new, mode="NONE").compatible
    assert not compare(old, new, mode="FULL_TRANSITIVE").compatible


def test_the_example_catalog_evolves_compatibly() -> None:
    old = json.loads((ORDERS / "v1.json").read_text())
    new = json.loads((ORDERS / "v2.json").read_text())
    report = compare(old, new)
    assert report.compatible
    assert {c.name for c in report.changes} == {"optional-property-added-to-open-content-model"}
    assert {c.location for c in report.changes} == {
        "detail.channel",
        "detail.customerEmail",
        "detail.discountCode",
    }


def test_an_openapi_field_made_nullable_shows_null_as_the_counterexample() -> None:
    old = json.loads((ORDERS / "v2.json").read_text())
    new = copy.deepcopy(old)
    new["components"]["schemas"]["OrderCreated"]["properties"]["customerId"]["nullable"] = True
    report = compare(old, new)
    (change,) = report.breaking_changes
    assert change.breaks == ["FORWARD"] and change.location == "detail.customerId"
    assert change.counterexample["at"] == "detail.customerId"
    assert change.counterexample["value"] is None
    assert change.old_path == "/components/schemas/OrderCreated/properties/customerId"


def test_recursive_schemas_terminate_and_changes_deep_inside_are_found() -> None:
    def tree(leaf: dict[str, Any]) -> dict[str, Any]:
        return {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$ref": "#/definitions/node",
            "definitions": {
                "node": {
                    "type": "object",
                    "properties": {
                        "value": leaf,
                        "children": {"type": "array", "items": {"$ref": "#/definitions/node"}},
                    },
                }
            },
        }

    assert compare(tree({"type": "string"}), tree({"type": "string"})).compatible
    report = compare(tree({"type": "string"}), tree({"type": "string", "maxLength": 3}))
    (change,) = report.breaking_changes
    assert change.name == "max-length-added" and change.breaks == ["BACKWARD"]
    assert change.old_path == "/definitions/node/properties/value/maxLength"


def _write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document))
    return path


def test_cli_exit_codes_and_json(tmp_path: Path, cli: CliRunner) -> None:
    old = _write(tmp_path / "old.json", _obj(c=CURRENCY))
    new = _write(tmp_path / "new.json", _obj(c={**CURRENCY, "enum": ["USD"]}))
    assert cli(["compat", str(old), str(old)], tmp_path).code == 0
    text = cli(["compat", str(old), str(new)], tmp_path)
    assert text.code == 1 and "enum-array-narrowed" in text.out and 'c = "EUR"' in text.out
    result = cli(["compat", str(old), str(new), "--format", "json", "--mode", "forward"], tmp_path)
    payload = json.loads(result.out)
    assert result.code == 0 and payload["compatible"] and payload["mode"] == "FORWARD"
    assert set(payload["changes"][0]) >= {
        "rule",
        "old_path",
        "new_path",
        "breaking",
        "message",
        "counterexample",
    }


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "not a schema"),
        ('{"type": "strng"}', "/type"),
        ('{"properties": {"a": {"$ref": "#/definitions/missing"}}}', "cannot be resolved"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, cli: CliRunner, content: str, says: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    good = _write(tmp_path / "good.json", _obj(a={"type": "string"}))
    result = cli(["compat", str(bad), str(good)], tmp_path)
    assert result.code == 2, result.both
    assert says in result.err and len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.both
