"""The command line itself: help, the `evc` alias, usage errors, `rules` and `init`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from conftest import CliRunner, parse_findings, run_cli
from eventcontracts.check.docs import rules_markdown as gate_page
from eventcontracts.check.rules import GATE_RULES
from eventcontracts.compat.docs import rules_markdown as compat_page
from eventcontracts.compat.rules import RULES as COMPAT_RULES
from eventcontracts.config import load_config
from eventcontracts.lint.catalog import RULES
from eventcontracts.lint.docs import rules_markdown
from eventcontracts.patterns.catalog import PATTERN_RULES
from eventcontracts.patterns.docs import rules_markdown as patterns_page

VENV_BIN = Path(sys.executable).parent


def test_main_help_has_an_example(tmp_path: Path) -> None:
    result = run_cli(["--help"], tmp_path)

    assert result.code == 0, result.both
    assert "Example" in result.out
    for command in ("lint", "init", "explain", "rules"):
        assert command in result.out


@pytest.mark.parametrize("command", ["lint", "init", "explain", "rules"])
def test_command_help_has_an_example(command: str, tmp_path: Path, cli: CliRunner) -> None:
    result = cli([command, "--help"], tmp_path)

    assert result.code == 0, result.both
    assert "Example" in result.out
    assert f"eventcontracts {command}" in result.out


def test_evc_alias_is_a_console_script(tmp_path: Path) -> None:
    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    assert scripts.get("evc") == scripts.get("eventcontracts") == "eventcontracts.cli:main"

    evc = shutil.which("evc", path=str(VENV_BIN))
    assert evc is not None, f"no evc in {VENV_BIN}"
    result = run_cli_program([evc, "--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Example" in result.stdout


def run_cli_program(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=60, check=False)


def test_version(tmp_path: Path, cli: CliRunner) -> None:
    result = cli(["--version"], tmp_path)

    assert result.code == 0
    assert "eventcontracts" in result.out
    assert "0.1.0" in result.out


@pytest.mark.parametrize(
    "args", [["--no-such-option"], ["lint", "--no-such-option"], ["lint", "--format", "xml"]]
)
def test_usage_error_exits_2(args: list[str], tmp_path: Path) -> None:
    result = run_cli(args, tmp_path)

    assert result.code == 2, result.both
    assert "Traceback" not in result.both
    assert result.out == ""
    assert result.err.strip()


def test_unknown_command_exits_2(tmp_path: Path, cli: CliRunner) -> None:
    result = cli(["lnit"], tmp_path)

    assert result.code == 2
    assert "Traceback" not in result.both
    assert "lnit" in result.err


# --- explain ---------------------------------------------------------------------------------


def test_explain_lists_every_rule(tmp_path: Path, cli: CliRunner) -> None:
    result = cli(["explain"], tmp_path)

    assert result.code == 0, result.both
    listed = {line.split()[0] for line in result.out.splitlines() if line.strip()}
    catalogs = [RULES, COMPAT_RULES, GATE_RULES, PATTERN_RULES]
    assert listed == {rule_id for catalog in catalogs for rule_id in catalog}
    for catalog in catalogs:
        for rule in catalog.values():
            assert rule.name in result.out


def test_explain_explains_one(tmp_path: Path, cli: CliRunner) -> None:
    result = cli(["explain", "L401"], tmp_path)

    assert result.code == 0, result.both
    rule = RULES["L401"]
    assert result.out.startswith(f"L401 {rule.name}: {rule.summary}")
    assert rule.example in result.out
    assert f"Fix: {rule.fix}" in result.out
    assert "L402" not in result.out


def test_explain_id_is_case_insensitive(tmp_path: Path, cli: CliRunner) -> None:
    assert cli(["explain", "l401"], tmp_path) == cli(["explain", "L401"], tmp_path)


def test_explain_unknown_id_exits_2(tmp_path: Path) -> None:
    result = run_cli(["explain", "L999"], tmp_path)

    assert result.code == 2, result.both
    assert "Traceback" not in result.both
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "L999" in lines[0]


def test_explain_json_and_markdown(tmp_path: Path, cli: CliRunner) -> None:
    as_text = cli(["explain"], tmp_path)
    as_json = cli(["explain", "--format", "json"], tmp_path)
    as_markdown = cli(["explain", "--format", "markdown"], tmp_path)

    assert as_text.code == as_json.code == as_markdown.code == 0
    listed = [rule["id"] for rule in json.loads(as_json.out)]
    assert listed == [line.split()[0] for line in as_text.out.splitlines()]
    assert listed == [*RULES, *COMPAT_RULES, *GATE_RULES, *PATTERN_RULES]
    for page in (rules_markdown, compat_page, gate_page, patterns_page):
        assert page() in as_markdown.out


def test_explain_one_rule_in_json_and_markdown(tmp_path: Path, cli: CliRunner) -> None:
    as_json = cli(["explain", "C500", "--format", "json"], tmp_path)
    as_markdown = cli(["explain", "k104", "--format", "markdown"], tmp_path)

    assert as_json.code == as_markdown.code == 0
    rule = json.loads(as_json.out)
    assert (rule["id"], rule["catalog"], rule["name"]) == (
        "C500",
        "compat",
        COMPAT_RULES["C500"].name,
    )
    assert rule["example"].startswith("old: ")
    assert as_markdown.out.startswith("## K104 `schema-removed`\n")
    assert as_markdown.out in gate_page()


# --- init ------------------------------------------------------------------------------------


def test_init_then_lint(tmp_path: Path) -> None:
    project = tmp_path / "orders-service"
    project.mkdir()

    init = run_cli(["init"], project)

    assert init.code == 0, init.both
    assert (project / "eventcontracts.toml").is_file()
    assert (project / "registry").is_dir()
    assert "eventcontracts.toml" in init.out
    config = load_config(project / "eventcontracts.toml")
    assert config.registry_path == (project / "registry").resolve()
    assert config.registry_name == "orders-service"

    lint = run_cli(["lint"], project)

    assert lint.code == 0, lint.both
    assert lint.out.strip().endswith("no problems.")


def test_init_a_named_folder_with_options(tmp_path: Path, cli: CliRunner) -> None:
    result = cli(["init", "repo", "--name", "orders-events", "--registry", "schemas"], tmp_path)

    assert result.code == 0, result.both
    config = load_config(tmp_path / "repo" / "eventcontracts.toml")
    assert config.registry_name == "orders-events"
    assert config.registry_path == (tmp_path / "repo" / "schemas").resolve()
    assert (tmp_path / "repo" / "schemas").is_dir()
    assert cli(["lint"], tmp_path / "repo").code == 0


def test_init_default_name_from_an_awkward_folder_name(tmp_path: Path, cli: CliRunner) -> None:
    project = tmp_path / "my orders service!"
    project.mkdir()

    result = cli(["init"], project)

    assert result.code == 0, result.both
    name = load_config(project / "eventcontracts.toml").registry_name
    assert name == "my-orders-service"


def test_init_twice_without_force_keeps_the_file(tmp_path: Path, cli: CliRunner) -> None:
    assert cli(["init"], tmp_path).code == 0
    config = tmp_path / "eventcontracts.toml"
    edited = config.read_text(encoding="utf-8").replace("FULL", "BACKWARD")
    config.write_text(edited, encoding="utf-8")

    result = cli(["init"], tmp_path)

    assert result.code == 2, result.both
    assert "Traceback" not in result.both
    assert "--force" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert config.read_text(encoding="utf-8") == edited


def test_init_force_overwrites(tmp_path: Path, cli: CliRunner) -> None:
    config = tmp_path / "eventcontracts.toml"
    config.write_text("# mine\n", encoding="utf-8")

    result = cli(["init", "--force"], tmp_path)

    assert result.code == 0, result.both
    assert "[registry]" in config.read_text(encoding="utf-8")


def test_init_bad_name_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    result = run_cli(["init", "--name", "bad name!"], tmp_path)

    assert result.code == 2, result.both
    assert "Traceback" not in result.both
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "bad name!" in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_init_registry_lints_with_a_first_schema(tmp_path: Path, cli: CliRunner) -> None:
    # The next step `init` prints: add registry/<source>/<Name>/v1.json and run lint.
    assert cli(["init"], tmp_path).code == 0
    schema = tmp_path / "registry" / "com.example.orders" / "OrderCreated" / "v1.json"
    schema.parent.mkdir(parents=True)
    schema.write_text(
        json.dumps(
            {
                "$schema": "http://json-schema.org/draft-04/schema#",
                "type": "object",
                "x-amazon-events-source": "com.example.orders",
                "x-amazon-events-detail-type": "Order Created",
                "properties": {"detail": {"type": "object"}},
            }
        ),
        encoding="utf-8",
    )

    result = cli(["lint"], tmp_path)
    summary = json.loads(cli(["lint", "--format", "json"], tmp_path).out)["summary"]

    assert result.code == 0, result.both
    assert parse_findings(result.out) == []
    assert summary == {"schemas": 1, "versions": 1, "examples": 0, "problems": 0}


def test_a_file_the_system_refuses_is_one_line_naming_it(
    example_project: Path, cli: CliRunner
) -> None:
    # [codegen] out naming a file: the system's "Not a directory" is the user's to fix, told
    # as that path and reason (exit 2), not as an internal error to report.
    (example_project / "not-a-folder").write_text("", encoding="utf-8")
    config = example_project / "eventcontracts.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('out = "generated"', 'out = "not-a-folder"'),
        encoding="utf-8",
    )
    result = cli(["generate"], example_project)
    assert result.code == 2, result.both
    assert "internal error" not in result.err and "Traceback" not in result.err
    (line,) = result.err.strip().splitlines()
    # generate's own writer names the path it could not write (codegen/output.py); cli.main's
    # rule for file errors is the net under every other command.
    assert line.startswith("error: ") and str(example_project / "not-a-folder") in line
    assert "Not a directory" in line
