"""``eventcontracts asyncapi export``: one AsyncAPI 3.0 document per source, valid against the
official AsyncAPI 3.0.0 JSON Schema (tests/asyncapi_spec.py), holding what the registry holds
(README: "AsyncAPI"), byte for byte the same on every run, and safe with hostile names."""

from __future__ import annotations

import copy
import itertools
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing
import referencing.jsonschema
import yaml

from asyncapi_spec import COMPONENT_KEY, NotAsyncApi, validate_asyncapi
from conftest import EXAMPLE_BUS_RULES, REPO_ROOT, CliRunner, read_json, write_schema
from corpus import CORPUS, Adopted, adopt
from eventcontracts.asyncapi.export import source_documents
from eventcontracts.asyncapi.names import DIALECT_URIS, OPENAPI_SCHEMA_FORMAT, dialect_of_format
from eventcontracts.compat.engine import compare_inputs
from eventcontracts.compat.inputs import from_document, from_version
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.openapi import as_json_schema
from eventcontracts.registry.resolver import Resolver

REPO = REPO_ROOT
ORDERS = "com.mycompany.orders"


@pytest.fixture
def example_project(example_project: Path) -> Path:
    """The example catalog with the bus-rule files its [rules] paths name."""
    for folder in EXAMPLE_BUS_RULES:
        shutil.copytree(REPO_ROOT / folder, example_project / folder)
    return example_project


def export(cli: CliRunner, project: Path, *args: str) -> dict[str, Any]:
    """Export ``project``'s registry; every document written, by file name."""
    result = cli(["asyncapi", "export", *args], project)
    assert result.code == 0, result.both
    out = project / "asyncapi"
    for arg, value in itertools.pairwise(args):
        if arg == "--out":
            out = project / value
    documents = {path.name: read_json(path) for path in sorted(out.glob("*.asyncapi.json"))}
    lines = result.out.strip().splitlines()
    assert len(lines) == len(documents)  # one line per file
    return documents


def message_refs(operation_or_rule: dict[str, Any]) -> list[str]:
    return [ref["$ref"].rsplit("/", 1)[1] for ref in operation_or_rule["messages"]]


def every_ref(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield item
            else:
                yield from every_ref(item)
    elif isinstance(value, list):
        for item in value:
            yield from every_ref(item)


# --- the official schema ---------------------------------------------------------------------


def test_the_official_schema_refuses_what_asyncapi_refuses() -> None:
    # The validator is no rubber stamp: a missing info.version, an unknown action and a
    # component key with a space are each refused with where and why.
    good = {"asyncapi": "3.0.0", "info": {"title": "t", "version": "1.0.0"}}
    validate_asyncapi(good)
    with pytest.raises(NotAsyncApi, match="'version' is a required property"):
        validate_asyncapi({"asyncapi": "3.0.0", "info": {"title": "t"}})
    bad_action = {
        **good,
        "channels": {"c": {"address": "bus"}},
        "operations": {"o": {"action": "publish", "channel": {"$ref": "#/channels/c"}}},
    }
    with pytest.raises(NotAsyncApi, match="/operations/o"):
        validate_asyncapi(bad_action)
    with pytest.raises(NotAsyncApi, match="key 'a b'"):
        validate_asyncapi({**good, "components": {"messages": {"a b": {}}}})


def test_every_document_of_the_example_catalog_is_valid_asyncapi(
    example_project: Path, cli: CliRunner
) -> None:
    documents = export(cli, example_project)
    sources = sorted(path.name for path in (REPO / "registry").iterdir())
    assert sorted(documents) == [f"{source}.asyncapi.json" for source in sources]
    for name, document in documents.items():
        validate_asyncapi(document)
        assert document["asyncapi"] == "3.0.0"
        assert document["info"]["title"] == name.removesuffix(".asyncapi.json")


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory: pytest.TempPathFactory) -> Adopted:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    return adopt(tmp_path_factory.mktemp("corpus") / "adopter", generate=False)


def test_every_document_of_the_corpus_registry_is_valid_asyncapi(
    corpus_project: Adopted, cli: CliRunner
) -> None:
    documents = export(cli, corpus_project.root)
    registry = load_registry(corpus_project.registry)
    sources = {schema.source for schema in registry.schemas.values() if schema.versions}
    assert len(documents) == len(sources) > 10
    versions = sum(len(schema.versions) for schema in registry.schemas.values())
    assert sum(len(d["components"]["messages"]) for d in documents.values()) == versions
    for document in documents.values():
        validate_asyncapi(document)
    formats = {
        message["payload"]["schemaFormat"]
        for document in documents.values()
        for message in document["components"]["messages"].values()
    }
    # The corpus holds all three: OpenAPI, draft 4 and draft 7 documents.
    assert {OPENAPI_SCHEMA_FORMAT, "application/schema+json;version=draft-04"} <= formats
    assert "application/schema+json;version=draft-07" in formats


