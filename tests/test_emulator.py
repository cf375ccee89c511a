"""The schemas emulator driven over HTTP by the real boto3 client (no stubbing, no patching)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError

from eventcontracts.emulator import Emulator, Faults

ACCOUNT_REGION = "us-east-1:123456789012"
DRAFT4 = json.dumps({"$schema": "http://json-schema.org/draft-04/schema#", "type": "object"})
OPENAPI = json.dumps({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}})


def make_client(emulator: Emulator, attempts: int | None = None) -> Any:
    config = Config(retries={"total_max_attempts": attempts}) if attempts else None
    return boto3.client(
        "schemas",
        region_name="us-east-1",
        endpoint_url=emulator.endpoint_url,
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=config,
    )


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator() as emu:
        yield emu


@pytest.fixture
def client(emulator: Emulator) -> Any:
    c = make_client(emulator)
    c.create_registry(RegistryName="orders", Description="Order events", Tags={"team": "a"})
    return c


def error_code(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_registry_lifecycle(client: Any) -> None:
    described = client.describe_registry(RegistryName="orders")
    assert described["RegistryName"] == "orders"
    assert described["RegistryArn"] == f"arn:aws:schemas:{ACCOUNT_REGION}:registry/orders"
    assert described["Description"] == "Order events"
    assert described["Tags"] == {"team": "a"}
    client.create_registry(RegistryName="billing")
    names = [r["RegistryName"] for r in client.list_registries()["Registries"]]
    assert names == ["billing", "orders"]
    prefixed = client.list_registries(RegistryNamePrefix="bil")["Registries"]
    assert [r["RegistryName"] for r in prefixed] == ["billing"]
    assert client.list_registries(Scope="AWS")["Registries"] == []
    updated = client.update_registry(RegistryName="billing", Description="Money")
    assert updated["Description"] == "Money"
    client.delete_registry(RegistryName="billing")
    with pytest.raises(ClientError) as excinfo:
        client.describe_registry(RegistryName="billing")
    assert error_code(excinfo) == ("NotFoundException", 404)


def test_schema_versions(client: Any) -> None:
    created = client.create_schema(
        RegistryName="orders", SchemaName="OrderPlaced", Type="JSONSchemaDraft4", Content=DRAFT4
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["SchemaVersion"] == "1"
    assert created["Type"] == "JSONSchemaDraft4"
    assert isinstance(created["LastModified"], datetime)
    assert isinstance(created["VersionCreatedDate"], datetime)
    assert created["SchemaArn"] == f"arn:aws:schemas:{ACCOUNT_REGION}:schema/orders/OrderPlaced"

    v2_content = json.dumps({"type": "object", "required": ["id"]})
    updated = client.update_schema(
        RegistryName="orders", SchemaName="OrderPlaced", Content=v2_content
    )
    assert updated["SchemaVersion"] == "2"
    assert updated["Type"] == "JSONSchemaDraft4"

    latest = client.describe_schema(RegistryName="orders", SchemaName="OrderPlaced")
    assert (latest["SchemaVersion"], latest["Content"]) == ("2", v2_content)
    first = client.describe_schema(
        RegistryName="orders", SchemaName="OrderPlaced", SchemaVersion="1"
    )
    assert (first["SchemaVersion"], first["Content"]) == ("1", DRAFT4)

    versions = client.list_schema_versions(RegistryName="orders", SchemaName="OrderPlaced")
    assert [v["SchemaVersion"] for v in versions["SchemaVersions"]] == ["1", "2"]
    summary = client.list_schemas(RegistryName="orders")["Schemas"]
    assert [(s["SchemaName"], s["VersionCount"]) for s in summary] == [("OrderPlaced", 2)]

    client.delete_schema_version(RegistryName="orders", SchemaName="OrderPlaced", SchemaVersion="1")
    versions = client.list_schema_versions(RegistryName="orders", SchemaName="OrderPlaced")
    assert [v["SchemaVersion"] for v in versions["SchemaVersions"]] == ["2"]
    third = client.update_schema(RegistryName="orders", SchemaName="OrderPlaced", Content=DRAFT4)
    assert third["SchemaVersion"] == "3"  # numbers are never reused

    client.delete_schema(RegistryName="orders", SchemaName="OrderPlaced")
    with pytest.raises(ClientError) as excinfo:
        client.describe_schema(RegistryName="orders", SchemaName="OrderPlaced")
    assert error_code(excinfo) == ("NotFoundException", 404)


def test_identical_update_makes_no_new_version(client: Any) -> None:
    client.create_schema(RegistryName="orders", SchemaName="S", Type="OpenApi3", Content=OPENAPI)
    same = client.update_schema(RegistryName="orders", SchemaName="S", Content=OPENAPI)
    assert same["SchemaVersion"] == "1"
    described = client.update_schema(RegistryName="orders", SchemaName="S", Description="New")
    assert (described["SchemaVersion"], described["Description"]) == ("1", "New")
    versions = client.list_schema_versions(RegistryName="orders", SchemaName="S")
    assert len(versions["SchemaVersions"]) == 1


def test_conflicts(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_registry(RegistryName="orders")
    assert error_code(excinfo) == ("ConflictException", 409)
    client.create_schema(RegistryName="orders", SchemaName="S", Type="OpenApi3", Content=OPENAPI)
    with pytest.raises(ClientError) as excinfo:
        client.create_schema(
            RegistryName="orders", SchemaName="S", Type="OpenApi3", Content=OPENAPI
        )
    assert error_code(excinfo) == ("ConflictException", 409)


@pytest.mark.parametrize(
    ("call", "kwargs"),
    [
        ("describe_registry", {"RegistryName": "missing"}),
        ("delete_registry", {"RegistryName": "missing"}),
        ("list_schemas", {"RegistryName": "missing"}),
        ("describe_schema", {"RegistryName": "orders", "SchemaName": "missing"}),
        ("describe_schema", {"RegistryName": "missing", "SchemaName": "S"}),
        ("update_schema", {"RegistryName": "orders", "SchemaName": "missing"}),
        ("delete_schema", {"RegistryName": "orders", "SchemaName": "missing"}),
        ("list_schema_versions", {"RegistryName": "orders", "SchemaName": "missing"}),
        (
            "delete_schema_version",
            {"RegistryName": "orders", "SchemaName": "Present", "SchemaVersion": "9"},
        ),
        (
            "describe_schema",
            {"RegistryName": "orders", "SchemaName": "Present", "SchemaVersion": "9"},
        ),
        (
            "export_schema",
            {"RegistryName": "orders", "SchemaName": "missing", "Type": "JSONSchemaDraft4"},
        ),
        ("list_tags_for_resource", {"ResourceArn": f"arn:aws:schemas:{ACCOUNT_REGION}:registry/x"}),
    ],
)
def test_not_found(client: Any, call: str, kwargs: dict[str, Any]) -> None:
    client.create_schema(
        RegistryName="orders", SchemaName="Present", Type="OpenApi3", Content=OPENAPI
    )
    with pytest.raises(ClientError) as excinfo:
        getattr(client, call)(**kwargs)
    assert error_code(excinfo) == ("NotFoundException", 404)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"Type": "Avro", "Content": DRAFT4},
        {"Type": "OpenApi3", "Content": "x" * 100_001},
        {"Type": "OpenApi3", "Content": "not json"},
        {"Type": "OpenApi3", "Content": OPENAPI, "SchemaName": "bad name!"},
    ],
)
def test_bad_request_create_schema(client: Any, kwargs: dict[str, Any]) -> None:
    # Client-side validation would stop some of these before they reach the emulator.
    raw = make_client_without_validation(client)
    arguments = {"RegistryName": "orders", "SchemaName": "S", **kwargs}
    with pytest.raises(ClientError) as excinfo:
        raw.create_schema(**arguments)
    assert error_code(excinfo) == ("BadRequestException", 400)


@pytest.mark.parametrize("name", ["has space", "x" * 65, "slash%2Fname", "ünïcode"])
def test_bad_request_registry_name(client: Any, name: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_registry(RegistryName=name)
    assert error_code(excinfo) == ("BadRequestException", 400)


def test_bad_request_missing_required_members(client: Any) -> None:
    raw = make_client_without_validation(client)
    with pytest.raises(ClientError) as excinfo:
        raw.create_schema(RegistryName="orders", SchemaName="S", Type="OpenApi3")
    assert error_code(excinfo) == ("BadRequestException", 400)
    with pytest.raises(ClientError) as excinfo:
        raw.create_schema(RegistryName="orders", SchemaName="S", Content=OPENAPI)
    assert error_code(excinfo) == ("BadRequestException", 400)
    with pytest.raises(ClientError) as excinfo:
        client.list_schemas(RegistryName="orders", NextToken="garbage")
    assert error_code(excinfo) == ("BadRequestException", 400)


def make_client_without_validation(client: Any) -> Any:
    return boto3.client(
        "schemas",
        region_name="us-east-1",
        endpoint_url=client.meta.endpoint_url,
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(parameter_validation=False),
    )


def test_pagination_over_many_schemas(client: Any) -> None:
    names = [f"Event{i:03d}" for i in range(130)]
    for name in names:
        client.create_schema(
            RegistryName="orders", SchemaName=name, Type="JSONSchemaDraft4", Content=DRAFT4
        )
    seen: list[str] = []
    pages = 0
    kwargs: dict[str, Any] = {"RegistryName": "orders", "Limit": 7}
    while True:
        page = client.list_schemas(**kwargs)
        pages += 1
        assert len(page["Schemas"]) <= 7
        seen += [s["SchemaName"] for s in page["Schemas"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == names
    assert pages == 19

    paginator = client.get_paginator("list_schemas")
    all_names = [
        s["SchemaName"]
        for page in paginator.paginate(RegistryName="orders", PaginationConfig={"PageSize": 50})
        for s in page["Schemas"]
    ]
    assert all_names == names
    default_page = client.list_schemas(RegistryName="orders")
    assert len(default_page["Schemas"]) == 100 and "NextToken" in default_page
    prefixed = client.list_schemas(RegistryName="orders", SchemaNamePrefix="Event12")
    assert [s["SchemaName"] for s in prefixed["Schemas"]] == [f"Event12{i}" for i in range(10)]

    found = [
        s["SchemaName"]
        for page in client.get_paginator("search_schemas").paginate(
            RegistryName="orders", Keywords="event1", PaginationConfig={"PageSize": 8}
        )
        for s in page["Schemas"]
    ]
    assert found == [n for n in names if n.startswith("Event1")]


def test_list_versions_and_registries_paginate(client: Any) -> None:
    client.create_schema(RegistryName="orders", SchemaName="S", Type="OpenApi3", Content=OPENAPI)
    for i in range(11):
        client.update_schema(RegistryName="orders", SchemaName="S", Content=json.dumps({"v": i}))
    versions = [
        v["SchemaVersion"]
        for page in client.get_paginator("list_schema_versions").paginate(
            RegistryName="orders", SchemaName="S", PaginationConfig={"PageSize": 5}
        )
        for v in page["SchemaVersions"]
    ]
    assert versions == [str(i) for i in range(1, 13)]
    for i in range(5):
        client.create_registry(RegistryName=f"reg{i}")
    registries = [
        r["RegistryName"]
        for page in client.get_paginator("list_registries").paginate(
            PaginationConfig={"PageSize": 2}
        )
        for r in page["Registries"]
    ]
    assert registries == ["orders", "reg0", "reg1", "reg2", "reg3", "reg4"]


def test_search_schemas(client: Any) -> None:
    client.create_schema(
        RegistryName="orders", SchemaName="OrderPlaced", Type="OpenApi3", Content=OPENAPI
    )
    client.create_schema(
        RegistryName="orders",
        SchemaName="Refund",
        Type="JSONSchemaDraft4",
        Content=json.dumps({"title": "placed refund"}),
    )
    result = client.search_schemas(RegistryName="orders", Keywords="placed")["Schemas"]
    assert [s["SchemaName"] for s in result] == ["OrderPlaced", "Refund"]
    hit = result[0]
    assert hit["RegistryName"] == "orders"
    assert hit["SchemaVersions"][0]["SchemaVersion"] == "1"
    assert hit["SchemaVersions"][0]["Type"] == "OpenApi3"
    assert isinstance(hit["SchemaVersions"][0]["CreatedDate"], datetime)
    assert client.search_schemas(RegistryName="orders", Keywords="nothing")["Schemas"] == []


def test_export_schema(client: Any) -> None:
    client.create_schema(
        RegistryName="orders", SchemaName="J", Type="JSONSchemaDraft4", Content=DRAFT4
    )
    exported = client.export_schema(RegistryName="orders", SchemaName="J", Type="JSONSchemaDraft4")
    assert exported["Content"] == DRAFT4
    assert (exported["SchemaVersion"], exported["Type"]) == ("1", "JSONSchemaDraft4")
    client.create_schema(RegistryName="orders", SchemaName="O", Type="OpenApi3", Content=OPENAPI)
    with pytest.raises(ClientError) as excinfo:
        client.export_schema(RegistryName="orders", SchemaName="O", Type="JSONSchemaDraft4")
    assert error_code(excinfo) == ("BadRequestException", 400)
    assert "OpenApi3" in excinfo.value.response["Error"]["Message"]


def test_tags(client: Any) -> None:
    client.create_schema(
        RegistryName="orders", SchemaName="S", Type="OpenApi3", Content=OPENAPI, Tags={"k": "v"}
    )
    schema_arn = f"arn:aws:schemas:{ACCOUNT_REGION}:schema/orders/S"
    registry_arn = f"arn:aws:schemas:{ACCOUNT_REGION}:registry/orders"
    assert client.list_tags_for_resource(ResourceArn=schema_arn)["Tags"] == {"k": "v"}
    client.tag_resource(ResourceArn=schema_arn, Tags={"owner": "me", "k": "w"})
    assert client.list_tags_for_resource(ResourceArn=schema_arn)["Tags"] == {
        "k": "w",
        "owner": "me",
    }
    client.untag_resource(ResourceArn=schema_arn, TagKeys=["k", "absent"])
    assert client.list_tags_for_resource(ResourceArn=schema_arn)["Tags"] == {"owner": "me"}
    assert client.describe_schema(RegistryName="orders", SchemaName="S")["Tags"] == {"owner": "me"}
    client.tag_resource(ResourceArn=registry_arn, Tags={"env": "dev"})
    assert client.list_tags_for_resource(ResourceArn=registry_arn)["Tags"] == {
        "team": "a",
        "env": "dev",
    }
    with pytest.raises(ClientError) as excinfo:
        client.list_tags_for_resource(ResourceArn="arn:aws:sqs:us-east-1:1:queue")
    assert error_code(excinfo) == ("BadRequestException", 400)


def test_state_survives_restart(tmp_path: Path) -> None:
    state = tmp_path / "state" / "schemas.json"
    with Emulator(state_file=state) as first:
        c = make_client(first)
        c.create_registry(RegistryName="orders", Tags={"t": "1"})
        c.create_schema(RegistryName="orders", SchemaName="S", Type="OpenApi3", Content=OPENAPI)
        c.update_schema(RegistryName="orders", SchemaName="S", Content=json.dumps({"v": 2}))
    assert state.exists()
    assert not [p for p in state.parent.iterdir() if p != state]  # no temporary files left
    with Emulator(state_file=state) as second:
        c = make_client(second)
        assert c.describe_registry(RegistryName="orders")["Tags"] == {"t": "1"}
        described = c.describe_schema(RegistryName="orders", SchemaName="S")
        assert (described["SchemaVersion"], described["Content"]) == ("2", '{"v": 2}')
        assert (
            c.update_schema(RegistryName="orders", SchemaName="S", Content=OPENAPI)["SchemaVersion"]
            == "3"
        )


def test_fault_throttle() -> None:
    with Emulator(faults=Faults(throttle_every=2)) as emu:
        c = make_client(emu, attempts=1)
        c.list_registries()
        with pytest.raises(ClientError) as excinfo:
            c.list_registries()
        assert error_code(excinfo) == ("TooManyRequestsException", 429)
        c.list_registries()


def test_fault_internal_error() -> None:
    with Emulator(faults=Faults(fail_every=3)) as emu:
        c = make_client(emu, attempts=1)
        c.list_registries()
        c.list_registries()
        with pytest.raises(ClientError) as excinfo:
            c.list_registries()
        assert error_code(excinfo) == ("InternalServerErrorException", 500)


def test_fault_dropped_connection() -> None:
    with Emulator(faults=Faults(drop_every=2)) as emu:
        c = make_client(emu, attempts=1)
        c.list_registries()
        with pytest.raises((ConnectionClosedError, EndpointConnectionError)):
            c.list_registries()
        c.list_registries()


def test_faults_are_retried_by_default_retry_mode() -> None:
    with Emulator(faults=Faults(throttle_every=2)) as emu:
        c = make_client(emu, attempts=3)
        c.create_registry(RegistryName="r")
        response = c.describe_registry(RegistryName="r")  # call 2 throttled, call 3 succeeds
        assert response["ResponseMetadata"]["RetryAttempts"] == 1


def test_emulator_api(tmp_path: Path) -> None:
    emu = Emulator()
    with pytest.raises(RuntimeError):
        _ = emu.endpoint_url
    emu.start()
    try:
        assert emu.endpoint_url.startswith("http://127.0.0.1:")
        with pytest.raises(RuntimeError):
            emu.start()
    finally:
        emu.stop()
    emu.stop()  # stopping twice is harmless
    with pytest.raises(ValueError):
        Faults(drop_every=-1)
    bad_state = tmp_path / "bad.json"
    bad_state.write_text('{"format": 99}')
    with pytest.raises(ValueError):
        Emulator(state_file=bad_state).start()


def test_serve_in_a_subprocess(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    command = [sys.executable, "-m", "eventcontracts.emulator", "--port", "0"]
    command += ["--state", str(state), "--throttle-every", "100"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        match = re.search(r"listening on (http://\S+) \(state: ", line)
        assert match, line
        client = boto3.client(
            "schemas",
            region_name="us-east-1",
            endpoint_url=match.group(1),
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        client.create_registry(RegistryName="cli")
        assert json.loads(state.read_text())["registries"]["cli"]["name"] == "cli"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_cli_command_serves_until_stopped(tmp_path: Path) -> None:
    import re
    import subprocess
    import sys

    import boto3

    process = subprocess.Popen(
        [sys.executable, "-m", "eventcontracts", "emulator", "--port", "0", "--state",
         str(tmp_path / "state.json")],
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        url = re.search(r"http://\S+", line)
        assert url, line
        client = boto3.client(
            "schemas",
            region_name="us-east-1",
            endpoint_url=url.group(0),
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        client.create_registry(RegistryName="from-the-cli")
        names = [r["RegistryName"] for r in client.list_registries()["Registries"]]
        assert "from-the-cli" in names
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert "from-the-cli" in (tmp_path / "state.json").read_text()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{bad", "cannot be read as JSON"),
        ('{"format": 7, "registries": {}}', "not an emulator state file"),
        ('{"format": 1, "registries": {"r": 5}}', "damaged emulator state"),
    ],
)
def test_an_unusable_state_file_is_one_line_exit_2_and_left_untouched(
    tmp_path: Path, cli: Any, content: str, expected: str
) -> None:
    state = tmp_path / "state.json"
    state.write_text(content)
    result = cli(["emulator", "--port", "0", "--state", str(state)], tmp_path)
    assert result.code == 2, result.both
    assert result.err.startswith(f"error: {state}: {expected}"), result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert state.read_text() == content


def test_a_taken_port_is_one_line_and_exit_2(tmp_path: Path, cli: Any) -> None:
    with Emulator() as running:
        result = cli(["emulator", "--port", str(running.port)], tmp_path)
    assert result.code == 2, result.both
    assert result.err.startswith(f"error: cannot listen on 127.0.0.1:{running.port}: "), result.err
    assert "pick another --port" in result.err


def test_an_update_retried_with_its_client_token_makes_no_second_version(client: Any) -> None:
    """ClientTokenId is UpdateSchema's idempotency token in the model: sync retries a write
    whose answer was lost with the same token, and must not get two versions."""
    client.create_schema(
        RegistryName="orders", SchemaName="S", Type="JSONSchemaDraft4", Content=DRAFT4
    )
    first = client.update_schema(
        RegistryName="orders", SchemaName="S", Content='{"v": 2}', ClientTokenId="token-1"
    )
    again = client.update_schema(
        RegistryName="orders", SchemaName="S", Content='{"v": 3}', ClientTokenId="token-1"
    )
    assert first["SchemaVersion"] == again["SchemaVersion"] == "2"
    versions = client.list_schema_versions(RegistryName="orders", SchemaName="S")
    assert [v["SchemaVersion"] for v in versions["SchemaVersions"]] == ["1", "2"]
    other = client.update_schema(
        RegistryName="orders", SchemaName="S", Content='{"v": 3}', ClientTokenId="token-2"
    )
    assert other["SchemaVersion"] == "3"
