"""``GetDiscoveredSchema`` driven over HTTP by boto3: a schema inferred from the events of the
request, in the OpenApi3 shape EventBridge's discovery returns, the same inference as
``eventcontracts infer``; a request the API would refuse is a BadRequestException."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import CliRunner
from corpus import CORPUS
from eventcontracts.emulator import Emulator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator() as emu:
        yield emu


def make_client(emulator: Emulator, *, validate: bool = True) -> Any:
    return boto3.client(
        "schemas",
        region_name="us-east-1",
        endpoint_url=emulator.endpoint_url,
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(parameter_validation=validate),
    )


@pytest.fixture
def client(emulator: Emulator) -> Any:
    return make_client(emulator)


def event(detail: Any, source: str = "shop", detail_type: str = "Order Placed") -> str:
    return json.dumps(
        {
            "version": "0",
            "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
            "detail-type": detail_type,
            "source": source,
            "account": "123456789012",
            "time": "2026-11-01T10:00:00Z",
            "region": "us-east-1",
            "resources": [],
            "detail": detail,
        }
    )


def discover(client: Any, events: list[str], schema_type: str = "OpenApi3") -> Any:
    answer = client.get_discovered_schema(Events=events, Type=schema_type)
    assert set(answer) == {"Content", "ResponseMetadata"}
    return json.loads(answer["Content"])


def test_events_become_an_openapi_schema_in_the_discovered_shape(client: Any) -> None:
    events = [
        event({"orderId": "o-1", "total": 10, "customer": {"name": "Ann"}, "note": None}),
        event({"orderId": "o-2", "total": 12.5, "customer": {"name": "Bo"}, "note": "gift"}),
    ]
    document = discover(client, events)
    assert document["openapi"] == "3.0.0"
    assert document["info"]["title"] == "OrderPlaced"
    schemas = document["components"]["schemas"]
    assert list(schemas)[:2] == ["AWSEvent", "OrderPlaced"]
    envelope = schemas["AWSEvent"]
    assert envelope["x-amazon-events-source"] == "shop"
    assert envelope["x-amazon-events-detail-type"] == "Order Placed"
    assert envelope["properties"]["detail"] == {"$ref": "#/components/schemas/OrderPlaced"}
    detail = schemas["OrderPlaced"]
    assert detail["required"] == ["customer", "note", "orderId", "total"]
    assert detail["properties"]["total"] == {"type": "number"}  # 12.5: not an integer
    assert detail["properties"]["note"] == {"type": "string", "nullable": True}
    assert detail["properties"]["customer"] == {"$ref": "#/components/schemas/Customer"}
    assert schemas["Customer"]["properties"] == {"name": {"type": "string"}}


def test_the_draft4_type_gives_the_registry_export_shape(client: Any) -> None:
    document = discover(client, [event({"a": 1, "b": None}), event({"a": 2})], "JSONSchemaDraft4")
    assert document["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert document["x-amazon-events-source"] == "shop"
    assert document["properties"]["detail"] == {"$ref": "#/definitions/OrderPlaced"}
    assert document["definitions"]["OrderPlaced"]["properties"]["a"] == {"type": "integer"}
    assert document["definitions"]["OrderPlaced"]["required"] == ["a"]


def test_a_json_object_that_is_no_event_is_inferred_whole_as_the_aws_cli_example_shows(
    client: Any,
) -> None:
    """The AWS CLI's example of this operation discovers a PutEvents entry: one component named
    ``Event``, no envelope (corpus 015 is its answer)."""
    entry = {
        "Source": "com.example.myapp",
        "Detail": '{"key1": "value1"}',
        "Resources": ["resource1", "resource2"],
        "DetailType": "myDetailType",
        "EventBusName": "default",
    }
    document = discover(client, [json.dumps(entry)])
    if CORPUS.is_dir():
        answer = json.loads(
            (
                CORPUS / "schemas" / "015-awscli-get-discovered-schema-putevents-shape.json"
            ).read_text(encoding="utf-8")
        )
        # The same document; required keys are listed sorted here, in no stated order there.
        for schema in (document, answer):
            event_schema = schema["components"]["schemas"]["Event"]
            event_schema["required"] = sorted(event_schema["required"])
        assert document == answer
    assert list(document["components"]["schemas"]) == ["Event"]


def test_the_example_catalogs_events_give_what_infer_writes(
    client: Any, example_project: Path, tmp_path: Path, cli: CliRunner
) -> None:
    """For each event of the example catalog: the document its samples give is the one
    ``eventcontracts infer`` writes for the same samples, and that one lints clean."""
    compared = 0
    for folder in sorted(example_project.glob("registry/*/*/examples/v*")):
        files = sorted(folder.glob("*.json"))[:10]
        events = [f.read_text(encoding="utf-8") for f in files]
        discovered = discover(client, events)
        project = tmp_path / f"infer-{compared}"
        (project / "registry").mkdir(parents=True)
        (project / "eventcontracts.toml").write_text('[registry]\npath = "registry"\n')
        inferred = cli(["infer", *map(str, files)], project)
        assert inferred.code == 0, inferred.out + inferred.err
        (written,) = project.glob("registry/*/*/v1.json")
        assert discovered == json.loads(written.read_text(encoding="utf-8")), folder
        linted = cli(["lint"], project)
        assert linted.code == 0, linted.out + linted.err
        compared += 1
    assert compared >= 10


@pytest.mark.parametrize(
    ("events", "fragment"),
    [
        ([], "between 1 and 10"),
        ([event({"a": 1})] * 11, "between 1 and 10"),
        (["{not json"], "Events[0] is not valid JSON"),
        (['["an", "array"]'], "Events[0] is a JSON list"),
        ([event({}), event({}, detail_type="Order Paid")], "single type of event"),
        ([event({}), json.dumps({"Source": "x"})], "single type of event"),
        ([json.dumps({"source": "shop", "detail": {}})], "'detail-type'"),
        ([json.dumps({"source": 7, "detail-type": "x"})], "'source'"),
        (["[" * 300 + "]" * 300], "nests 300 levels deep"),
        (['{"source": "s", "detail-type": "t", "detail": NaN}'], "not a JSON number"),
    ],
)
def test_a_request_the_api_refuses_is_a_bad_request(
    emulator: Emulator, events: list[str], fragment: str
) -> None:
    # botocore checks the list's minimum itself; the emulator must refuse it all the same.
    client = make_client(emulator, validate=False)
    with pytest.raises(ClientError) as excinfo:
        client.get_discovered_schema(Events=events, Type="OpenApi3")
    assert excinfo.value.response["Error"]["Code"] == "BadRequestException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert fragment in excinfo.value.response["Error"]["Message"]


def test_a_type_that_is_no_schema_type_is_a_bad_request(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.get_discovered_schema(Events=[event({})], Type="Avro")
    assert excinfo.value.response["Error"]["Code"] == "BadRequestException"
    assert "Avro" in excinfo.value.response["Error"]["Message"]
