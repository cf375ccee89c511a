"""Consumer expectations: consumers/<name>.yaml files, linted and held by `check` (K106).

Real git repositories built from the example catalog, whose OrderCreated has two consumers:
shipping-service (orderId, shippingAddress.*, items[].productId, items[].quantity) and
analytics (orderId, customerId, totalAmount, currency enum, createdAt, items[].price, and
channel when present).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner, git, line_of, make_repo, parse_findings
from eventcontracts.check import runner
from eventcontracts.check.runner import check
from eventcontracts.compat import compare
from eventcontracts.config import load_config
from eventcontracts.registry.consumer_schema import reader_schema
from eventcontracts.registry.consumers import parse_consumer
from eventcontracts.registry.documents import Document, read_document

ORDER_CREATED = Path("registry/com.mycompany.orders/OrderCreated")
CONSUMERS = ORDER_CREATED / "consumers"
SCHEMA = "com.mycompany.orders@OrderCreated"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


def set_mode(repo: Path, mode: str, policy: str = "lenient") -> None:
    """Give OrderCreated its own mode on main, so that only K106 can fail the change."""
    git(repo, "checkout", "-q", "main")
    with (repo / "eventcontracts.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[schemas."{SCHEMA}"]\nmode = "{mode}"\npolicy = "{policy}"\n')
    git(repo, "commit", "-qam", f"OrderCreated is {mode}")
    git(repo, "checkout", "-qB", "pr", "main")


def detail(document: Any) -> Any:
    return document["components"]["schemas"]["OrderCreated"]


def line_item(document: Any) -> Any:
    return document["components"]["schemas"]["LineItem"]


def add_version(repo: Path, change: Callable[[Any], None], number: int = 3) -> Path:
    """v<number> as a copy of the latest version, changed by ``change``."""
    folder = repo / ORDER_CREATED
    document = json.loads((folder / f"v{number - 1}.json").read_text(encoding="utf-8"))
    change(document)
    document["info"]["version"] = f"{number}.0.0"
    path = folder / f"v{number}.json"
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def rename(properties_of: Callable[[Any], Any], old: str, new: str) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        schema = properties_of(document)
        schema["properties"][new] = schema["properties"].pop(old)
        if old in schema.get("required", []):
            schema["required"][schema["required"].index(old)] = new

    return change


def check_json(cli: CliRunner, repo: Path) -> tuple[int, list[dict[str, Any]]]:
    result = cli(["check", "--against", "main", "--format", "json"], repo)
    assert result.code in (0, 1), result.both
    report = json.loads(result.out)
    return result.code, [p for schema in report["schemas"] for p in schema["problems"]]


def consumer_breaks(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in problems if p["rule"] == "K106"]


# --- the "done means" ----------------------------------------------------------------


def test_renaming_a_field_one_consumer_reads_fails_naming_that_consumer(
    repo: Path, cli: CliRunner
) -> None:
    add_version(repo, rename(line_item, "quantity", "qty"))
    result = cli(["check", "--against", "main"], repo)
    assert result.code == 1, result.both
    assert "v3 breaks consumer shipping-service (team-fulfilment)" in result.out
    assert "it reads detail.items[].quantity" in result.out
    assert "consumer analytics" not in result.out  # analytics reads items[].price, not quantity


def test_renaming_a_field_no_consumer_reads_passes_under_lenient_policy(
    repo: Path, cli: CliRunner
) -> None:
    add_version(repo, rename(detail, "discountCode", "promotionCode"))
    result = cli(["check", "--against", "main"], repo)
    assert result.code == 0, result.both
    assert "2 consumer expectations checked" in result.out


def test_the_schemas_own_mode_allowing_a_rename_does_not_save_a_consumer(
    repo: Path, cli: CliRunner
) -> None:
    set_mode(repo, "NONE")
    add_version(repo, rename(line_item, "quantity", "qty"))
    code, problems = check_json(cli, repo)
    assert code == 1
    (broken,) = problems
    assert broken["rule"] == "K106" and broken["name"] == "consumer-broken"
    assert broken["consumer"]["name"] == "shipping-service"
    assert broken["consumer"]["field"] == "items[].quantity"


def test_removing_fields_no_consumer_reads_never_fails(repo: Path, cli: CliRunner) -> None:
    # Under strict, removing a property is the schema's own break; no consumer cares.
    set_mode(repo, "NONE", policy="strict")

    def remove_unread(document: Any) -> None:
        for name in ("customerEmail", "discountCode"):
            detail(document)["properties"].pop(name)
        detail(document)["properties"]["giftNote"] = {"type": "string"}

    add_version(repo, remove_unread)
    code, problems = check_json(cli, repo)
    assert (code, problems) == (0, [])


# --- what a consumer relies on ---------------------------------------------------------------

EU_SHIPPING = """\
# Ships only within the EU.
owner: team-eu-logistics
versions: [3]
reads:
  - field: shippingAddress.country
    enum: [DE, FR, NL]
