"""The CI gate checks the bus rules: a schema change that stops a rule routing fails the PR.

Real git repositories made from the example project (registry, config, rules/, infra/). The
schema change under test is compatible in the mode the test sets, so only the rule catches it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner, git, line_of, make_repo, write_schema
from eventcontracts.patterns.catalog import PATTERN_RULES

ORDER_CREATED = Path("registry/com.mycompany.orders/OrderCreated")
BIG_SPENDER = Path("rules/order-big-spender.json")
OUT_OF_STOCK = Path("rules/inventory-not-out-of-stock.json")
CREATED = "com.mycompany.orders@OrderCreated"
FORMATS = ("text", "json", "github", "junit", "markdown", "sarif")
# New readers of OrderCreated read old events; they ignore properties they do not know.
BACKWARD_OVERRIDE = f'\n[schemas."{CREATED}"]\nmode = "BACKWARD"\npolicy = "lenient"\n'


def commit_on_main(repo: Path, change: Any) -> None:
    """Change the project on main (the base the PR is checked against), then back to pr."""
    git(repo, "checkout", "-q", "main")
    change(repo)
    git(repo, "commit", "-qam", "base")
    git(repo, "checkout", "-q", "pr")
    git(repo, "rebase", "-q", "main")


def edit_config(repo: Path, edit: Any) -> None:
    config = repo / "eventcontracts.toml"
    config.write_text(edit(config.read_text(encoding="utf-8")), encoding="utf-8")


def without_rules(text: str) -> str:
    """The config without its [rules] table."""
    head, _, tail = text.partition("\n[rules]\n")
    assert tail, "the example config has no [rules] table; update the test"
    _, next_table, rest = tail.partition("\n[")
    return head + "\n" + next_table + rest


def base_for_a_rename(repo: Path) -> None:
    """OrderCreated in BACKWARD/lenient, and no consumer file reading totalAmount: a rename of
    totalAmount breaks neither compatibility nor a consumer, only the bus rule on it."""
    edit_config(repo, lambda text: text + BACKWARD_OVERRIDE)
    analytics = repo / ORDER_CREATED / "consumers" / "analytics.yaml"
    text = analytics.read_text(encoding="utf-8")
    total = "  - field: totalAmount\n    type: number\n    minimum: 0\n"
    assert total in text, "the example's analytics consumer changed; update the test"
    analytics.write_text(text.replace(total, ""), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The example project on main, ready for a rename of totalAmount; branch pr."""
    root = make_repo(tmp_path / "repo")
    commit_on_main(root, base_for_a_rename)
    return root


def rename_total_amount(repo: Path) -> None:
    """OrderCreated v3: v2 with totalAmount renamed to an optional orderTotal. Compatible under
    BACKWARD/lenient: v3 readers ignore the old field and do not need the new one."""
    document = json.loads((repo / ORDER_CREATED / "v2.json").read_text(encoding="utf-8"))
    document["info"]["version"] = "3.0.0"
    detail = document["components"]["schemas"]["OrderCreated"]
    detail["properties"]["orderTotal"] = detail["properties"].pop("totalAmount")
    detail["required"].remove("totalAmount")
    write_schema(repo / ORDER_CREATED / "v3.json", document)


def check(cli: CliRunner, repo: Path, *args: str) -> tuple[int, str]:
    result = cli(["check", *args], repo)
    assert "Traceback" not in result.both
    return result.code, result.out + result.err


