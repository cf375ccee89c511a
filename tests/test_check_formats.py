"""Every output format of ``eventcontracts check`` on a real failing and a real clean PR; the
files that adopt the gate in CI; and the generated page of the formats' output."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from conftest import REPO_ROOT, CliResult, CliRunner, line_of, make_repo
from eventcontracts.check.model import CheckResult, Problem, SchemaOutcome
from eventcontracts.check.report import render_github, render_junit, render_markdown
from eventcontracts.check.rules import GATE_RULES
from eventcontracts.compat.rules import RULES
from eventcontracts.patterns.catalog import PATTERN_RULES

FORMATS = ["text", "json", "github", "junit", "markdown", "sarif"]
ORDERS = Path("registry/com.mycompany.orders")
CREATED_V3 = ORDERS / "OrderCreated" / "v3.json"
SHIPPED_V1 = ORDERS / "OrderShipped" / "v1.yaml"
PAYMENT_FAILED = Path("registry/com.mycompany.payments/PaymentFailed")
EXPECTED_RULES = {"C500", "K101", "K104", "K106", "P104"}
PAYMENT_RULE = Path("rules/payment-problems.json")
FX_RATES = ORDERS / "OrderCreated" / "consumers" / "fx-rates.yaml"
FX_RATES_TEXT = """\
# The FX service converts order totals; it has rates for three currencies.
owner: team-finance
versions: [2]
reads:
  - field: totalAmount
    type: number
  - field: currency
    enum: [USD, EUR, GBP]
"""
CHECK = ["check", "--against", "main", "--format"]

# `::error file=F,line=N,title=T::message`: properties cannot hold ':' (escaped as %3A).
GITHUB_COMMAND = re.compile(r"^::(?P<command>error|warning|notice) (?P<props>[^:]*)::(?P<msg>.*)$")


def new_order_created_version(root: Path, change: Any) -> None:
    folder = root / ORDERS / "OrderCreated"
    document = json.loads((folder / "v2.json").read_text(encoding="utf-8"))
    change(document["components"]["schemas"]["OrderCreated"])
    (root / CREATED_V3).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def failing_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four breaks: JPY added to an enum in v3, which a consumer added in the same PR does not
    handle; a published v1 edited; a schema removed, which a bus rule routes (five problems)."""
    root = make_repo(tmp_path_factory.mktemp("formats") / "failing")
    new_order_created_version(
        root, lambda schema: schema["properties"]["currency"]["enum"].append("JPY")
    )
    (root / FX_RATES).write_text(FX_RATES_TEXT, encoding="utf-8")
    shipped = root / SHIPPED_V1
    shipped.write_text(
        shipped.read_text(encoding="utf-8").replace("minItems: 1\n", "minItems: 2\n", 1),
        encoding="utf-8",
    )
    shutil.rmtree(root / PAYMENT_FAILED)
    return root


