"""Codegen reads structure, not text: which class is the event, what classes are called, what
their docstrings say, whatever names and descriptions a schema holds."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventcontracts.codegen import PackageSettings, generate
from eventcontracts.registry import load_registry

ENVELOPE_PROPERTIES = {
    "version": {"type": "string"},
    "id": {"type": "string"},
    "detail-type": {"type": "string"},
    "source": {"type": "string"},
    "account": {"type": "string"},
    "time": {"type": "string", "format": "date-time"},
    "region": {"type": "string"},
    "resources": {"type": "array", "items": {"type": "string"}},
}
ORDER_CREATED = {
    "type": "object",
    "required": ["orderId"],
    "properties": {"orderId": {"type": "string"}, "note": {"type": "string"}},
}
MONEY = {
    "type": "object",
    "required": ["amount", "currency"],
    "properties": {"amount": {"type": "number"}, "currency": {"type": "string"}},
}


def draft4(
    source: str, detail_type: str, detail_ref: str, definitions: dict[str, Any]
) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "x-amazon-events-source": source,
        "x-amazon-events-detail-type": detail_type,
        "type": "object",
        "required": ["detail", "detail-type", "source"],
        "properties": {**ENVELOPE_PROPERTIES, "detail": {"$ref": detail_ref}},
        "definitions": definitions,
    }


def openapi3(
    source: str, detail_type: str, detail_ref: str, components: dict[str, Any]
) -> dict[str, Any]:
    return {
        "openapi": "3.0.0",
        "info": {"version": "1.0.0", "title": detail_type},
        "paths": {},
        "components": {
            "schemas": {
                "AWSEvent": {
                    "type": "object",
                    "required": ["detail", "detail-type", "source"],
                    "x-amazon-events-source": source,
                    "x-amazon-events-detail-type": detail_type,
                    "properties": {**ENVELOPE_PROPERTIES, "detail": {"$ref": detail_ref}},
                },
                **components,
            }
        },
    }


def write_version(root: Path, folder: str, document: dict[str, Any], number: int = 1) -> None:
    path = root / folder / f"v{number}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.fixture
def imported(tmp_path: Path) -> Iterator[Any]:
    """``imported(registry_root, package)``: generate the package and import it (unloaded after)."""
    out = tmp_path / "out"
    names: list[str] = []

    def run(registry_root: Path, package: str = "structure_events") -> Path:
        assert load_registry(registry_root).problems == []
        generate(registry_root, out, PackageSettings(package=package), check=False)
        names.append(package)
        importlib.invalidate_caches()
        return out

    sys.path.insert(0, str(out))
    try:
        yield run
    finally:
        sys.path.remove(str(out))
        for name in list(sys.modules):
            if any(name == p or name.startswith(f"{p}.") for p in names):
                del sys.modules[name]


def _assert_order_created(subpackage: Any) -> None:
    detail = subpackage.OrderCreated
    assert detail.__name__ == "OrderCreated"
    assert (detail.SOURCE, detail.DETAIL_TYPE, detail.SCHEMA_VERSION) == (
        "com.example.orders",
        "Order Created",
        1,
    )
    assert set(detail.model_fields) == {"orderId", "note"}
    # What publish() sends: the detail as typed, never an empty one.
    event = detail.model_validate({"orderId": "O-1", "note": "gift"})
    assert event.model_dump(by_alias=True, exclude_unset=True)["orderId"] == "O-1"
    with pytest.raises(ValueError):
        detail.model_validate({"amount": 1.5, "currency": "EUR"})
    assert subpackage.OrderCreatedEvent.model_fields["detail"].annotation is detail


def test_the_detail_is_the_class_the_envelope_refers_to_not_the_last_one_draft4(
    tmp_path: Path, imported: Any
) -> None:
    root = tmp_path / "registry"
    document = draft4(
        "com.example.orders",
        "Order Created",
        "#/definitions/OrderCreated",
        {"OrderCreated": ORDER_CREATED, "Money": MONEY},
    )
    write_version(root, "com.example.orders/OrderCreated", document)
    out = imported(root)
    _assert_order_created(importlib.import_module("structure_events.com_example_orders"))
    assert out.is_dir()


def test_the_detail_is_the_class_the_envelope_refers_to_not_the_last_one_openapi3(
    tmp_path: Path, imported: Any
) -> None:
    root = tmp_path / "registry"
    document = openapi3(
        "com.example.orders",
        "Order Created",
        "#/components/schemas/OrderCreated",
        {"OrderCreated": ORDER_CREATED, "Money": MONEY},
    )
    write_version(root, "com.example.orders/OrderCreated", document)
    imported(root)
    _assert_order_created(importlib.import_module("structure_events.com_example_orders"))
