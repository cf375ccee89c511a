"""The catalog's generated event per version: built directly from the schema, valid, realistic,
the same on every run, and quick on hostile schemas.

Every event is held to the version's own validator (the resolver's, as jsonschema evaluates it),
and where the schema names values (examples, default, const, enum) the event carries them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE_CONFIG, write_schema
from corpus import CORPUS, adopt
from eventcontracts.catalog.examples import generated_event, inline_event_schema
from eventcontracts.config import load_config
from eventcontracts.registry.loader import load_project_registry
from eventcontracts.registry.model import Registry, SchemaVersion
from eventcontracts.registry.refs import VersionRefs
from eventcontracts.registry.resolver import Resolver
from eventcontracts.safe_regex import search
from eventcontracts.samples.builder import is_cut
from eventcontracts.samples.choices import ID_NAMESPACE
from eventcontracts.samples.scene import ACCOUNT, REGION, TIME
from eventcontracts.schema.regex_example import regex_example

ENVELOPE_FIELDS = ("version", "id", "detail-type", "source", "account", "time", "region")


def load(project: Path) -> tuple[Registry, Resolver]:
    registry = load_project_registry(load_config(start=project))
    registry.require_clean()
    return registry, Resolver(registry, allow_remote_refs=False)


def assert_valid(event: Any, version: SchemaVersion, resolver: Resolver) -> None:
    errors = [error.message for error in resolver.event_validator(version).iter_errors(event)]
    assert event is not None and not errors, (version.schema_name, version.version, errors)


def named_value(schema: Any) -> tuple[bool, Any]:
    """What the builder must take from a schema that names values: (names one?, the value)."""
    if not isinstance(schema, dict) or any(k in schema for k in ("allOf", "anyOf", "oneOf")):
        return False, None
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return True, schema["examples"][0]
    for key in ("example", "default", "const"):
        if key in schema:
            return True, schema[key]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return True, next((member for member in enum if member is not None), enum[0])
    return False, None


def named_places(schema: Any, value: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """(path, value in the event, value the schema names) wherever the schema names one."""
    names, wanted = named_value(schema)
    if names:
        return [(path, value, wanted)]
    found = []
    if isinstance(schema, dict) and isinstance(value, dict):
        for key, sub in (schema.get("properties") or {}).items():
            if key in value:
                found += named_places(sub, value[key], f"{path}/{key}")
    items = schema.get("items") if isinstance(schema, dict) else None
    if isinstance(items, dict) and isinstance(value, list):
        for index, item in enumerate(value):
            found += named_places(items, item, f"{path}/{index}")
    return found


def shop_project(tmp_path: Path, *documents: tuple[str, Any]) -> Path:
    """A project whose registry holds ``documents`` as (path under registry/, content)."""
    project = tmp_path / "shop"
    (project / "registry").mkdir(parents=True)
    (project / "eventcontracts.toml").write_text('[registry]\npath = "registry"\n')
    for relative, content in documents:
        # Compact: hostile documents stay within EventBridge's 100,000 characters.
        write_schema(project / "registry" / relative, json.dumps(content, separators=(",", ":")))
    return project


def json_schema_event(
    detail: Any, definitions: dict[str, Any] | None = None, *, dialect: str = "draft-07",
    name: str = "Showcase", envelope: dict[str, Any] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A JSON Schema event document of source com.test.shop, detail-type ``name``."""
    properties: dict[str, Any] = {
        key: {"type": "string"} for key in ("version", "id", "detail-type", "source", "account")
    }
    properties |= {
        "time": {"type": "string", "format": "date-time"},
        "region": {"type": "string"},
        "resources": {"type": "array", "items": {"type": "string"}},
        "detail": detail,
        **(envelope or {}),
    }
    return {
        "$schema": f"http://json-schema.org/{dialect}/schema#",
        "title": name,
        "type": "object",
        "x-amazon-events-source": "com.test.shop",
        "x-amazon-events-detail-type": name,
        "required": [*ENVELOPE_FIELDS, "resources", "detail"],
        "properties": properties,
        "definitions": definitions or {},
    }


# --- the example catalog -----------------------------------------------------------------------


