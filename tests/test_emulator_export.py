"""``ExportSchema`` of OpenApi3 schemas as JSONSchemaDraft4, driven over HTTP by boto3.

The registry converts an OpenApi3 version into the JSON Schema its own exports have (the shared
corpus holds real ones): ``$schema`` draft-04, the ``AWSEvent`` envelope as the root with its
``x-amazon-events-*`` keys, components under ``definitions``, ``nullable`` as draft 4 says it.
Every OpenApi3 version of the example catalog and of the corpus is exported; the exports,
written into a copy of the registry in place of the originals, pass ``eventcontracts lint``
(sample events included), and the compatibility engine finds each export equal to its
original in FULL mode both ways (only the root's title, which the export takes from the
document's ``info.title``, is new).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import CliRunner
from corpus import CORPUS, adopt
from eventcontracts.compat import compare_inputs
from eventcontracts.compat.inputs import from_version
from eventcontracts.emulator import Emulator
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.model import SchemaFormat
from eventcontracts.registry.resolver import Resolver

DRAFT4_URI = "http://json-schema.org/draft-04/schema#"


@pytest.fixture
def client() -> Iterator[Any]:
    with Emulator() as emu:
        c = boto3.client(
            "schemas",
            region_name="us-east-1",
            endpoint_url=emu.endpoint_url,
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        c.create_registry(RegistryName="exports")
        yield c


def openapi(schemas: dict[str, Any], title: str = "OrderPlaced") -> str:
    return json.dumps(
        {
            "openapi": "3.0.0",
            "info": {"version": "1.0.0", "title": title},
            "paths": {},
            "components": {"schemas": schemas},
        }
    )


def export(client: Any, name: str, content: str, version: str | None = None) -> Any:
    client.create_schema(RegistryName="exports", SchemaName=name, Type="OpenApi3", Content=content)
    extra = {"SchemaVersion": version} if version else {}
    answer = client.export_schema(
        RegistryName="exports", SchemaName=name, Type="JSONSchemaDraft4", **extra
    )
    assert (answer["Type"], answer["SchemaName"]) == ("JSONSchemaDraft4", name)
    return json.loads(answer["Content"])


def test_an_openapi_schema_exports_in_the_registry_export_shape(client: Any) -> None:
    envelope = {
        "type": "object",
        "x-amazon-events-source": "shop",
        "x-amazon-events-detail-type": "Order Placed",
        "required": ["detail", "source"],
        "properties": {
            "source": {"type": "string"},
            "detail": {"$ref": "#/components/schemas/OrderPlaced"},
        },
    }
    detail = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "coupon": {"type": "string", "nullable": True},
            "state": {"type": "string", "enum": ["NEW", "PAID"], "nullable": True},
            "customer": {"$ref": "#/components/schemas/Customer", "nullable": True},
            "echo": {"$ref": "#/components/schemas/AWSEvent/properties/source"},
            "data": {"type": "object", "properties": {"$ref": {"type": "string"}}},
        },
    }
    customer = {"type": "object", "properties": {"name": {"type": "string"}}}
    content = openapi({"AWSEvent": envelope, "OrderPlaced": detail, "Customer": customer})
    exported = export(client, "shop@OrderPlaced", content)

    assert list(exported)[:2] == ["$schema", "title"]
    assert exported["$schema"] == DRAFT4_URI
    assert exported["title"] == "OrderPlaced"
    assert exported["x-amazon-events-source"] == "shop"
    assert exported["x-amazon-events-detail-type"] == "Order Placed"
    assert exported["required"] == ["detail", "source"]  # the order as written
    assert exported["properties"]["detail"] == {"$ref": "#/definitions/OrderPlaced"}
    assert sorted(exported["definitions"]) == ["Customer", "OrderPlaced"]
    properties = exported["definitions"]["OrderPlaced"]["properties"]
    assert list(properties) == sorted(properties)  # keys sorted, as the registry writes them
    assert properties["coupon"] == {"type": ["string", "null"]}
    assert properties["state"] == {"type": ["string", "null"], "enum": ["NEW", "PAID", None]}
    assert properties["customer"] == {
        "anyOf": [{"$ref": "#/definitions/Customer"}, {"type": "null"}]
    }
    assert properties["echo"] == {"$ref": "#/properties/source"}  # AWSEvent is the root
    # A property named "$ref" is data, not a reference: left alone.
    assert properties["data"]["properties"] == {"$ref": {"type": "string"}}
    assert "nullable" not in json.dumps(exported)


def test_an_export_names_the_version_asked_for(client: Any) -> None:
    first = openapi({"AWSEvent": {"type": "object", "properties": {"a": {"type": "string"}}}})
    export(client, "S", first)
    second = openapi({"AWSEvent": {"type": "object", "properties": {"b": {"type": "string"}}}})
    client.update_schema(RegistryName="exports", SchemaName="S", Content=second)
    answer = client.export_schema(
        RegistryName="exports", SchemaName="S", Type="JSONSchemaDraft4", SchemaVersion="1"
    )
    assert answer["SchemaVersion"] == "1"
    assert list(json.loads(answer["Content"])["properties"]) == ["a"]
    latest = client.export_schema(RegistryName="exports", SchemaName="S", Type="JSONSchemaDraft4")
    assert (latest["SchemaVersion"], list(json.loads(latest["Content"])["properties"])) == (
        "2",
        ["b"],
    )


def test_an_openapi_document_without_an_event_schema_is_refused(client: Any) -> None:
    content = openapi({"Order": {"type": "object"}})
    client.create_schema(RegistryName="exports", SchemaName="O", Type="OpenApi3", Content=content)
    with pytest.raises(ClientError) as excinfo:
        client.export_schema(RegistryName="exports", SchemaName="O", Type="JSONSchemaDraft4")
    error = excinfo.value.response["Error"]
    assert error["Code"] == "BadRequestException"
    assert "components.schemas.AWSEvent" in error["Message"]
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_deeply_nested_openapi_schema_exports_without_an_internal_error(client: Any) -> None:
    inner: dict[str, Any] = {"type": "string", "nullable": True}
    for _ in range(120):  # the emulator accepts Content nested up to 256 levels
        inner = {"type": "object", "properties": {"x": inner}}
    exported = export(client, "Deep", openapi({"AWSEvent": inner}))
    assert exported["type"] == "object"


# --- every OpenApi3 version of the example catalog and of the corpus ------------------------


def exported_copy(client: Any, project: Path, work: Path) -> tuple[Path, list[tuple[str, int]]]:
    """A copy of ``project`` whose OpenApi3 versions are replaced by their exports (as
    ``v<N>.json``), each created in the emulator and exported with boto3."""
    registry = load_registry(project / "registry")
    copy = work / "exported"
    shutil.copytree(project, copy)
    replaced: list[tuple[str, int]] = []
    for name, schema in sorted(registry.schemas.items()):
        for version in schema.versions:
            if version.format is not SchemaFormat.OPENAPI3:
                continue
            remote = f"{name}.v{version.version}"
            # What sync sends: the JSON of the document (YAML files as the JSON they hold).
            exported = export(client, remote, json.dumps(version.document.content))
            target = copy / version.path.relative_to(project)
            target.unlink()
            target.with_suffix(".json").write_text(json.dumps(exported, indent=2) + "\n")
            replaced.append((name, version.version))
    return copy, replaced


def assert_exports_lint_clean_and_equal(
    client: Any, project: Path, work: Path, cli: CliRunner
) -> int:
    copy, replaced = exported_copy(client, project, work)
    linted = cli(["lint"], copy)
    assert linted.code == 0, linted.out + linted.err
    original, exported = load_registry(project / "registry"), load_registry(copy / "registry")
    old_resolver, new_resolver = Resolver(original), Resolver(exported)
    for name, number in replaced:
        old = from_version(original.schemas[name].version(number), old_resolver)
        new = from_version(exported.schemas[name].version(number), new_resolver)
        for before, after in ((old, new), (new, old)):
            report = compare_inputs(before, after, mode="FULL")
            assert report.compatible, (name, number, report.changes[:3])
            assert not [c for c in report.changes if c.breaking], (name, number)
            # The root's title (info.title) is the only difference, and documentation only.
            assert {(c.name, c.location) for c in report.changes} <= {
                ("title-changed", "(the event)")
            }, (name, number, report.changes[:3])
    return len(replaced)


def test_every_openapi_version_of_the_example_catalog_exports_lint_clean_and_equal(
    client: Any, example_project: Path, tmp_path: Path, cli: CliRunner
) -> None:
    assert assert_exports_lint_clean_and_equal(client, example_project, tmp_path, cli) >= 5


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_every_openapi_version_of_the_corpus_exports_lint_clean_and_equal(
    client: Any, tmp_path: Path, cli: CliRunner
) -> None:
    adopted = adopt(tmp_path / "adopter", generate=False)
    assert assert_exports_lint_clean_and_equal(client, adopted.root, tmp_path, cli) >= 10
