"""Strategies of whole events: every drawn event is valid, looks like EventBridge's, explores
what the schema allows, and comes fast from the cache."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import EXAMPLE_REGISTRY, write_schema

from eventcontracts.contract import details, events, sample_events
from eventcontracts.contract.strategies.envelope import REGIONS
from eventcontracts.contract.strategies.regex import matching
from eventcontracts.errors import EventContractsError
from eventcontracts.registry import Resolver, load_registry

FEW = settings(
    max_examples=15,
    database=None,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# RFC 3339 appendix A durations.
DURATION = re.compile(
    r"^P(?:(?:\d+Y(?:\d+M(?:\d+D)?)?|\d+M(?:\d+D)?|\d+D)"
    r"(?:T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S))?"
    r"|T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S)|\d+W)$"
)
ENVELOPE_REQUIRED = ["detail-type", "resources", "detail", "id", "source", "time", "region",
                     "version", "account"]  # fmt: skip


def draw_all(strategy: st.SearchStrategy[Any], examples: int = 15) -> list[Any]:
    drawn: list[Any] = []

    @settings(FEW, max_examples=examples)
    @given(strategy)
    def collect(value: Any) -> None:
        drawn.append(value)

    collect()
    return drawn


def project(tmp_path: Path, detail: dict[str, Any], *, name: str = "Thing",
            source: str = "com.example.things", dialect: str = "http://json-schema.org/draft-07/schema#",
            definitions: dict[str, Any] | None = None) -> Path:  # fmt: skip
    """A registry with one JSON Schema version whose detail is ``detail``."""
    document = {
        "$schema": dialect,
        "x-amazon-events-source": source,
        "x-amazon-events-detail-type": f"{name} Happened",
        "type": "object",
        "required": ENVELOPE_REQUIRED,
        "properties": {
            "detail": {"$ref": "#/definitions/Detail"},
            **{
                key: {"type": "string"}
                for key in ("account", "detail-type", "id", "region", "source", "version")
            },
            "resources": {"type": "array", "items": {"type": "string"}},
            "time": {"type": "string", "format": "date-time"},
        },
        "definitions": {"Detail": detail, **(definitions or {})},
    }
    write_schema(tmp_path / "registry" / source / name / "v1.json", document)
    return tmp_path / "registry"


def validator_for(registry: Path, schema: str) -> Any:
    loaded = load_registry(registry)
    version = loaded.schemas[schema].latest
    return Resolver(loaded).event_validator(version)


EXAMPLE_VERSIONS = [
    (schema.name, version.version)
    for schema in load_registry(EXAMPLE_REGISTRY).schemas.values()
    for version in schema.versions
]


@pytest.mark.parametrize(("schema", "version"), EXAMPLE_VERSIONS)
def test_every_example_catalog_version_yields_valid_events(schema: str, version: int) -> None:
    validator = validator_for(EXAMPLE_REGISTRY, schema)
    validator = Resolver(load_registry(EXAMPLE_REGISTRY)).event_validator(
        load_registry(EXAMPLE_REGISTRY).schemas[schema].version(version)
    )
    for event in draw_all(events(schema, version, registry=EXAMPLE_REGISTRY)):
        errors = [error.message for error in validator.iter_errors(event)]
        assert not errors, (event, errors)


def test_envelope_fields_look_like_what_eventbridge_sends() -> None:
    drawn = draw_all(events("OrderCreated", 2, registry=EXAMPLE_REGISTRY), 30)
    for event in drawn:
        assert event["version"] == "0"
        assert str(uuid.UUID(event["id"])) == event["id"]
        assert event["detail-type"] == "Order Created"
        assert event["source"] == "com.mycompany.orders"
        assert re.fullmatch(r"[0-9]{12}", event["account"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", event["time"])
        assert event["region"] in REGIONS
        assert all(arn.startswith("arn:aws:") for arn in event["resources"])
        assert len(event["resources"]) <= 2
        assert set(event) == set(ENVELOPE_REQUIRED)
    assert len({event["id"] for event in drawn}) > 1


def test_details_are_the_detail_alone() -> None:
    validator = Resolver(registry := load_registry(EXAMPLE_REGISTRY)).detail_validator(
        registry.schemas["com.mycompany.orders@OrderCancelled"].latest
    )
    for detail in draw_all(details("OrderCancelled", registry=EXAMPLE_REGISTRY)):
        assert "orderId" in detail and "detail-type" not in detail
        assert validator.is_valid(detail)


def test_formats_are_valid_for_their_format(tmp_path: Path) -> None:
    names = ["uuid", "duration", "date-time", "date", "time", "email", "ipv4", "ipv6",
             "hostname", "uri"]  # fmt: skip
    detail = {
        "type": "object",
        "required": names,
        "properties": {name: {"type": "string", "format": name} for name in names},
    }
    registry = project(tmp_path, detail)
    validator = validator_for(registry, "com.example.things@Thing")
    durations = set()
    for event in draw_all(events("Thing", registry=registry), 40):
        assert validator.is_valid(event)
        values = event["detail"]
        uuid.UUID(values["uuid"])
        assert DURATION.match(values["duration"]), values["duration"]
        durations.add(values["duration"])
        stamp = dt.datetime.fromisoformat(values["date-time"].replace("Z", "+00:00"))
        assert stamp.tzinfo is not None
        dt.date.fromisoformat(values["date"])
        assert re.fullmatch(r"\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", values["time"])
        assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", values["email"])
        ipaddress.IPv4Address(values["ipv4"])
        ipaddress.IPv6Address(values["ipv6"])
        assert all(0 < len(label) < 64 for label in values["hostname"].split("."))
        assert values["uri"].startswith("https://")
    assert len(durations) > 3


def test_nullable_fields_are_sometimes_null() -> None:
    drawn = draw_all(events("OrderShipped", registry=EXAMPLE_REGISTRY), 60)
    tracking = [event["detail"]["trackingNumber"] for event in drawn]
    assert None in tracking
    assert any(isinstance(value, str) for value in tracking)


def test_optional_properties_are_drawn_sometimes() -> None:
    drawn = draw_all(events("OrderCreated", 2, registry=EXAMPLE_REGISTRY), 40)
    with_email = [event for event in drawn if "customerEmail" in event["detail"]]
    assert 0 < len(with_email) < len(drawn)
    # No property the schema does not declare: what a well-behaved producer sends.
    declared = {"orderId", "customerId", "items", "totalAmount", "currency", "shippingAddress",
                "createdAt", "metadata", "customerEmail", "discountCode", "channel"}  # fmt: skip
    assert all(set(event["detail"]) <= declared for event in drawn)


def test_recursive_refs_are_drawn_to_a_bounded_depth(tmp_path: Path) -> None:
    category = {
        "type": "object",
        "required": ["name", "children"],
        "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/definitions/Category"}},
        },
    }
    registry = project(tmp_path, {"$ref": "#/definitions/Category"},
                       definitions={"Category": category})  # fmt: skip
    validator = validator_for(registry, "com.example.things@Thing")

    def depth(node: dict[str, Any]) -> int:
        return 1 + max((depth(child) for child in node["children"]), default=0)

    drawn = draw_all(events("Thing", registry=registry), 40)
    assert all(validator.is_valid(event) for event in drawn)
    assert max(depth(event["detail"]) for event in drawn) >= 2


def test_enums_patterns_and_ranges_are_respected(tmp_path: Path) -> None:
    detail = {
        "type": "object",
        "required": ["code", "status", "price", "count", "ratio", "tags"],
        "properties": {
            "code": {"type": "string", "pattern": "^SKU-[A-Z]{3}-[0-9]{2,4}$"},
            "status": {"enum": ["NEW", "DONE", 3]},
            "price": {"type": "number", "minimum": 1, "maximum": 2, "exclusiveMinimum": True},
            "count": {"type": "integer", "minimum": 10, "maximum": 20, "multipleOf": 5},
            "ratio": {"type": "number", "multipleOf": 0.01, "minimum": 0, "maximum": 1},
            "tags": {
                "type": "array",
                "items": {"type": "string", "minLength": 2, "maxLength": 3},
                "minItems": 1,
                "maxItems": 3,
                "uniqueItems": True,
            },
        },
    }
    registry = project(tmp_path, detail, dialect="http://json-schema.org/draft-04/schema#")
    validator = validator_for(registry, "com.example.things@Thing")
    for event in draw_all(events("Thing", registry=registry), 40):
        assert validator.is_valid(event)
        values = event["detail"]
        assert re.fullmatch(r"SKU-[A-Z]{3}-[0-9]{2,4}", values["code"])
        assert values["status"] in ("NEW", "DONE", 3)
        assert 1 < values["price"] <= 2
        assert values["count"] in (10, 15, 20)
        assert 1 <= len(values["tags"]) <= 3 and len(set(values["tags"])) == len(values["tags"])


def test_keywords_the_compiler_lacks_fall_back_and_stay_valid(tmp_path: Path) -> None:
    detail = {
        "type": "object",
        "required": ["kind", "value", "word"],
        "properties": {
            "kind": {"enum": ["a", "b"]},
            "value": {"type": "integer", "not": {"multipleOf": 3}, "minimum": 0, "maximum": 50},
            "word": {"type": "string", "not": {"enum": ["", "forbidden"]}},
        },
        "if": {"properties": {"kind": {"const": "a"}}},
        "then": {"required": ["extra"], "properties": {"extra": {"type": "boolean"}}},
    }
    registry = project(tmp_path, detail)
    validator = validator_for(registry, "com.example.things@Thing")
    drawn = draw_all(events("Thing", registry=registry), 25)
    assert all(validator.is_valid(event) for event in drawn)
    assert all(event["detail"]["value"] % 3 for event in drawn)


def test_the_same_request_returns_the_cached_strategy() -> None:
    first = events("OrderCreated", 1, registry=EXAMPLE_REGISTRY)
    assert events("com.mycompany.orders@OrderCreated", 1, registry=EXAMPLE_REGISTRY) is first
    assert events("OrderCreated", 2, registry=EXAMPLE_REGISTRY) is not first


def test_an_edited_schema_compiles_afresh(tmp_path: Path) -> None:
    registry = project(tmp_path, {"type": "object", "properties": {"a": {"enum": [1]}},
                                  "required": ["a"]})  # fmt: skip
    first = events("Thing", registry=registry)
    project(tmp_path, {"type": "object", "properties": {"a": {"enum": [2]}}, "required": ["a"]})
    second = events("Thing", registry=registry)
    assert second is not first
    assert {event["detail"]["a"] for event in draw_all(second, 5)} == {2}


def test_samples_are_reproducible_and_realistic() -> None:
    first = sample_events("OrderCreated", count=3, seed=7, registry=EXAMPLE_REGISTRY)
    again = sample_events("OrderCreated", count=3, seed=7, registry=EXAMPLE_REGISTRY)
    other = sample_events("OrderCreated", count=3, seed=8, registry=EXAMPLE_REGISTRY)
    assert first == again
    assert first != other
    assert len({event["id"] for event in first}) == 3
    assert all(event["detail"]["items"] for event in first)


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "x\nerror: fake",
        "'; rm -rf /",
        "A" * 5000,
        "",
        "@",
        "com.mycompany.orders@",
    ],
)
def test_hostile_schema_names_get_one_line(name: str) -> None:
    with pytest.raises(EventContractsError) as raised:
        events(name, registry=EXAMPLE_REGISTRY)
    message = str(raised.value)
    assert "\n" not in message and len(message) < 2000


def test_unknown_version_names_the_versions() -> None:
    with pytest.raises(EventContractsError, match=r"no version 7; its versions are 1, 2"):
        events("OrderCreated", 7, registry=EXAMPLE_REGISTRY)


def test_a_bare_name_two_sources_share_lists_both(tmp_path: Path) -> None:
    project(tmp_path, {"type": "object"}, source="com.example.a")
    registry = project(tmp_path, {"type": "object"}, source="com.example.b")
    ambiguous = r"ambiguous.*com\.example\.a@Thing.*com\.example\.b"
    with pytest.raises(EventContractsError, match=ambiguous):
        events("Thing", registry=registry)
    assert events("com.example.b@Thing", registry=registry) is not None


def test_a_project_folder_and_the_working_folder_find_the_registry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    by_project = events("OrderPlaced", registry=EXAMPLE_REGISTRY.parent)
    monkeypatch.chdir(EXAMPLE_REGISTRY / "com.mystore.checkout")
    assert events("OrderPlaced") is by_project


PATTERNS = [
    r"^ORD-[0-9]{6}$", r"^[A-Z]{2}$", r"^[0-9A-Z -]{3,10}$", r"^(ab|cd)*x$", r"[^abc]+",
    r"\d{3}-\w+", r"^a?b{2,}c*$", r"colou?r", r"^$", r"^.{2,5}$",
    r"^[a-f\d]{8}(-[a-f\d]{4}){3}$", r"(?=x)x+",
]  # fmt: skip


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("realistic", [False, True])
def test_pattern_strings_match_their_pattern(pattern: str, realistic: bool) -> None:
    compiled = re.compile(pattern)
    for text in draw_all(matching(pattern, realistic), 20):
        assert compiled.search(text), (pattern, text)
