"""Every checking command in every output format: ``lint``, ``check``, ``rules check`` and
``compat`` with ``--format text|json|github|junit|markdown|sarif``.

Each command runs on a project with a problem and on one without; the exit code is the same in
every format (0 ok, 1 a problem), the output is what its format's readers parse (json loads,
sarif has what SARIF 2.1.0 requires, junit parses and counts the failures, github lines are
workflow commands, markdown has its table), and the problems it counts agree with json. Then
the same on hostile names: a file, property or field named ``%0A::error ...`` with newlines,
pipes and ``<script>`` cannot add a line, a command, a cell or an element to any format.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import REPO_ROOT, CliRunner, write_schema

FORMATS = ["text", "json", "github", "junit", "markdown", "sarif"]
COMMANDS = ["lint", "check", "rules check", "compat"]
ORDER_CREATED = Path("registry/com.mycompany.orders/OrderCreated")
# A name that tries every way out: a GitHub command after an escaped and a real line break, a
# table cell's pipe, HTML, a code span's backtick, and the property separators of a command.
EVIL = "Evil%0A::error file=x,line=1::pwned|<script>alert(1)</script>`\n::warning::y\r##[error]z"

# `::error file=F,line=N,title=T::message`: properties hold no ':' (escaped as %3A).
GITHUB_COMMAND = re.compile(
    r"^::(?P<command>error|warning|notice) (?P<props>[^:]*)::(?P<msg>[^\r\n]*)$"
)

# What SARIF 2.1.0 requires of the parts the sarif format writes (the OASIS schema,
# sarif-schema-2.1.0.json, narrowed to them; no copy of it is on this machine to validate with).
_MESSAGE = {
    "type": "object",
    "required": ["text"],
    "properties": {"text": {"type": "string"}},
}
_REGION = {
    "type": "object",
    "properties": {
        "startLine": {"type": "integer", "minimum": 1},
        "startColumn": {"type": "integer", "minimum": 1},
    },
    "additionalProperties": False,
}
_PHYSICAL = {
    "type": "object",
    "required": ["artifactLocation"],
    "properties": {
        "artifactLocation": {
            "type": "object",
            "required": ["uri"],
            "properties": {"uri": {"type": "string", "minLength": 1}},
            "additionalProperties": False,
        },
        "region": _REGION,
    },
    "additionalProperties": False,
}
SARIF_2_1_0 = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "additionalProperties": False,
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "additionalProperties": False,
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "additionalProperties": False,
                                "properties": {
                                    "name": {"type": "string"},
                                    "informationUri": {"type": "string"},
                                    "version": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "additionalProperties": False,
                                            "properties": {
                                                "id": {"type": "string"},
                                                "name": {"type": "string"},
                                                "shortDescription": _MESSAGE,
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message"],
                            "additionalProperties": False,
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": 0},
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": _MESSAGE,
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {"physicalLocation": _PHYSICAL},
                                        "additionalProperties": False,
                                    },
                                },
                                "relatedLocations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "id": {"type": "integer", "minimum": 0},
                                            "message": _MESSAGE,
                                            "physicalLocation": _PHYSICAL,
                                        },
                                        "additionalProperties": False,
                                    },
                                },
                                "properties": {"type": "object"},
                                "suppressions": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["kind"],
                                        "properties": {
                                            "kind": {"enum": ["inSource", "external"]},
                                            "justification": {"type": "string"},
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


# --- the projects: each command with a problem, without one, and with a hostile name -------


@dataclass(frozen=True)
class Case:
    """A command run in a folder: its arguments (without --format), and what json says the
    run found: the errors (what fails it) and every finding the CI formats list."""

    args: list[str]
    root: Path
    errors: Callable[[Any], int]


def _copy_example(root: Path, *, bus_rules: bool = False) -> Path:
    shutil.copytree(REPO_ROOT / "registry", root / "registry")
    shutil.copy2(REPO_ROOT / "eventcontracts.toml", root / "eventcontracts.toml")
    if bus_rules:
        shutil.copytree(REPO_ROOT / "rules", root / "rules")
        shutil.copytree(REPO_ROOT / "infra", root / "infra")
    return root


def _order_created_v3(root: Path, change: Callable[[dict[str, Any]], None]) -> None:
    v2 = json.loads((root / ORDER_CREATED / "v2.json").read_text(encoding="utf-8"))
    v2["info"]["version"] = "3.0.0"
    change(v2["components"]["schemas"]["OrderCreated"])
    write_schema(root / ORDER_CREATED / "v3.json", v2)


def _lint(root: Path, state: str) -> Case:
    root.mkdir(parents=True)
    (root / "eventcontracts.toml").write_text("[registry]\n", encoding="utf-8")
    detail: dict[str, Any] = {"type": "object", "properties": {"id": {"type": "string"}}}
    folder = "Thing"
    if state == "problem":
        detail["properties"]["id"]["type"] = "strng"  # an unknown type: L-rule
    elif state == "hostile":
        folder = EVIL.replace("/", "_")  # the folder itself is a finding, named in it
        detail["properties"][EVIL] = {"type": "strng"}
    write_schema(
        root / "registry" / "com.example" / folder / "v1.json",
        {
            "openapi": "3.0.0",
            "info": {"title": "Thing", "version": "1.0.0"},
            "paths": {},
            "components": {
                "schemas": {
                    "AWSEvent": {
                        "type": "object",
                        "x-amazon-events-source": "com.example",
                        "x-amazon-events-detail-type": "Thing",
                        "properties": {"detail": {"$ref": "#/components/schemas/Thing"}},
                    },
                    "Thing": detail,
                }
            },
        },
    )
    return Case(["lint"], root, lambda doc: doc["summary"]["problems"])


def _check(root: Path, state: str) -> Case:
    _copy_example(root, bus_rules=True)
    if state == "problem":  # JPY is an event of v3 that consumers on v2 reject
        _order_created_v3(root, lambda s: s["properties"]["currency"]["enum"].append("JPY"))
    elif state == "hostile":
        _order_created_v3(
            root,
            lambda s: (
                s["properties"].update({EVIL: {"type": "string"}}),
                s["required"].append(EVIL),
            ),
        )
    else:
        _order_created_v3(root, lambda s: s["properties"].update(giftMessage={"type": "string"}))
    return Case(["check"], root, lambda doc: doc["summary"]["problems"])


def _rules_check(root: Path, state: str) -> Case:
    _copy_example(root, bus_rules=True)
    if state == "problem":  # a pattern names a field no targeted schema has: P101
        rule = json.loads((root / "rules/order-big-spender.json").read_text(encoding="utf-8"))
        rule["detail"]["orderTotal"] = rule["detail"].pop("totalAmount")
        write_schema(root / "rules/order-big-spender.json", rule)
    elif state == "hostile":
        write_schema(
            root / "rules" / f"{EVIL.replace('/', '_')}.json",
            {
                "source": ["com.mycompany.orders"],
                "detail-type": ["Order Created"],
                "detail": {EVIL: [{"exists": True}]},
            },
        )
    return Case(["rules", "check"], root, lambda doc: doc["summary"]["errors"])


def _compat(root: Path, state: str) -> Case:
    root.mkdir(parents=True)
    name = "id" if state != "hostile" else EVIL
    old = {"type": "object", "properties": {name: {"type": "string", "enum": ["a", "b"]}}}
    new = json.loads(json.dumps(old))
    if state != "clean":  # an enum narrowed, and a property required
        new["properties"][name]["enum"] = ["a"]
        new["required"] = [name]
    else:
        new["properties"]["note"] = {"type": "string"}
    write_schema(root / "old.json", old)
    write_schema(root / "new.json", new)
    return Case(
        ["compat", "old.json", "new.json"],
        root,
        lambda doc: sum(change["breaking"] for change in doc["changes"]),
    )


MAKERS = {"lint": _lint, "check": _check, "rules check": _rules_check, "compat": _compat}


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Case]:
    base = tmp_path_factory.mktemp("writers")
    return {
        (command, state): MAKERS[command](base / f"{command.replace(' ', '-')}-{state}", state)
        for command in COMMANDS
        for state in ("clean", "problem", "hostile")
    }


# --- what each format's reader needs ---------------------------------------------------------


def errors_in(case: Case, cli: CliRunner) -> int:
    result = cli([*case.args, "--format", "json"], case.root)
    count = case.errors(json.loads(result.out))
    assert isinstance(count, int)
    return count


def check_text(out: str, errors: int) -> None:
    lines = out.rstrip("\n").split("\n")
    assert lines and lines[-1]
    for line in lines:
        assert not line.lstrip().startswith(("::", "##[")), line


def check_github(out: str, errors: int) -> None:
    *commands, summary = out.rstrip("\n").split("\n")
    assert summary and not summary.startswith("::")
    found_errors = 0
    for line in commands:
        match = GITHUB_COMMAND.match(line)
        assert match, f"not a workflow command: {line!r}"
        props = dict(prop.split("=", 1) for prop in match["props"].split(","))
        assert set(props) <= {"file", "line", "col", "title"} and "file" in props
        assert props.get("line", "1").isdigit()
        found_errors += match["command"] == "error"
    assert found_errors == errors


def check_junit(out: str, errors: int) -> None:
    suite = ET.fromstring(out.encode("utf-8"))
    assert suite.tag == "testsuite" and suite.get("name", "").startswith("eventcontracts ")
    cases = suite.findall("testcase")
    assert len(cases) == int(suite.get("tests", "-1")) >= 1
    failing = [case for case in cases if case.find("failure") is not None]
    assert int(suite.get("failures", "-1")) == len(failing)
    assert sum(len(case.findall("failure")) for case in cases) == errors
    for element in suite.iter():
        assert element.tag in {"testsuite", "testcase", "failure", "skipped", "system-out"}


def _outside_code(markdown: str) -> str:
    """The markdown without fenced blocks and code spans, where nothing is markup."""
    text = re.sub(r"^(`{3,})json\n.*?\n\1$", "", markdown, flags=re.S | re.M)
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", text)


def check_markdown(out: str, errors: int) -> None:
    assert out.startswith("## ✅ " if not errors else "## ❌ ")
    lines = out.split("\n")
    rows = [line for line in lines if line.startswith("| ")]
    if errors:
        header, separator, *cells = rows
        columns = len(re.split(r"(?<!\\)\|", header))
        assert separator.startswith("| ---") and header.endswith("| Rule | Where | What |")
        assert len(cells) == errors
        for row in cells:  # no pipe of a name or a message makes a cell of its own
            assert len(re.split(r"(?<!\\)\|", row)) == columns, row
    else:
        assert not rows
    assert out.count("<details>") == out.count("</details>") == errors
    plain = _outside_code(out)
    assert "<script" not in plain and "</script" not in plain
    for line in lines:
        assert not line.startswith(("::", "##[")), line


def check_sarif(out: str, errors: int) -> None:
    log = json.loads(out)
    jsonschema.validate(log, SARIF_2_1_0)
    (run,) = log["runs"]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    assert sum(result["level"] == "error" for result in run["results"]) == errors


def check_json(out: str, errors: int) -> None:
    document = json.loads(out)
    assert isinstance(document, dict)
    if "ok" in document:
        assert document["ok"] is (errors == 0)
    else:  # compat says compatible
        assert document["compatible"] is (errors == 0)


CHECKS: dict[str, Callable[[str, int], None]] = {
    "text": check_text,
    "json": check_json,
    "github": check_github,
    "junit": check_junit,
    "markdown": check_markdown,
    "sarif": check_sarif,
}


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("state", ["clean", "problem", "hostile"])
def test_every_format_exits_alike_and_parses(
    projects: dict[tuple[str, str], Case], cli: CliRunner, command: str, state: str
) -> None:
    case = projects[command, state]
    errors = errors_in(case, cli)
    assert (errors == 0) is (state == "clean"), f"{command} on the {state} project"
    for fmt in FORMATS:
        result = cli([*case.args, "--format", fmt], case.root)
        assert result.code == (1 if errors else 0), (fmt, result.both)
        assert result.err == "", (fmt, result.err)
        CHECKS[fmt](result.out, errors)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_hostile_name_reaches_the_reader_intact_but_inert(
    projects: dict[tuple[str, str], Case], cli: CliRunner, command: str
) -> None:
    """The hostile text is shown (a reader must see what is wrong), escaped for each format."""
    case = projects[command, "hostile"]
    github = cli([*case.args, "--format", "github"], case.root).out
    # Undone as GitHub undoes its escapes, a command gives back the name whole.
    seen = []
    for line in github.rstrip("\n").split("\n")[:-1]:
        match = GITHUB_COMMAND.match(line)
        assert match, line
        props = dict(prop.split("=", 1) for prop in match["props"].split(","))
        seen += [_unescape(props["file"]), _unescape(match["msg"])]
    assert any(EVIL in text or EVIL.replace("/", "_") in text for text in seen), seen
    markdown = cli([*case.args, "--format", "markdown"], case.root).out
    assert "&lt;script&gt;" in markdown or "`" in markdown
    sarif = json.loads(cli([*case.args, "--format", "sarif"], case.root).out)
    texts = [result["message"]["text"] for result in sarif["runs"][0]["results"]]
    uris = [
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for location in result["locations"]
    ]
    # JSON carries the name as it is, for programs: nothing lost.
    assert any("pwned|<script>alert(1)<" in text for text in [*texts, *uris])
    junit = cli([*case.args, "--format", "junit"], case.root).out
    suite = ET.fromstring(junit.encode("utf-8"))
    shown = " ".join((f.get("message") or "") + (f.text or "") for f in suite.iter("failure"))
    assert "pwned|<script>alert(1)<" in shown + " ".join(
        c.get("name") or "" for c in suite.iter("testcase")
    )
    assert "\r" not in junit


def _unescape(text: str) -> str:
    for escaped, char in (("%3A", ":"), ("%2C", ","), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def test_the_code_host_formats_name_files_from_the_git_root(tmp_path: Path, cli: CliRunner) -> None:
    """In a monorepo's events/ folder, github, junit and sarif name events/registry/...; text,
    json and markdown name files from the project, as the user sees them."""
    import subprocess

    repo = tmp_path / "mono"
    case = _lint(repo / "events", "problem")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    github = cli(["lint", "--format", "github"], case.root).out
    assert github.startswith("::error file=events/registry/com.example/Thing/v1.json,line=")
    sarif = json.loads(cli(["lint", "--format", "sarif"], case.root).out)
    (result,) = sarif["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "events/registry/com.example/Thing/v1.json"
    text = cli(["lint", "--format", "text"], case.root).out
    assert text.startswith("registry/com.example/Thing/v1.json:")
    compat = _compat(repo / "schemas", "problem")
    github = cli([*compat.args, "--format", "github"], compat.root).out
    assert github.startswith("::error file=schemas/new.json,line=")


def test_every_command_offers_the_formats_the_writers_have() -> None:
    from eventcontracts import diagnostics
    from eventcontracts.cli import cli

    assert list(diagnostics.FORMATS) == FORMATS
    for path in (["lint"], ["check"], ["rules", "check"], ["compat"]):
        command: Any = cli
        for name in path:
            command = command.commands[name]
        (option,) = [p for p in command.params if p.name == "output_format"]
        assert list(option.type.choices) == FORMATS, path
