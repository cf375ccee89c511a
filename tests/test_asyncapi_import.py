"""`eventcontracts asyncapi import`: AsyncAPI 2.6 and 3.0 documents adopted into the registry.

Hand-written documents as teams write them (YAML and JSON, refs inside the document and to
files beside it), the ambiguities that must stop the import with one line and nothing written,
hostile documents, and the round trip: every version of the example catalog and of the shared
real-world corpus, exported and imported back, is the same schema to the compatibility engine.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import REPO_ROOT, CliResult, CliRunner, Recorder, read_json, write_schema
from corpus import CORPUS, adopt
from eventcontracts.compat import compare_inputs
from eventcontracts.compat.inputs import from_version
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.model import SchemaVersion
from eventcontracts.registry.resolver import Resolver

SOURCE = "com.example.orders"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "team"
    (root / "registry").mkdir(parents=True)
    (root / "eventcontracts.toml").write_text("[registry]\n")
    return root


def run_import(cli: CliRunner, project: Path, *args: str) -> CliResult:
    return cli(["asyncapi", "import", *args], project)


def files_of(registry: Path) -> list[str]:
    return sorted(p.relative_to(registry).as_posix() for p in registry.rglob("*") if p.is_file())


def assert_refused(result: CliResult, project: Path, *fragments: str) -> str:
    """Exit 2, one error line holding every fragment, and nothing written."""
    assert result.code == 2, result.both
    errors = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.err
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    assert "Traceback" not in result.both
    assert files_of(project / "registry") == []
    return errors[0]


def lint_clean(cli: CliRunner, project: Path) -> None:
    result = cli(["lint"], project)
    assert result.code == 0, result.both


def message(payload: Any = None, **fields: Any) -> dict[str, Any]:
    """A 3.0 message whose payload is a draft-07 JSON Schema (a Multi Format Schema Object)."""
    found: dict[str, Any] = {"x-amazon-events-source": SOURCE, **fields}
    if payload is not None:
        found["payload"] = {
            "schemaFormat": "application/schema+json;version=draft-07",
            "schema": payload,
        }
    return found


def document_30(messages: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "orders", "version": "1.0.0"},
        "channels": {
            "bus": {
                "address": "default",
                "messages": {key: {"$ref": f"#/components/messages/{key}"} for key in messages},
            }
        },
        "components": {"messages": messages},
        **extra,
    }


def event_schema(project: Path, relative: str) -> Any:
    """The version file as a JSON Schema a validator can use (OpenApi3 via its AWSEvent)."""
    return read_json(project / "registry" / relative)


ORDER_30_YAML = """\
asyncapi: 3.0.0
info:
  title: Orders
  version: 2.1.0
channels:
  orders:
    address: orders-bus
    messages:
      created: {$ref: '#/components/messages/OrderCreated'}
operations:
  sendOrderCreated:
    action: send
    channel: {$ref: '#/channels/orders'}
    messages: [{$ref: '#/channels/orders/messages/created'}]
