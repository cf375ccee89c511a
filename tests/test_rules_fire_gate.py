"""Every gate rule (K###) fires on a pull request of its own, and its example is that PR.

A rule's fixture is ``tests/rules/gate/<ID>/``: on a real git repository holding the clean
project ``tests/rules/base/`` (plus the fixture's ``main/`` files) on main, the branch pr adds
or replaces the files of ``pr/`` and deletes those ``deleted.txt`` lists; ``eventcontracts
check --against main`` must report the rule. The gate's examples describe such a pull request
in words (a file edited, a table added to the settings), so each is checked against the
fixture's files as ``Shown`` quotes of it: the names, settings and values it shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner, git
from eventcontracts.check.rules import CATALOG
from rule_fixtures import CLEAN_PROJECT, Shown, fixture_folders, lay_over, rule_ids, rules_of

LETTER = "K"
FOLDERS = fixture_folders("gate")
ORDER_CREATED = "registry/com.example.orders/OrderCreated"

EXAMPLES: dict[str, Shown] = {
    "K101": Shown(("registry/com.example.orders/OrderCreated/v1.json",)),
    "K102": Shown(("v2.json",), absent=("OrderCreated/v1.json",)),
    "K103": Shown(('"x-amazon-events-detail-type": "OrderCreated"', "v2.json", '"Order Created"')),
    "K104": Shown((), absent=("registry/com.example.orders/OrderCancelled/",)),
    "K105": Shown(("expires = 2026-01-31", "eventcontracts-waivers.toml")),
    "K106": Shown(("consumers/shipping-service.yaml", "shippingAddress.country", "[DE, FR, NL]")),
    "K107": Shown(('[schemas."com.example.orders@OrderCreated"] mode = "NONE"',)),
    "K108": Shown(("[[waiver]]", '"com.example.orders@OrderCreated"', '"C500"')),
    "K109": Shown(('[schemas."com.example.orders@OrderCreatd"]',)),
    "K110": Shown(("allow-remote-refs = true", "[registry]")),
}


def pull_request(fixture: Path | None, root: Path) -> Path:
    """The clean project (and the fixture's main/) committed on main; the fixture's pr/ and
    deleted.txt committed on the branch pr, which is checked out."""
    lay_over(CLEAN_PROJECT, root)
    if fixture is not None and (fixture / "main").is_dir():
        lay_over(fixture / "main", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "checkout", "-qb", "pr")
    if fixture is not None:
        if (fixture / "pr").is_dir():
            lay_over(fixture / "pr", root)
        deleted = fixture / "deleted.txt"
        for line in deleted.read_text().splitlines() if deleted.is_file() else []:
            _delete(root, root / line)
        git(root, "add", "-A")
        git(root, "commit", "-qm", "the pull request")
    return root


def _delete(root: Path, path: Path) -> None:
    """Delete a file and the folders it leaves empty, as git's working tree would have it."""
    path.unlink()
    folder = path.parent
    while folder != root and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def check(cli: CliRunner, repo: Path) -> tuple[int, set[str]]:
    """The exit code, and the rules the JSON report names anywhere (problems, notes)."""
    result = cli(["check", "--against", "main", "--format", "json"], repo)
    assert result.code in (0, 1), result.both
    return result.code, set(_rules(json.loads(result.out)))


def _rules(report: Any) -> Iterator[str]:
    if isinstance(report, dict):
        if isinstance(report.get("rule"), str):
            yield report["rule"]
        for value in report.values():
            yield from _rules(value)
    elif isinstance(report, list):
        for item in report:
            yield from _rules(item)


def test_every_gate_rule_is_tested_and_nothing_else() -> None:
    ids = rule_ids(LETTER)
    assert len(ids) == len(CATALOG.rules) > 0
    assert sorted(FOLDERS) == sorted(ids)
    assert sorted(EXAMPLES) == sorted(ids)


def test_a_pull_request_that_changes_nothing_fires_no_rule(cli: CliRunner, tmp_path: Path) -> None:
    # Every fixture is a change to this project: what a fixture fires, its change fires.
    assert check(cli, pull_request(None, tmp_path / "repo")) == (0, set())


@pytest.mark.parametrize("rule", rules_of(LETTER), ids=lambda rule: rule.id)
def test_the_rule_fires_on_its_pull_request(rule: Any, cli: CliRunner, tmp_path: Path) -> None:
    assert rule.id in FOLDERS, f"{rule.id} has no fixture: add tests/rules/gate/{rule.id}/"
    repo = pull_request(FOLDERS[rule.id], tmp_path / "repo")

    code, found = check(cli, repo)

    assert rule.id in found, found
    # A K rule that is a problem fails the check; K105 (an expired waiver) is a note, and the
    # break it no longer waives fails it.
    assert code == 1


@pytest.mark.parametrize("rule", rules_of(LETTER), ids=lambda rule: rule.id)
def test_the_documented_example_is_the_pull_request(
    rule: Any, cli: CliRunner, tmp_path: Path
) -> None:
    repo = pull_request(FOLDERS[rule.id], tmp_path / "repo")

    assert EXAMPLES[rule.id].problems(rule, repo) == []