# --- the mapping -----------------------------------------------------------------------------


def test_a_message_per_version_with_the_detail_as_payload_and_the_envelope_as_headers(
    example_project: Path, cli: CliRunner
) -> None:
    document = export(cli, example_project)[f"{ORDERS}.asyncapi.json"]
    registry = load_registry(example_project / "registry")
    messages = document["components"]["messages"]
    expected = {
        f"{schema.name.split('@')[1]}V{version.version}": version
        for schema in registry.schemas.values()
        if schema.source == ORDERS
        for version in schema.versions
    }
    assert sorted(messages) == sorted(expected) and "OrderCreatedV2" in messages
    for key, version in expected.items():
        message = messages[key]
        assert message["x-amazon-events-source"] == ORDERS
        assert message["x-amazon-events-detail-type"] == version.detail_type
        assert message["x-eventcontracts-schema"] == version.schema_name
        assert message["x-eventcontracts-version"] == version.version
        assert message["x-eventcontracts-format"] == version.format.value
        assert message["x-eventcontracts-detail-required"] is True
        assert message["payload"]["schemaFormat"] == OPENAPI_SCHEMA_FORMAT  # all OpenApi3
        assert message["headers"]["schemaFormat"] == OPENAPI_SCHEMA_FORMAT
        headers = message["headers"]["schema"]
        assert "detail" not in headers["properties"] and "detail" not in headers["required"]
        assert {"source", "detail-type", "time", "id"} <= set(headers["properties"])
        # The payload is the detail as written: OpenAPI's nullable kept, refs inlined.
        assert "$ref" not in json.dumps(message["payload"])
        assert document["channels"]["default"]["messages"][key] == {
            "$ref": f"#/components/messages/{key}"
        }
    created = messages["OrderCreatedV2"]
    assert created["description"] == "A customer order was created."
    items = created["payload"]["schema"]["properties"]["items"]
    assert items["items"]["properties"]["productId"]["type"] == "string"  # was a $ref
    shipped = messages["OrderShippedV1"]["payload"]["schema"]["properties"]
    assert shipped["trackingNumber"]["nullable"] is True


def test_the_examples_are_the_versions_sample_events(example_project: Path, cli: CliRunner) -> None:
    document = export(cli, example_project)[f"{ORDERS}.asyncapi.json"]
    folder = example_project / "registry" / ORDERS / "OrderCreated" / "examples" / "v2"
    examples = document["components"]["messages"]["OrderCreatedV2"]["examples"]
    assert [example["name"] for example in examples] == sorted(p.stem for p in folder.iterdir())
    for example in examples:
        event = read_json(folder / f"{example['name']}.json")
        assert example["payload"] == event.pop("detail")
        assert example["headers"] == event


def test_send_operations_list_every_version_and_receive_operations_the_consumer_files(
    example_project: Path, cli: CliRunner
) -> None:
    document = export(cli, example_project)[f"{ORDERS}.asyncapi.json"]
    operations = document["operations"]
    send = operations["sendOrderCreated"]
    assert send["action"] == "send" and send["channel"] == {"$ref": "#/channels/default"}
    assert message_refs(send) == ["OrderCreatedV1", "OrderCreatedV2"]
    assert all(ref["$ref"].startswith("#/channels/default/messages/") for ref in send["messages"])
    consumers = example_project / "registry" / ORDERS / "OrderCreated" / "consumers"
    for file in sorted(consumers.iterdir()):
        declared = yaml.safe_load(file.read_text(encoding="utf-8"))
        receive = operations[f"receive{file.stem}OrderCreated"]
        assert receive["action"] == "receive"
        assert receive["x-eventcontracts-consumer"] == file.stem
        assert receive["x-eventcontracts-owner"] == declared["owner"]
        assert message_refs(receive) == [f"OrderCreatedV{n}" for n in declared["versions"]]
        reads = receive["x-eventcontracts-reads"]
        assert [read["field"] for read in reads] == [read["field"] for read in declared["reads"]]
        for read, written in zip(reads, declared["reads"], strict=True):
            assert read["required"] is written.get("required", True)
            constraints = {k: v for k, v in written.items() if k not in ("field", "required")}
            constraints.pop("description", None)
            assert read["constraints"] == constraints