components:
  messages:
    OrderCreated:
      name: OrderCreated
      title: Order created
      x-amazon-events-source: com.example.orders
      x-amazon-events-detail-type: Order Created
      payload:
        $ref: '#/components/schemas/Order'
      examples:
        - name: small-order
          payload: {orderId: ORD-1, total: 12.5, shipTo: {street: Main St 1}}
  schemas:
    Order:
      type: object
      description: An order was placed.
      required: [orderId, total]
      properties:
        orderId: {type: string, description: The order's id.}
        total: {type: number, minimum: 0}
        shipTo: {$ref: 'common/address.yaml#/Address'}
        replaces: {$ref: '#/components/schemas/Order'}
"""
ADDRESS_YAML = """\
Address:
  type: object
  required: [street]
  properties:
    street: {type: string, description: Street and number.}
    forwardTo: {$ref: '#/Address'}
"""


def test_a_30_yaml_document_with_local_and_sibling_file_refs_becomes_v1_with_its_example(
    project: Path, cli: CliRunner
) -> None:
    write_schema(project / "partner" / "orders.yaml", ORDER_30_YAML)
    write_schema(project / "partner" / "common" / "address.yaml", ADDRESS_YAML)

    result = run_import(cli, project, "partner/orders.yaml")

    assert result.code == 0, result.both
    folder = "registry/com.example.orders/OrderCreated"
    assert f"wrote {folder}/v1.json from partner/orders.yaml" in result.out
    assert f"filed {folder}/examples/v1/small-order.json" in result.out
    document = read_json(project / folder / "v1.json")
    assert document["x-amazon-events-source"] == SOURCE
    assert document["x-amazon-events-detail-type"] == "Order Created"
    assert document["$schema"] == "http://json-schema.org/draft-07/schema#"
    detail = document["definitions"]["OrderCreated"]
    assert detail["description"] == "An order was placed."
    assert detail["properties"]["orderId"]["description"] == "The order's id."
    # Recursion stays recursion: the detail refers to itself, the address to itself.
    assert detail["properties"]["replaces"] == {"$ref": "#/definitions/OrderCreated"}
    address = document["definitions"][detail["properties"]["shipTo"]["$ref"].split("/")[-1]]
    assert address["properties"]["forwardTo"]["$ref"] == detail["properties"]["shipTo"]["$ref"]
    validator = jsonschema.Draft7Validator(document)
    good = read_json(project / folder / "examples" / "v1" / "small-order.json")
    assert good["detail"] == {"orderId": "ORD-1", "total": 12.5, "shipTo": {"street": "Main St 1"}}
    assert validator.is_valid(good)
    nested = {**good, "detail": {**good["detail"], "shipTo": {"forwardTo": {"street": 3}}}}
    assert not validator.is_valid(nested)  # the sibling file's schema is really enforced
    lint_clean(cli, project)

    before = files_of(project / "registry")
    again = run_import(cli, project, "partner/orders.yaml")
    assert again.code == 0, again.both
    assert f"unchanged {folder}/v1.json" in again.out
    assert files_of(project / "registry") == before


ORDERS_26 = {
    "asyncapi": "2.6.0",
    "info": {"title": "Orders", "version": "1.0.0", "x-amazon-events-source": SOURCE},
    "channels": {
        "orders": {
            "publish": {
                "message": {
                    "oneOf": [
                        {"$ref": "#/components/messages/OrderCreated"},
                        {"$ref": "#/components/messages/OrderShipped"},
                    ]
                }
            },
            "subscribe": {"message": {"$ref": "#/components/messages/OrderCreated"}},
        }
    },
    "components": {
        "messages": {
            "OrderCreated": {
                "name": "OrderCreated",
                "traits": [{"$ref": "#/components/messageTraits/Created"}],
                "schemaFormat": "application/vnd.aai.asyncapi;version=2.6.0",
                "payload": {"$ref": "#/components/schemas/Order"},
            },
            "OrderShipped": {
                "name": "OrderShipped",
                "schemaFormat": "application/vnd.oai.openapi;version=3.0.0",
                "payload": {
                    "type": "object",
                    "description": "An order left the warehouse.",
                    "properties": {
                        "orderId": {"type": "string"},
                        "carrier": {"type": "string", "nullable": True},
                        "parcel": {"$ref": "#/components/schemas/Parcel"},
                    },
                },
            },
        },
        "messageTraits": {"Created": {"x-amazon-events-detail-type": "Order Created"}},
        "schemas": {
            "Order": {
                "type": "object",
                "discriminator": "kind",
                "externalDocs": {"url": "https://example.com/orders"},
                "required": ["orderId", "kind"],
                "properties": {"orderId": {"type": "string"}, "kind": {"type": "string"}},
            },
            "Parcel": {"type": "object", "properties": {"weight": {"type": "number"}}},
        },
    },
}


def test_a_26_json_document_gives_a_json_schema_and_an_openapi_version(
    project: Path, cli: CliRunner
) -> None:
    write_schema(project / "orders-2.6.json", ORDERS_26)

    result = run_import(cli, project, "orders-2.6.json")

    assert result.code == 0, result.both
    # OrderCreated is reached three times (oneOf, subscribe, components): one version.
    assert files_of(project / "registry") == [
        "com.example.orders/OrderCreated/v1.json",
        "com.example.orders/OrderShipped/v1.json",
    ]
    created = read_json(project / "registry/com.example.orders/OrderCreated/v1.json")
    assert created["x-amazon-events-detail-type"] == "Order Created"  # from the trait
    detail = created["definitions"]["OrderCreated"]
    # AsyncAPI's own keywords are kept under x-asyncapi, not dropped.
    assert "discriminator" not in detail
    assert detail["x-asyncapi"] == {
        "discriminator": "kind",
        "externalDocs": {"url": "https://example.com/orders"},
    }
    shipped = read_json(project / "registry/com.example.orders/OrderShipped/v1.json")
    assert shipped["openapi"] == "3.0.0"
    schemas = shipped["components"]["schemas"]
    assert schemas["AWSEvent"]["x-amazon-events-detail-type"] == "OrderShipped"  # its name
    assert schemas["AWSEvent"]["properties"]["detail"] == {
        "$ref": "#/components/schemas/OrderShipped"
    }
    assert schemas["OrderShipped"]["properties"]["carrier"]["nullable"] is True
    assert schemas["OrderShipped"]["properties"]["parcel"] == {
        "$ref": "#/components/schemas/Parcel"
    }
    assert schemas["Parcel"] == {"type": "object", "properties": {"weight": {"type": "number"}}}
    lint_clean(cli, project)


def test_the_source_comes_from_the_command_line_when_no_message_or_document_says_it(
    project: Path, cli: CliRunner
) -> None:
    anonymous = message({"type": "object"}, name="Ping")
    del anonymous["x-amazon-events-source"]
    write_schema(project / "ping.json", document_30({"Ping": anonymous}))

    refused = run_import(cli, project, "ping.json")
    assert_refused(refused, project, "ping.json: /components/messages/Ping: no event source",
                   "--source")  # fmt: skip

    result = run_import(cli, project, "ping.json", "--source", "com.example.ping")
    assert result.code == 0, result.both
    assert files_of(project / "registry") == ["com.example.ping/Ping/v1.json"]


@pytest.mark.parametrize(
    ("messages", "fragments"),
    [
        pytest.param(
            {
                "A": message({"type": "object"}, name="Order", **{"x-eventcontracts-version": 1}),
                "B": message({"type": "string"}, name="Order", **{"x-eventcontracts-version": 1}),
                "Other": message({"type": "object"}, name="Other"),
            },
            ["/components/messages/A and /components/messages/B both claim",
             "com.example.orders@Order v1 with different payloads"],
            id="one-version-two-payloads",
        ),
        pytest.param(
            {"A": message({"type": "object"}, name="Order"),
             "B": message({"type": "string"}, name="Order")},
            ["both claim com.example.orders@Order with different payloads"],
            id="two-payloads-no-versions",
        ),
        pytest.param(
            {
                "Avro": {
                    **message(name="Avro"),
                    "payload": {
                        "schemaFormat": "application/vnd.apache.avro;version=1.9.0",
                        "schema": {"type": "record", "name": "User", "fields": []},
                    },
                },
                "Fine": message({"type": "object"}, name="Fine"),
            },
            ["/components/messages/Avro/payload/schemaFormat: schemaFormat "
             "'application/vnd.apache.avro;version=1.9.0' is not one import reads"],
            id="unsupported-schema-format",
        ),
        pytest.param(
            {"Empty": message(name="Empty")},
            ["/components/messages/Empty: the message has no payload"],
            id="no-payload",
        ),
        pytest.param(
            {"Dangling": message({"$ref": "#/components/schemas/Missing"}, name="Dangling")},
            ["$ref '#/components/schemas/Missing' at "
             "/components/messages/Dangling/payload/schema/$ref points to nothing"],
            id="dangling-ref",
        ),
        pytest.param(
            {"Bad": message({"type": "object"}, name="Bad", **{"x-eventcontracts-version": "2"})},
            ["x-eventcontracts-version is '2', not a version number"],
            id="version-not-a-number",
        ),
        pytest.param(
            {"Odd": message({"type": "object"}, name="Odd",
                            **{"x-eventcontracts-schema": "com.example.other@Odd"})},
            ["x-eventcontracts-schema names source 'com.example.other'"],
            id="schema-of-another-source",
        ),
    ],
)  # fmt: skip
def test_anything_ambiguous_is_one_line_and_nothing_is_written(
    project: Path, cli: CliRunner, messages: dict[str, Any], fragments: list[str]
) -> None:
    write_schema(project / "doc.json", document_30(messages))
    assert_refused(run_import(cli, project, "doc.json"), project, "doc.json: ", *fragments)


def test_a_ref_to_a_multi_format_schema_object_means_its_schema(
    project: Path, cli: CliRunner
) -> None:
    doc = document_30({"M": message({"properties": {"a": {"$ref": "#/components/schemas/A"}}},
                                    name="M")})  # fmt: skip
    doc["components"]["schemas"] = {
        "A": {"schemaFormat": "application/schema+json;version=draft-07",
              "schema": {"type": "string", "description": "An a."}}
    }  # fmt: skip
    write_schema(project / "doc.json", doc)
    result = run_import(cli, project, "doc.json")
    assert result.code == 0, result.both
    definitions = read_json(project / "registry" / SOURCE / "M" / "v1.json")["definitions"]
    assert definitions["M"]["properties"]["a"] == {"$ref": "#/definitions/A"}
    assert definitions["A"] == {"type": "string", "description": "An a."}


def test_a_message_repeated_with_the_same_payload_is_one_version(
    project: Path, cli: CliRunner
) -> None:
    payload = {"type": "object", "properties": {"id": {"type": "string"}}}
    doc = document_30({"A": message(payload, name="Order"), "B": message(payload, name="Order")})
    write_schema(project / "doc.json", doc)
    result = run_import(cli, project, "doc.json")
    assert result.code == 0, result.both
    assert files_of(project / "registry") == ["com.example.orders/Order/v1.json"]


def test_versions_are_written_in_version_order_and_numbers_are_kept(
    project: Path, cli: CliRunner
) -> None:
    v1 = {"type": "object", "properties": {"id": {"type": "string"}}}
    v2 = {"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "string"}}}
    versions = {"x-eventcontracts-schema": f"{SOURCE}@Order"}
    doc = document_30(
        {
            "OrderV2": message(v2, name="Order", **versions, **{"x-eventcontracts-version": 2}),
            "OrderV1": message(v1, name="Order", **versions, **{"x-eventcontracts-version": 1}),
        }
    )
    write_schema(project / "doc.json", doc)

    result = run_import(cli, project, "doc.json")

    assert result.code == 0, result.both
    folder = project / "registry" / SOURCE / "Order"
    assert read_json(folder / "v1.json")["definitions"]["Order"] == v1
    assert read_json(folder / "v2.json")["definitions"]["Order"] == v2
    lint_clean(cli, project)


def test_a_version_number_the_registry_disagrees_with_is_refused(
    project: Path, cli: CliRunner
) -> None:
    only_v2 = message({"type": "object"}, name="Order", **{"x-eventcontracts-version": 2})
    write_schema(project / "gap.json", document_30({"OrderV2": only_v2}))
    assert_refused(run_import(cli, project, "gap.json"), project,
                   "Order v2 would leave a gap after v0")  # fmt: skip

    write_schema(project / "v1.json", document_30({"A": message({"type": "object"}, name="Order")}))
    assert run_import(cli, project, "v1.json").code == 0
    other_v1 = message({"type": "string"}, name="Order", **{"x-eventcontracts-version": 1})
    write_schema(project / "other.json", document_30({"OrderV1": other_v1}))
    result = run_import(cli, project, "other.json")
    assert result.code == 2, result.both
    assert "Order v1 is already in the registry with other content" in result.err
    assert files_of(project / "registry") == [f"{SOURCE}/Order/v1.json"]

    # Without a version number, different content is the next version.
    unnumbered = message({"type": "string"}, name="Order")
    write_schema(project / "next.json", document_30({"Order": unnumbered}))
    result = run_import(cli, project, "next.json")
    assert result.code == 0, result.both
    assert files_of(project / "registry") == [f"{SOURCE}/Order/v1.json", f"{SOURCE}/Order/v2.json"]


def test_an_example_that_does_not_fit_its_message_is_rejected_and_the_version_kept(
    project: Path, cli: CliRunner
) -> None:
    payload = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
    examples = [{"name": "good", "payload": {"id": "1"}}, {"name": "bad", "payload": {"id": 1}}]
    write_schema(
        project / "doc.json",
        document_30({"Order": message(payload, name="Order", examples=examples)}),
    )
    result = run_import(cli, project, "doc.json")
    assert result.code == 1, result.both
    assert (
        "rejected doc.json /components/messages/Order/examples/1: does not fit "
        "com.example.orders@Order v1: /detail/id: 1 is not of type 'string'"
    ) in result.out
    assert files_of(project / "registry") == [
        f"{SOURCE}/Order/examples/v1/good.json",
        f"{SOURCE}/Order/v1.json",
    ]


# --- hostile documents -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"$ref": "#/components/schemas/A"}, "comes back to itself through other $refs"),
        ({"$ref": "../outside.json#/Secret"}, "leads out of the document's folder"),
        ({"$ref": "/etc/passwd"}, "is neither in this document nor a file beside it"),
        ({"$ref": "file:///etc/passwd"}, "is neither in this document nor a file beside it"),
        ({"$ref": "#node"}, "names an anchor"),
        ({"$ref": "missing.json#/X"}, "no such file beside the document"),
    ],
)
def test_refs_that_loop_or_leave_the_folder_are_refused(
    project: Path, cli: CliRunner, payload: dict[str, Any], fragment: str
) -> None:
    write_schema(project / "outside.json", {"Secret": {"type": "string"}})
    schemas = {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}
    doc = document_30({"M": message(payload, name="M")})
    doc["components"]["schemas"] = schemas
    write_schema(project / "docs" / "doc.json", doc)
    assert_refused(run_import(cli, project, "docs/doc.json"), project, "docs/doc.json: ", fragment)


def test_a_message_ref_loop_is_refused(project: Path, cli: CliRunner) -> None:
    doc = document_30({})
    doc["channels"]["bus"]["messages"] = {"M": {"$ref": "#/components/messages/M"}}
    doc["components"]["messages"] = {"M": {"$ref": "#/channels/bus/messages/M"}}
    write_schema(project / "doc.json", doc)
    assert_refused(run_import(cli, project, "doc.json"), project, "comes back to itself")


def test_a_link_out_of_the_folder_is_not_followed(project: Path, cli: CliRunner) -> None:
    write_schema(project / "secret.json", {"type": "string"})
    (project / "docs").mkdir()
    (project / "docs" / "link.json").symlink_to(project / "secret.json")
    write_schema(project / "docs" / "doc.json",
                 document_30({"M": message({"$ref": "link.json"}, name="M")}))  # fmt: skip
    assert_refused(run_import(cli, project, "docs/doc.json"), project, "leads out of the document")


def test_remote_refs_are_refused_unless_allowed(
    project: Path, cli: CliRunner, recorder: Recorder, no_network: list[object]
) -> None:
    doc = document_30({"M": message({"properties": {"c": {"$ref": recorder.url}}}, name="M")})
    write_schema(project / "doc.json", doc)
    assert_refused(run_import(cli, project, "doc.json"), project,
                   f"remote $ref {recorder.url!r} at /components/messages/M/payload/schema/"
                   "properties/c/$ref refused", "allow-remote-refs")  # fmt: skip
    assert no_network == []


def test_remote_refs_are_fetched_when_allowed(
    project: Path, cli: CliRunner, recorder: Recorder
) -> None:
    (project / "eventcontracts.toml").write_text("[registry]\nallow-remote-refs = true\n")
    doc = document_30({"M": message({"properties": {"c": {"$ref": recorder.url}}}, name="M")})
    write_schema(project / "doc.json", doc)
    result = run_import(cli, project, "doc.json")
    assert result.code == 0, result.both
    definitions = read_json(project / "registry" / SOURCE / "M" / "v1.json")["definitions"]
    assert definitions["currency"] == {"type": "string", "enum": ["EUR"]}
    assert recorder.paths == ["/currency.json"]


def test_huge_deep_and_alias_bombs_are_refused_in_one_line(project: Path, cli: CliRunner) -> None:
    huge = document_30({"M": message({"type": "object", "description": "x" * 6_000_000})})
    write_schema(project / "huge.json", huge)
    assert_refused(run_import(cli, project, "huge.json"), project, "huge.json: larger than 5 MiB")

    deep: dict[str, Any] = {"type": "object"}
    for _ in range(80):
        deep = {"type": "object", "properties": {"a": deep}}
    write_schema(project / "deep.json", document_30({"M": message(deep, name="M")}))
    assert_refused(run_import(cli, project, "deep.json"), project, "deep.json: ", "deep")

    bomb = "asyncapi: 3.0.0\na: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n"
    write_schema(project / "bomb.yaml", bomb)
    assert_refused(run_import(cli, project, "bomb.yaml"), project, "bomb.yaml: ")


def test_a_payload_whose_schema_exceeds_eventbridges_limit_is_refused(
    project: Path, cli: CliRunner
) -> None:
    big = {"type": "object", "description": "x" * 120_000}
    write_schema(project / "big.json", document_30({"M": message(big, name="M")}))
    result = run_import(cli, project, "big.json")
    assert_refused(result, project, "/components/messages/M: its schema would be",
                   "more than the 100,000")  # fmt: skip


@pytest.mark.parametrize(
    ("name", "source", "folder"),
    [
        ("../../escape", SOURCE, f"{SOURCE}/Escape"),
        ("Order Created", SOURCE, f"{SOURCE}/OrderCreated"),
        ("Ticket", "aws.partner/mongo.com/1", "aws.partner%2Fmongo.com%2F1/Ticket"),
    ],
)  # fmt: skip
def test_odd_names_become_safe_folder_names(
    project: Path, cli: CliRunner, name: str, source: str, folder: str
) -> None:
    doc = document_30({"M": message({"type": "object"}, name=name,
                                    **{"x-amazon-events-source": source})})  # fmt: skip
    write_schema(project / "doc.json", doc)
    result = run_import(cli, project, "doc.json")
    assert result.code == 0, result.both
    assert files_of(project / "registry") == [f"{folder}/v1.json"]
    assert (project / "registry").resolve() in (project / "registry" / folder).resolve().parents
    lint_clean(cli, project)


@pytest.mark.parametrize(
    ("name", "source", "fragment"),
    [
        ("!!!", SOURCE, "'!!!' gives no usable schema name"),
        ("Order", "{{resolve:ssm:/source}}", "is a deploy-time template placeholder"),
        ("Order", "s" * 300, "more than EventBridge's 256"),
        ("Order", "é" * 200, "more than the 255 a file system takes"),
    ],
)
def test_names_that_cannot_be_a_folder_are_refused(
    project: Path, cli: CliRunner, name: str, source: str, fragment: str
) -> None:
    doc = document_30({"M": message({"type": "object"}, name=name,
                                    **{"x-amazon-events-source": source})})  # fmt: skip
    write_schema(project / "doc.json", doc)
    assert_refused(run_import(cli, project, "doc.json"), project,
                   "doc.json: /components/messages/M: ", fragment)  # fmt: skip


def test_not_asyncapi_is_one_line(project: Path, cli: CliRunner) -> None:
    write_schema(project / "openapi.yaml", yaml.safe_dump({"openapi": "3.0.0", "paths": {}}))
    assert_refused(run_import(cli, project, "openapi.yaml"), project,
                   "openapi.yaml: not an AsyncAPI document: no 'asyncapi' version")  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("junk.json", bytes(range(128, 256)), "junk.json: not UTF-8"),
        ("tab.yaml", b"asyncapi: 3.0.0\ninfo:\n\ttitle: x\n", "tab.yaml: invalid YAML: a tab"),
        ("list.json", b"[1, 2]", "list.json: not an AsyncAPI document"),
        ("old.json", b'{"asyncapi": "1.2.0"}', "old.json: 'asyncapi' is '1.2.0'"),
    ],
)
def test_a_file_that_is_no_asyncapi_document_is_one_line(
    project: Path, cli: CliRunner, name: str, content: bytes, fragment: str
) -> None:
    (project / name).write_bytes(content)
    assert_refused(run_import(cli, project, name), project, fragment)


# --- the round trip: exported, imported back, the same schemas ---------------------------------


def versions_of(registry: Path) -> tuple[dict[str, SchemaVersion], Resolver]:
    loaded = load_registry(registry)
    loaded.require_clean()
    return {f"{v.schema_name} v{v.version}": v for v in loaded.all_versions()}, Resolver(loaded)


def assert_round_trip(cli: CliRunner, original: Path, tmp_path: Path) -> int:
    """Export ``original`` (a project folder), import every document into a new project, and
    hold every version to its original; the number of versions compared."""
    out = tmp_path / "asyncapi"
    exported = cli(["asyncapi", "export", "--out", str(out)], original)
    assert exported.code == 0, exported.both
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert cli(["init"], fresh).code == 0
    documents = sorted(str(path) for path in out.iterdir())
    imported = cli(["asyncapi", "import", *documents], fresh)
    assert imported.code == 0, imported.both
    lint_clean(cli, fresh)
    before, before_resolver = versions_of(original / "registry")
    after, after_resolver = versions_of(fresh / "registry")
    assert sorted(after) == sorted(before)
    for key, old in before.items():
        old_input = from_version(old, before_resolver)
        new_input = from_version(after[key], after_resolver)
        for writer, reader in ((old_input, new_input), (new_input, old_input)):
            report = compare_inputs(writer, reader, mode="FULL", counterexamples=False)
            changes = [(c.rule, c.name, c.old_path) for c in report.changes]
            assert report.compatible and not changes, (key, changes)
        examples = sorted(e.path.name for e in old.examples)
        assert sorted(e.path.name for e in after[key].examples) == examples, key
    return len(before)


def catalog(root: Path) -> Path:
    """A copy of the example catalog: its registry, settings, and the rule files they name."""
    root.mkdir()
    for folder in ("registry", "rules", "infra"):
        shutil.copytree(REPO_ROOT / folder, root / folder)
    shutil.copy2(REPO_ROOT / "eventcontracts.toml", root / "eventcontracts.toml")
    return root


def test_the_example_catalog_exported_and_imported_back_is_the_same(
    tmp_path: Path, cli: CliRunner
) -> None:
    project = catalog(tmp_path / "catalog")
    assert assert_round_trip(cli, project, tmp_path / "trip") == 11


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_the_corpus_registry_exported_and_imported_back_is_the_same(
    tmp_path: Path, cli: CliRunner
) -> None:
    adopted = adopt(tmp_path / "adopter", generate=False)
    compared = assert_round_trip(cli, adopted.root, tmp_path / "trip")
    assert compared == len(list(adopted.registry.rglob("v*.json")))
    assert compared >= 25


def test_an_exported_document_imported_into_its_own_registry_changes_nothing(
    tmp_path: Path, cli: CliRunner
) -> None:
    example_project = catalog(tmp_path / "catalog")
    out = tmp_path / "asyncapi"
    assert cli(["asyncapi", "export", "--out", str(out)], example_project).code == 0
    before = {p: p.read_bytes() for p in (example_project / "registry").rglob("*") if p.is_file()}
    result = cli(["asyncapi", "import", *map(str, sorted(out.iterdir()))], example_project)
    assert result.code == 0, result.both
    assert "wrote" not in result.out and "filed" not in result.out
    assert result.out.count("unchanged registry/") >= 11
    after = {p: p.read_bytes() for p in (example_project / "registry").rglob("*") if p.is_file()}
    assert after == before
    unchanged = [line.split()[1] for line in result.out.splitlines()
                 if line.strip().startswith("unchanged ")]  # fmt: skip
    assert any(name.endswith(".yaml") for name in unchanged)  # the versions written in YAML
    assert all((example_project / name).is_file() for name in unchanged), unchanged


def test_the_yaml_export_imports_as_the_json_one(tmp_path: Path, cli: CliRunner) -> None:
    project = catalog(tmp_path / "catalog")
    imported = {}
    for syntax in ("json", "yaml"):
        out = tmp_path / f"out-{syntax}"
        exported = cli(["asyncapi", "export", "--out", str(out), "--format", syntax], project)
        assert exported.code == 0, exported.both
        fresh = tmp_path / f"fresh-{syntax}"
        fresh.mkdir()
        assert cli(["init"], fresh).code == 0
        result = cli(["asyncapi", "import", *map(str, sorted(out.iterdir()))], fresh)
        assert result.code == 0, result.both
        registry = fresh / "registry"
        imported[syntax] = {
            p.relative_to(registry): p.read_bytes() for p in registry.rglob("v*.json")
        }
    assert len(imported["json"]) == 11
    assert imported["yaml"] == imported["json"]


def test_a_version_with_refs_to_shared_files_imported_back_is_unchanged(
    project: Path, cli: CliRunner
) -> None:
    registry = project / "registry"
    write_schema(registry / "_shared" / "money.json", {
        "definitions": {"Money": {"type": "object", "description": "An amount.",
                                  "properties": {"amount": {"type": "number"}}}}})  # fmt: skip
    write_schema(registry / SOURCE / "Order" / "v1.json", {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "x-amazon-events-source": SOURCE,
        "x-amazon-events-detail-type": "Order",
        "required": ["detail"],
        "properties": {"detail": {
            "type": "object",
            "properties": {"total": {"$ref": "../../_shared/money.json#/definitions/Money"}},
        }},
    })  # fmt: skip
    lint_clean(cli, project)
    assert cli(["asyncapi", "export", "--out", "out"], project).code == 0
    before = files_of(registry)

    result = run_import(cli, project, *map(str, sorted((project / "out").iterdir())))

    assert result.code == 0, result.both
    assert f"unchanged registry/{SOURCE}/Order/v1.json" in result.out
    assert files_of(registry) == before


def test_more_messages_than_a_run_takes_are_refused_before_any_is_read(
    project: Path, cli: CliRunner
) -> None:
    many = {f"M{i}": message({"type": "object"}, name=f"M{i}") for i in range(5_001)}
    write_schema(project / "many.json", document_30(many))
    assert_refused(run_import(cli, project, "many.json"), project,
                   "many.json: more than 5,000 messages in one run")  # fmt: skip
