"""The gate's own settings: who decides the compatibility rules of a PR, strict settings
files, waivers that must match, the changelog, monorepo paths, and the git hints.

Real git repositories built from the example catalog (``make_repo``): main holds the
catalog, the branch 'pr' is checked out.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner, git, line_of, make_repo
from eventcontracts.check.settings import mode_tightens, tightens
from eventcontracts.config import Compatibility

ORDER_CREATED = Path("registry/com.mycompany.orders/OrderCreated")
SCHEMA = "com.mycompany.orders@OrderCreated"
CONFIG = "eventcontracts.toml"
WAIVERS = "eventcontracts-waivers.toml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


def add_v3(repo: Path, change: Callable[[Any], None], base: Path = Path()) -> Path:
    """v3 of OrderCreated as v2 changed by ``change`` (its detail schema)."""
    folder = repo / base / ORDER_CREATED
    document = json.loads((folder / "v2.json").read_text(encoding="utf-8"))
    change(document["components"]["schemas"]["OrderCreated"])
    document["info"]["version"] = "3.0.0"
    path = folder / "v3.json"
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def add_jpy(detail: Any) -> None:
    detail["properties"]["currency"]["enum"].append("JPY")  # C500 under FULL


def add_gift_note(detail: Any) -> None:
    detail["properties"]["giftNote"] = {"type": "string"}  # compatible


def append(repo: Path, name: str, text: str) -> None:
    with (repo / name).open("a", encoding="utf-8") as file:
        file.write(text)


def on_main(repo: Path, change: Callable[[], None]) -> None:
    git(repo, "checkout", "-q", "main")
    change()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "on main")
    git(repo, "checkout", "-qB", "pr", "main")


def check(cli: CliRunner, repo: Path, *args: str) -> tuple[int, str]:
    result = cli(["check", "--against", "main", *args], repo)
    assert "Traceback" not in result.both
    return result.code, result.out + result.err


def waiver(rule: str, *, version: int | None = None, **extra: str) -> str:
    lines = ["[[waiver]]", f'schema = "{SCHEMA}"', f'rule = "{rule}"']
    if version is not None:
        lines.append(f"version = {version}")
    lines += [f'{key} = "{value}"' for key, value in extra.items()]
    lines += ['reason = "Reviewed in PLAT-1 (all readers upgraded)."', "expires = 2999-12-31"]
    return "\n".join(lines) + "\n\n"


# --- 1. the base ref's settings judge a PR; loosening them is K107 --------------------------


def test_a_pr_loosening_the_default_mode_is_judged_by_the_base_settings(
    repo: Path, cli: CliRunner
) -> None:
    add_v3(repo, add_jpy)
    config = repo / CONFIG
    config.write_text(config.read_text().replace('mode = "FULL"', 'mode = "NONE"', 1))

    code, out = check(cli, repo)

    assert code == 1, out
    line = line_of(config, 'mode = "NONE"')
    assert f"{CONFIG}:{line}: K107 compatibility-loosened" in out
    assert "[compatibility] mode FULL -> NONE" in out
    assert "C500" in out  # judged by the base's FULL, the break is still found


def test_a_schema_override_loosening_is_k107_until_a_waiver_accepts_it(
    repo: Path, cli: CliRunner
) -> None:
    add_v3(repo, add_jpy)
    append(repo, CONFIG, f'\n[schemas."{SCHEMA}"]\nmode = "BACKWARD"\n')

    code, out = check(cli, repo)
    assert code == 1, out
    assert f'[schemas."{SCHEMA}"] mode FULL -> BACKWARD' in out and "C500" in out

    # a reviewed loosening: the PR's BACKWARD applies, under which adding JPY is compatible
    (repo / WAIVERS).write_text(waiver("K107"), encoding="utf-8")
    code, out = check(cli, repo)
    assert code == 0, out
    assert "waived K107" in out and "C500" in out.partition("Compatible changes")[2]


def test_one_waiver_for_every_schema_accepts_a_loosened_default(repo: Path, cli: CliRunner) -> None:
    add_v3(repo, add_jpy)
    config = repo / CONFIG
    config.write_text(config.read_text().replace('mode = "FULL"', 'mode = "BACKWARD"', 1))
    code, out = check(cli, repo)
    assert code == 1 and out.count("K107 compatibility-loosened") > 1, out

    # One reviewed decision for the default, not one waiver per schema it covers.
    (repo / WAIVERS).write_text(waiver("K107").replace(f'"{SCHEMA}"', '"*"'), encoding="utf-8")
    code, out = check(cli, repo)
    assert code == 0, out
    assert "waived K107" in out and "C500" in out.partition("Compatible changes")[2]

    # Nothing but a loosening takes "every schema".
    (repo / WAIVERS).write_text(waiver("C500").replace(f'"{SCHEMA}"', '"*"'), encoding="utf-8")
    code, out = check(cli, repo)
    assert code == 2 and 'schema = "*" is for a K107 waiver only' in out, out


def test_removing_a_stricter_override_is_loosening(repo: Path, cli: CliRunner) -> None:
    on_main(repo, lambda: append(repo, CONFIG, f'\n[schemas."{SCHEMA}"]\npolicy = "strict"\n'))
    config = repo / CONFIG
    config.write_text(config.read_text().split("\n[schemas.")[0] + "\n")  # every override gone

    code, out = check(cli, repo)

    assert code == 1, out
    assert f'its override [schemas."{SCHEMA}"] was removed' in out
    assert "[compatibility] policy strict -> lenient" in out


def test_tightening_is_allowed_and_applies(repo: Path, cli: CliRunner) -> None:
    add_v3(repo, add_gift_note)
    config = repo / CONFIG
    config.write_text(
        config.read_text()
        .replace('mode = "FULL"', 'mode = "FULL_TRANSITIVE"', 1)
        .replace('policy = "lenient"', 'policy = "strict"', 1)
    )
    _, out = check(cli, repo, "--format", "json")
    report = json.loads(out)
    assert not any(p["rule"] == "K107" for s in report["schemas"] for p in s["problems"])
    created = next(s for s in report["schemas"] if s["schema"] == SCHEMA)
    assert (created["mode"], created["policy"]) == ("FULL_TRANSITIVE", "strict")


@pytest.mark.parametrize(
    ("old", "new", "tighter"),
    [
        ("NONE", "BACKWARD", True),
        ("BACKWARD", "FULL", True),
        ("FORWARD", "FULL_TRANSITIVE", True),
        ("FULL", "FULL_TRANSITIVE", True),
        ("FULL", "FULL", True),
        ("BACKWARD", "FORWARD", False),  # drops the backward check: loosening one side
        ("BACKWARD_TRANSITIVE", "FULL", False),  # FULL no longer checks v1 against v3
        ("FULL", "BACKWARD", False),
        ("BACKWARD", "NONE", False),
    ],
)
def test_the_order_of_modes(old: str, new: str, tighter: bool) -> None:
    assert mode_tightens(old, new) is tighter
    assert not tightens(Compatibility(old, "strict"), Compatibility(new, "lenient"))


# --- 2. strict settings files --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle", "mentions"),
    [
        ('\n[compatability]\nmode = "NONE"\n', "[compatability]", "did you mean 'compatibility'"),
        ('\n[lint]\nignore = ["L999"]\n', "L999", "'L999'"),
    ],
)
def test_unknown_settings_are_exit_2_with_file_line_and_a_suggestion(
    repo: Path, cli: CliRunner, text: str, needle: str, mentions: str
) -> None:
    append(repo, CONFIG, text)
    result = cli(["check", "--against", "main"], repo)
    assert result.code == 2 and result.out == ""
    (line,) = result.err.splitlines()
    assert f"{CONFIG}:{line_of(repo / CONFIG, needle)}: " in line and mentions in line


def test_a_misspelt_key_is_exit_2(repo: Path, cli: CliRunner) -> None:
    config = repo / CONFIG
    config.write_text(config.read_text().replace('mode = "FULL"', 'mdoe = "NONE"', 1))
    result = cli(["lint"], repo)
    (line,) = result.err.splitlines()
    assert result.code == 2
    assert f"{CONFIG}:{line_of(config, 'mdoe')}: unknown key 'mdoe' in [compatibility]" in line
    assert "did you mean 'mode'?" in line


def test_an_unknown_key_in_a_consumer_file_suggests_the_key(repo: Path, cli: CliRunner) -> None:
    path = repo / ORDER_CREATED / "consumers" / "returns.yaml"
    path.write_text("vesions: [1]\nreads: [orderId]\n", encoding="utf-8")
    result = cli(["check", "--against", "main"], repo)
    assert result.code == 2
    (line,) = result.err.splitlines()
    assert "returns.yaml:1" in line and "'vesions'" in line and "did you mean 'versions'" in line


def test_an_override_naming_no_schema_is_k109(repo: Path, cli: CliRunner) -> None:
    append(repo, CONFIG, '\n[schemas."com.mycompany.orders@OrderCreatd"]\nmode = "NONE"\n')
    code, out = check(cli, repo)
    assert code == 1, out
    line = line_of(repo / CONFIG, "OrderCreatd")
    assert f"{CONFIG}:{line}: K109 override-names-no-schema" in out
    assert f"did you mean '{SCHEMA}'" in out
    assert out.rstrip().endswith("in the settings.")


def test_a_waiver_with_an_unknown_key_or_rule_is_exit_2(repo: Path, cli: CliRunner) -> None:
    add_v3(repo, add_jpy)
    (repo / WAIVERS).write_text(waiver("C500", version=3, feild="detail.currency"))
    result = cli(["check", "--against", "main"], repo)
    assert result.code == 2, result.both
    (line,) = result.err.splitlines()
    assert f"{WAIVERS}:{line_of(repo / WAIVERS, 'feild')}: unknown key 'feild'" in line
    assert "did you mean 'field'?" in line

    (repo / WAIVERS).write_text(waiver("C5000", version=3))
    result = cli(["check", "--against", "main"], repo)
    assert result.code == 2 and "'C5000'" in result.err and "did you mean 'C500'" in result.err


def test_a_waiver_that_matches_nothing_is_k108(repo: Path, cli: CliRunner) -> None:
    add_v3(repo, add_gift_note)  # compatible: nothing to waive
    (repo / WAIVERS).write_text(waiver("C500", version=3))
    code, out = check(cli, repo)
    assert code == 1, out
    assert f"{WAIVERS}:1: K108 unused-waiver" in out and "matches no finding of v3" in out

    # without --against too, and for a schema that does not exist
    (repo / WAIVERS).write_text(waiver("C500").replace(SCHEMA, "com.mycompany.orders@Nope"))
    result = cli(["check"], repo)
    assert result.code == 1 and "names no schema of the registry" in result.out


def test_a_waiver_scoped_to_a_field_accepts_only_the_break_there(
    repo: Path, cli: CliRunner
) -> None:
    def two_enums(detail: Any) -> None:
        detail["properties"]["channel"]["enum"] = ["web", "pos"]
        detail["properties"]["discountCode"]["enum"] = ["WELCOME"]

    add_v3(repo, two_enums)
    code, out = check(cli, repo, "--format", "json")
    rules = {p["field"]: p["rule"] for s in json.loads(out)["schemas"] for p in s["problems"]}
    assert set(rules) == {"detail.channel", "detail.discountCode"}
    rule = rules["detail.channel"]
    assert rule == rules["detail.discountCode"]  # the same rule: only the field tells them apart

    (repo / WAIVERS).write_text(waiver(rule, version=3, field="detail.channel"))
    code, out = check(cli, repo)
    assert code == 1, out
    assert f"waived {rule}" in out  # a waived finding keeps its rule ID
    report = json.loads(check(cli, repo, "--format", "json")[1])
    by_field = {p["field"]: p["waived"] for s in report["schemas"] for p in s["problems"]}
    assert by_field == {"detail.channel": True, "detail.discountCode": False}


# --- 3. the compatible changes, a reviewer's changelog --------------------------------------


def test_check_lists_the_compatible_changes_after_the_breaks(repo: Path, cli: CliRunner) -> None:
    def gift_note_and_jpy(detail: Any) -> None:
        add_gift_note(detail)
        add_jpy(detail)

    add_v3(repo, gift_note_and_jpy)
    code, out = check(cli, repo)
    assert code == 1
    breaks, heading, changelog = out.partition("Compatible changes")
    assert heading and "C500" in breaks and "giftNote" not in breaks
    (added,) = [line for line in changelog.splitlines() if "giftNote" in line]
    assert added.startswith(f"  {SCHEMA} v3: {ORDER_CREATED.as_posix()}/v3.json:")
    assert " C" in added  # with its rule ID

    code, markdown = check(cli, repo, "--format", "markdown")
    table, _, section = markdown.partition("### Compatible changes")
    assert "C500" in table and "giftNote" in section


# --- 4. monorepo paths and --config after the subcommand -----------------------------------


def test_monorepo_paths_are_from_the_git_root_for_code_hosts(
    tmp_path: Path, cli: CliRunner
) -> None:
    root = tmp_path / "mono"
    make_repo(root / "events")
    shutil.rmtree(root / "events" / ".git")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "monorepo")
    git(root, "checkout", "-qb", "pr")
    add_v3(root, add_jpy, base=Path("events"))
    args = ["check", "--config", "events/eventcontracts.toml", "--against", "main"]

    github = cli([*args, "--format", "github"], root)
    assert github.code == 1, github.both
    assert f"file=events/{ORDER_CREATED.as_posix()}/v3.json," in github.out

    sarif = json.loads(cli([*args, "--format", "sarif"], root).out)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert f"events/{ORDER_CREATED.as_posix()}/v3.json" in uris

    junit = cli([*args, "--format", "junit"], root).out
    assert f"events/{ORDER_CREATED.as_posix()}/v3.json" in junit

    text = cli(args, root)  # for people: relative to the project, as before
    assert f"  {ORDER_CREATED.as_posix()}/v3.json:" in text.out


def test_config_is_accepted_after_every_subcommand(tmp_path: Path, cli: CliRunner) -> None:
    root = tmp_path / "mono"
    make_repo(root / "events")
    for args in (["lint"], ["rules", "check"], ["generate", "--check"]):
        result = cli([*args, "--config", "events/eventcontracts.toml"], root)
        assert "no such option" not in result.err, (args, result.err)
        assert result.code in (0, 1), (args, result.both)


# --- 5. the hint for a ref that is not there ------------------------------------------------


def test_a_missing_remote_ref_gets_a_hint_that_works(
    repo: Path, tmp_path: Path, cli: CliRunner
) -> None:
    result = cli(["check", "--against", "origin/main"], repo)  # no remote at all
    assert result.code == 2
    assert "git fetch origin origin/main" not in result.err
    assert "no remote 'origin'" in result.err and "main" in result.err.split("refs here:")[1]

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--single-branch", "--branch", "pr", f"file://{repo}", str(clone))
    result = cli(["check", "--against", "origin/main"], clone)
    assert result.code == 2 and "'git fetch origin main'" in result.err


# --- 6. plurals ---------------------------------------------------------------------------


def test_the_summary_counts_in_the_singular(repo: Path, cli: CliRunner) -> None:
    add_v3(repo, add_gift_note)
    code, out = check(cli, repo)
    summary = out.rstrip().splitlines()[-1]
    assert code == 0 and "(1 version pair compared," in summary, summary
    assert "unchanged schemas skipped" in summary  # 8 of them: the plural stays


def test_deleting_a_published_version_is_k102_at_its_path(repo: Path, cli: CliRunner) -> None:
    # Gate rule K102 had no test of its own (issue 15): v1 removed while v2 stays.
    (repo / ORDER_CREATED / "v1.json").unlink()
    shutil.rmtree(repo / ORDER_CREATED / "examples" / "v1", ignore_errors=True)

    code, out = check(cli, repo, "--format", "json")

    assert code == 1, out
    problems = [p for s in json.loads(out)["schemas"] for p in s["problems"]]
    (deleted,) = [p for p in problems if p["rule"] == "K102"]
    assert deleted["name"] == "published-version-deleted"
    assert (deleted["schema"], deleted["version"]) == (SCHEMA, 1)
    assert deleted["file"].endswith("OrderCreated/v1.json")


# --- 7. waivers: each one told apart, each one judged where the run could use it -----------

PAYMENT_FAILED = Path("registry/com.mycompany.payments/PaymentFailed")
BUS_RULES_WAIVER = """\
[[waiver]]
schema = "bus rules"
rule = "P104"
reason = "PaymentFailed retired; the rule goes in PLAT-2."
expires = 2999-12-31
"""


def test_a_bus_rules_waiver_is_unused_only_where_every_bus_rule_was_checked(
    repo: Path, cli: CliRunner
) -> None:
    # main: a rule that routes nothing (P104, about no schema), accepted by a waiver.
    def retire_payment_failed() -> None:
        shutil.rmtree(repo / PAYMENT_FAILED)
        (repo / WAIVERS).write_text(BUS_RULES_WAIVER, encoding="utf-8")

    on_main(repo, retire_payment_failed)
    assert cli(["check"], repo).code == 0  # the plain check uses the waiver

    # A PR that leaves the rule files alone checks no rule about PaymentFailed: the waiver
    # is not used, and not unused either (it was a false K108 "names no schema").
    add_v3(repo, add_gift_note)
    code, out = check(cli, repo)
    assert code == 0, out
    assert "K108" not in out

    # Once nothing is wrong with the rules, a run that checks them all calls it stale.
    rule = repo / "rules/payment-problems.json"
    rule.write_text(rule.read_text().replace('"Payment Failed"', '"Payment Processed"'))
    result = cli(["check"], repo)
    assert result.code == 1, result.both
    assert f"{WAIVERS}:1: K108 unused-waiver" in result.out
    assert "matches no finding of the bus rules" in result.out


def test_waivers_are_told_apart_whatever_their_toml_syntax(repo: Path, cli: CliRunner) -> None:
    add_v3(repo, add_jpy)  # C500 in v3: one waiver is used, the other (K105) is stale
    used = f'schema = "{SCHEMA}", version = 3, rule = "C500"'
    stale = f'schema = "{SCHEMA}", version = 3, rule = "K105"'
    dates = 'reason = "Reviewed in PLAT-1.", expires = 2999-12-31'

    # An array of inline tables: every waiver starts on the same line.
    (repo / WAIVERS).write_text(f"waiver = [\n  {{{used}, {dates}}},\n  {{{stale}, {dates}}},\n]\n")
    code, out = check(cli, repo)
    assert code == 1, out
    assert "waived C500" in out
    assert f"{WAIVERS}:1: K108 unused-waiver: the waiver of K105" in out

    # Headers with a comment, and with spaces inside the brackets: each at its own line.
    table = "\n".join(
        [
            "[[waiver]]  # PLAT-1",
            *used.split(", "),
            *dates.split(", "),
            "",
            "[[ waiver ]]",
            *stale.split(", "),
            *dates.split(", "),
        ]
    )
    (repo / WAIVERS).write_text(table + "\n")
    code, out = check(cli, repo)
    assert code == 1, out
    assert "waived C500" in out
    line = line_of(repo / WAIVERS, "[[ waiver ]]")
    assert f"{WAIVERS}:{line}: K108 unused-waiver: the waiver of K105" in out
    assert "K108 unused-waiver: the waiver of C500" not in out


def test_a_loosening_in_the_config_named_by_config_is_k107_at_that_file(
    repo: Path, cli: CliRunner
) -> None:
    on_main(repo, lambda: shutil.copy(repo / CONFIG, repo / "ci.toml"))
    ci = repo / "ci.toml"
    ci.write_text(ci.read_text().replace('mode = "FULL"', 'mode = "NONE"', 1))

    code, out = check(cli, repo, "--config", "ci.toml")

    assert code == 1, out  # the PR changed no schema: only the settings show the change
    line = line_of(ci, 'mode = "NONE"')
    assert f"ci.toml:{line}: K107 compatibility-loosened" in out
    assert f"{CONFIG}:" not in out


def git_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Every git command line the check runs from now on (the real git, logged on its way)."""
    real = shutil.which("git")
    assert real is not None
    log, shim = tmp_path / "git-calls.log", tmp_path / "shim"
    shim.mkdir()
    (shim / "git").write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec "{real}" "$@"\n')
    (shim / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")
    return lambda: log.read_text().splitlines() if log.exists() else []


def test_the_base_config_is_read_only_when_the_pr_changed_it_and_with_the_registry(
    repo: Path, tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = git_calls(tmp_path, monkeypatch)
    add_v3(repo, add_gift_note)
    code, out = check(cli, repo)
    assert code == 0, out
    listed = [call for call in calls() if call.startswith(("ls-tree", "--literal-pathspecs"))]
    assert listed and not any(CONFIG in call for call in listed), listed  # unchanged: not read
    assert sum("cat-file" in call for call in calls()) == 1, calls()

    # Changed, it is compared (K107), and read in the git calls that bring the registry.
    config = repo / CONFIG
    config.write_text(config.read_text().replace('mode = "FULL"', 'mode = "NONE"', 1))
    before = len(calls())
    code, out = check(cli, repo)
    assert code == 1 and "K107 compatibility-loosened" in out, out
    run = calls()[before:]
    assert sum("cat-file" in call for call in run) == 1, run
    assert sum(" ls-tree -r " in f" {call} " for call in run) == 1, run


def test_a_waivers_file_that_is_a_folder_is_exit_2(repo: Path, cli: CliRunner) -> None:
    add_v3(repo, add_jpy)
    (repo / WAIVERS).mkdir()
    (repo / WAIVERS / "orders.toml").write_text(waiver("C500", version=3))

    result = cli(["check", "--against", "main"], repo)

    assert result.code == 2, result.both
    (line,) = result.err.strip().splitlines()
    assert WAIVERS in line and "a folder" in line and "Traceback" not in result.both


def test_deleting_a_stricter_config_is_loosening(repo: Path, cli: CliRunner) -> None:
    # A PR that deletes eventcontracts.toml falls back to the defaults (FULL, lenient): where
    # the base held something stricter, that is a loosening like any other.
    on_main(repo, lambda: append(repo, CONFIG, f'\n[schemas."{SCHEMA}"]\npolicy = "strict"\n'))
    (repo / CONFIG).unlink()

    code, out = check(cli, repo)

    assert code == 1, out
    assert "K107 compatibility-loosened" in out and "policy strict -> lenient" in out
