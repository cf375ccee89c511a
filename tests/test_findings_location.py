"""Findings point into the file, whatever ``$id``s the schema declares.

aws-samples schemas carry an absolute ``$id`` (``https://example.com/object1679479133.json``);
pasted in as the detail of an event, refs resolved through it have URIs relative to that id.
Every finding must still name the file, its line and the file's own JSON pointer, in every
format a code host reads (json, github annotations, SARIF).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner, git, line_of, write_schema
from corpus import CORPUS

SOURCE = "com.example.customers"
FOLDER = Path("registry") / SOURCE / "CustomerCreated"
SERIES = CORPUS / "series" / "serverless-test-samples-customercreated"
ENVELOPE_KEYS = ("version", "id", "source", "account", "time", "region", "detail-type")


def customer(*extra: str) -> dict[str, Any]:
    """The aws-samples customerCreated detail: an absolute $id, an $id on every property."""
    names = ["customerId", "firstName", "lastName", "address", *extra]
    return {
        "$id": "https://example.com/object1679479133.json",
        "title": "Customer",
        "type": "object",
        "required": names,
        "properties": {
            name: {"$id": f"#root/{name}", "title": name.title(), "type": "string", "default": ""}
            for name in names
        },
    }


def event_schema(detail: dict[str, Any]) -> dict[str, Any]:
    """A registry version whose detail is ``detail``, kept under definitions as written."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "CustomerCreated",
        "type": "object",
        "x-amazon-events-source": SOURCE,
        "x-amazon-events-detail-type": "customerCreated",
        "required": [*ENVELOPE_KEYS, "detail"],
        "properties": {
            **{key: {"type": "string"} for key in ENVELOPE_KEYS},
            "detail": {"$ref": "#/definitions/CustomerCreated"},
        },
        "definitions": {"CustomerCreated": detail},
    }


def inline_event_schema(detail: dict[str, Any]) -> dict[str, Any]:
    """A registry version whose detail is ``detail``, written inline under properties.detail."""
    document = event_schema(detail)
    document["properties"]["detail"] = document.pop("definitions")["CustomerCreated"]
    return document


def pr_repo(
    root: Path, old: dict[str, Any], new: dict[str, Any], *, document: Any = event_schema
) -> Path:
    """v1 committed on main; the branch 'pr' adds v2."""
    root.mkdir(parents=True)
    (root / "eventcontracts.toml").write_text("[registry]\n", encoding="utf-8")
    write_schema(root / FOLDER / "v1.json", document(old))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "v1")
    git(root, "checkout", "-qb", "pr")
    write_schema(root / FOLDER / "v2.json", document(new))
    return root


