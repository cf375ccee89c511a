"""The one resolver: what later features (compat, codegen, contract tests) build on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventcontracts.registry import Resolver, UnresolvableRef, load_registry
from eventcontracts.registry.openapi import as_json_schema


def write(path: Path, document: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2))


def event_schema(detail: dict[str, object], **extra: object) -> dict[str, object]:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "x-amazon-events-source": "com.example",
        "x-amazon-events-detail-type": "Thing Happened",
        "type": "object",
        "properties": {"detail": detail},
        **extra,
    }


@pytest.fixture
def registry_root(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    write(
        root / "_shared" / "address.json",
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "https://schemas.example.com/common/address.json",
            "definitions": {
                "Address": {"type": "object", "properties": {"city": {"type": "string"}}}
            },
        },
    )
    write(
        root / "com.example" / "ThingHappened" / "v1.json",
        event_schema(
            {
                "type": "object",
                "properties": {
                    "byId": {
                        "$ref": "https://schemas.example.com/common/address.json#/definitions/Address"
                    },
                    "byPath": {"$ref": "../../_shared/address.json#/definitions/Address"},
                    "customerId": {"$ref": "#root/customerId"},
                },
            },
            definitions={"customer": {"$id": "#root/customerId", "type": "string"}},
        ),
    )
    return root


def test_refs_by_id_by_path_and_by_plain_name_anchor_resolve(registry_root: Path) -> None:
    registry = load_registry(registry_root)
    assert registry.problems == []
    version = registry.schemas["com.example@ThingHappened"].versions[0]
    validator = Resolver(registry).detail_validator(version)
    good = {"byId": {"city": "Berlin"}, "byPath": {"city": "Paris"}, "customerId": "C-1"}
    assert list(validator.iter_errors(good)) == []
    bad = {"byId": {"city": 1}, "byPath": {"city": 2}, "customerId": 3}
    failing = sorted(list(error.absolute_path) for error in validator.iter_errors(bad))
    assert failing == [["byId", "city"], ["byPath", "city"], ["customerId"]]


def test_a_pointer_with_a_typo_gets_a_suggestion(registry_root: Path) -> None:
    registry = load_registry(registry_root)
    resolver = Resolver(registry)
    uri = registry.schemas["com.example@ThingHappened"].versions[0].document.uri
    with pytest.raises(UnresolvableRef, match=r"did you mean '#/definitions/customer'\?"):
        resolver.lookup("#/definitions/custmer", uri)
    with pytest.raises(UnresolvableRef, match=r"did you mean '_shared/address.json'"):
        resolver.lookup("../../_shared/adress.json#/definitions/Address", uri)


def test_remote_refs_are_refused_unless_allowed(registry_root: Path) -> None:
    registry = load_registry(registry_root)
    uri = registry.schemas["com.example@ThingHappened"].versions[0].document.uri
    with pytest.raises(UnresolvableRef, match="refused") as refused:
        Resolver(registry).lookup("https://elsewhere.example/x.json", uri)
    assert refused.value.remote


def test_nullable_with_a_type_admits_null_and_keeps_the_enum_closed() -> None:
    document = {
        "openapi": "3.0.0",
        "components": {
            "schemas": {
                "A": {"type": "string", "enum": ["a", "b"], "nullable": True},
                "B": {"$ref": "#/components/schemas/A", "nullable": True},
                "C": {
                    "allOf": [{"$ref": "#/components/schemas/A"}],
                    "nullable": True,
                    "properties": {"x": {"type": "integer", "nullable": False}},
                },
            }
        },
    }
    schemas = as_json_schema(document)["components"]["schemas"]
    assert schemas["A"] == {"type": ["string", "null"], "enum": ["a", "b", None]}
    assert schemas["B"] == {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}
    # pointers into the schema still find what they found in the document
    assert schemas["C"]["properties"] == {"x": {"type": "integer"}}
    assert schemas["C"]["anyOf"] == [
        {"allOf": [{"$ref": "#/components/schemas/A"}]},
        {"type": "null"},
    ]
    assert document["components"]["schemas"]["A"]["nullable"] is True  # input left alone
