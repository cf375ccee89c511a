"""The CI gate against real git repositories built from the example catalog."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner, git, make_repo
from eventcontracts.check.runner import check
from eventcontracts.config import load_config

ORDERS = Path("registry/com.mycompany.orders")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The example catalog committed on main, with a branch 'pr' checked out."""
    return make_repo(tmp_path / "repo")


def edit_json(path: Path, change: Callable[[Any], None], to: Path | None = None) -> None:
    document = json.loads(path.read_text())
    change(document)
    (to or path).write_text(json.dumps(document, indent=2) + "\n")


def order_created(document: Any) -> Any:
    return document["components"]["schemas"]["OrderCreated"]


def new_version(repo: Path, change: Callable[[Any], None]) -> None:
    folder = repo / ORDERS / "OrderCreated"
    edit_json(folder / "v2.json", change, to=folder / "v3.json")


def run(cli: CliRunner, repo: Path, *extra: str) -> tuple[int, str]:
    result = cli(["check", "--against", "main", *extra], repo)
    assert "Traceback" not in result.both
    return result.code, result.out + result.err


def test_a_compatible_new_version_passes(repo: Path, cli: CliRunner) -> None:
    new_version(repo, lambda d: order_created(d)["properties"].update(giftNote={"type": "string"}))
    code, out = run(cli, repo)
    assert code == 0, out
    assert "no breaking changes" in out and "unchanged schemas skipped" in out


BREAKS: dict[str, tuple[Callable[[Path], None], str]] = {
    "required field removed": (
        lambda repo: new_version(
            repo,
            lambda d: (
                order_created(d)["properties"].pop("customerId"),
                order_created(d)["required"].remove("customerId"),
            ),
        ),
        "C304",
    ),
    "enum value added": (
        lambda repo: new_version(
            repo, lambda d: order_created(d)["properties"]["currency"]["enum"].append("JPY")
        ),
        "C500",
    ),
    "type narrowed": (
        lambda repo: new_version(
            repo, lambda d: order_created(d)["properties"]["totalAmount"].update(type="integer")
        ),
        "C003",
    ),
    "published version edited": (
        lambda repo: edit_json(
            repo / ORDERS / "OrderCreated" / "v1.json",
            lambda d: order_created(d)["required"].append("channel"),
        ),
        "K101",
    ),
    "detail-type changed": (
        lambda repo: new_version(
            repo,
            lambda d: d["components"]["schemas"]["AWSEvent"].update(
                {"x-amazon-events-detail-type": "OrderCreated"}
            ),
        ),
        "K103",
    ),
    "schema removed": (
        lambda repo: shutil.rmtree(repo / ORDERS / "OrderCancelled"),
        "K104",
    ),
}


FORMATS = ("text", "json", "github", "junit", "markdown", "sarif")


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_each_kind_of_break_fails_with_its_rule_in_every_format(
    repo: Path, cli: CliRunner, case: str
) -> None:
    breaker, rule = BREAKS[case]
    breaker(repo)
    for output_format in FORMATS:
        code, out = run(cli, repo, "--format", output_format)
        assert code == 1, (output_format, out)
        assert re.search(rf"\b{rule}\b", out), (output_format, out)
    payload = json.loads(run(cli, repo, "--format", "json")[1])
    assert not payload["ok"]
    assert rule in {p["rule"] for s in payload["schemas"] for p in s["problems"]}


def test_whitespace_and_description_edits_of_published_versions_pass(
    repo: Path, cli: CliRunner
) -> None:
    path = repo / ORDERS / "OrderCreated" / "v1.json"
    edit_json(path, lambda d: order_created(d).update(description="Reworded."))
    path.write_text(path.read_text().replace("\n", "\n  ").rstrip() + "\n")  # reindented
    code, out = run(cli, repo)
    assert code == 0, out


def test_forward_breaks_pass_a_backward_schema(repo: Path, cli: CliRunner) -> None:
    # BACKWARD at the base ref: the settings a PR is judged by are the base's.
    git(repo, "checkout", "-q", "main")
    config = repo / "eventcontracts.toml"
    config.write_text(
        config.read_text() + '\n[schemas."com.mycompany.orders@OrderCreated"]\nmode = "BACKWARD"\n'
    )
    git(repo, "commit", "-qam", "OrderCreated is BACKWARD")
    git(repo, "checkout", "-qB", "pr", "main")
    BREAKS["enum value added"][0](repo)
    code, out = run(cli, repo)
    assert code == 0, out