def test_bus_rules_are_on_the_channel_with_their_targets_and_the_messages_they_route(
    example_project: Path, cli: CliRunner
) -> None:
    documents = export(cli, example_project)
    rules = {
        rule["name"]: rule
        for rule in documents[f"{ORDERS}.asyncapi.json"]["channels"]["default"]["x-eventbridge"][
            "rules"
        ]
    }
    customs = rules["InternationalShipmentRule"]
    assert customs["file"] == "infra/order-routing.yaml"
    assert customs["targets"] == [{"id": "customs", "arn": "!GetAtt CustomsQueue.Arn"}]
    assert customs["pattern"]["detail-type"] == ["Order Shipped"]
    assert message_refs(customs) == ["OrderShippedV1"]
    assert message_refs(rules["order-big-spender"]) == ["OrderCreatedV1", "OrderCreatedV2"]
    # A rule is in the document of each source it routes, and only there.
    payments = documents["com.mycompany.payments.asyncapi.json"]["channels"]["default"]
    assert [rule["name"] for rule in payments["x-eventbridge"]["rules"]] == ["payment-problems"]
    assert "payment-problems" not in rules


def test_the_bus_setting_is_the_channel_and_out_the_folder(
    example_project: Path, cli: CliRunner
) -> None:
    config = example_project / "eventcontracts.toml"
    config.write_text(
        config.read_text() + '\n[asyncapi]\nbus = "orders-bus"\nout = "docs/asyncapi"\n'
    )
    result = cli(["asyncapi", "export"], example_project)
    assert result.code == 0, result.both
    document = read_json(example_project / "docs" / "asyncapi" / f"{ORDERS}.asyncapi.json")
    validate_asyncapi(document)
    assert document["channels"]["orders-bus"]["address"] == "orders-bus"
    assert document["operations"]["sendOrderCreated"]["channel"] == {
        "$ref": "#/channels/orders-bus"
    }


# --- what the payload and headers accept -----------------------------------------------------


def _validator(document: dict[str, Any], pointer: str, schema_format: str) -> Any:
    """A validator of the schema at ``pointer`` in the AsyncAPI ``document`` (its refs into
    components.schemas resolve in the document), read in its format's dialect."""
    dialect = dialect_of_format(schema_format)
    if schema_format == OPENAPI_SCHEMA_FORMAT:
        document = copy.deepcopy(document)
        parent = document
        *steps, last = pointer.strip("/").split("/")
        for step in steps:
            parent = parent[step]
        parent[last] = as_json_schema(
            {"openapi": "3.0.0", "components": {"schemas": {"s": parent[last]}}}
        )["components"]["schemas"]["s"]
        dialect = "draft-04"
    assert dialect is not None, schema_format
    cls = jsonschema.validators.validator_for({"$schema": DIALECT_URIS[dialect]})
    resource = referencing.jsonschema.specification_with(DIALECT_URIS[dialect]).create_resource(
        document
    )
    registry = referencing.Registry().with_resource("urn:doc", resource)
    return cls({"$ref": f"urn:doc#{pointer}"}, registry=registry)


def _fit_examples(document: dict[str, Any]) -> int:
    """Every example's payload and headers fit the message's schemas; a payload missing a
    required field does not. The number of examples checked."""
    checked = 0
    for key, message in document["components"]["messages"].items():
        at = f"/components/messages/{key}"
        payload = _validator(document, f"{at}/payload/schema", message["payload"]["schemaFormat"])
        headers = _validator(document, f"{at}/headers/schema", message["headers"]["schemaFormat"])
        for example in message.get("examples", []):
            assert not list(payload.iter_errors(example["payload"])), (key, example["name"])
            assert not list(headers.iter_errors(example["headers"])), (key, example["name"])
            required = message["payload"]["schema"].get("required", [])
            if required and isinstance(example["payload"], dict):
                broken = {k: v for k, v in example["payload"].items() if k != required[0]}
                assert list(payload.iter_errors(broken)), (key, example["name"])
            checked += 1
    return checked


def test_payloads_and_headers_accept_the_sample_events_of_their_version(
    example_project: Path, cli: CliRunner
) -> None:
    documents = export(cli, example_project)
    assert sum(_fit_examples(document) for document in documents.values()) >= 10


