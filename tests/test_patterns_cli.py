"""``eventcontracts rules check`` and ``rules test`` on a copy of the example project."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO_ROOT, CliRunner, line_of, read_json, write_schema
from eventcontracts.patterns.catalog import PATTERN_RULES

ORDER_CREATED = Path("registry/com.mycompany.orders/OrderCreated")
# `file:line: P### rule NAME: message [rule-name]`
FINDING = re.compile(
    r"^(?P<file>\S+?):(?P<line>[0-9]+): (?P<rule>P[0-9]{3}) rule (?P<name>\S+): (?P<message>.+) "
    r"\[(?P<slug>[a-z-]+)\]$"
)


@pytest.fixture
def bus_project(example_project: Path) -> Path:
    """The example project with its bus rules (rules/, infra/)."""
    shutil.copytree(REPO_ROOT / "rules", example_project / "rules")
    shutil.copytree(REPO_ROOT / "infra", example_project / "infra")
    return example_project


def findings(out: str) -> list[dict[str, str]]:
    lines = out.rstrip("\n").splitlines()[:-1]  # the last line is the summary
    matched = [FINDING.match(line) for line in lines]
    assert all(matched), out
    return [m.groupdict() for m in matched if m]


def rename_total_amount(project: Path) -> None:
    """OrderCreated v3: v2 with totalAmount renamed to orderTotal."""
    v2 = (project / ORDER_CREATED / "v2.json").read_text(encoding="utf-8")
    v3 = json.loads(v2.replace('"totalAmount"', '"orderTotal"'))
    v3["info"]["version"] = "3.0.0"
    write_schema(project / ORDER_CREATED / "v3.json", v3)


def test_the_example_rules_pass(bus_project: Path, cli: CliRunner) -> None:
    result = cli(["rules", "check"], bus_project)

    assert result.code == 0, result.both
    assert result.out.strip() == "5 rules in 4 files: no problems."


def test_a_renamed_field_fails_the_rule_that_names_it(bus_project: Path, cli: CliRunner) -> None:
    rename_total_amount(bus_project)

    result = cli(["rules", "check"], bus_project)

    assert result.code == 1, result.both
    (finding,) = findings(result.out)
    rule_file = bus_project / "rules" / "order-big-spender.json"
    assert finding["file"] == "rules/order-big-spender.json"
    assert int(finding["line"]) == line_of(rule_file, "totalAmount")
    assert finding["rule"] == "P101"
    assert finding["name"] == "order-big-spender"
    assert finding["message"].startswith(
        "detail.totalAmount is not in com.mycompany.orders@OrderCreated v3"
    )
    assert "v2 has it, v3 adds detail.orderTotal (renamed?)" in finding["message"]
    assert "Found 1 problem (P101 x1)" in result.out


def test_json_format(bus_project: Path, cli: CliRunner) -> None:
    rename_total_amount(bus_project)

    result = cli(["rules", "check", "--format", "json"], bus_project)

    assert result.code == 1
    report = json.loads(result.out)
    assert report["ok"] is False
    assert report["summary"] == {"files": 4, "rules": 5, "errors": 1, "warnings": 0}
    (finding,) = report["findings"]
    assert finding["rule"] == "P101"
    assert finding["name"] == "path-missing"
    assert finding["severity"] == "error"
    assert finding["file"] == "rules/order-big-spender.json"
    assert finding["bus_rule"] == "order-big-spender"
    assert finding["pointer"] == "/detail/totalAmount"


def test_a_rename_inside_a_template_names_the_resource(bus_project: Path, cli: CliRunner) -> None:
    schema = bus_project / "registry/com.mycompany.orders/OrderShipped/v1.yaml"
    # Renamed in properties and in required (a name still required is still in every event).
    v2 = schema.read_text(encoding="utf-8").replace("        country:", "        countryCode:")
    v2 = v2.replace("        - country\n", "        - countryCode\n")
    (schema.parent / "v2.yaml").write_text(v2.replace("version: '1.0.0'", "version: '2.0.0'"))

    result = cli(["rules", "check", "infra"], bus_project)

    assert result.code == 1, result.both
    (finding,) = findings(result.out)
    template = bus_project / "infra/order-routing.yaml"
    assert finding["file"] == "infra/order-routing.yaml"
    assert finding["name"] == "InternationalShipmentRule"
    assert int(finding["line"]) == line_of(template, "country:")
    assert (
        "detail.shippingAddress.country is not in com.mycompany.orders@OrderShipped v2"
        in (finding["message"])
    )
    assert "v1 has it, v2 adds detail.shippingAddress.countryCode (renamed?)" in finding["message"]


PROBLEMS = [
    (
        "numeric-on-a-string",
        {"orderId": [{"numeric": [">", 100]}]},
        "P102",
        "detail.orderId: numeric on a string field never matches",
    ),
    (
        "prefix-on-a-number",
        {"totalAmount": [{"prefix": "1"}]},
        "P102",
        "detail.totalAmount: prefix on a number field never matches",
    ),
    (
        "value-on-an-object",
        {"shippingAddress": ["Austin"]},
        "P102",
        "detail.shippingAddress is an object",
    ),
    (
        "anything-but-of-strings-on-a-number",
        {"totalAmount": [{"anything-but": "0"}]},
        "P102",
        "excludes nothing",
    ),
    (
        "value-outside-the-enum",
        {"currency": ["JPY"]},
        "P103",
        '"JPY" is not one of the values the schema allows ("USD", "EUR", "GBP")',
    ),
    (
        "prefix-no-enum-value-has",
        {"currency": [{"prefix": "JP"}]},
        "P103",
        "matches none of the values the schema allows",
    ),
    (
        "a-string-for-a-number",
        {"totalAmount": ["1000"]},
        "P103",
        'detail.totalAmount: "1000" is a string and the field is number',
    ),
    (
        "exists-on-an-object",
        {"metadata": [{"exists": True}]},
        "P103",
        "exists: true never matches an object",
    ),
    (
        "a-fraction-for-an-integer",
        {"items": {"quantity": [1.5]}},
        "P103",
        "detail.items.quantity: 1.5 is not an integer",
    ),
    (
        "a-field-through-an-array-of-objects",
        {"items": {"sku": ["SKU-1"]}},
        "P101",
        "detail.items.sku is not in com.mycompany.orders@OrderCreated v2",
    ),
    (
        "a-typo",
        {"total": [{"numeric": [">", 0]}]},
        "P101",
        "detail.total is not in com.mycompany.orders@OrderCreated v2; did you mean "
        "detail.totalAmount?",
    ),
    (
        "undeclared-field",
        {"metadata": {"tenant": ["a"]}},
        "P101",
        "detail.metadata.tenant is not in",
    ),
]


@pytest.mark.parametrize(
    ("detail", "rule", "message"),
    [pytest.param(detail, rule, message, id=name) for name, detail, rule, message in PROBLEMS],
)
def test_a_pattern_that_cannot_match_the_schema(
    detail: dict[str, object], rule: str, message: str, bus_project: Path, cli: CliRunner
) -> None:
    pattern = {"source": ["com.mycompany.orders"], "detail-type": ["Order Created"]}
    write_schema(bus_project / "bad.json", {**pattern, "detail": detail})

    result = cli(["rules", "check", "bad.json"], bus_project)

    assert result.code == 1, result.both
    (finding,) = findings(result.out)
    assert finding["rule"] == rule
    assert message in finding["message"]
    assert "com.mycompany.orders@OrderCreated v2" in finding["message"]


GOOD_DETAILS = [
    {"totalAmount": [{"numeric": [">", 0, "<=", 5000]}], "currency": ["USD", "EUR"]},
    {"items": {"productId": [{"prefix": "SKU-"}], "quantity": [{"numeric": [">=", 2]}]}},
    {"customerEmail": [{"exists": False}], "channel": [{"anything-but": ["pos"]}]},
    {"shippingAddress": {"country": [{"equals-ignore-case": "us"}]}},
    {"metadata": {"correlationId": [{"wildcard": "5c9e*"}]}},
    {"currency": [{"anything-but": {"prefix": "U"}}]},
]


@pytest.mark.parametrize("detail", GOOD_DETAILS)
def test_a_pattern_that_fits_the_schema_passes(
    detail: dict[str, object], bus_project: Path, cli: CliRunner
) -> None:
    pattern = {"source": ["com.mycompany.orders"], "detail-type": ["Order Created"]}
    write_schema(bus_project / "good.json", {**pattern, "detail": detail})

    result = cli(["rules", "check", "good.json"], bus_project)

    assert result.code == 0, result.both


def test_envelope_fields_are_known(bus_project: Path, cli: CliRunner) -> None:
    pattern = {
        "source": [{"prefix": "com.mycompany."}],
        "region": [{"prefix": "eu-"}],
        "resources": [{"wildcard": "arn:aws:*"}],
        "account": ["123456789012"],
    }
    write_schema(bus_project / "envelope.json", pattern)

    result = cli(["rules", "check", "envelope.json"], bus_project)

    assert result.code == 0, result.both


def test_or_branches_are_checked_against_their_own_schemas(
    bus_project: Path, cli: CliRunner
) -> None:
    pattern = {
        "source": ["com.mycompany.payments"],
        "$or": [
            {"detail-type": ["Payment Failed"], "detail": {"retryable": [True]}},
            {"detail-type": ["Payment Processed"], "detail": {"retryable": [True]}},
        ],
    }
    write_schema(bus_project / "or.json", pattern)

    result = cli(["rules", "check", "or.json"], bus_project)

    assert result.code == 1, result.both
    (finding,) = findings(result.out)
    assert finding["rule"] == "P101"
    assert "PaymentProcessed v1" in finding["message"]
    assert int(finding["line"]) == line_of(bus_project / "or.json", "retryable", occurrence=2)


def test_a_detail_type_the_source_does_not_have(bus_project: Path, cli: CliRunner) -> None:
    write_schema(
        bus_project / "typo.json",
        {"source": ["com.mycompany.orders"], "detail-type": ["OrderCreated"]},
    )

    result = cli(["rules", "check", "typo.json"], bus_project)

    assert result.code == 1, result.both
    (finding,) = findings(result.out)
    assert finding["rule"] == "P104"
    assert "did you mean 'Order Created'?" in finding["message"]


def test_warnings_do_not_fail_the_check(bus_project: Path, cli: CliRunner) -> None:
    write_schema(bus_project / "ec2.json", {"source": ["aws.ec2"], "detail": {"x": ["y"]}})
    write_schema(
        bus_project / "tpl.yaml",
        "Resources:\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n"
        "      EventPattern:\n        source: [!Ref Source]\n",
    )

    result = cli(["rules", "check", "ec2.json", "tpl.yaml"], bus_project)

    assert result.code == 0, result.both
    assert [f["rule"] for f in findings(result.out)] == ["P106", "P107"]
    assert "no problems (2 warnings)" in result.out


def test_a_pattern_eventbridge_rejects(bus_project: Path, cli: CliRunner) -> None:
    write_schema(
        bus_project / "bad.json",
        {"source": ["com.mycompany.orders"], "detail": {"totalAmount": [{"numeric": [">", "5"]}]}},
    )

    result = cli(["rules", "check", "bad.json"], bus_project)

    assert result.code == 1, result.both
    (finding,) = findings(result.out)
    assert finding["rule"] == "P105"
    assert int(finding["line"]) == line_of(bus_project / "bad.json", "numeric")
    assert "/detail/totalAmount/0/numeric" in finding["message"]


def test_explain_a_pattern_rule(tmp_path: Path, cli: CliRunner) -> None:
    result = cli(["explain", "P101"], tmp_path)

    rule = PATTERN_RULES["P101"]
    assert result.code == 0
    assert result.out.startswith(f"P101 path-missing (error): {rule.summary}")
    assert rule.fix in result.out


# --- rules test ------------------------------------------------------------------------------


@pytest.fixture
def orders_only(bus_project: Path) -> Path:
    """The project with only OrderCreated in the registry, so that generation stays quick."""
    for source in (bus_project / "registry").iterdir():
        for schema in source.iterdir():
            if schema.name != "OrderCreated":
                shutil.rmtree(schema)
    write_schema(
        bus_project / "rules/all-orders.json",
        {"source": ["com.mycompany.orders"], "detail-type": ["Order Created"]},
    )
    write_schema(bus_project / "rules/nothing.json", {"source": ["com.nowhere"]})
    write_schema(bus_project / "rules/broken.json", {"source": "com.mycompany.orders"})
    return bus_project


def test_rules_test_prints_which_rules_each_version_reaches(
    orders_only: Path, cli: CliRunner
) -> None:
    result = cli(["rules", "test", "rules", "--count", "4", "--seed", "7"], orders_only)

    assert result.code == 0, result.both
    lines = result.out.splitlines()
    for version in (1, 2):
        row = next(
            line
            for line in lines
            if line.startswith(f"com.mycompany.orders@OrderCreated v{version} -> ")
        )
        assert "all-orders 4/4" in row
        assert "payment-problems" not in row
    assert "! rule nothing is reached by no event version" in lines
    assert "! rule broken is not tested: see 'eventcontracts rules check'" in lines
    assert "! rule payment-problems is reached by no event version" in lines


def test_rules_test_is_deterministic_with_a_seed(orders_only: Path, cli: CliRunner) -> None:
    args = ["rules", "test", "rules", "--count", "6", "--seed", "11", "--format", "json"]

    first = cli(args, orders_only)
    second = cli(args, orders_only)

    assert first.code == second.code == 0, first.both
    assert first.out == second.out
    report = json.loads(first.out)
    assert report["seed"] == 11
    assert [(row["schema"], row["version"], row["events"]) for row in report["rows"]] == [
        ("com.mycompany.orders@OrderCreated", 1, 6),
        ("com.mycompany.orders@OrderCreated", 2, 6),
    ]


def test_rules_test_runs_the_examples_first(orders_only: Path, cli: CliRunner) -> None:
    # OrderCreated's example events: a big order reaches the big-spender rule.
    example = orders_only / ORDER_CREATED / "examples/v2/mobile-app-order.json"
    event = read_json(example)
    event["detail"]["totalAmount"] = 1500.0
    write_schema(example, event)

    result = cli(["rules", "test", "rules", "--count", "2", "--format", "json"], orders_only)

    rows = {row["version"]: row["hits"] for row in json.loads(result.out)["rows"]}
    assert rows[2]["order-big-spender"] == 1
    assert rows[1]["order-big-spender"] == 0