@pytest.fixture(scope="module")
def clean_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A compatible new version: v3 is v2 plus an optional property."""
    root = make_repo(tmp_path_factory.mktemp("formats") / "clean")
    new_order_created_version(
        root, lambda schema: schema["properties"].update(giftMessage={"type": "string"})
    )
    return root


_RUNS: dict[tuple[Path, str], CliResult] = {}


def check_once(cli: CliRunner, repo: Path, fmt: str) -> CliResult:
    """``check --against main --format FMT`` in ``repo``, run once per module: each run of the
    failing PR searches for counterexamples, which takes a second or two."""
    if (repo, fmt) not in _RUNS:
        _RUNS[repo, fmt] = cli([*CHECK, fmt], repo)
    return _RUNS[repo, fmt]


def failing_json(cli: CliRunner, repo: Path) -> dict[str, Any]:
    """The json report of the failing PR, the reference the other formats are held to."""
    result = check_once(cli, repo, "json")
    assert result.code == 1, result.both
    report: dict[str, Any] = json.loads(result.out)
    return report


def problems_of(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [problem for schema in report["schemas"] for problem in schema["problems"]]


# --- the failing PR, every format --------------------------------------------------------


def test_json_has_the_documented_keys(failing_repo: Path, cli: CliRunner) -> None:
    report = failing_json(cli, failing_repo)
    assert set(report) == {"version", "ok", "against", "summary", "schemas", "notes"}
    assert report["version"] == 1 and report["ok"] is False and report["against"] == "main"
    assert set(report["summary"]) == {
        "schemas",
        "failing_schemas",
        "problems",
        "waived",
        "compared_pairs",
        "consumer_checks",
        "unchanged_schemas_skipped",
    }
    assert report["summary"]["problems"] == 5
    assert report["summary"]["schemas"] == 3  # the bus rules are not a schema
    assert report["summary"]["consumer_checks"] == 4  # fx-rates: v2, v3; the others: v3
    for schema in report["schemas"]:
        assert set(schema) == {"schema", "mode", "policy", "versions", "ok", "problems", "changes"}
    assert report["schemas"][-1]["schema"] == "bus rules"
    problems = problems_of(report)
    assert {p["rule"] for p in problems} == EXPECTED_RULES
    for problem in problems:
        assert set(problem) == {
            "rule",
            "name",
            "schema",
            "version",
            "against",
            "file",
            "line",
            "pointer",
            "field",
            "breaking",
            "waived",
            "waiver_reason",
            "message",
            "counterexample",
            "proven",
            "consumer",
            "bus_rule",
        }


def test_the_check_finds_each_break_at_its_line(failing_repo: Path, cli: CliRunner) -> None:
    by_rule = {p["rule"]: p for p in problems_of(failing_json(cli, failing_repo))}
    enum = by_rule["C500"]
    assert (enum["file"], enum["version"], enum["against"]) == (CREATED_V3.as_posix(), 3, 2)
    lines = (failing_repo / CREATED_V3).read_text(encoding="utf-8").splitlines()
    assert '"enum"' in lines[enum["line"] - 1]
    assert enum["counterexample"]["at"] == "detail.currency"
    assert enum["counterexample"]["value"] == "JPY"
    edited = by_rule["K101"]
    assert edited["file"] == SHIPPED_V1.as_posix()
    assert edited["line"] == line_of(failing_repo / SHIPPED_V1, "minItems: 2")
    removed = by_rule["K104"]
    assert removed["version"] is None and removed["line"] is None
    assert removed["file"].startswith(PAYMENT_FAILED.as_posix())
    consumer = by_rule["K106"]
    assert (consumer["file"], consumer["line"]) == (CREATED_V3.as_posix(), enum["line"])
    assert consumer["consumer"] == {
        "name": "fx-rates",
        "owner": "team-finance",
        "file": FX_RATES.as_posix(),
        "line": line_of(failing_repo / FX_RATES, "field: currency"),
        "field": "currency",
    }
    assert consumer["counterexample"]["value"] == "JPY"
    routed = by_rule["P104"]
    assert (routed["schema"], routed["version"], routed["bus_rule"]) == (
        "bus rules",
        None,
        "payment-problems",
    )
    assert routed["file"] == PAYMENT_RULE.as_posix()
    assert routed["line"] == line_of(failing_repo / PAYMENT_RULE, '"Payment Failed"')
    assert '"Payment Failed"' in routed["message"] and "routes nothing" in routed["message"]


def test_text(failing_repo: Path, cli: CliRunner) -> None:
    code, out, _ = check_once(cli, failing_repo, "text")
    assert code == 1
    for rule in EXPECTED_RULES:
        assert f" {rule} " in out
    assert out.rstrip().endswith("5 breaking changes in 3 schemas and the bus rules.")
    assert "FAIL bus rules (patterns that target no schema)\n" in out
    assert (
        f"  {PAYMENT_RULE.as_posix()}:4: P104 targets-no-schema: bus rule payment-problems" in out
    )
    assert "v3 breaks consumer fx-rates (team-finance): it reads detail.currency" in out
    assert "counterexample (valid for v3, rejected by consumer fx-rates)" in out


def test_github_annotations(failing_repo: Path, cli: CliRunner) -> None:
    code, out, _ = check_once(cli, failing_repo, "github")
    assert code == 1
    *commands, summary = out.rstrip("\n").split("\n")
    assert not summary.startswith("::") and "5 breaking changes" in summary
    found = []
    for text in commands:
        match = GITHUB_COMMAND.match(text)
        assert match, f"not a workflow command: {text!r}"
        assert match["command"] == "error"
        props = dict(prop.split("=", 1) for prop in match["props"].split(","))
        assert set(props) <= {"file", "line", "title"} and "file" in props
        found.append((props["title"].split(" ")[0], props["file"], props.get("line")))
        assert "\n" not in match["msg"] and "\r" not in match["msg"]
    expected = [
        (p["rule"], p["file"], None if p["line"] is None else str(p["line"]))
        for p in problems_of(failing_json(cli, failing_repo))
    ]
    assert sorted(found, key=str) == sorted(expected, key=str)
    assert {rule for rule, _, line in found if line} == {"C500", "K101", "K106", "P104"}
    assert "v3 breaks consumer fx-rates (team-finance)" in out
    assert '%0Acounterexample: detail.currency = "JPY"' in out


def test_junit(failing_repo: Path, cli: CliRunner) -> None:
    code, out, _ = check_once(cli, failing_repo, "junit")
    assert code == 1
    suite = ET.fromstring(out.encode("utf-8"))
    assert suite.tag == "testsuite" and suite.get("name") == "eventcontracts check"
    cases = suite.findall("testcase")
    versions_checked = sum(
        len(s["versions"]) or 1 for s in failing_json(cli, failing_repo)["schemas"]
    )
    assert len(cases) == int(suite.get("tests", "")) == versions_checked == 6
    failures = [f for case in cases for f in case.findall("failure")]
    assert len(failures) == 5  # C500 and K106 both fail the v3 testcase
    failing_cases = [case for case in cases if case.find("failure") is not None]
    assert int(suite.get("failures", "")) == len(failing_cases) == 4
    assert {f.get("type") for f in failures} == EXPECTED_RULES
    names = {(c.get("classname"), c.get("name")): c for c in cases}
    enum = names[("com.mycompany.orders@OrderCreated", "v3")].find("failure")
    assert enum is not None and enum.text is not None
    assert enum.get("message", "").startswith("enum-array-extended: ")
    assert f"{CREATED_V3.as_posix()}:" in enum.text and '"value": "JPY"' in enum.text
    removed = names[("com.mycompany.payments@PaymentFailed", "schema")].find("failure")
    assert removed is not None and removed.get("type") == "K104"
    assert names[("com.mycompany.orders@OrderCreated", "v1")].find("failure") is None
    routed = names[("bus rules", "patterns")].find("failure")
    assert routed is not None and routed.get("type") == "P104"
    v3 = names[("com.mycompany.orders@OrderCreated", "v3")]
    (consumer,) = [f for f in v3.findall("failure") if f.get("type") == "K106"]
    assert "rejected by consumer fx-rates" in (consumer.text or "")


def test_markdown(failing_repo: Path, cli: CliRunner) -> None:
    code, out, _ = check_once(cli, failing_repo, "markdown")
    assert code == 1
    assert out.startswith(
        "## ❌ eventcontracts check: 5 breaking changes in 3 schemas and the bus rules\n"
    )
    assert "| Schema | Version | Rule | Where | What |" in out
    rows = [line for line in out.splitlines() if line.startswith("| `")]
    assert len(rows) == 5
    for rule in EXPECTED_RULES:
        assert f"{rule} `" in out
    assert out.count("<details>") == out.count("</details>") == 5
    assert f"Fix: {PATTERN_RULES['P104'].fix}" in out
    assert "v3 breaks consumer fx-rates (team-finance)" in out
    assert "```json\n" in out and '"value": "JPY"' in out


def test_sarif(failing_repo: Path, cli: CliRunner) -> None:
    code, out, _ = check_once(cli, failing_repo, "sarif")
    assert code == 1
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "eventcontracts" and driver["informationUri"].startswith("https://")
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert set(rule_ids) == EXPECTED_RULES
    for rule in driver["rules"]:
        catalog = RULES.get(rule["id"]) or GATE_RULES.get(rule["id"]) or PATTERN_RULES[rule["id"]]
        assert rule["name"] == catalog.name
        assert rule["shortDescription"]["text"] == catalog.summary
    results = run["results"]
    assert len(results) == 5
    for result, problem in zip(results, problems_of(failing_json(cli, failing_repo)), strict=True):
        assert result["ruleId"] in rule_ids
        assert rule_ids[result["ruleIndex"]] == result["ruleId"] == problem["rule"]
        assert result["level"] == "error" and result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == problem["file"]
        assert physical.get("region", {}).get("startLine") == problem["line"]
        if problem["consumer"]:
            (related,) = result["relatedLocations"]
            where = related["physicalLocation"]
            assert where["artifactLocation"]["uri"] == problem["consumer"]["file"]
            assert where["region"]["startLine"] == problem["consumer"]["line"]
            assert result["properties"]["consumer"]["name"] == "fx-rates"


# --- a clean PR passes in every format -----------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_compatible_new_version_passes_in_every_format(
    clean_repo: Path, cli: CliRunner, fmt: str
) -> None:
    code, out, err = cli([*CHECK, fmt], clean_repo)
    assert (code, err) == (0, "")
    if fmt == "json":
        assert json.loads(out)["ok"] is True
    elif fmt == "sarif":
        assert json.loads(out)["runs"][0]["results"] == []
    elif fmt == "junit":
        suite = ET.fromstring(out.encode("utf-8"))
        assert (suite.get("tests"), suite.get("failures")) == ("3", "0")
    elif fmt == "markdown":
        assert out.startswith("## ✅ eventcontracts check: no breaking changes")
    else:
        assert out.strip().endswith("no breaking changes.")
        assert "::error" not in out


# --- escaping, waivers and notes, on a result built by hand ---------------------------------


def test_a_break_without_a_counterexample_says_it_could_not_be_proven(
    tmp_path: Path, cli: CliRunner
) -> None:
    # additionalItems: false beside a list schema for items changes nothing a validator
    # accepts, but the engine cannot prove that: it must not pass for a proven break.
    root = make_repo(tmp_path / "unproven")
    new_order_created_version(
        root,
        lambda schema: schema["properties"]["items"].update(additionalItems=False),
    )
    report = json.loads(cli([*CHECK, "json"], root).out)
    (problem,) = problems_of(report)
    assert (problem["rule"], problem["proven"], problem["counterexample"]) == ("C419", False, None)
    assert "Could not prove compatible" in problem["message"]
    sarif = json.loads(cli([*CHECK, "sarif"], root).out)
    (result,) = sarif["runs"][0]["results"]
    assert result["properties"]["proven"] is False
    text = cli([*CHECK, "text"], root)
    assert text.code == 1 and "Could not prove compatible" in text.out


def test_a_proven_break_says_so(failing_repo: Path, cli: CliRunner) -> None:
    enum = [p for p in problems_of(failing_json(cli, failing_repo)) if p["rule"] == "C500"]
    assert enum and all(p["proven"] is True and p["counterexample"] for p in enum)


def tricky_result() -> CheckResult:
    def problem(rule: str, version: int | None, **extra: Any) -> Problem:
        return Problem(
            rule=rule,
            name="some-rule",
            schema="com.example@Odd",
            version=version,
            file="registry/com.example/Odd,1:2/v2.json",
            line=7,
            pointer="/x",
            message="100% sure | line one\r\nline two",
            **extra,
        )

    return CheckResult(
        against="main",
        outcomes=[
            SchemaOutcome(
                "com.example@Odd",
                "FULL",
                "lenient",
                versions=[1, 2],
                problems=[
                    problem("K101", 2),
                    problem("K103", 1, waived_by="accepted | PLAT-1 <b>"),
                ],
            )
        ],
        notes=[problem("K105", None, breaking=False)],
    )


def test_github_escapes_data_and_properties(capsys: pytest.CaptureFixture[str]) -> None:
    render_github(tricky_result())
    lines = capsys.readouterr().out.splitlines()
    file = "registry/com.example/Odd%2C1%3A2/v2.json"
    message = "100%25 sure | line one%0D%0Aline two"
    assert lines[0] == f"::error file={file},line=7,title=K101 some-rule::{message}"
    assert lines[1] == (
        f"::notice file={file},line=7,title=K103 some-rule::waived (accepted | PLAT-1 <b>): "
        f"{message}"
    )
    assert lines[2] == f"::warning file={file},line=7,title=K105 some-rule::{message}"
    assert len(lines) == 4


def test_junit_skips_waived_and_markdown_escapes_cells(capsys: pytest.CaptureFixture[str]) -> None:
    render_junit(tricky_result())
    suite = ET.fromstring(capsys.readouterr().out.encode("utf-8"))
    v1, v2 = suite.findall("testcase")
    skipped = v1.find("skipped")
    assert skipped is not None and skipped.get("message") == "waived: accepted | PLAT-1 <b>"
    assert v2.find("failure") is not None
    assert (suite.get("failures"), suite.get("skipped")) == ("1", "1")
    render_markdown(tricky_result())
    out = capsys.readouterr().out
    (row,) = [line for line in out.splitlines() if line.startswith("| `")]
    assert row.count(" | ") == 4 and "100% sure \\| line one" in row
    assert "### Waived" in out and "accepted | PLAT-1 &lt;b&gt;" in out
    assert "### Notes" in out


# --- the files that adopt the gate in CI ---------------------------------------------------


def test_pre_commit_hooks_and_action_parse_and_run_check() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"eventcontracts-check", "eventcontracts-lint"}
    check = by_id["eventcontracts-check"]
    assert check["entry"] == "eventcontracts check"
    assert (check["language"], check["pass_filenames"]) == ("python", False)
    assert re.match(check["files"], "registry/com.x/Y/v1.json")
    action_text = (REPO_ROOT / "action.yml").read_text(encoding="utf-8")
    action = yaml.safe_load(action_text)
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"against", "format", "python-version"}
    assert action["inputs"]["format"]["default"] == "github"
    assert "eventcontracts check" in action_text
    assert "${{ github.action_path }}" in action_text
    assert any("actions/setup-python" in step.get("uses", "") for step in action["runs"]["steps"])


# --- the generated page of every format's output ----------------------------------------


def load_docs_script() -> ModuleType:
    path = REPO_ROOT / "scripts" / "check_output_docs.py"
    spec = importlib.util.spec_from_file_location("check_output_docs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_check_output_page_is_up_to_date() -> None:
    page = REPO_ROOT / "docs" / "check-output.md"
    assert page.is_file(), "docs/check-output.md is missing; run `make docs`"
    generated = load_docs_script().page_markdown()
    assert page.read_text(encoding="utf-8") == generated, (
        "docs/check-output.md is stale; run `make docs`"
    )
    for fmt in FORMATS:
        assert f"## `--format {fmt}`" in generated
    assert "/tmp" not in generated and str(REPO_ROOT) not in generated