def test_corpus_payloads_and_headers_accept_the_sample_events_of_their_version(
    corpus_project: Adopted, cli: CliRunner
) -> None:
    documents = export(cli, corpus_project.root)
    assert sum(_fit_examples(document) for document in documents.values()) >= 5


SOURCE = "com.example.trees"


def _tree_project(root: Path) -> Path:
    """A registry whose detail refers to a shared file (cross-file refs) and to a recursive
    definition (a tree of nodes)."""
    write_schema(
        root / "registry" / "_shared" / "common.json",
        {"definitions": {"Money": {"type": "object", "required": ["amount"],
                                   "properties": {"amount": {"type": "number"}}}}},
    )  # fmt: skip
    write_schema(
        root / "registry" / SOURCE / "TreeGrown" / "v1.json",
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "x-amazon-events-source": SOURCE,
            "x-amazon-events-detail-type": "Tree Grown",
            "type": "object",
            "required": ["detail", "source"],
            "properties": {
                "source": {"type": "string"},
                "detail": {
                    "type": "object",
                    "required": ["root", "price"],
                    "properties": {
                        "root": {"$ref": "#/definitions/Node"},
                        "price": {"$ref": "../../_shared/common.json#/definitions/Money"},
                    },
                },
            },
            "definitions": {
                "Node": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string"},
                        "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}},
                    },
                    "additionalProperties": False,
                }
            },
        },
    )
    return root


def test_cross_file_refs_are_inlined_and_a_recursive_schema_is_kept_in_components(
    tmp_path: Path, cli: CliRunner
) -> None:
    project = _tree_project(tmp_path)
    document = export(cli, project)[f"{SOURCE}.asyncapi.json"]
    validate_asyncapi(document)
    kept = document["components"]["schemas"]
    assert list(kept) == ["TreeGrownV1.Node"]
    assert kept["TreeGrownV1.Node"]["schemaFormat"] == "application/schema+json;version=draft-07"
    # Self-contained: the only refs left are into the document itself.
    refs = set(every_ref(document))
    assert {ref for ref in refs if not ref.startswith("#/")} == set()
    assert "#/components/schemas/TreeGrownV1.Node/schema" in refs
    message = document["components"]["messages"]["TreeGrownV1"]
    price = message["payload"]["schema"]["properties"]["price"]
    assert price["properties"]["amount"] == {"type": "number"}  # from the shared file
    payload = _validator(
        document,
        "/components/messages/TreeGrownV1/payload/schema",
        message["payload"]["schemaFormat"],
    )
    deep = {"name": "a", "children": [{"name": "b", "children": [{"name": "c", "children": []}]}]}
    assert not list(payload.iter_errors({"root": deep, "price": {"amount": 1}}))
    bad = copy.deepcopy(deep)
    bad["children"][0]["children"][0]["colour"] = "green"  # three levels down: still checked
    assert list(payload.iter_errors({"root": bad, "price": {"amount": 1}}))
    assert message["headers"]["schema"]["required"] == ["source"]