def test_every_example_catalog_version_gets_a_valid_event_with_its_enums_and_envelope() -> None:
    registry, resolver = load(EXAMPLE_CONFIG.parent)
    versions = registry.all_versions()
    assert len(versions) >= 10
    named = 0
    for version in versions:
        event = generated_event(version, resolver)
        assert event is not None, f"{version.schema_name} v{version.version}"
        assert_valid(event, version, resolver)
        # The envelope as EventBridge writes it, in its order, the detail last.
        assert list(event)[:8] == [*ENVELOPE_FIELDS, "resources"] and list(event)[-1] == "detail"
        assert event["version"] == "0"
        assert event["source"] == version.source
        assert event["detail-type"] == version.detail_type
        assert (event["account"], event["region"], event["time"]) == (ACCOUNT, REGION, TIME)
        assert event["resources"] == []
        name = f"{version.schema_name}/v{version.version}"
        assert event["id"] == str(uuid.uuid5(ID_NAMESPACE, name))
        # Every value the schema names is the one taken (the enums of the example catalog).
        schema = inline_event_schema(VersionRefs(resolver, version))
        places = named_places(schema["properties"]["detail"], event["detail"], "/detail")
        assert [(p, got) for p, got, wanted in places if got != wanted] == []
        named += len(places)
        # Optional properties are shown too: the detail has every declared top-level property.
        declared = schema["properties"]["detail"].get("properties", {})
        assert set(event["detail"]) == set(declared), version.schema_name
    assert named >= 8  # the catalog's enums (currency, status, reason...) were all checked


def test_the_event_is_the_same_in_a_fresh_process() -> None:
    registry, resolver = load(EXAMPLE_CONFIG.parent)
    here = {
        f"{v.schema_name} v{v.version}": generated_event(v, resolver)
        for v in registry.all_versions()
    }
    again = {
        f"{v.schema_name} v{v.version}": generated_event(v, resolver)
        for v in registry.all_versions()
    }
    assert here == again
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from eventcontracts.config import load_config\n"
        "from eventcontracts.registry.loader import load_project_registry\n"
        "from eventcontracts.registry.resolver import Resolver\n"
        "from eventcontracts.catalog.examples import generated_event\n"
        "registry = load_project_registry(load_config(start=Path(sys.argv[1])))\n"
        "resolver = Resolver(registry, allow_remote_refs=False)\n"
        "print(json.dumps({f'{v.schema_name} v{v.version}': generated_event(v, resolver)\n"
        "                  for v in registry.all_versions()}, indent=2))\n"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", script, str(EXAMPLE_CONFIG.parent)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
    )
    assert json.dumps(here, indent=2) + "\n" == fresh.stdout


# --- what a schema says, taken ------------------------------------------------------------------


