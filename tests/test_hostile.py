"""Hostile input: every command on every crafted input of tests/hostile/, within bounds.

Each item (tests/hostile/items/, written by tests/hostile/make_items.py) runs through lint,
check, compat, generate, sample, rules check, rules test and import, each in its own process
(tests/hostile_corpus.py): it must use under 5 s of CPU and end within 15 s, in under 200 MB,
with no traceback, and either succeed where the input is legitimate for that command or fail
with exit 1 (findings on stdout) or exit 2 (one line on stderr). bench/hostile_table.py prints
the table (wall time).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import hostile_corpus as corpus
from eventcontracts.emulator import Emulator
from eventcontracts.findings import printable
from eventcontracts.sync.client import schemas_client

# Where exit 0 is the right answer: the input is legitimate for that command, or the command
# never reads it (lint and generate do not read bus rules; compat compares what it is given).
ALL = set(corpus.COMMANDS)
SUCCEEDS: dict[str, set[str]] = {
    # Accepted everywhere alike (compat used to refuse what lint accepted).
    "bom": ALL,
    # Valid schemas: only drawing 10^8 items is refused (rules test's exploring draws); sample
    # leaves the optional array out, as an event of the schema may.
    "min-items-1e8": {"lint", "compat", "generate", "sample", "import"},
    # The bomb is in a sample event or a consumer file: drawing an event reads neither, so
    # sample answers; every command that reads the whole registry refuses it.
    "alias-bomb-example": {"sample"},
    "alias-bomb-consumer": {"sample"},
    # Deep optional objects sample fine (drawn plainly below 8 levels); v2 drops a property,
    # which check reports for the bus rule that reads it.
    "nested-optional-25": {"lint", "compat", "generate", "sample", "rules test", "import"},
    # The names are legal: what matters is that no output line carries them raw.
    "injection-names": {"lint", "generate", "sample", "rules test", "import"},
    # Lint refuses the keys (L701); the other commands ignore them.
    "vendor-keys": ALL - {"lint"},
    # A remote $ref is refused by every reader but the ones that never follow refs.
    "id-cycle": {"generate", "import"},
    # A schema that refers to itself in place: lint reports it (L402), check and compat
    # refuse it in one line, sampling finds no value; generate and import take it as it is.
    "anyof-cycle": {"generate", "import"},
    "allof-cycle": {"generate", "import"},
    "not-itself": {"generate", "import"},
    # compat reads no settings.
    "config-dev-zero": {"compat"},
    # The regex item: the engine's work, not the reader's.
    "catastrophic-regex": {"lint", "compat", "generate", "sample", "rules test", "import"},
}


@pytest.fixture(scope="module")
def runs() -> dict[tuple[str, str], corpus.Run]:
    """Every command on every item, once for the module (two processes at a time)."""
    return {(run.item, run.command): run for run in corpus.run_all(corpus.item_names())}


def _params() -> list[Any]:
    return list(corpus.item_names())


@pytest.mark.parametrize("item", _params())
def test_every_command_on_a_hostile_input_ends_quickly_small_and_in_one_clear_line(
    item: str, runs: dict[tuple[str, str], corpus.Run]
) -> None:
    failures = []
    for command in corpus.commands_for(item):
        run = runs[(item, command)]
        allowed = {0, 1, 2} if command in SUCCEEDS.get(item, set()) else {1, 2}
        both = run.stdout + run.stderr
        stderr_lines = [line for line in run.stderr.splitlines() if line.strip()]
        problems = [
            f"used {run.cpu_seconds:.1f} s of CPU"
            if run.cpu_seconds >= corpus.TIME_LIMIT_S
            else "",
            f"took {run.seconds:.1f} s" if run.seconds >= corpus.WALL_LIMIT_S else "",
            f"peak {run.peak_mb:.0f} MB" if run.peak_mb >= corpus.MEMORY_LIMIT_MB else "",
            f"exit {run.exit_code}" if run.exit_code not in allowed else "",
            "a traceback" if "Traceback" in both else "",
            "an internal error" if "internal error" in both else "",
            f"{len(stderr_lines)} lines on stderr"
            if run.exit_code == 2 and len(stderr_lines) != 1
            else "",
            "exit 1 with nothing on stdout" if run.exit_code == 1 and not run.stdout else "",
        ]
        problems = [problem for problem in problems if problem]
        if problems:
            failures.append(f"{command}: {', '.join(problems)}: {run.stderr.strip()[:300]}")
    assert not failures, "\n".join(failures)


def test_no_output_line_of_any_command_is_a_workflow_command_from_the_schema(
    runs: dict[tuple[str, str], corpus.Run],
) -> None:
    forged = [
        f"{command}: {line}"
        for (item, command), run in runs.items()
        if item == "injection-names"
        for line in (run.stdout + run.stderr).splitlines()
        if line.lstrip().startswith(("::", "##["))
    ]
    assert not forged, "\n".join(forged)
    checked = runs[("injection-names", "check")]
    assert checked.exit_code == 1 and "\\n::error file=README.md" in checked.stdout


@pytest.mark.parametrize("output_format", ["text", "markdown", "junit", "github"])
def test_check_in_every_format_prints_the_injected_name_inert(
    output_format: str, tmp_path: Path, cli: Any
) -> None:
    project = corpus.lay_out("injection-names", tmp_path)
    result = cli(["check", "--format", output_format], project)
    assert result.code == 1, result.both
    commands = [line for line in result.out.splitlines() if line.lstrip().startswith("::")]
    if output_format != "github":
        assert not commands, commands
    # github's own annotations only, one line each, the schema's newlines %-encoded in them.
    assert all(line.startswith(("::error file=", "::warning file=")) for line in commands)
    assert output_format != "github" or any("%0A::add-mask::x" in line for line in commands)


def test_printable_escapes_what_ci_systems_and_terminals_act_on() -> None:
    assert printable("a\n::error x\r\n\x1b[31m") == "a\\n::error x\\r\\n\\x1b[31m"
    assert printable("::add-mask::x") == "\\x3a:add-mask::x"
    assert printable("  ##[error]x") == "  \\x23#[error]x"
    assert printable("\u202eevil\u2028\ud800") == "\\u202eevil\\u2028\\ud800"
    assert printable("C:\\path  plain text é") == "C:\\path  plain text é"


def test_a_file_larger_than_the_limit_is_one_finding_and_read_only_up_to_it(
    tmp_path: Path, cli: Any
) -> None:
    project = corpus.lay_out("bom", tmp_path)  # any small project
    big = project / corpus.SCHEMA / "examples" / "v1" / "big.json"
    big.parent.mkdir(parents=True)
    with big.open("wb") as stream:
        stream.truncate(6 * 1024 * 1024)  # sparse: 6 MiB of NUL bytes, nothing on disk
    result = cli(["lint", "--jobs", "1"], project)
    assert result.code == 1
    assert re.search(r"big\.json: L004 larger than 5 MiB", result.out), result.out


def test_lint_and_compat_agree_on_every_bounded_reading_refusal(tmp_path: Path, cli: Any) -> None:
    """The same file, the same rule, whether lint reads it in the registry or compat alone."""
    for item in ("duplicate-keys", "huge-integer", "number-1e400", "nan", "lone-surrogate"):
        project = corpus.lay_out(item, tmp_path)
        linted = cli(["lint", "--jobs", "1"], project)
        compared = cli(["compat", corpus.V1, corpus.target_of(item)], project)
        rule = re.search(r"v2\.json(?::\d+)?: (L00\d) ", linted.out)
        assert rule is not None, linted.out
        assert compared.code == 2 and f"({rule.group(1)};" in compared.err, compared.err


def test_pull_of_a_schema_whose_components_is_a_string_writes_it_for_lint_to_judge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    with Emulator() as emulator:
        client = schemas_client(region="us-east-1", endpoint_url=emulator.endpoint_url)
        client.create_registry(RegistryName="team")
        client.create_schema(
            RegistryName="team",
            SchemaName="com.team.things@Odd",
            Type="OpenApi3",
            Content=json.dumps({"openapi": "3.0.0", "components": "x"}),
        )
        project = tmp_path / "adopter"
        (project / "registry").mkdir(parents=True)
        (project / "eventcontracts.toml").write_text('[registry]\nname = "team"\n')
        pulled = cli(["pull", "--endpoint-url", emulator.endpoint_url], project)
    assert pulled.code in (0, 2), pulled.both
    assert "internal error" not in pulled.both and "Traceback" not in pulled.both
    if pulled.code == 2:
        assert len(pulled.err.strip().splitlines()) == 1
    else:
        linted = cli(["lint"], project)
        assert linted.code == 1 and "Odd/v1.json" in linted.out, linted.both


def test_sample_leaves_no_hypothesis_folder_in_the_working_folder(tmp_path: Path) -> None:
    project = corpus.lay_out("bom", tmp_path)
    run = corpus.run("bom", "sample", project)
    assert run.exit_code == 0, run.stderr
    assert not (project / ".hypothesis").exists()
