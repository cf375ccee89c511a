"""Field paths through the ways schemas are written: $ref across files, allOf/oneOf, nullable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner, write_schema
from corpus import CORPUS

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


# --- a field named in `required` only -----------------------------------------------------

CLOUDTRAIL_023 = (
    CORPUS / "schemas" / "023-powertools-registry-draft4-aws-s3-cloudtrail-readonly.json"
)
CLOUDTRAIL = {"source": ["aws.s3"], "detail-type": ["AWS API Call via CloudTrail"]}
# The shape of AWS's Draft-4 CloudTrail export: `readOnly` is required, but its property was
# renamed to `x-amazon-open-api-schema-readOnly` (it clashes with an OpenAPI keyword).
CLOUDTRAIL_SHAPE = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "x-amazon-events-source": "aws.s3",
    "x-amazon-events-detail-type": "AWS API Call via CloudTrail",
    "type": "object",
    "required": ["detail", "source", "detail-type"],
    "properties": {"detail": {"$ref": "#/definitions/AWSAPICallViaCloudTrail"}},
    "definitions": {
        "AWSAPICallViaCloudTrail": {
            "type": "object",
            "required": ["eventName", "readOnly"],
            "properties": {
                "eventName": {"type": "string"},
                "x-amazon-open-api-schema-readOnly": {"type": "boolean"},
            },
        }
    },
}


def rules_check_and_test(root: Path, cli: CliRunner, pattern: dict[str, Any]) -> tuple[Any, Any]:
    """`rules check` and `rules test` of one rule on ``root``'s registry."""
    write_schema(root / "rules" / "readonly.json", pattern)
    checked = cli(["rules", "check", "rules/readonly.json"], root)
    tested = cli(
        ["rules", "test", "rules/readonly.json", "--count", "20", "--format", "json"], root
    )
    assert tested.code == 0, tested.both
    return checked, json.loads(tested.out)


def test_a_required_field_without_a_property_is_present_for_rules(
    tmp_path: Path, cli: CliRunner
) -> None:
    write_schema(tmp_path / "registry/aws.s3/AWSAPICallViaCloudTrail/v1.json", CLOUDTRAIL_SHAPE)
    present = {**CLOUDTRAIL, "detail": {"readOnly": [{"exists": True}]}}

    checked, tested = rules_check_and_test(tmp_path, cli, present)

    assert checked.code == 0, checked.out
    # Sample events have it (it is required): the rule reaches those where it holds a leaf
    # value (EventBridge matches leaves; an object there is matched by its own keys).
    assert tested["unreached"] == [] and tested["rows"][0]["hits"]["readonly"] > 0
    # Nothing says what it holds: a value of any type is no type problem.
    for value in ([False], ["yes"], [{"numeric": [">", 0]}]):
        assert check(tmp_path, cli, {**CLOUDTRAIL, "detail": {"readOnly": value}})[0] == 0
    # A misspelt name still is not there, and the required name is offered.
    code, out = check(tmp_path, cli, {**CLOUDTRAIL, "detail": {"readOnl": [False]}})
    assert code == 1 and "P101" in out and "did you mean detail.readOnly?" in out


@pytest.mark.skipif(not CLOUDTRAIL_023.is_file(), reason="the shared corpus is not here")
def test_rules_check_and_test_agree_on_awss_cloudtrail_export(
    tmp_path: Path, cli: CliRunner
) -> None:
    (tmp_path / "registry").mkdir()
    (tmp_path / "eventcontracts.toml").write_text("[registry]\n", encoding="utf-8")
    assert cli(["import", str(CLOUDTRAIL_023)], tmp_path).code == 0

    checked, tested = rules_check_and_test(
        tmp_path, cli, {**CLOUDTRAIL, "detail": {"readOnly": [{"exists": True}]}}
    )

    assert checked.code == 0, checked.out
    assert tested["unreached"] == [] and tested["rows"][0]["hits"]["readonly"] > 0
    assert check(tmp_path, cli, {**CLOUDTRAIL, "detail": {"readOnly": [False]}})[0] == 0