SHOWCASE = {
    "type": "object",
    "required": ["orderId", "status", "lines"],
    "properties": {
        "orderId": {"type": "string", "pattern": "^ORD-[0-9]{8}$"},
        "status": {"type": "string", "enum": ["PLACED", "SHIPPED"]},
        "priority": {"type": "string", "default": "normal"},
        "channel": {"type": "string", "examples": ["web", "mobile"], "default": "api"},
        "schemaVersion": {"const": "2.1"},
        "gift": {"enum": [None, "wrapped"]},
        "customerId": {"type": "string"},
        "contactEmail": {"type": "string"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "shipCountry": {"type": "string", "maxLength": 2},
        "awsRegion": {"type": "string"},
        "placedAt": {"type": "string", "format": "date-time"},
        "trackingUrl": {"type": "string", "format": "uri"},
        "note": {"type": ["string", "null"], "maxLength": 8},
        "code": {"type": "string", "minLength": 20},
        "quantity": {"type": "integer", "minimum": 2, "maximum": 9},
        "weight": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.25},
        "discount": {"type": "number", "exclusiveMaximum": 5},
        "score": {"type": "number", "minimum": 0.5, "maximum": 0.75},
        "lines": {"type": "array", "minItems": 2, "items": {"$ref": "#/definitions/Line"}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "category": {"$ref": "#/definitions/Category"},
        "express": {"type": "boolean"},
    },
}
DEFINITIONS = {
    "Line": {
        "type": "object",
        "required": ["sku", "price"],
        "properties": {
            "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
            "price": {"type": "number", "minimum": 0},
        },
    },
    # Recursive: shown once, its own parent then left out (optional).
    "Category": {
        "type": "object",
        "properties": {"name": {"type": "string"}, "parent": {"$ref": "#/definitions/Category"}},
    },
}


def test_the_schema_names_values_formats_patterns_bounds_and_hints_are_taken(
    tmp_path: Path,
) -> None:
    definitions = {"Showcase": SHOWCASE, **DEFINITIONS}
    document = json_schema_event({"$ref": "#/definitions/Showcase"}, definitions)
    project = shop_project(tmp_path, ("com.test.shop/Showcase/v1.json", document))
    registry, resolver = load(project)
    (version,) = registry.all_versions()
    event = generated_event(version, resolver)
    assert_valid(event, version, resolver)
    assert event is not None
    detail = event["detail"]
    assert list(detail) == list(SHOWCASE["properties"])  # every property, in the author's order
    assert detail["orderId"] == "ORD-12345678"  # the pattern's readable match
    assert detail["status"] == "PLACED"  # enum: the first
    assert detail["priority"] == "normal"  # default
    assert detail["channel"] == "web"  # examples first, before default
    assert detail["schemaVersion"] == "2.1"  # const
    assert detail["gift"] == "wrapped"  # a nullable enum's first real value
    uuid.UUID(detail["customerId"])  # ...Id: an id
    assert detail["contactEmail"] == "jane.doe@example.com"
    assert detail["currency"] == "USD"  # the hint, as it matches the pattern
    assert detail["shipCountry"] == "US"
    assert detail["awsRegion"] == event["region"] == REGION
    assert detail["placedAt"] == event["time"] == TIME  # one moment for the whole event
    assert detail["trackingUrl"].startswith("https://")
    assert isinstance(detail["note"], str) and len(detail["note"]) <= 8  # a value, not null
    assert len(detail["code"]) == 20
    assert detail["quantity"] == 2
    assert detail["weight"] > 0 and detail["weight"] % 0.25 == 0
    assert detail["discount"] < 5
    assert 0.5 <= detail["score"] <= 0.75
    assert len(detail["lines"]) == 2
    assert detail["lines"][0]["sku"] == "ABC-1234"
    assert detail["tags"] == ["example tags"]  # one item
    assert set(detail["category"]) == {"name"}  # recursion expanded once, then cut
    assert detail["express"] is True


def test_an_openapi_version_takes_its_examples_and_gives_nullable_fields_a_value(
    tmp_path: Path,
) -> None:
    string = {"type": "string"}
    document = {
        "openapi": "3.0.0",
        "info": {"version": "1.0.0", "title": "Parcel"},
        "paths": {},
        "components": {
            "schemas": {
                "AWSEvent": {
                    "type": "object",
                    "required": [*ENVELOPE_FIELDS, "resources", "detail"],
                    "x-amazon-events-detail-type": "Parcel Sent",
                    "x-amazon-events-source": "com.test.parcels",
                    "properties": {
                        "detail": {"$ref": "#/components/schemas/Parcel"},
                        **{key: string for key in ENVELOPE_FIELDS},
                        "resources": {"type": "array", "minItems": 1, "items": string},
                    },
                },
                "Parcel": {
                    "type": "object",
                    "required": ["parcelId", "carrier"],
                    "properties": {
                        "parcelId": {"type": "string", "example": "PCL-0042"},
                        "carrier": {"type": "string", "nullable": True, "enum": ["DHL", "UPS"]},
                        "weightKg": {"type": "number", "nullable": True, "minimum": 0.1},
                        "insured": {
                            "allOf": [{"$ref": "#/components/schemas/Insurance"}],
                            "nullable": True,
                        },
                    },
                },
                "Insurance": {
                    "type": "object",
                    "required": ["amount"],
                    "properties": {"amount": {"type": "number", "minimum": 0}},
                },
            }
        },
    }
    project = shop_project(tmp_path, ("com.test.parcels/ParcelSent/v1.json", document))
    registry, resolver = load(project)
    (version,) = registry.all_versions()
    event = generated_event(version, resolver)
    assert_valid(event, version, resolver)
    assert event is not None
    assert event["detail"] == {
        "parcelId": "PCL-0042",
        "carrier": "DHL",
        "weightKg": 1,
        "insured": {"amount": 12.5},
    }
    # Resources the schema requires: ARNs in the envelope's account and region.
    assert event["resources"] == ["arn:aws:parcels:us-east-1:123456789012:parcelsent/example-1"]


def test_a_value_the_schema_rejects_is_built_again_carefully(tmp_path: Path) -> None:
    detail = {
        "type": "object",
        "required": ["customerId", "channel", "kind"],
        "properties": {
            # The name suggests an id (a uuid), the format says otherwise: a hostname.
            "customerId": {"type": "string", "format": "hostname"},
            # The author's example contradicts the schema: not taken.
            "channel": {"type": "string", "examples": ["web"], "pattern": "^[A-Z]+$"},
            # The first option also matches the second: oneOf needs the other.
            "kind": {"oneOf": [{"type": "string"}, {"type": "string", "maxLength": 30}]},
            "id": {"type": "string", "not": {"pattern": "-"}},
        },
    }
    project = shop_project(tmp_path, ("com.test.shop/Careful/v1.json", json_schema_event(detail)))
    registry, resolver = load(project)
    (version,) = registry.all_versions()
    event = generated_event(version, resolver)
    # oneOf of two overlapping options has no valid string built directly: None (the caller
    # falls back to hypothesis), never an invalid event.
    if event is not None:
        assert_valid(event, version, resolver)
    detail["properties"].pop("kind")
    detail["required"].remove("kind")
    write_schema(project / "registry/com.test.shop/Careful/v1.json", json_schema_event(detail))
    registry, resolver = load(project)
    (version,) = registry.all_versions()
    event = generated_event(version, resolver)
    assert_valid(event, version, resolver)
    assert event is not None
    assert event["detail"]["customerId"] == "example.com"
    assert event["detail"]["channel"] == "ABC"
    assert "-" not in event["detail"]["id"]  # the id hint rejected by `not`: built carefully


def test_no_event_for_a_version_without_detail_or_with_a_contradiction(tmp_path: Path) -> None:
    no_detail = json_schema_event({"type": "object"}, name="NoDetail")
    del no_detail["properties"]["detail"]
    no_detail["required"].remove("detail")
    contradiction = json_schema_event(
        {"type": "object", "required": ["n"], "properties": {"n": {"allOf": [
            {"type": "string"}, {"type": "integer"}]}}},
        name="Contradiction",
    )  # fmt: skip
    project = shop_project(
        tmp_path,
        ("com.test.shop/NoDetail/v1.json", no_detail),
        ("com.test.shop/Contradiction/v1.json", contradiction),
    )
    registry, resolver = load(project)
    for version in registry.all_versions():
        assert generated_event(version, resolver) is None, version.schema_name


# --- patterns -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("^ORD-[0-9]{8}$", "ORD-12345678"),  # digits from 1, not 00000000
        ("^[A-Z]{3}$", "ABC"),
        ("^(a+)+$", "aaa"),  # an open repeat inside another runs once
        ("^(foo|bar)-\\w+$", "foo-abc"),
        ("^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$", "abc@abc.abc"),
        ("^arn:aws:sqs:[a-z0-9-]+:\\d{12}:[\\w-]+$", "arn:aws:sqs:abc:123456789012:abc"),
        ("^[^@\\s]+$", "abc"),
        ("^(\\w)\\1$", "aa"),  # a backreference repeats its group
        ("ORD-", "ORD-"),  # unanchored: the match is the whole string
    ],
)
def test_a_pattern_gives_a_readable_match(pattern: str, expected: str) -> None:
    assert regex_example(pattern) == expected
    assert search(pattern, expected) is True


