"""The shared real-world corpus (../shared/corpus/eventbridge-real-world) as tests use it.

One table per kind of file: the flags a team would pass to ``eventcontracts import`` and what
import must answer. ``tests/test_import.py`` holds import to it; ``tests/test_corpus_codegen.py``
builds a registry from it and holds the generated code to it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "eventbridge-real-world"

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


# --- the corpus adopted by a team: imported, linted, generated ---------------------------------


def run_cli(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """``eventcontracts ARGS`` in-process in ``cwd``: (exit code, stdout, stderr)."""
    from eventcontracts.cli import main

    out, err = io.StringIO(), io.StringIO()
    before = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            else:  # pragma: no cover - main always exits
                code = 0
    finally:
        os.chdir(before)
    return code, out.getvalue(), err.getvalue()


@dataclass
class Adopted:
    """A team's project made from the whole corpus with ``eventcontracts import``."""

    root: Path
    package: str
    imported: int = 0  # version files written
    refused: list[str] = field(default_factory=list)  # one line each
    lint_findings: dict[str, list[str]] = field(default_factory=dict)  # file -> rule ids
    set_aside: list[str] = field(default_factory=list)  # version files with a real defect

    @property
    def registry(self) -> Path:
        return self.root / "registry"

    @property
    def generated(self) -> Path:
        return self.root / "generated"

    @property
    def generated_ts(self) -> Path:
        return self.root / "generated-ts"


def adopt(
    root: Path, package: str = "corpus_events", *, generate: bool = True, typescript: bool = False
) -> Adopted:
    """Import every corpus schema, series and event as the tables say a team would; set aside
    the schemas lint finds a real defect in (a team fixes those first); generate the package
    (and with ``typescript`` the TypeScript package too, in generated-ts/).

    Asserts what the tables promise on the way (imports that must succeed do)."""
    (root / "registry").mkdir(parents=True)
    (root / "eventcontracts.toml").write_text(
        f'[registry]\npath = "registry"\n\n[codegen]\npackage = "{package}"\n'
        f'distribution = "{package.replace("_", "-")}"\nout = "generated"\n'
        + ('\n[codegen.typescript]\nout = "generated-ts"\n' if typescript else ""),
        encoding="utf-8",
    )
    adopted = Adopted(root, package)
    refusals: dict[str, list[str]] = {}
    for relative, flags, expect in SCHEMAS:
        code, out, err = run_cli(["import", str(CORPUS / relative), *flags], root)
        if "refused" in expect:
            refusals[relative] = err.splitlines()
        else:
            assert code == 0, (relative, out, err)
            refusals.pop(relative, None)  # refused without flags, imported with them (008)
        adopted.imported += out.count("  wrote ")
    adopted.refused += [line for lines in refusals.values() for line in lines]
    for name, flags, _, _, _ in SERIES:
        files = sorted((CORPUS / "series" / name).iterdir())
        code, out, err = run_cli(["import", *map(str, files), *flags], root)
        adopted.refused += err.splitlines()
        adopted.imported += out.count("  wrote ")
    for event in sorted((CORPUS / "events").iterdir()):
        run_cli(["import", "--events", str(event), *BARE_DETAILS.get(event.name[:3], [])], root)

    from conftest import parse_findings

    code, out, _ = run_cli(["lint"], root)
    for finding in parse_findings(out):
        adopted.lint_findings.setdefault(finding.file, []).append(finding.rule)
    for number, file in enumerate(adopted.lint_findings):
        # The defective version (the newest of its schema in the corpus) and its sample events.
        version = root / file
        aside = root / "set-aside" / str(number)
        aside.mkdir(parents=True)
        version.rename(aside / version.name)
        examples = version.parent / "examples" / version.stem
        if examples.is_dir():
            examples.rename(aside / "examples")
        adopted.set_aside.append(file)
    code, out, err = run_cli(["lint"], root)
    assert code == 0, out + err
    if generate:
        code, out, err = run_cli(["generate"], root)
        assert code == 0, out + err
    return adopted


def corpus_events() -> Iterator[tuple[str, Any, Any, Any]]:
    """(file, source, detail-type, detail) of every corpus event: bare details with the source
    and detail-type a team imports them with, PutEvents entries one by one."""
    for path in sorted((CORPUS / "events").iterdir()):
        document = json.loads(path.read_text(encoding="utf-8"))
        flags = BARE_DETAILS.get(path.name[:3])
        if flags:
            yield path.name, flags[1], flags[3], document
            continue
        entries = document.get("Entries") if isinstance(document, dict) else document
        if isinstance(entries, list):
            for entry in entries:
                detail = entry.get("Detail") if isinstance(entry, dict) else None
                if isinstance(detail, str):
                    source, detail_type = entry.get("Source"), entry.get("DetailType")
                    yield path.name, source, detail_type, json.loads(detail)
            continue
        if isinstance(document, dict) and "detail" in document:
            yield path.name, document.get("source"), document.get("detail-type"), document["detail"]