def problems(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [problem for schema in report["schemas"] for problem in schema["problems"]]


def test_a_renamed_routed_field_fails_the_pr_at_the_rule(repo: Path, cli: CliRunner) -> None:
    rename_total_amount(repo)

    code, out = check(cli, repo, "--against", "main")

    assert code == 1, out
    line = line_of(repo / BIG_SPENDER, "totalAmount")
    assert f"FAIL {CREATED} (v1, v2, v3; BACKWARD, lenient)" in out
    assert (
        f"  {BIG_SPENDER.as_posix()}:{line}: P101 path-missing: bus rule order-big-spender: "
        f"detail.totalAmount is not in {CREATED} v3; v2 has it, v3 adds detail.orderTotal "
        "(renamed?)"
    ) in out
    assert "update the bus rule with the schema, or keep the schema as the rule reads it" in out
    assert out.rstrip().endswith("1 breaking change in 1 schema.")
    breaks, _, changelog = out.partition("Compatible changes")
    assert not re.search(r"\bC[0-9]{3}\b", breaks), "the rename is compatible: only the rule fails"
    assert re.search(r"\bC[0-9]{3}\b", changelog), "and the changelog lists it"


def test_the_same_pr_passes_without_rules_configured(repo: Path, cli: CliRunner) -> None:
    commit_on_main(repo, lambda r: edit_config(r, without_rules))
    rename_total_amount(repo)

    code, out = check(cli, repo, "--against", "main")

    assert code == 0, out
    assert "no breaking changes" in out and "P101" not in out


def test_json_carries_the_rule_problem(repo: Path, cli: CliRunner) -> None:
    rename_total_amount(repo)

    code, out = check(cli, repo, "--against", "main", "--format", "json")

    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    assert report["summary"]["problems"] == report["summary"]["failing_schemas"] == 1
    (problem,) = problems(report)
    assert problem["rule"] == "P101" and problem["name"] == "path-missing"
    assert (problem["schema"], problem["version"]) == (CREATED, 3)
    assert problem["bus_rule"] == "order-big-spender"
    assert problem["file"] == BIG_SPENDER.as_posix()
    assert problem["line"] == line_of(repo / BIG_SPENDER, "totalAmount")
    assert problem["pointer"] == "/detail/totalAmount"
    assert problem["breaking"] is True and problem["waived"] is False


def test_sarif_locates_the_rule_file(repo: Path, cli: CliRunner) -> None:
    rename_total_amount(repo)

    code, out = check(cli, repo, "--against", "main", "--format", "sarif")

    assert code == 1
    (run,) = json.loads(out)["runs"]
    (rule,) = run["tool"]["driver"]["rules"]
    assert rule == {
        "id": "P101",
        "name": "path-missing",
        "shortDescription": {"text": PATTERN_RULES["P101"].summary},
    }
    (result,) = run["results"]
    assert (result["ruleId"], result["level"]) == ("P101", "error")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == BIG_SPENDER.as_posix()
    assert location["region"]["startLine"] == line_of(repo / BIG_SPENDER, "totalAmount")
    assert result["properties"]["schema"] == CREATED and result["properties"]["version"] == 3
    assert "bus rule order-big-spender: detail.totalAmount" in result["message"]["text"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_fails_with_the_rule_file(repo: Path, cli: CliRunner, fmt: str) -> None:
    rename_total_amount(repo)

    code, out = check(cli, repo, "--against", "main", "--format", fmt)

    assert code == 1, out
    assert re.search(r"\bP101\b", out) and BIG_SPENDER.as_posix() in out
    assert "totalAmount" in out


def test_a_pr_that_only_edits_a_rule_file_is_checked(repo: Path, cli: CliRunner) -> None:
    rule_file = repo / OUT_OF_STOCK
    rule_file.write_text(rule_file.read_text(encoding="utf-8").replace('"reason"', '"reasn"'))

    code, out = check(cli, repo, "--against", "main", "--format", "json")

    assert code == 1, out
    report = json.loads(out)
    (problem,) = problems(report)
    assert problem["rule"] == "P101" and problem["file"] == OUT_OF_STOCK.as_posix()
    assert problem["schema"] == "com.mycompany.inventory@InventoryReservationFailed"
    assert problem["line"] == line_of(rule_file, "reasn")
    assert "detail.reasn is not in" in problem["message"]
    assert "did you mean detail.reason?" in problem["message"]


def test_a_rule_the_pr_does_not_touch_is_not_blamed(repo: Path, cli: CliRunner) -> None:
    """A broken rule on main, for a schema the PR leaves alone: not this PR's problem."""
    commit_on_main(
        repo,
        lambda r: (r / OUT_OF_STOCK).write_text(
            (r / OUT_OF_STOCK).read_text(encoding="utf-8").replace('"reason"', '"reasn"')
        ),
    )
    rename_total_amount(repo)  # still breaks the big-spender rule
    code, out = check(cli, repo, "--against", "main", "--format", "json")

    assert code == 1
    assert [p["file"] for p in problems(json.loads(out))] == [BIG_SPENDER.as_posix()]
    # Without --against every rule is checked: both show.
    code, out = check(cli, repo, "--format", "json")
    assert code == 1
    found = {p["file"] for p in problems(json.loads(out)) if p["rule"] == "P101"}
    assert found == {BIG_SPENDER.as_posix(), OUT_OF_STOCK.as_posix()}


def test_a_waiver_accepts_the_rule_problem(repo: Path, cli: CliRunner) -> None:
    rename_total_amount(repo)
    expires = dt.date.today() + dt.timedelta(days=30)
    (repo / "eventcontracts-waivers.toml").write_text(
        f'[[waiver]]\nschema = "{CREATED}"\nversion = 3\nrule = "path-missing"\n'
        f'reason = "The big-spender rule moves to orderTotal in PLAT-77."\nexpires = {expires}\n',
        encoding="utf-8",
    )

    code, out = check(cli, repo, "--against", "main")

    assert code == 0, out
    assert "waived: The big-spender rule moves to orderTotal in PLAT-77." in out
    assert out.rstrip().endswith("no breaking changes; 1 waived.")


def test_a_rule_file_that_does_not_load_is_exit_2(repo: Path, cli: CliRunner) -> None:
    (repo / "rules" / "broken.json").write_text('{"source": ["com.mycompany.orders"],\n')

    result = cli(["check", "--against", "main"], repo)

    assert (result.code, result.out) == (2, "")
    (line,) = result.err.splitlines()
    assert line.startswith("error: rules/broken.json:2: invalid JSON")


def test_warnings_are_notes_and_do_not_fail(repo: Path, cli: CliRunner) -> None:
    write_schema(
        repo / "rules" / "ec2-state.json",
        {"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]},
    )

    code, out = check(cli, repo, "--against", "main", "--format", "json")

    assert code == 0, out
    report = json.loads(out)
    (note,) = report["notes"]
    assert (note["rule"], note["file"], note["breaking"]) == (
        "P106",
        "rules/ec2-state.json",
        False,
    )


def test_a_pattern_about_no_schema_fails_on_the_bus_rules(repo: Path, cli: CliRunner) -> None:
    typo = write_schema(
        repo / "rules" / "typo.json", {"source": ["com.mycompany.orders"], "detail": 1}
    )

    code, out = check(cli, repo, "--against", "main")

    assert code == 1, out
    assert "FAIL bus rules (patterns that target no schema)" in out
    line = line_of(typo, '"detail"')
    assert f"rules/typo.json:{line}: P105 invalid-pattern: bus rule typo:" in out
    assert out.rstrip().endswith("1 breaking change in the bus rules.")