@pytest.mark.parametrize("pattern", ["(", "[z-a]", "a{100000}", "((((x?){500}){500}){500})"])
def test_a_pattern_without_a_readable_match_gives_none_quickly(pattern: str) -> None:
    started = time.perf_counter()
    assert regex_example(pattern) is None
    assert time.perf_counter() - started < 1.0


# --- hostile schemas ---------------------------------------------------------------------------


def _nested(levels: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "required": ["inner"], "properties": {"inner": schema}}
    return schema


def _chained(name: str, levels: int, fields: tuple[str, ...]) -> dict[str, Any]:
    """Definitions N0..N<levels>: each an object whose required ``fields`` all refer to the next."""
    definitions: dict[str, Any] = {f"{name}{levels}": {"type": "string"}}
    for n in range(levels):
        following = {"$ref": f"#/definitions/{name}{n + 1}"}
        definitions[f"{name}{n}"] = {
            "type": "object",
            "required": list(fields),
            "properties": {field: following for field in fields},
        }
    return definitions


def _strings(**properties: dict[str, Any]) -> dict[str, Any]:
    return {name: {"type": "string", **keywords} for name, keywords in properties.items()}


HOSTILE: dict[str, tuple[Any, dict[str, Any]]] = {
    # Written out as deep as the loader reads (64 JSON levels): deeper than an example shows.
    "DeepLiteral": (_nested(28), {}),
    # A chain of 300 refs, each required.
    "DeepRefs": ({"$ref": "#/definitions/L0"}, _chained("L", 300, ("next",))),
    # A diamond of refs: each level refers to the next twice, 2^40 paths.
    "Diamond": ({"$ref": "#/definitions/D0"}, _chained("D", 40, ("a", "b"))),
    # Catastrophic backtracking for a backtracking engine; RE2 and the parse need none.
    "Catastrophic": (
        {
            "type": "object",
            "required": ["a", "b"],
            "properties": _strings(
                a={"pattern": "^(a+)+$"},
                b={"pattern": "^(([a-z])+.)+[A-Z]([a-z])+$"},
                # Too big for RE2 and for a readable example: left out (it is optional).
                c={"pattern": "^((((x?){500}){500}){500})y$"},
            ),
        },
        {},
    ),
    "Huge": (
        {
            "type": "object",
            "required": ["items", "text"],
            "properties": {
                "items": {"type": "array", "minItems": 10**9, "items": {"type": "string"}},
                "text": {"type": "string", "minLength": 10**9},
            },
        },
        {},
    ),
    "Wide": ({"type": "object", "properties": _strings(**{f"p{n}": {} for n in range(3_000)})}, {}),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_schema_answers_quickly(tmp_path: Path, name: str) -> None:
    detail, definitions = HOSTILE[name]
    document = json_schema_event(detail, definitions, name=name)
    project = shop_project(tmp_path, (f"com.test.shop/{name}/v1.json", document))
    registry, resolver = load(project)
    (version,) = registry.all_versions()
    started = time.perf_counter()
    event = generated_event(version, resolver)
    assert time.perf_counter() - started < 2.0
    if event is not None:  # whatever it builds is valid
        assert_valid(event, version, resolver)
    if name == "Catastrophic":
        assert event is not None and event["detail"]["a"] == "aaa"
        assert "c" not in event["detail"]


# --- the shared real-world corpus --------------------------------------------------------------

# Corpus versions with no directly built event, and why (none today).
CORPUS_WITHOUT_EVENT: dict[str, str] = {}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_the_real_world_corpus_versions_get_valid_events(tmp_path: Path) -> None:
    adopted = adopt(tmp_path / "adopter", generate=False)
    registry, resolver = load(adopted.root)
    versions = registry.all_versions()
    assert len(versions) >= 25
    missing = []
    for version in versions:
        name = f"{version.schema_name} v{version.version}"
        event = generated_event(version, resolver)
        if event is None:
            missing.append(name)
            continue
        assert_valid(event, version, resolver)
        schema = inline_event_schema(VersionRefs(resolver, version))
        places = named_places(schema["properties"]["detail"], event["detail"], "/detail")
        assert [(p, got) for p, got, wanted in places if got != wanted] == [], name
    assert sorted(missing) == sorted(CORPUS_WITHOUT_EVENT), missing


def test_cut_marks_are_not_schemas() -> None:
    assert is_cut({"x-eventcontracts-cut": True}) and not is_cut({"type": "string"})