def _event_schema(document: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    """The event schema a message describes, as a registry document: the headers with the
    payload as ``detail``, the kept recursive schemas as definitions (components)."""
    event = copy.deepcopy(message["headers"]["schema"])
    event["properties"]["detail"] = message["payload"]["schema"]
    if message["x-eventcontracts-detail-required"]:
        event["required"] = [*event.get("required", []), "detail"]
    kept = {k: v["schema"] for k, v in document["components"].get("schemas", {}).items()}
    rebuilt: dict[str, Any]
    if message["payload"]["schemaFormat"] == OPENAPI_SCHEMA_FORMAT:
        prefix = "#/components/schemas/"
        rebuilt = {"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {},
                   "components": {"schemas": {"AWSEvent": event, **kept}}}  # fmt: skip
    else:
        prefix = "#/definitions/"
        dialect = dialect_of_format(message["payload"]["schemaFormat"])
        assert dialect is not None
        rebuilt = {"$schema": DIALECT_URIS[dialect], **event, "definitions": kept}
    text = re.sub(r'"#/components/schemas/([^"/]+)/schema"', rf'"{prefix}\1"', json.dumps(rebuilt))
    return dict(json.loads(text))


def _same_as_the_registry(root: Path) -> int:
    """Every message's event schema is its version's, as the compatibility engine sees them:
    compatible both ways with no change at all. The number of versions compared."""
    registry = load_registry(root)
    resolver = Resolver(registry)
    documents = source_documents(registry, [], bus="default", registry_label="registry")
    compared = 0
    for document in documents.values():
        for key, message in document["components"]["messages"].items():
            schema = registry.schemas[message["x-eventcontracts-schema"]]
            version = schema.version(message["x-eventcontracts-version"])
            rebuilt = from_document(_event_schema(document, message), f"file:///{key}.json")
            report = compare_inputs(from_version(version, resolver), rebuilt, mode="FULL")
            assert report.compatible and report.changes == [], (key, report.changes[:3])
            compared += 1
    return compared


def test_a_message_holds_its_version_exactly(example_project: Path, tmp_path: Path) -> None:
    assert _same_as_the_registry(example_project / "registry") >= 10
    assert _same_as_the_registry(_tree_project(tmp_path / "trees") / "registry") == 1


def test_a_corpus_message_holds_its_version_exactly(corpus_project: Adopted) -> None:
    assert _same_as_the_registry(corpus_project.registry) >= 20


# --- determinism, hostile input, exit codes --------------------------------------------------


def test_the_same_registry_gives_the_same_bytes(example_project: Path, cli: CliRunner) -> None:
    out = example_project / "asyncapi"
    export(cli, example_project)
    first = {path.name: path.read_bytes() for path in out.iterdir()}
    export(cli, example_project, "--out", "again")
    again = {path.name: path.read_bytes() for path in (example_project / "again").iterdir()}
    assert first == again
    assert all(text.endswith(b"}\n") and not text.endswith(b"\n\n") for text in first.values())
    # info.version is a hash of the content: a changed description changes it, nothing else.
    version = read_json(out / f"{ORDERS}.asyncapi.json")["info"]["version"]
    assert re.fullmatch(r"1\.0\.0\+[0-9a-f]{12}", version)
    path = example_project / "registry" / ORDERS / "OrderCancelled" / "v1.json"
    path.write_text(path.read_text().replace("cancelled before it shipped", "called off"))
    export(cli, example_project)
    changed = read_json(out / f"{ORDERS}.asyncapi.json")["info"]["version"]
    assert changed != version
    unchanged = {p.name: p.read_bytes() for p in out.iterdir() if ORDERS not in p.name}
    assert unchanged == {name: text for name, text in first.items() if ORDERS not in name}


def test_yaml_documents_hold_the_same_as_json(example_project: Path, cli: CliRunner) -> None:
    documents = export(cli, example_project)
    result = cli(["asyncapi", "export", "--format", "yaml"], example_project)
    assert result.code == 0, result.both
    for name, document in documents.items():
        path = example_project / "asyncapi" / name.replace(".json", ".yaml")
        assert yaml.safe_load(path.read_text(encoding="utf-8")) == document


def test_a_document_of_a_source_no_longer_in_the_registry_is_removed(
    example_project: Path, cli: CliRunner
) -> None:
    export(cli, example_project)
    out = example_project / "asyncapi"
    (out / "notes.md").write_text("ours")
    shutil.rmtree(example_project / "registry" / "com.mystore.checkout")
    documents = export(cli, example_project)
    assert "com.mystore.checkout.asyncapi.json" not in documents
    assert (out / "notes.md").read_text() == "ours"  # only its own documents are removed
    # A document that is a link is replaced in the folder, never written through.
    elsewhere = example_project / "elsewhere.json"
    elsewhere.write_text("theirs")
    (out / f"{ORDERS}.asyncapi.json").unlink()
    (out / f"{ORDERS}.asyncapi.json").symlink_to(elsewhere)
    export(cli, example_project)
    assert elsewhere.read_text() == "theirs"
    assert not (out / f"{ORDERS}.asyncapi.json").is_symlink()


HOSTILE_SOURCE = 'com.evil/<script>alert(1)</script> "x"'
HOSTILE_NAME = "Order Placed$1"
HOSTILE_TEXT = '</script><img src=x onerror=alert(1)> "}, {"$ref": "http://evil"} ```'


def _hostile_project(root: Path) -> Path:
    from eventcontracts.registry.sourcefolder import folder_of_source

    folder = root / "registry" / folder_of_source(HOSTILE_SOURCE) / HOSTILE_NAME
    write_schema(
        folder / "v1.json",
        {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "x-amazon-events-source": HOSTILE_SOURCE,
            "x-amazon-events-detail-type": HOSTILE_TEXT,
            "description": HOSTILE_TEXT,
            "type": "object",
            "properties": {
                "detail": {
                    "type": "object",
                    "description": HOSTILE_TEXT,
                    "properties": {
                        "$ref": {"type": "string", "enum": ["#/definitions/x", HOSTILE_TEXT]},
                        HOSTILE_TEXT: {"type": "string"},
                    },
                }
            },
        },
    )
    write_schema(
        folder / "consumers" / "x-team.yaml",
        "versions: [1]\nreads:\n  - field: $ref\n",
    )
    return root


def test_hostile_sources_names_and_descriptions_stay_data(tmp_path: Path, cli: CliRunner) -> None:
    project = _hostile_project(tmp_path)
    documents = export(cli, project)
    (name,) = documents
    assert re.fullmatch(r"[A-Za-z0-9._-]+\.asyncapi\.json", name) and name[0] != "."
    document = documents[name]
    validate_asyncapi(document)
    assert document["info"]["title"] == HOSTILE_SOURCE
    (key,) = document["components"]["messages"]
    assert COMPONENT_KEY.match(key) and all(COMPONENT_KEY.match(k) for k in document["operations"])
    assert all(COMPONENT_KEY.match(k) for k in document["channels"])
    message = document["components"]["messages"][key]
    assert message["x-amazon-events-detail-type"] == HOSTILE_TEXT
    assert message["x-eventcontracts-schema"] == f"{HOSTILE_SOURCE}@{HOSTILE_NAME}"
    assert message["description"] == HOSTILE_TEXT
    properties = message["payload"]["schema"]["properties"]
    # A property named $ref is a name, not a ref: kept as written, never followed.
    assert properties["$ref"]["enum"] == ["#/definitions/x", HOSTILE_TEXT]
    assert HOSTILE_TEXT in properties
    (receive,) = [op for op in document["operations"].values() if op["action"] == "receive"]
    assert receive["x-eventcontracts-reads"][0]["field"] == "$ref"


def test_two_sources_that_differ_only_in_case_get_two_files(tmp_path: Path, cli: CliRunner) -> None:
    for source in ("com.Example", "com.example"):
        write_schema(
            tmp_path / "registry" / source / "Thing" / "v1.json",
            {
                "x-amazon-events-source": source,
                "x-amazon-events-detail-type": "Thing",
                "type": "object",
                "properties": {"detail": {"type": "object"}},
            },
        )
    documents = export(cli, tmp_path)
    assert len({name.casefold() for name in documents}) == 2
    assert sorted(d["info"]["title"] for d in documents.values()) == ["com.Example", "com.example"]


def one_line(result: Any) -> str:
    assert result.code == 2, result.both
    assert "Traceback" not in result.both and result.out == ""
    (line,) = result.err.strip().splitlines()
    return str(line)


def test_exit_codes(example_project: Path, cli: CliRunner, tmp_path: Path) -> None:
    assert cli(["asyncapi", "export"], example_project).code == 0
    (example_project / "a-file").write_text("x")
    refused = cli(["asyncapi", "export", "--out", "a-file"], example_project)
    assert refused.code == 2 and "'a-file' is a file" in refused.err  # click's usage error
    config = example_project / "eventcontracts.toml"
    original = config.read_text()
    config.write_text(original + '\n[asyncapi]\nout = "a-file"\n')
    assert "a-file: is a file" in one_line(cli(["asyncapi", "export"], example_project))
    config.write_text(original)
    missing = one_line(cli(["asyncapi", "export", "--registry", "nowhere"], example_project))
    assert "nowhere" in missing
    config.write_text(original + '\n[asyncapi]\nbus = "no spaces please"\n')
    assert "[asyncapi] bus" in one_line(cli(["asyncapi", "export"], example_project))
    config.write_text(original + '\n[asyncapi]\nbuss = "x"\n')
    assert "did you mean 'bus'?" in one_line(cli(["asyncapi", "export"], example_project))
    config.write_text(original)
    # A ref that points to nothing: the version's file and the ref, nothing written for it.
    version = example_project / "registry" / ORDERS / "OrderCancelled" / "v1.json"
    text = version.read_text()
    version.write_text(text.replace('"#/components/schemas/OrderCancelled"', '"#/nowhere"', 1))
    assert version.read_text() != text
    line = one_line(cli(["asyncapi", "export", "--out", "broken"], example_project))
    assert "OrderCancelled/v1.json" in line and "'#/nowhere'" in line
    assert not (example_project / "broken").exists()  # all or nothing


def test_an_empty_registry_writes_nothing_and_says_so(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / "registry").mkdir()
    result = cli(["asyncapi", "export"], tmp_path)
    assert result.code == 0 and "no schemas in registry, no documents" in result.out
    assert list((tmp_path / "asyncapi").iterdir()) == []
