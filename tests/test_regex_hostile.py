"""Catastrophic regular expressions from a pull request take well under 5 s, in every command.

``^(a+)+$`` against ``"a" * 34 + "!"`` takes Python's backtracking ``re`` minutes; every command
used to evaluate it that way (lint's example validation, check and compat through their
counterexample validators and compat/objects.py, rules check through patterns/fields.py,
sample through hypothesis' from_regex, the generated models through pydantic's python-re
engine). Each runs here as a separate process under a timeout, so a regression fails instead of
hanging the suite.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import CliResult, delivered_event, git, run_cli, write_schema

CATASTROPHIC = "^(a+)+$"
HOSTILE = "a" * 34 + "!"
UNDECLARED = "a" * 33 + "!"
LOOKAROUND = "^(?=a)(a|aa)+$"  # no linear-time engine reads it: budgeted, never a hang
LIMIT = 5.0
SOURCE = "com.example.hostile"


def _envelope(detail_schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": "Probe",
        "type": "object",
        "x-amazon-events-source": SOURCE,
        "x-amazon-events-detail-type": "Probe",
        "required": ["detail-type", "source", "detail"],
        "properties": {
            "detail": {"$ref": "#/definitions/Probe"},
            "detail-type": {"type": "string"},
            "source": {"type": "string"},
        },
        "definitions": {"Probe": detail_schema},
    }


def _detail(pattern_properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": "A probe with hostile patterns.",
        "required": ["code"],
        "properties": {
            "code": {"type": "string", "pattern": CATASTROPHIC, "maxLength": 64},
            "tags": {
                "type": "object",
                "properties": {HOSTILE: {"type": "string"}},
                "patternProperties": pattern_properties,
                "additionalProperties": False,
            },
        },
    }


def _event(detail: dict[str, Any]) -> dict[str, Any]:
    return delivered_event(
        SOURCE,
        "Probe",
        detail,
        "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        time="2026-11-02T10:15:33Z",
        region="eu-west-1",
    )


def _project(root: Path) -> Path:
    """v1 on main; the branch 'pr' adds v2, whose patternProperties change, an example with the
    hostile string in a value and a key, and a bus rule naming a field under the pattern."""
    root.mkdir(parents=True)
    (root / "eventcontracts.toml").write_text(
        '[registry]\npath = "registry"\nname = "hostile"\n\n'
        '[compatibility]\nmode = "FULL"\npolicy = "lenient"\n\n'
        '[rules]\npaths = ["rules/*.json"]\n\n'
        '[codegen]\npackage = "hostile_events"\ndistribution = "hostile-events"\n'
        'out = "generated"\n',
        encoding="utf-8",
    )
    folder = root / "registry" / SOURCE / "Probe"
    write_schema(folder / "v1.json", _envelope(_detail({CATASTROPHIC: {"type": "string"}})))
    write_schema(folder / "examples" / "v1" / "plain.json", _event({"code": "aaa"}))
    write_schema(root / "rules" / "probe.json", {"source": [SOURCE], "detail": {"code": ["a"]}})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "v1")
    git(root, "checkout", "-qb", "pr")
    write_schema(
        folder / "v2.json",
        _envelope(_detail({CATASTROPHIC: {"type": "integer"}, LOOKAROUND: {"type": "string"}})),
    )
    hostile = _event({"code": HOSTILE, "tags": {HOSTILE: "x"}})
    write_schema(folder / "examples" / "v2" / "hostile.json", hostile)
    write_schema(
        root / "rules" / "hostile.json",
        {"source": [SOURCE], "detail": {"tags": {UNDECLARED: ["x"]}}},
    )
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("regex") / "project")


def _children_cpu_seconds() -> float:
    """CPU time (user + system) of the child processes this one has waited for so far.

    The limit is on CPU time: a backtracking regex spins, using it up whatever else the machine
    runs, where wall time on a loaded 2-core CI machine also counts the neighbours' work. The
    30 s timeouts stay the wall-time guard: a hang fails the test, it does not stall the suite.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(args: list[str], cwd: Path) -> tuple[CliResult, float]:
    started = _children_cpu_seconds()
    result = run_cli(args, cwd, timeout=30)
    return result, _children_cpu_seconds() - started


