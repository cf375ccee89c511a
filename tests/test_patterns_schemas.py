"""Field paths through the ways schemas are written: $ref across files, allOf/oneOf, nullable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner, write_schema

ENVELOPE = {
    "type": "object",
    "required": ["detail", "source", "detail-type"],
    "properties": {"detail": {"$ref": "#/definitions/Detail"}},
}
DETAIL = {
    "allOf": [
        {"$ref": "../../_shared/common.json#/definitions/Tracing"},
        {
            "type": "object",
            "properties": {
                "kind": {"type": "string", "enum": ["card", "cash"]},
                "payload": {
                    "oneOf": [
                        {"type": "object", "properties": {"cardLast4": {"type": "string"}}},
                        {"type": "object", "properties": {"till": {"type": "integer"}}},
                    ]
                },
                "lines": {
                    "type": "array",
                    "items": {"$ref": "#/definitions/Line"},
                },
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "note": {"type": ["string", "null"]},
            },
        },
    ]
}
SHARED = {
    "definitions": {
        "Tracing": {
            "type": "object",
            "properties": {"correlationId": {"type": "string", "format": "uuid"}},
        }
    }
}
OPENAPI = {
    "openapi": "3.0.0",
    "info": {"version": "1.0.0", "title": "Settled"},
    "paths": {},
    "components": {
        "schemas": {
            "AWSEvent": {
                "type": "object",
                "x-amazon-events-source": "com.example.till",
                "x-amazon-events-detail-type": "Till Settled",
                "properties": {"detail": {"$ref": "#/components/schemas/Settled"}},
            },
            "Settled": {
                "type": "object",
                "properties": {
                    "reference": {"type": "string", "nullable": True},
                    "total": {"type": "number"},
                },
            },
        }
    },
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_schema(
        tmp_path / "registry/com.example.till/Sale/v1.json",
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "x-amazon-events-source": "com.example.till",
            "x-amazon-events-detail-type": "Sale Recorded",
            **ENVELOPE,
            "definitions": {
                "Detail": DETAIL,
                "Line": {"type": "object", "properties": {"sku": {"type": "string"}}},
            },
        },
    )
    write_schema(tmp_path / "registry/_shared/common.json", SHARED)
    write_schema(tmp_path / "registry/com.example.till/Settled/v1.json", OPENAPI)
    return tmp_path


def check(project: Path, cli: CliRunner, pattern: dict[str, Any]) -> tuple[int, str]:
    write_schema(project / "rule.json", pattern)
    result = cli(["rules", "check", "rule.json"], project)
    return result.code, result.out


SALE = {"source": ["com.example.till"], "detail-type": ["Sale Recorded"]}
SETTLED = {"source": ["com.example.till"], "detail-type": ["Till Settled"]}


@pytest.mark.parametrize(
    "detail",
    [
        {"correlationId": [{"prefix": "5c9e"}]},  # through allOf and a ref to _shared/
        {"kind": ["card"]},
        {"payload": {"cardLast4": [{"suffix": "42"}]}},  # one oneOf alternative
        {"payload": {"till": [{"numeric": [">", 3]}]}},  # the other
        {"lines": {"sku": ["SKU-1"]}},  # an array of $ref'd objects
        {"labels": {"anyKey": [{"prefix": "x"}]}},  # a map: any key is declared
        {"note": [None, "x"]},
    ],
)
def test_fields_declared_in_any_way_are_found(
    detail: dict[str, Any], project: Path, cli: CliRunner
) -> None:
    code, out = check(project, cli, {**SALE, "detail": detail})

    assert code == 0, out


def test_openapi_nullable_allows_null(project: Path, cli: CliRunner) -> None:
    assert check(project, cli, {**SETTLED, "detail": {"reference": [None]}})[0] == 0

    code, out = check(project, cli, {**SETTLED, "detail": {"total": [None]}})

    assert code == 1
    assert "P103" in out
    assert "detail.total: null is null and the field is number" in out


@pytest.mark.parametrize(
    ("detail", "rule"),
    [
        ({"correlationId": [{"numeric": [">", 1]}]}, "P102"),
        ({"payload": {"till": [{"prefix": "1"}]}}, "P102"),
        ({"payload": {"drawer": ["1"]}}, "P101"),
        ({"lines": {"qty": [1]}}, "P101"),
        ({"kind": ["cheque"]}, "P103"),
        ({"labels": [{"exists": True}]}, "P103"),
    ],
)
def test_problems_are_found_through_the_same_ways(
    detail: dict[str, Any], rule: str, project: Path, cli: CliRunner
) -> None:
    code, out = check(project, cli, {**SALE, "detail": detail})

    assert code == 1, out
    assert f" {rule} " in out
    assert "com.example.till@Sale v1" in out


def test_a_pattern_on_a_source_prefix_targets_every_schema_of_it(
    project: Path, cli: CliRunner
) -> None:
    # "total" is only in Settled: present in one targeted schema is enough.
    ok = check(project, cli, {"source": [{"prefix": "com.example."}], "detail": {"total": [1]}})
    assert ok[0] == 0, ok[1]

    code, out = check(project, cli, {"source": [{"prefix": "com.example."}], "detail": {"x": [1]}})

    assert code == 1
    assert "detail.x is not in com.example.till@Sale v1, com.example.till@Settled v1" in out