@pytest.fixture(scope="module")
def breaking_pr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v2 requires a new field `name` and makes customerId an integer."""
    new = customer("name")
    new["properties"]["customerId"]["type"] = "integer"
    return pr_repo(tmp_path_factory.mktemp("location") / "repo", customer(), new)


def check(cli: CliRunner, repo: Path, fmt: str) -> str:
    result = cli(["check", "--against", "main", "--format", fmt], repo)
    assert result.code == 1, result.both
    return result.out


def test_check_json_gives_the_files_own_pointer_and_line(breaking_pr: Path, cli: CliRunner) -> None:
    report = json.loads(check(cli, breaking_pr, "json"))
    problems = {p["rule"]: p for s in report["schemas"] for p in s["problems"]}
    v2 = breaking_pr / FOLDER / "v2.json"
    type_changed = problems["C001"]
    assert type_changed["file"] == (FOLDER / "v2.json").as_posix()
    assert type_changed["pointer"] == "/definitions/CustomerCreated/properties/customerId"
    assert type_changed["line"] == line_of(v2, '"customerId": {')
    for problem in problems.values():
        assert problem["pointer"].startswith("/definitions/CustomerCreated"), problem
        assert isinstance(problem["line"], int), problem


def test_check_github_and_sarif_carry_the_line(breaking_pr: Path, cli: CliRunner) -> None:
    v2 = breaking_pr / FOLDER / "v2.json"
    expected = line_of(v2, '"customerId": {')
    annotations = [
        line for line in check(cli, breaking_pr, "github").splitlines() if "title=C001" in line
    ]
    assert annotations and f"line={expected}," in annotations[0], annotations
    sarif = json.loads(check(cli, breaking_pr, "sarif"))
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "C001"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == expected


def test_compat_paths_are_pointers_into_each_file_through_ids(
    tmp_path: Path, cli: CliRunner
) -> None:
    """A ref inside the $id'd detail resolves against the $id; the path is the file's."""
    old, new = customer(), customer()
    for detail in (old, new):
        detail["properties"]["address"] = {"$ref": "#/definitions/address"}
        detail["definitions"] = {"address": {"type": "object", "properties": {}}}
    new["definitions"]["address"]["required"] = ["city"]
    new["definitions"]["address"]["properties"]["city"] = {"type": "string"}
    old_file = write_schema(tmp_path / "old.json", event_schema(old))
    new_file = write_schema(tmp_path / "new.json", event_schema(new))

    result = cli(["compat", str(old_file), str(new_file), "--format", "json"], tmp_path)

    assert result.code == 1, result.both
    changes = json.loads(result.out)["changes"]
    address = "/definitions/CustomerCreated/definitions/address"
    assert {change["new_path"] for change in changes} == {f"{address}/properties/city"}
    assert all(change["old_path"].startswith(address) for change in changes), changes


def test_lint_findings_in_an_id_scoped_detail_have_file_lines(
    tmp_path: Path, cli: CliRunner
) -> None:
    detail = customer()
    detail["properties"]["firstName"]["type"] = "strng"
    root = tmp_path / "project"
    (root / "registry").mkdir(parents=True)
    (root / "eventcontracts.toml").write_text("[registry]\n", encoding="utf-8")
    v1 = write_schema(root / FOLDER / "v1.json", event_schema(detail))

    result = cli(["lint", "--format", "json"], root)

    assert result.code == 1, result.both
    (finding,) = json.loads(result.out)["findings"]
    assert finding["pointer"] == "/definitions/CustomerCreated/properties/firstName/type"
    assert finding["line"] == line_of(v1, '"strng"')


@pytest.mark.skipif(not SERIES.is_dir(), reason="the shared corpus is not on this machine")
def test_the_imported_aws_samples_series_gets_lines_in_check(
    tmp_path: Path, cli: CliRunner
) -> None:
    root = tmp_path / "repo"
    (root / "registry").mkdir(parents=True)
    (root / "eventcontracts.toml").write_text("[registry]\n", encoding="utf-8")
    flags = ["--source", SOURCE, "--detail-type", "customerCreated", "--name", "CustomerCreated"]
    series = sorted(SERIES.iterdir())
    for file in series[:2]:
        shutil.copy(file, tmp_path / file.name)
        assert cli(["import", str(tmp_path / file.name), *flags], root).code == 0
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "v1 and v2")
    git(root, "checkout", "-qb", "pr")
    for file in series[2:]:
        assert cli(["import", str(file), *flags], root).code == 0

    problems = [
        line
        for line in check(cli, root, "github").splitlines()
        if line.startswith("::error file=registry/")
    ]

    assert problems
    for annotation in problems:
        assert re.search(r",line=[0-9]+,", annotation), annotation


def detail_with_own_definitions(address_type: str, *extra: str) -> dict[str, Any]:
    """An aws-samples detail pasted inline: an absolute $id and definitions of its own, which its
    `#/definitions/...` refs reach through that $id (not through the document root). Every
    version of the schema has the same $id, as the aws-samples series do."""
    properties: dict[str, Any] = {"address": {"$ref": "#/definitions/Address"}}
    properties.update({name: {"type": "string"} for name in extra})
    return {
        "$id": "https://example.com/customer.json",
        "type": "object",
        "required": ["address"],
        "properties": properties,
        "definitions": {"Address": {"type": address_type}},
    }


def test_a_break_behind_an_id_scoped_ref_is_found_and_proven(
    tmp_path: Path, cli: CliRunner
) -> None:
    # Once exit 2 ("'#/definitions/Address' points to nothing"); with the $id followed but the
    # shared $id bound to whichever version was crawled last, a silent pass.
    repo = pr_repo(
        tmp_path / "repo",
        detail_with_own_definitions("string"),
        detail_with_own_definitions("integer"),
        document=inline_event_schema,
    )
    result = cli(["check", "--against", "main"], repo)
    assert result.code == 1, result.both
    assert "C001 type-changed" in result.out and "detail.address" in result.out
    assert 'counterexample (valid for v1, rejected by v2): detail.address = ""' in result.out


def test_a_compatible_change_behind_an_id_scoped_ref_passes(tmp_path: Path, cli: CliRunner) -> None:
    repo = pr_repo(
        tmp_path / "repo",
        detail_with_own_definitions("string"),
        detail_with_own_definitions("string", "nickname"),
        document=inline_event_schema,
    )
    result = cli(["check", "--against", "main"], repo)
    assert result.code == 0, result.both
    compat = cli(["compat", str(repo / FOLDER / "v1.json"), str(repo / FOLDER / "v1.json")], repo)
    assert compat.code == 0, compat.both
