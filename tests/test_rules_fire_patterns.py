"""Every bus-rule check (P###) fires on a rule file of its own, and its documented example
shows it.

A check's fixture is ``tests/rules/patterns/<ID>/``: bus-rule files that, added to the example
project (its registry, settings and bus rules, which pass), make ``eventcontracts rules check``
report it, failing the check for an error and not for a warning.

The examples are event patterns, so the test runs them: the pattern an example starts with is
written as a rule file of the example project and checked (``Runs``). An example that shows
only the ``detail`` part of a pattern speaks of the schema the other examples name,
com.mycompany.orders' Order Created, and is run in a pattern of that event. P107's example is
a line of a CloudFormation template, which its fixture holds (``Shown``).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE_BUS_RULES, EXAMPLE_CONFIG, EXAMPLE_REGISTRY, REPO_ROOT, CliRunner
from eventcontracts.patterns.catalog import CATALOG, ERROR
from rule_fixtures import Shown, fixture_folders, lay_over, rule_ids, rules_of

LETTER = "P"
FOLDERS = fixture_folders("patterns")
ORDER_CREATED = {"source": ["com.mycompany.orders"], "detail-type": ["Order Created"]}


class Runs:
    """The example starts with an event pattern (or its ``"detail": {...}`` part): run it."""


EXAMPLES: dict[str, Runs | Shown] = {
    "P101": Runs(),
    "P102": Runs(),
    "P103": Runs(),
    "P104": Runs(),
    "P105": Runs(),  # its first form; the second is an operator, not a pattern
    "P106": Runs(),
    "P107": Shown(("EventPattern: {source: [!Ref EventSource]}",)),
}


def example_project(root: Path) -> Path:
    """The repository's example project: registry, settings and its bus rules, which pass."""
    shutil.copytree(EXAMPLE_REGISTRY, root / "registry")
    shutil.copy(EXAMPLE_CONFIG, root / "eventcontracts.toml")
    for folder in EXAMPLE_BUS_RULES:
        shutil.copytree(REPO_ROOT / folder, root / folder)
    return root


def rules_check(cli: CliRunner, project: Path) -> tuple[int, set[str]]:
    result = cli(["rules", "check", "--format", "json"], project)
    assert result.code in (0, 1), result.both
    return result.code, {finding["rule"] for finding in json.loads(result.out)["findings"]}


def example_pattern(example: str) -> dict[str, Any]:
    """The pattern an example starts with; a ``"detail": {...}`` alone completed with the
    source and detail-type of Order Created."""
    decoder = json.JSONDecoder()
    if example.startswith("{"):
        pattern, _ = decoder.raw_decode(example)
        assert isinstance(pattern, dict), example
        return pattern
    key, end = decoder.raw_decode(example)
    separator = re.compile(r"\s*:\s*").match(example, end)
    assert key == "detail" and separator, f"not a pattern nor its detail: {example!r}"
    value, _ = decoder.raw_decode(example, separator.end())
    return {**ORDER_CREATED, "detail": value}


def test_every_pattern_rule_is_tested_and_nothing_else() -> None:
    ids = rule_ids(LETTER)
    assert len(ids) == len(CATALOG.rules) > 0
    assert sorted(FOLDERS) == sorted(ids)
    assert sorted(EXAMPLES) == sorted(ids)


def test_the_example_project_fires_no_rule(cli: CliRunner, tmp_path: Path) -> None:
    # Every fixture adds a rule file to this project: what a fixture fires, its file fires.
    assert rules_check(cli, example_project(tmp_path / "project")) == (0, set())


@pytest.mark.parametrize("rule", rules_of(LETTER), ids=lambda rule: rule.id)
def test_the_rule_fires_on_its_rule_file(rule: Any, cli: CliRunner, tmp_path: Path) -> None:
    assert rule.id in FOLDERS, f"{rule.id} has no fixture: add tests/rules/patterns/{rule.id}/"
    project = example_project(tmp_path / "project")
    lay_over(FOLDERS[rule.id], project)

    code, found = rules_check(cli, project)

    assert found == {rule.id}
    assert code == (1 if rule.severity == ERROR else 0)


@pytest.mark.parametrize("rule", rules_of(LETTER), ids=lambda rule: rule.id)
def test_the_documented_example_shows_the_rule(rule: Any, cli: CliRunner, tmp_path: Path) -> None:
    project = example_project(tmp_path / "project")
    how = EXAMPLES[rule.id]
    if isinstance(how, Shown):
        lay_over(FOLDERS[rule.id], project)
        assert how.problems(rule, project) == []
        return
    pattern = example_pattern(rule.example)
    (project / "rules" / "example.json").write_text(json.dumps(pattern), encoding="utf-8")

    _, found = rules_check(cli, project)

    assert rule.id in found, pattern
