"""`eventcontracts import`: schemas and sample events a team already has, adopted as files.

Real files in tmp_path, the real CLI; the last tests run the whole shared corpus.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO_ROOT, CliResult, CliRunner, parse_findings, read_json, write_schema

CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "eventbridge-real-world"

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
    return {
        "version": "0",
        "id": "0d079340-135a-c8c6-95c2-41fb8f496c53",
        "detail-type": detail_type,
        "source": source,
        "account": "123456789012",
        "time": "2024-05-01T12:00:00Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": detail,
    }


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

# Per document: the flags a team would pass, and what import must answer. "refused" is the
# fragment of the one-line refusal; "lint" the findings lint must give that version (rule ids,
# each a real defect of the document), after every import of the corpus into one registry.
SCHEMAS: list[tuple[str, list[str], dict[str, Any]]] = [
    ("schemas/001-toolkit-aws-ec2-instance-state-change.json", [], {}),
    ("schemas/002-toolkit-partner-mongodb-ticketcreated-dangling-ref.json", [],
     {"refused": "'#/components/schemas/aws.partner/mongodb.com/Ticket.Created' at "
                 "/components/schemas/AWSEvent/properties/detail/$ref points to nothing"}),
    ("schemas/003-toolkit-custom-some-awesome-schema-space-name.json",
     ["--source", "someCustomer", "--detail-type", "Some Awesome Schema"], {}),
    ("schemas/006-samcli-discovered-order-neworder.json", [], {}),
    ("schemas/007-awsdocs-aws-states-step-functions-execution-status-change.json", [], {}),
    ("schemas/008-unicorn-approvals-publication-evaluation-completed.json", [],
     {"refused": "is a deploy-time template placeholder; pass --source"}),
    ("schemas/008-unicorn-approvals-publication-evaluation-completed.json",
     ["--source", "unicorn-approvals"], {}),
    ("schemas/011-iatk-draft4-emr-step-status-change-renamed-source.json", [], {}),
    ("schemas/014-eventcatalog-discovered-users-usercreated-draft4-export.json", [], {}),
    ("schemas/015-awscli-get-discovered-schema-putevents-shape.json", [],
     {"refused": "no event source for a detail-only schema; pass --source S"}),
    ("schemas/017-ecommerce-orders-events-openapi-yaml.json", [],
     {"refused": "'../../shared/resources/schemas.yaml#/EventBridgeHeader' at "
                 "/components/schemas/OrderCreated/allOf/0/$ref points outside this document"}),
    ("schemas/018-ecommerce-delivery-events-misspelled-source-key.json", [],
     {"refused": "('x-amazon-event-source' is not 'x-amazon-events-source'); pass --source S"}),
    ("schemas/021-ecommerce-warehouse-events-misspelled-source-key.json",
     ["--source", "ecommerce.warehouse"], {"refused": "points outside this document"}),
    ("schemas/022-ecommerce-shared-schemas-library.json", [],
     {"refused": "no JSON Schema keyword at the root"}),
    ("schemas/023-powertools-registry-draft4-aws-s3-cloudtrail-readonly.json", [], {}),
    # Its $schema "https://json-schema.org/draft-07/schema" names no dialect (the real URI is
    # http://json-schema.org/draft-07/schema#): L104 is the document's own defect.
    ("schemas/024-powertools-validator-sample-detail-schema.json",
     ["--source", "aws.events", "--detail-type", "Scheduled Event", "--name", "Validated"],
     {"lint": ["L104"]}),
    ("schemas/025-powertools-custom-event-detail-schema.json",
     ["--source", "mycompany.service", "--detail-type", "CustomEvent"], {}),
    ("schemas/027-awseventgenerator-aws-ec2-service-event-via-cloudtrail-draft4.json", [], {}),
    ("schemas/028-awseventgenerator-aws-ecs-task-state-change-draft4.json", [], {}),
    ("schemas/030-awseventgenerator-aws-example-traffic-light-draft4.json", [], {}),
    ("schemas/032-awseventgenerator-everything-custom-draft4.json", [], {}),
    ("schemas/033-evbcli-aws-codepipeline-pipeline-execution-state-change-draft4.json", [], {}),
    ("schemas/034-cdkservicespec-aws-test-objectcreated-required-case-mismatch.json", [], {}),
    # "field" is no keyword (a "properties" wrapper is missing): OpenAPI 3.0 forbids it.
    ("schemas/037-cdkservicespec-aws-test-objectcreated-unknown-field-keyword.json", [],
     {"lint": ["L102"]}),
    ("schemas/036-mikaelvesavuori-event-something.json", [],
     {"refused": "no event source for a detail-only schema"}),
    ("schemas/038-iatk-docs-my-event-no-envelope.json",
     ["--source", "com.example.iatk", "--detail-type", "MyEvent"], {}),
    ("schemas/040-powertools-conftest-parent-schema-custom-scheme-ref.json",
     ["--source", "com.example", "--detail-type", "Parent"],
     {"refused": "$ref 'testschema://ChildSchema' at /definitions/SampleSchema/properties/"
                 "parent_object/$ref points outside this document"}),
    ("schemas/041-powertools-conftest-child-schema-custom-scheme-id.json", [],
     {"refused": "no event source for a detail-only schema"}),
]  # fmt: skip

# Each series in file order, with the flags that name it; the versions it must become (an
# "unchanged" file adds none) and the refusals, by file name.
SERIES: list[tuple[str, list[str], str, int, dict[str, str]]] = [
    ("serverless-test-samples-customercreated",
     ["--source", "com.example.customers", "--detail-type", "customerCreated", "--name",
      "CustomerCreated"], "com.example.customers/CustomerCreated", 5, {}),
    ("unicorn-contracts-contractstatuschanged", ["--source", "unicorn.contracts"],
     "unicorn.contracts/ContractStatusChanged", 3, {}),  # r2 equals r1 once its source is set
    ("sam-cli-partner-ticketcreated", [], "aws.partner-mongodb.com/TicketCreated", 1,
     {"v1-before-fix-1986eea5.json": "points to nothing"}),
    ("mridehalgh-demo-schema-compat",
     ["--source", "com.example.address", "--detail-type", "Address", "--name", "Address"],
     "com.example.address/Address", 2, {}),  # "backwards" is byte-identical to the base
    ("awscli-example-registry-example-schema",
     ["--source", "com.example", "--detail-type", "Example", "--name", "Example"],
     "com.example/Example", 1, {"1.json": "an event, not a schema"}),
]  # fmt: skip

# Events: the flags for bare details, and which events must fit (by file name prefix); every
# other event must be rejected with its reason.
BARE_DETAILS = {
    "051": ["--source", "com.example.customers", "--detail-type", "customerCreated"],
    "052": ["--source", "com.example.customers", "--detail-type", "customerCreated"],
    "054": ["--source", "com.example.customers", "--detail-type", "customerCreated"],
    "055": ["--source", "com.example.customers", "--detail-type", "customerCreated"],
    "075": ["--source", "com.example.iatk", "--detail-type", "MyEvent"],
    "076": ["--source", "com.example.iatk", "--detail-type", "MyEvent"],
}
FITTING = {"017", "020", "021", "028", "042", "051", "052", "054", "055", "061", "069", "073",
           "075", "076"}  # fmt: skip
NOT_VALID = {  # events the corpus says do not validate against their schema: the reason given
    "013": "/detail/version: 1 is not of type 'string'",
    "018": "/detail/stopDate: None is not of type 'integer'",
    "036": "/detail: 'instance-id' is a required property",
    "048": "/detail: 'instance-id' is a required property",
}


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
