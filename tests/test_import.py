"""`eventcontracts import`: schemas and sample events a team already has, adopted as files.

Real files in tmp_path, the real CLI; the last tests run the whole shared corpus.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import CliResult, CliRunner, delivered_event, parse_findings, read_json, write_schema
from corpus import BARE_DETAILS, CORPUS, FITTING, NOT_VALID, SCHEMAS, SERIES

DETAIL_ONLY = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": "https://example.com/customer.json",
    "title": "Customer Created",
    "type": "object",
    "required": ["customerId", "address"],
    "properties": {
        "customerId": {"type": "string"},
        "address": {"$ref": "#/definitions/address"},
        "billing": {"$ref": "#/properties/address"},
    },
    "definitions": {"address": {"type": "object", "properties": {"city": {"type": "string"}}}},
}


def _event(source: str, detail_type: str, detail: Any) -> dict[str, Any]:
    return delivered_event(
        source,
        detail_type,
        detail,
        "0d079340-135a-c8c6-95c2-41fb8f496c53",
        time="2024-05-01T12:00:00Z",
        region="eu-west-1",
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "team"
    (root / "registry").mkdir(parents=True)
    (root / "eventcontracts.toml").write_text("[registry]\n")
    return root


def lint_clean(cli: CliRunner, project: Path) -> None:
    result = cli(["lint"], project)
    assert result.code == 0, result.both


def test_a_detail_only_schema_becomes_v1_in_its_envelope_and_lints_clean(
    project: Path, cli: CliRunner
) -> None:
    write_schema(project / "in" / "customer.json", DETAIL_ONLY)
    args = ["import", "in/customer.json", "--source", "com.example.customers"]
    args += ["--detail-type", "Created"]

    result = cli(args, project)

    assert result.code == 0, result.both
    written = project / "registry/com.example.customers/CustomerCreated/v1.json"
    assert (
        "wrote registry/com.example.customers/CustomerCreated/v1.json from in/customer.json"
        in result.out
    )
    document = read_json(written)
    assert document["x-amazon-events-source"] == "com.example.customers"
    assert document["properties"]["detail"] == {"$ref": "#/definitions/CustomerCreated"}
    detail = document["definitions"]["CustomerCreated"]
    # Refs still point where they pointed: the hoisted definitions, the detail's own parts.
    assert detail["properties"]["address"] == {"$ref": "#/definitions/address"}
    assert detail["properties"]["billing"] == {
        "$ref": "#/definitions/CustomerCreated/properties/address"
    }
    assert document["$id"] == "https://example.com/customer.json"
    lint_clean(cli, project)


def test_importing_again_says_unchanged_and_a_change_becomes_the_next_version(
    project: Path, cli: CliRunner
) -> None:
    source = write_schema(project / "in" / "customer.json", DETAIL_ONLY)
    args = ["import", "in/customer.json", "--source", "com.example.customers"]
    args += ["--detail-type", "Created"]
    assert cli(args, project).code == 0
    folder = project / "registry/com.example.customers/CustomerCreated"
    before = (folder / "v1.json").read_bytes()

    again = cli(args, project)
    assert again.code == 0 and "unchanged registry/com.example.customers/" in again.out
    assert sorted(p.name for p in folder.iterdir()) == ["v1.json"]
    assert (folder / "v1.json").read_bytes() == before

    changed = {**DETAIL_ONLY, "required": ["customerId"]}
    write_schema(source, changed)
    third = cli(args, project)
    assert third.code == 0 and "wrote registry/com.example.customers/CustomerCreated/v2.json" in (
        third.out
    )
    assert (folder / "v1.json").read_bytes() == before  # never overwritten
    lint_clean(cli, project)


def test_an_openapi_document_with_several_events_becomes_one_schema_each(
    project: Path, cli: CliRunner
) -> None:
    document = {
        "openapi": "3.0.0",
        "info": {"title": "Orders events", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "OrderCreated": {
                    "x-amazon-events-source": "com.example.orders",
                    "x-amazon-events-detail-type": "Order Created",
                    "type": "object",
                    "properties": {"total": {"$ref": "#/components/schemas/Money"}},
                },
                "OrderDeleted": {
                    "x-amazon-events-source": "com.example.orders",
                    "x-amazon-events-detail-type": "Order Deleted",
                    "type": "object",
                    "properties": {"orderId": {"type": "string"}},
                },
                "Money": {"type": "number"},
            }
        },
    }
    path = project / "in" / "orders.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(document, sort_keys=False))

    result = cli(["import", str(path)], project)

    assert result.code == 0, result.both
    assert len(result.out.splitlines()) == 3  # two files written, and the summary
    created = read_json(project / "registry/com.example.orders/OrderCreated/v1.json")
    deleted = read_json(project / "registry/com.example.orders/OrderDeleted/v1.json")
    assert set(created["components"]["schemas"]) == {"AWSEvent", "OrderCreated", "Money"}
    assert set(deleted["components"]["schemas"]) == {"AWSEvent", "OrderDeleted"}
    assert deleted["components"]["schemas"]["AWSEvent"]["x-amazon-events-detail-type"] == (
        "Order Deleted"
    )
    lint_clean(cli, project)


def test_a_partner_source_lands_in_its_encoded_folder(project: Path, cli: CliRunner) -> None:
    path = write_schema(project / "in" / "ticket.json", {"type": "object", "title": "Ticket"})
    partner = "aws.partner/zendesk.com/123/default"

    result = cli(["import", str(path), "--source", partner, "--detail-type", "Ticket"], project)

    assert result.code == 0, result.both
    assert (project / "registry/aws.partner%2Fzendesk.com%2F123%2Fdefault/Ticket/v1.json").is_file()
    lint_clean(cli, project)


@pytest.mark.parametrize(
    ("content", "args", "says"),
    [
        (DETAIL_ONLY, [], "no event source for a detail-only schema; pass --source S"),
        (DETAIL_ONLY, ["--source", "a.b"], "no detail-type for a detail-only schema"),
        ([1, 2], [], "a list, not a schema"),
        (
            {"type": "object", "properties": {"a": {"$ref": "#/definitions/Gone"}}},
            ["--source", "a.b", "--detail-type", "T"],
            "$ref '#/definitions/Gone' at /definitions/In/properties/a/$ref points to nothing",
        ),
        (
            {"type": "object", "properties": {"a": {"$ref": "other.json#/A"}}},
            ["--source", "a.b", "--detail-type", "T"],
            "points outside this document",
        ),
        (
            {**DETAIL_ONLY, "x-amazon-events-source": "{{resolve:ssm:/ns}}"},
            ["--detail-type", "T"],
            "deploy-time template placeholder; pass --source",
        ),
        (
            _event("a.b", "T", {}),
            [],
            "an event, not a schema; file it with 'eventcontracts import --events'",
        ),
    ],
    ids=[
        "no-source",
        "no-detail-type",
        "a-list",
        "dangling-ref",
        "cross-file-ref",
        "placeholder-source",
        "an-event",
    ],
)
def test_what_import_cannot_decide_is_one_line_naming_the_file_and_exit_2(
    project: Path, cli: CliRunner, content: Any, args: list[str], says: str
) -> None:
    write_schema(project / "in" / "In.json", content)

    result = cli(["import", "in/In.json", *args], project)

    assert result.code == 2, result.both
    assert len(result.err.splitlines()) == 1 and result.err.startswith("error: in/In.json: ")
    assert says in result.err
    assert not any((project / "registry").iterdir())


def test_events_are_filed_under_the_newest_version_they_fit_or_rejected_with_why(
    project: Path, cli: CliRunner
) -> None:
    schema = write_schema(project / "in" / "customer.json", DETAIL_ONLY)
    identity = ["--source", "com.example.customers", "--detail-type", "Created"]
    assert cli(["import", str(schema), *identity], project).code == 0
    write_schema(schema, {**DETAIL_ONLY, "required": ["customerId", "address", "email"]})
    assert cli(["import", str(schema), *identity], project).code == 0  # v2 requires email
    old_style = {"customerId": "C1", "address": {"city": "Lyon"}}
    new_style = {**old_style, "email": "a@example.com"}
    events = project / "events"
    write_schema(events / "old.json", _event("com.example.customers", "Created", old_style))
    write_schema(events / "bare.json", new_style)
    entries = [
        {"Source": "com.example.customers", "DetailType": "Created", "Detail": json.dumps(d)}
        for d in (new_style, {**new_style, "customerId": 7})
    ]
    write_schema(events / "request.json", {"Entries": entries})

    filed = cli(["import", "--events", "events/old.json", "events/request.json"], project)
    bare = cli(["import", "--events", "events/bare.json", *identity], project)

    folder = "registry/com.example.customers/CustomerCreated/examples"
    assert filed.code == 1, filed.both
    assert f"filed {folder}/v1/old.json from events/old.json" in filed.out
    assert f"filed {folder}/v2/request-1.json from events/request.json entry 1" in filed.out
    (rejected,) = [line for line in filed.out.splitlines() if line.startswith("  rejected")]
    assert "events/request.json entry 2: fits no version" in rejected
    assert "/detail/customerId: 7 is not of type 'string'" in rejected
    assert bare.code == 0 and f"filed {folder}/v2/bare.json" in bare.out
    lint_clean(cli, project)
    again = cli(["import", "--events", "events/bare.json", *identity], project)
    assert again.code == 0 and f"unchanged {folder}/v2/bare.json" in again.out


# --- the shared corpus ------------------------------------------------------------------------

pytestmark_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def _imported(result: CliResult) -> list[str]:
    return [line.split()[1] for line in result.out.splitlines() if line.startswith("  wrote ")]


@pytestmark_corpus
def test_the_whole_corpus_imports_or_is_refused_and_lints_as_expected(
    tmp_path: Path, cli: CliRunner
) -> None:
    project = tmp_path / "adopter"
    (project / "registry").mkdir(parents=True)
    (project / "eventcontracts.toml").write_text("[registry]\n")
    covered = {path for path, _, _ in SCHEMAS}
    on_disk = {p.relative_to(CORPUS).as_posix() for p in (CORPUS / "schemas").iterdir()}
    assert covered == on_disk, "every corpus schema needs a row in SCHEMAS"
    expected_lint: dict[str, list[str]] = {}
    for relative, flags, expect in SCHEMAS:
        result = cli(["import", str(CORPUS / relative), *flags], project)
        if "refused" in expect:
            assert result.code == 2, (relative, result.both)
            assert result.err.splitlines() == [f"error: {CORPUS / relative}: " + result.err.split(
                f"{CORPUS / relative}: ", 1)[1].rstrip("\n")], relative  # fmt: skip
            assert expect["refused"] in result.err, (relative, result.err)
        else:
            assert result.code == 0, (relative, result.both)
            written = _imported(result)
            assert len(written) == 1, (relative, result.out)
            expected_lint[written[0]] = expect.get("lint", [])

    for name, flags, folder, versions, refusals in SERIES:
        files = sorted((CORPUS / "series" / name).iterdir())
        result = cli(["import", *map(str, files), *flags], project)
        assert result.code == (2 if refusals else 0), (name, result.both)
        for file_name, says in refusals.items():
            (line,) = [line for line in result.err.splitlines() if file_name in line]
            assert says in line, (name, line)
        assert len(result.err.splitlines()) == len(refusals)
        written = sorted(p.name for p in (project / "registry" / folder).glob("v*.json"))
        assert written == [f"v{n}.json" for n in range(1, versions + 1)], (name, written)
        expected_lint.update({w: [] for w in _imported(result)})

    linted = cli(["lint"], project)
    found: dict[str, list[str]] = {}
    for finding in parse_findings(linted.out):
        found.setdefault(finding.file, []).append(finding.rule)
    assert found == {f: rules for f, rules in expected_lint.items() if rules}, linted.out

    # Events: every one filed under a version it validates against, or rejected with why.
    events = sorted((CORPUS / "events").iterdir())
    seen: dict[str, str] = {}
    for event in events:
        prefix = event.name[:3]
        result = cli(["import", "--events", str(event), *BARE_DETAILS.get(prefix, [])], project)
        lines = [line for line in result.out.splitlines() if line.startswith("  ")]
        assert len(lines) == 1, (event.name, result.both)
        seen[prefix] = lines[0]
        if prefix in FITTING:
            assert result.code == 0 and lines[0].startswith("  filed registry/"), result.both
        else:
            assert result.code == 1 and lines[0].startswith(f"  rejected {event}: "), result.both
            if prefix in NOT_VALID:
                assert "fits no version; newest" in lines[0] and NOT_VALID[prefix] in lines[0]
    assert set(seen) == {e.name[:3] for e in events}
    relinted = cli(["lint"], project)
    refound: dict[str, list[str]] = {}
    for finding in parse_findings(relinted.out):
        refound.setdefault(finding.file, []).append(finding.rule)
    assert refound == found, relinted.out  # the filed samples add no finding