def test_lint_validates_an_example_against_a_catastrophic_pattern_quickly(project: Path) -> None:
    result, seconds = _timed(["lint"], project)
    assert seconds < LIMIT, seconds
    assert result.code == 1, result.both
    assert "Traceback" not in result.both
    # the hostile value and key are reported as not matching, as ECMA-262 says
    assert "does not match" in result.out
    # the lookaround pattern is a finding of its own
    assert "L110" in result.out and "(?=a)" in result.out


def test_check_with_a_changed_pattern_properties_finishes_quickly(project: Path) -> None:
    result, seconds = _timed(["check", "--against", "main"], project)
    assert seconds < LIMIT, seconds
    assert result.code == 1, result.both  # string -> integer under a pattern is a break
    assert "Traceback" not in result.both
    assert "detail.tags" in result.out


def test_compat_with_a_changed_pattern_properties_finishes_quickly(project: Path) -> None:
    folder = f"registry/{SOURCE}/Probe"
    result, seconds = _timed(["compat", f"{folder}/v1.json", f"{folder}/v2.json"], project)
    assert seconds < LIMIT, seconds
    assert result.code == 1, result.both
    assert "Traceback" not in result.both


def test_rules_check_with_a_catastrophic_pattern_property_finishes_quickly(project: Path) -> None:
    result, seconds = _timed(["rules", "check"], project)
    assert seconds < LIMIT, seconds
    assert result.code in (0, 1), result.both
    assert "Traceback" not in result.both
    # the undeclared key does not match ^(a+)+$ (it ends in "!"): P101
    assert "P101" in result.out


def test_sample_of_a_catastrophic_pattern_finishes_quickly(project: Path) -> None:
    result, seconds = _timed(["sample", f"{SOURCE}@Probe", "--version", "1"], project)
    assert seconds < LIMIT, seconds
    assert result.code == 0, result.both
    code = json.loads(result.out)["detail"]["code"]
    assert code and set(code) == {"a"}


def test_sample_of_a_pattern_that_cannot_be_sampled_safely_is_one_line(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    folder = root / "registry" / SOURCE / "Probe"
    schema = json.loads((folder / "v2.json").read_text(encoding="utf-8"))
    schema["definitions"]["Probe"]["properties"]["code"]["pattern"] = "^(?!(a+)+$)b"
    write_schema(folder / "v2.json", schema)
    result, seconds = _timed(["sample", f"{SOURCE}@Probe"], root)
    assert seconds < LIMIT, seconds
    assert result.code in (0, 2), result.both
    assert "Traceback" not in result.both
    if result.code == 2:
        assert len(result.err.strip().splitlines()) == 1, result.err


def test_generated_model_validates_a_hostile_string_quickly(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    result = run_cli(["generate"], root, timeout=120)
    assert result.code == 0, result.both
    # v1: both patterns in Rust's regex (pydantic-core); v2 adds a lookaround pattern, which the
    # embedded schema check gives a budget: refused with a reason, not a 6 s wait per event
    probe = (
        (
            "import sys, time\n"
            "sys.path.insert(0, 'generated')\n"
            "from pydantic import ValidationError\n"
            "from hostile_events.com_example_hostile import ProbeV1, ProbeV2\n"
            "for model in (ProbeV1, ProbeV2):\n"
            "    hostile_key = {'code': 'aaaa', 'tags': {KEY: 'x', 'aa!': 'x'}}\n"
            "    for detail in ({'code': CODE}, hostile_key):\n"
            "        try:\n"
            "            model.model_validate(detail)\n"
            "        except ValidationError:\n"
            "            pass\n"
            "        else:\n"
            "            raise SystemExit(f'{model.__name__} accepted {detail}')\n"
            "ProbeV1.model_validate({'code': 'aaaa', 'tags': {'aa': 'x', KEY: 'x'}})\n"
            "ProbeV2.model_validate({'code': 'aaaa', 'tags': {}})\n"
        )
        .replace("CODE", repr(HOSTILE))
        .replace("KEY", repr(HOSTILE))
    )
    started = _children_cpu_seconds()
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    seconds = _children_cpu_seconds() - started
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert seconds < LIMIT, seconds