"""


def test_widening_an_enum_a_consumer_relies_on_fails_where_the_mode_allows_it(
    repo: Path, cli: CliRunner
) -> None:
    """BACKWARD allows a wider enum (new readers read old events); the consumer does not."""
    git(repo, "checkout", "-q", "main")
    with (repo / "eventcontracts.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[schemas."{SCHEMA}"]\nmode = "BACKWARD"\n')

    def eu_countries(document: Any) -> None:
        address = document["components"]["schemas"]["Address"]["properties"]["country"]
        address["enum"] = ["DE", "FR", "NL"]

    add_version(repo, eu_countries)
    (repo / CONSUMERS / "eu-shipping.yaml").write_text(EU_SHIPPING, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v3: EU countries only, and the EU shipping consumer")
    git(repo, "checkout", "-qB", "pr", "main")

    add_version(
        repo,
        lambda d: d["components"]["schemas"]["Address"]["properties"]["country"]["enum"].append(
            "US"
        ),
        number=4,
    )
    code, problems = check_json(cli, repo)
    assert code == 1
    assert [p["rule"] for p in problems] == ["K106"], problems  # BACKWARD allows it
    (broken,) = problems
    assert broken["version"] == 4
    assert broken["consumer"]["name"] == "eu-shipping"
    assert broken["consumer"]["owner"] == "team-eu-logistics"
    assert broken["counterexample"]["value"] == "US"
    assert broken["counterexample"]["at"] == "detail.shippingAddress.country"
    assert broken["counterexample"]["event"]["detail"]["shippingAddress"]["country"] == "US"
    assert (broken["counterexample"]["accepted_by"], broken["counterexample"]["rejected_by"]) == (
        "version",
        "consumer",
    )
    assert "v4 breaks consumer eu-shipping (team-eu-logistics)" in broken["message"]
    assert 'e.g. detail.shippingAddress.country = "US"' in broken["message"]


def test_narrowing_a_range_a_consumer_relies_on_passes(repo: Path, cli: CliRunner) -> None:
    set_mode(repo, "FORWARD")  # old readers read new events: narrowing is the schema's own ok

    def narrower(document: Any) -> None:
        detail(document)["properties"]["totalAmount"]["minimum"] = 1
        line_item(document)["properties"]["quantity"]["maximum"] = 100

    add_version(repo, narrower)
    code, problems = check_json(cli, repo)
    assert (code, problems) == (0, [])


def test_widening_a_range_a_consumer_relies_on_fails(repo: Path, cli: CliRunner) -> None:
    set_mode(repo, "NONE")
    add_version(repo, lambda d: line_item(d)["properties"]["quantity"].pop("minimum"))
    code, problems = check_json(cli, repo)
    assert code == 1
    (broken,) = consumer_breaks(problems)
    assert broken["consumer"]["name"] == "shipping-service"
    assert broken["counterexample"]["at"] == "detail.items[0].quantity"
    assert broken["counterexample"]["value"] < 1


def test_making_a_read_field_optional_fails(repo: Path, cli: CliRunner) -> None:
    set_mode(repo, "BACKWARD")  # new readers read old events: a field may become optional
    add_version(repo, lambda d: detail(d)["required"].remove("currency"))
    code, problems = check_json(cli, repo)
    assert code == 1
    (broken,) = problems
    assert broken["consumer"]["name"] == "analytics" and broken["consumer"]["field"] == "currency"
    assert broken["counterexample"]["missing"] == "currency"
    assert "currency" not in broken["counterexample"]["event"]["detail"]
    assert "which v3 does not guarantee" in broken["message"]
    consumer_file = repo / CONSUMERS / "analytics.yaml"
    assert broken["consumer"]["file"] == (CONSUMERS / "analytics.yaml").as_posix()
    assert broken["consumer"]["line"] == line_of(consumer_file, "field: currency")


def test_removing_a_field_read_only_when_present_passes(repo: Path, cli: CliRunner) -> None:
    """analytics reads channel with required: false: it already copes with events without it."""
    add_version(repo, lambda d: detail(d)["properties"].pop("channel"))
    code, problems = check_json(cli, repo)
    assert (code, problems) == (0, [])


def test_changing_the_type_of_a_field_read_only_when_present_fails(
    repo: Path, cli: CliRunner
) -> None:
    set_mode(repo, "NONE")
    add_version(repo, lambda d: detail(d)["properties"]["channel"].update(type="integer"))
    code, problems = check_json(cli, repo)
    (broken,) = consumer_breaks(problems)
    assert code == 1 and broken["consumer"]["field"] == "channel"


# --- which versions a consumer is held to ----------------------------------------------------


def test_a_new_expectation_is_held_to_the_versions_already_published(
    repo: Path, cli: CliRunner
) -> None:
    (repo / CONSUMERS / "pricing.yaml").write_text(
        "versions: [1]\nreads:\n  - field: discountCode\n", encoding="utf-8"
    )
    code, problems = check_json(cli, repo)
    assert code == 1
    # v1 does not have discountCode at all, and v2 (published after v1) has it optional.
    assert sorted(p["version"] for p in consumer_breaks(problems)) == [1, 2]
    assert {p["consumer"]["name"] for p in problems} == {"pricing"}


def test_a_changed_expectation_makes_its_schema_folder_checked(repo: Path, cli: CliRunner) -> None:
    path = repo / CONSUMERS / "analytics.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("type: string  # any code", "enum: [USD, EUR]  #"),
        encoding="utf-8",
    )
    git(repo, "commit", "-qam", "analytics reads no GBP")
    code, problems = check_json(cli, repo)
    assert code == 1
    assert {(p["version"], p["counterexample"]["value"]) for p in problems} == {
        (1, "GBP"),
        (2, "GBP"),
    }


def test_an_unchanged_expectation_is_not_held_to_old_versions_again(
    repo: Path, cli: CliRunner
) -> None:
    """Only the new version is compared with unchanged consumers: the PR's cost stays small."""
    add_version(repo, lambda d: detail(d)["properties"].update(giftNote={"type": "string"}))
    result = cli(["check", "--against", "main"], repo)
    assert result.code == 0, result.both
    assert "2 consumer expectations checked" in result.out  # v3 for each consumer, no more


