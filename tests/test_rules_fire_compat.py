"""Every compatibility rule (C###) is reported for its documented example, in the report of
``compat()`` and by the real ``eventcontracts compat`` reading the example from files.

A compat rule's example is its fixture: an old and a new schema (``Rule.example_schemas``) the
docs print. The report lists one change per place, so an example must make its own rule the
change listed there, not only a finding behind another rule's line.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import CliRunner
from eventcontracts.compat import arrays, compare, diff, objects
from eventcontracts.compat import rules as compat_rules
from eventcontracts.compat.rules import CATALOG
from rule_fixtures import rule_ids, rules_of

LETTER = "C"
DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def test_every_compat_rule_is_tested() -> None:
    ids = rule_ids(LETTER)
    assert len(ids) == len(CATALOG.rules) > 0
    assert sorted(ids) == sorted(CATALOG.rules)
    assert all(rule.example_schemas is not None for rule in rules_of(LETTER))


def test_every_rule_name_is_written_out_and_the_engine_names_none() -> None:
    # A search for a rule's name finds where it is defined: no name is put together at run
    # time. The engine reports rules by their constants, so it writes out no name either.
    catalog = inspect.getsource(compat_rules)
    names = {rule.name for rule in rules_of(LETTER)}
    assert [name for name in sorted(names) if f'"{name}"' not in catalog] == []
    for module in (diff, arrays, objects):
        literals = set(re.findall(r'"([a-z][a-z-]*)"', inspect.getsource(module)))
        assert literals & names == set(), module.__name__


@pytest.mark.parametrize("rule", rules_of(LETTER), ids=lambda rule: rule.id)
def test_the_report_of_the_documented_example_lists_the_rule(rule: Any) -> None:
    old, new = rule.example_schemas

    report = compare(old, new, mode="FULL", policy="strict", counterexamples=False)

    assert rule.id in {change.rule for change in report.changes}


def as_file(schema: Any, path: Path) -> Path:
    """The schema as a file ``compat`` reads. A file without ``$schema`` is read as draft-04
    (EventBridge's JSONSchemaDraft4); an example draft-04 does not accept (a boolean subschema,
    a number exclusiveMaximum) says which draft it is written in, draft-07."""
    if isinstance(schema, dict) and not jsonschema.Draft4Validator(
        jsonschema.Draft4Validator.META_SCHEMA
    ).is_valid(schema):
        schema = {"$schema": DRAFT_07, **schema}
    path.write_text(json.dumps(schema), encoding="utf-8")
    return path


@pytest.mark.parametrize("rule", rules_of(LETTER), ids=lambda rule: rule.id)
def test_compat_reports_the_rule_for_the_example_files(
    rule: Any, cli: CliRunner, tmp_path: Path
) -> None:
    old, new = rule.example_schemas
    as_file(old, tmp_path / "old.json")
    as_file(new, tmp_path / "new.json")
    args = ["old.json", "new.json", "--policy", "strict", "--format", "json"]

    result = cli(["compat", *args, "--no-counterexamples"], tmp_path)

    assert result.code in (0, 1), result.both  # compatible or not, but read
    assert rule.id in {change["rule"] for change in json.loads(result.out)["changes"]}
