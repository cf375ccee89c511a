"""The emulator against botocore's own service model for ``schemas``: every implemented
operation answers a minimal valid call with the model's status code and an output that
botocore's parser turns into the output shape's members, with the right types (a blob payload
included: GetCodeBindingSource's zip); every other operation answers a clear
NotImplementedException."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError
from botocore.model import OperationModel, Shape, StructureShape

from eventcontracts.emulator import IMPLEMENTED_OPERATIONS, Emulator
from eventcontracts.emulator.errors import ERROR_STATUS
from eventcontracts.emulator.routing import ROUTES

MODEL = botocore.session.get_session().get_service_model("schemas")
REGISTRY = "conformance"
SCHEMA = "Conformance.Event"
# An event schema (source, detail-type, detail): one code can be generated of (code bindings).
DRAFT4 = json.dumps(
    {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object",
        "x-amazon-events-source": "conformance",
        "x-amazon-events-detail-type": "Checked",
        "properties": {"detail": {"type": "object"}},
    }
)
EVENT = json.dumps({"source": "conformance", "detail-type": "Checked", "detail": {"ok": True}})
ARN = f"arn:aws:schemas:us-east-1:123456789012:schema/{REGISTRY}/{SCHEMA}"

# Values for required members where "any string" is not valid input.
VALUES: dict[str, Any] = {
    "RegistryName": REGISTRY,
    "SchemaName": SCHEMA,
    "Type": "JSONSchemaDraft4",
    "Content": DRAFT4,
    "SchemaVersion": "1",
    "Keywords": "conformance",
    "ResourceArn": ARN,
    "Tags": {"k": "v"},
    "TagKeys": ["k"],
    "Events": [EVENT],
    "Language": "Python36",
}
# Operations of a code binding that must exist (and be complete) first.
NEEDS_BINDING = ("DescribeCodeBinding", "GetCodeBindingSource")
# Output members the minimal calls leave out: no description was given, one page is enough.
OPTIONAL_OUTPUT = {"Description", "NextToken"}
PY_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "timestamp": datetime,
    "map": dict,
    "list": list,
    "structure": dict,
    "long": int,
    "integer": int,
    "boolean": bool,
    "blob": (bytes, bytearray),
}


def minimal_value(name: str, shape: Shape) -> Any:
    if name in VALUES:
        return VALUES[name]
    if shape.type_name == "string":
        enum = shape.metadata.get("enum")
        return enum[0] if enum else "x" * max(1, shape.metadata.get("min", 1))
    if shape.type_name == "list":
        return [minimal_value(name, shape.member)]  # type: ignore[attr-defined]
    if shape.type_name == "boolean":
        return False
    if shape.type_name in ("integer", "long"):
        return 1
    if shape.type_name == "map":
        return {"k": "v"}
    if isinstance(shape, StructureShape):
        return minimal_input(shape)
    raise AssertionError(f"no minimal value for {name}: {shape.type_name}")


def minimal_input(shape: StructureShape | None) -> dict[str, Any]:
    if shape is None:
        return {}
    return {name: minimal_value(name, shape.members[name]) for name in shape.required_members}


def snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


def check_shape(value: Any, shape: Shape, where: str) -> None:
    assert isinstance(value, PY_TYPES[shape.type_name]), f"{where}: {value!r}"
    if isinstance(shape, StructureShape):
        for name, member in shape.members.items():
            if name in value:
                check_shape(value[name], member, f"{where}.{name}")
    elif shape.type_name == "list":
        for i, item in enumerate(value):
            check_shape(item, shape.member, f"{where}[{i}]")  # type: ignore[attr-defined]
    elif shape.type_name == "map":
        for key, item in value.items():
            check_shape(key, shape.key, f"{where} key")  # type: ignore[attr-defined]
            check_shape(item, shape.value, f"{where}[{key}]")  # type: ignore[attr-defined]


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator() as emu:
        yield emu


def make_client(emulator: Emulator) -> Any:
    return boto3.client(
        "schemas",
        region_name="us-east-1",
        endpoint_url=emulator.endpoint_url,
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )


def setup_for(operation: str, client: Any) -> None:
    """What a minimal call needs to exist first: the registry, then the schema, then (for the
    binding's operations) its Python36 code binding."""
    if operation in ("CreateRegistry", "GetDiscoveredSchema"):
        return
    client.create_registry(RegistryName=REGISTRY)
    if operation != "CreateSchema":
        client.create_schema(
            RegistryName=REGISTRY, SchemaName=SCHEMA, Type="JSONSchemaDraft4", Content=DRAFT4
        )
    if operation in NEEDS_BINDING:
        binding = {"RegistryName": REGISTRY, "SchemaName": SCHEMA, "Language": "Python36"}
        client.put_code_binding(**binding)
        client.get_waiter("code_binding_exists").wait(
            **binding, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
        )


def test_routes_match_the_model() -> None:
    routed = {op: (method, uri) for op, method, uri in ROUTES}
    expected = {
        op: (MODEL.operation_model(op).http["method"], MODEL.operation_model(op).http["requestUri"])
        for op in MODEL.operation_names
    }
    assert routed == expected


def test_error_statuses_match_the_model() -> None:
    for shape in MODEL.error_shapes:
        assert ERROR_STATUS[shape.name] == shape.metadata["error"]["httpStatusCode"]


def test_claimed_operations_exist() -> None:
    assert set(IMPLEMENTED_OPERATIONS) <= set(MODEL.operation_names)
    assert len(IMPLEMENTED_OPERATIONS) >= 21
    for operation in (
        "ExportSchema",
        "GetDiscoveredSchema",
        "PutCodeBinding",
        "DescribeCodeBinding",
        "GetCodeBindingSource",
    ):
        assert operation in IMPLEMENTED_OPERATIONS


def test_the_models_waiter_is_served() -> None:
    """botocore's only schemas waiter polls DescribeCodeBinding, which the emulator answers."""
    waiters = botocore.session.get_session().get_waiter_model("schemas")
    for name in waiters.waiter_names:
        assert waiters.get_waiter(name).operation in IMPLEMENTED_OPERATIONS


@pytest.mark.parametrize("operation", IMPLEMENTED_OPERATIONS)
def test_implemented_operation_conforms(emulator: Emulator, operation: str) -> None:
    client = make_client(emulator)
    setup_for(operation, client)
    model: OperationModel = MODEL.operation_model(operation)
    response = getattr(client, snake(operation))(**minimal_input(model.input_shape))
    # A streaming blob payload arrives as a body to read.
    response = {k: v.read() if hasattr(v, "read") else v for k, v in response.items()}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == model.http.get("responseCode", 200)
    output = model.output_shape
    if output is None:
        assert set(response) == {"ResponseMetadata"}
        return
    assert isinstance(output, StructureShape)
    missing = set(output.members) - set(response) - OPTIONAL_OUTPUT
    assert not missing, f"{operation} left out {sorted(missing)}"
    assert set(response) - {"ResponseMetadata"} <= set(output.members)
    check_shape({k: v for k, v in response.items() if k != "ResponseMetadata"}, output, operation)


UNIMPLEMENTED = sorted(set(MODEL.operation_names) - set(IMPLEMENTED_OPERATIONS))


@pytest.mark.parametrize("operation", UNIMPLEMENTED)
def test_unimplemented_operation_answers_clearly(emulator: Emulator, operation: str) -> None:
    client = make_client(emulator)
    model = MODEL.operation_model(operation)
    with pytest.raises(ClientError) as excinfo:
        getattr(client, snake(operation))(**minimal_input(model.input_shape))
    error = excinfo.value.response["Error"]
    assert error["Code"] == "NotImplementedException"
    assert operation in error["Message"]
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