# --- waivers and output ----------------------------------------------------------------------

WAIVER = """
[[waiver]]
schema = "com.mycompany.orders@OrderCreated"
version = 3
rule = "K106"
consumer = "{consumer}"
reason = "Analytics stops reading currency in its next release (DATA-77)."
expires = 2026-12-31
"""


def test_a_waiver_accepts_a_consumer_break(repo: Path) -> None:
    set_mode(repo, "BACKWARD")
    add_version(repo, lambda d: detail(d)["required"].remove("currency"))
    waivers = repo / "eventcontracts-waivers.toml"
    config = load_config(repo / "eventcontracts.toml")
    today = dt.date(2026, 12, 1)

    waivers.write_text(WAIVER.format(consumer="analytics"), encoding="utf-8")
    result = check(config, against="main", today=today)
    assert result.ok
    (waived,) = result.problems
    assert waived.rule == "K106" and (waived.waived_by or "").startswith("Analytics stops")

    waivers.write_text(WAIVER.format(consumer="shipping-service"), encoding="utf-8")
    assert not check(config, against="main", today=today).ok  # another consumer's waiver

    waivers.write_text(WAIVER.replace('consumer = "{consumer}"\n', ""), encoding="utf-8")
    assert check(config, against="main", today=today).ok  # K106 for every consumer of v3


def test_text_output_names_consumer_field_and_counterexample(repo: Path, cli: CliRunner) -> None:
    set_mode(repo, "NONE")
    add_version(repo, rename(line_item, "quantity", "qty"))
    result = cli(["check", "--against", "main"], repo)
    assert result.code == 1
    (line,) = [text for text in result.out.splitlines() if " K106 " in text]
    assert line.startswith(f"  {(ORDER_CREATED / 'v3.json').as_posix()}:")
    assert "consumer-broken: v3 breaks consumer shipping-service (team-fulfilment)" in line
    assert 'e.g. detail.items[0] without "quantity"' in line
    assert f"(expectation in {(CONSUMERS / 'shipping-service.yaml').as_posix()}:" in line
    assert "counterexample (valid for v3, rejected by consumer shipping-service)" in result.out