def test_transitive_mode_checks_every_earlier_version(repo: Path) -> None:
    config = repo / "eventcontracts.toml"
    config.write_text(config.read_text().replace('mode = "FULL"', 'mode = "FULL_TRANSITIVE"', 1))
    new_version(repo, lambda d: order_created(d)["properties"].update(giftNote={"type": "string"}))
    result = check(load_config(config), against="main")
    assert result.ok and result.compared_pairs == 2  # v3 against v2 and v1


WAIVER = """
[[waiver]]
schema = "com.mycompany.orders@OrderCreated"
version = 3
rule = "C500"
reason = "Every consumer reads JPY since 2026-11-20 (PLAT-1234)."
expires = 2026-12-31
"""


def test_a_waiver_accepts_exactly_its_break_until_it_expires(repo: Path) -> None:
    BREAKS["enum value added"][0](repo)
    (repo / "eventcontracts-waivers.toml").write_text(WAIVER)
    config = load_config(repo / "eventcontracts.toml")

    before = check(config, against="main", today=dt.date(2026, 12, 31))
    assert before.ok
    (waived,) = before.problems
    assert waived.rule == "C500" and waived.waived_by and waived.waived_by.startswith("Every")

    after = check(config, against="main", today=dt.date(2027, 1, 1))
    assert not after.ok
    assert [note.rule for note in after.notes] == ["K105"]
    assert "expired on 2026-12-31" in after.notes[0].message

    # the same waiver does not cover another break
    BREAKS["type narrowed"][0](repo)  # rewrites v3 with only this change
    other = check(config, against="main", today=dt.date(2026, 12, 1))
    # (and, accepting nothing now, the waiver is reported unused: K108)
    assert not other.ok and {p.rule for p in other.problems} == {"C003", "K108"}


def test_without_against_versions_are_checked_against_each_other(repo: Path) -> None:
    new_version(repo, lambda d: order_created(d)["properties"]["currency"]["enum"].append("JPY"))
    result = check(load_config(repo / "eventcontracts.toml"))
    assert not result.ok and {p.rule for p in result.problems} == {"C500"}


def test_git_problems_are_one_line_and_exit_2(repo: Path, tmp_path: Path, cli: CliRunner) -> None:
    unknown = cli(["check", "--against", "no-such-branch"], repo)
    assert unknown.code == 2 and len(unknown.err.splitlines()) == 1
    # no remote to fetch from: the refs that exist instead of a fetch that cannot work
    assert "no such branch" in unknown.err and "main" in unknown.err
    assert "fetch" not in unknown.err

    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth=1", "--branch", "pr", f"file://{repo}", str(shallow))
    result = cli(["check", "--against", "main"], shallow)
    assert result.code == 2 and "shallow clone" in result.err

    outside = tmp_path / "plain"
    shutil.copytree(repo / "registry", outside / "registry")
    shutil.copy(repo / "eventcontracts.toml", outside)
    result = cli(["check", "--against", "main"], outside)
    assert result.code == 2 and "not inside a git repository" in result.err


def test_gate_rules_page_is_up_to_date() -> None:
    from conftest import REPO_ROOT
    from eventcontracts.check.docs import rules_markdown

    page = REPO_ROOT / "docs" / "gate-rules.md"
    assert page.read_text(encoding="utf-8") == rules_markdown(), "run `make docs`"


def test_a_branch_behind_main_is_not_blamed_for_what_main_gained(
    repo: Path, cli: CliRunner
) -> None:
    git(repo, "checkout", "-q", "main")
    shutil.copytree(repo / ORDERS / "OrderShipped", repo / ORDERS / "OrderReturned")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "main gains a schema after the branch left")
    git(repo, "checkout", "-q", "pr")
    new_version(repo, lambda d: order_created(d)["properties"].update(giftNote={"type": "string"}))
    code, out = run(cli, repo)
    assert code == 0, out


def test_check_leaves_nothing_behind(repo: Path, cli: CliRunner) -> None:
    import tempfile

    before = set(Path(tempfile.gettempdir()).glob("eventcontracts-base-*"))
    BREAKS["enum value added"][0](repo)
    assert run(cli, repo)[0] == 1
    assert set(Path(tempfile.gettempdir()).glob("eventcontracts-base-*")) == before
    assert not (repo / ".hypothesis").exists()
    assert git(repo, "status", "--porcelain", "--ignored") == git(
        repo, "status", "--porcelain", "--ignored"
    )


def test_the_fetch_hint_names_the_remote_branch(repo: Path, tmp_path: Path, cli: CliRunner) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--single-branch", "--branch", "pr", f"file://{repo}", str(clone))
    result = cli(["check", "--against", "origin/main"], clone)
    assert result.code == 2 and "git fetch origin main" in result.err