def test_sarif_points_at_the_consumer_file_too(repo: Path, cli: CliRunner) -> None:
    set_mode(repo, "NONE")
    add_version(repo, rename(line_item, "quantity", "qty"))
    result = cli(["check", "--against", "main", "--format", "sarif"], repo)
    (found,) = json.loads(result.out)["runs"][0]["results"]
    (related,) = found["relatedLocations"]
    location = related["physicalLocation"]
    consumer_file = repo / CONSUMERS / "shipping-service.yaml"
    assert location["artifactLocation"]["uri"] == (CONSUMERS / "shipping-service.yaml").as_posix()
    assert location["region"]["startLine"] == line_of(consumer_file, "items[].quantity")


# --- without --against, and on every core ----------------------------------------------------


def test_plain_check_holds_every_consumer_to_every_version_from_its_oldest(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / CONSUMERS / "usd-only.yaml").write_text(
        "versions: [2]\nreads:\n  - field: currency\n    enum: [USD]\n", encoding="utf-8"
    )
    config = load_config(repo / "eventcontracts.toml")
    serial = check(config)
    assert not serial.ok
    assert [(p.rule, p.version) for p in serial.problems] == [("K106", 2)]  # v1 is older

    monkeypatch.setattr(runner, "PARALLEL_MIN_SCHEMAS", 1)
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    sharded = check(config)
    assert [p.as_dict() for p in sharded.problems] == [p.as_dict() for p in serial.problems]
    assert sharded.consumer_checks == serial.consumer_checks == 6


# --- lint ------------------------------------------------------------------------------------

MALFORMED = """\
owner: team-fulfilment
versions: [1, 2]
reads:
  - field: orderId
  - field: shippingAddress..country
  - field: totalAmount
    type: money
  - field: items[].quantity
    maximun: 1000
"""


def test_a_malformed_consumer_file_is_a_lint_finding_and_stops_check(
    repo: Path, cli: CliRunner
) -> None:
    path = repo / CONSUMERS / "shipping-service.yaml"
    path.write_text(MALFORMED, encoding="utf-8")
    linted = cli(["lint"], repo)
    assert linted.code == 1
    findings = [f for f in parse_findings(linted.out) if f.rule == "L601"]
    shown = (CONSUMERS / "shipping-service.yaml").as_posix()
    assert [(f.file, f.line) for f in findings] == [
        (shown, line_of(path, "shippingAddress..country")),
        (shown, line_of(path, "type: money")),
        (shown, line_of(path, "maximun")),
    ]
    assert "'maximun'" in findings[2].message and "maximum" in findings[2].message

    checked = cli(["check"], repo)
    assert checked.code == 2 and checked.out == ""
    (line,) = checked.err.splitlines()
    assert line.startswith(f"error: {shown}:{line_of(path, 'shippingAddress..country')}: ")
    assert "run 'eventcontracts lint'" in line


def test_lint_reports_versions_and_fields_that_do_not_exist(repo: Path, cli: CliRunner) -> None:
    early = repo / CONSUMERS / "early-adopter.yaml"
    early.write_text("versions: [2, 3]\nreads: [orderId]\n", encoding="utf-8")
    path = repo / CONSUMERS / "returns.yaml"
    path.write_text(
        "owner: team-returns\nversions: [1, 2]\nreads:\n"
        "  - field: orderId\n  - field: shippingAdress.city\n  - field: items[].sku\n"
        "  - field: channel\n",  # v2 has it: one version declaring it is enough
        encoding="utf-8",
    )
    result = cli(["lint"], repo)
    assert result.code == 1
    findings = parse_findings(result.out)
    assert [(f.file.rsplit("/", 1)[-1], f.rule, f.line) for f in findings] == [
        ("early-adopter.yaml", "L602", 1),
        ("returns.yaml", "L603", line_of(path, "shippingAdress")),
        ("returns.yaml", "L603", line_of(path, "items[].sku")),
    ]
    assert "reads v3 of com.mycompany.orders@OrderCreated" in findings[0].message
    assert "has no such version (it has v1, v2)" in findings[0].message
    assert "did you mean 'shippingAddress'?" in findings[1].message
    assert "'sku'" in findings[2].message and "did you mean" not in findings[2].message


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ("reads: [orderId]\n", ""),  # no versions
        ("versions: [0]\nreads: [orderId]\n", "/versions/0"),
        ("versions: [1]\nreads: []\n", "/reads"),
        ("versions: [1]\nreads: [orderId]\nconsumers: x\n", "/consumers"),
        # an unknown key is a pointer token: '/' and '~' escaped (RFC 6901)
        ("versions: [1]\nreads: [orderId]\n'con/sumers~': x\n", "/con~1sumers~0"),
        ("versions: [1]\nreads:\n  - {field: a, 'max/len': 3}\n", "/reads/0/max~1len"),
        ("consumer: shipping\nversions: [1]\nreads: [orderId]\n", "/consumer"),
        ("versions: [1]\nreads: [orderId, orderId]\n", "/reads/1/field"),
        ("versions: [1]\nreads:\n  - {field: a, required: maybe}\n", "/reads/0/required"),
        ("versions: [1]\nreads:\n  - {field: a, pattern: '('}\n", "/reads/0/pattern"),
        ("versions: [1]\nreads:\n  - {field: a, type: string}\n  - a.b\n", "/reads/0/type"),
        ("versions: [1]\nreads:\n  - a[]\n  - a.b\n", "/reads/1/field"),
        ("versions: [1]\nreads:\n  - {field: 'a b'}\n", "/reads/0/field"),
        ("[1, 2]\n", ""),
    ],
)
def test_malformed_expectations_name_the_place(tmp_path: Path, text: str, pointer: str) -> None:
    path = tmp_path / "eu-shipping.yaml"
    path.write_text(text, encoding="utf-8")
    document = read_document(path, path.name)
    assert isinstance(document, Document)
    parsed = parse_consumer(document, "eu-shipping")
    assert isinstance(parsed, list) and parsed[0][0] == pointer, parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "vesions: [1]\nversions: [1]\nreads: [orderId]\n",
            "unknown key 'vesions'; did you mean 'versions'? (a consumer file has ",
        ),
        (
            "versions: [1]\nreads:\n  - {field: a, type: number, maximun: 3}\n",
            "unknown key 'maximun'; did you mean 'maximum'? (a read has ",
        ),
    ],
)
def test_an_unknown_key_gets_the_usual_suggestion(tmp_path: Path, text: str, message: str) -> None:
    # the same "; did you mean 'x'?" as the config, waivers and lint findings
    path = tmp_path / "eu-shipping.yaml"
    path.write_text(text, encoding="utf-8")
    document = read_document(path, path.name)
    assert isinstance(document, Document)
    parsed = parse_consumer(document, "eu-shipping")
    assert isinstance(parsed, list) and message in parsed[0][1], parsed


# --- the reader schema -----------------------------------------------------------------------


def test_reads_become_a_reader_schema_of_the_event(tmp_path: Path) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(
        "versions: [1]\nreads:\n"
        "  - field: items[].quantity\n    type: integer\n    maximum: 1000\n"
        "  - field: coupon.code\n    required: false\n"
        "  - field: currency\n    enum: [USD, EUR]\n",
        encoding="utf-8",
    )
    document = read_document(path, path.name)
    assert isinstance(document, Document)
    parsed = parse_consumer(document, "example")
    assert not isinstance(parsed, list)
    detail_schema = reader_schema(parsed.reads)["properties"]["detail"]
    assert detail_schema["required"] == ["items", "currency"]  # coupon only when present
    assert detail_schema["properties"]["items"] == {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["quantity"],
            "properties": {"quantity": {"type": "integer", "maximum": 1000}},
        },
    }
    assert detail_schema["properties"]["coupon"]["properties"]["code"] == {}
    assert detail_schema["properties"]["currency"] == {"type": "string", "enum": ["USD", "EUR"]}
    # The reader is open: what it does not read may be anything.
    assert "additionalProperties" not in json.dumps(detail_schema)

    def writer(quantity: int) -> dict[str, Any]:
        item = {"type": "object", "required": ["quantity"]}
        item["properties"] = {"quantity": {"type": "integer", "maximum": quantity}}
        items = {"type": "array", "items": item}
        body = {"type": "object", "required": ["items", "currency"]}
        body["properties"] = {"items": items, "currency": {"type": "string", "enum": ["USD"]}}
        return {"type": "object", "required": ["detail"], "properties": {"detail": body}}

    reader = reader_schema(parsed.reads)
    # writer = old, reader = new, BACKWARD: can the consumer read what the version allows?
    assert compare(writer(10), reader, mode="BACKWARD").compatible
    assert not compare(writer(5000), reader, mode="BACKWARD").compatible
