"""`eventcontracts sample`: valid, reproducible sample events on stdout."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import CliRunner, run_cli
from tests.corpus import CORPUS, adopt

from eventcontracts.registry import Resolver, load_registry
from eventcontracts.registry.refs import VersionRefs
from eventcontracts.samples.event import inline_event_schema
from eventcontracts.samples.vocabulary import REGIONS


def _validator(project: Path, schema: str, version: int | None = None):  # type: ignore[no-untyped-def]
    registry = load_registry(project / "registry")
    found = registry.schemas[schema]
    chosen = found.latest if version is None else found.version(version)
    return Resolver(registry).event_validator(chosen)


def test_one_sample_is_one_valid_event(cli: CliRunner, example_project: Path) -> None:
    result = cli(["sample", "OrderCreated", "--version", "1"], example_project)
    assert result.code == 0, result.err
    event = json.loads(result.out)
    assert isinstance(event, dict)
    assert _validator(example_project, "com.mycompany.orders@OrderCreated", 1).is_valid(event)
    assert event["detail-type"] == "Order Created"


def test_count_prints_an_array_or_lines(cli: CliRunner, example_project: Path) -> None:
    validator = _validator(example_project, "com.mycompany.orders@OrderShipped")
    array = cli(["sample", "com.mycompany.orders@OrderShipped", "--count", "3"], example_project)
    assert array.code == 0, array.err
    events = json.loads(array.out)
    assert len(events) == 3 and all(validator.is_valid(event) for event in events)
    lines = cli(["sample", "OrderShipped", "--count", "3", "--format", "jsonl"], example_project)
    assert [json.loads(line) for line in lines.out.splitlines()] == events


def test_same_seed_same_bytes_across_processes(example_project: Path) -> None:
    args = ["sample", "PaymentFailed", "--count", "2", "--seed", "5"]
    first = run_cli(args, example_project)
    second = run_cli(args, example_project)
    other = run_cli([*args[:-1], "6"], example_project)
    assert first.code == 0, first.err
    assert first.out == second.out
    assert first.out != other.out


def test_unknown_schema_is_one_line_exit_2(cli: CliRunner, example_project: Path) -> None:
    result = cli(["sample", "OrderCreatd"], example_project)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert "did you mean 'com.mycompany.orders@OrderCreated'" in result.err


def test_unknown_version_is_exit_2(cli: CliRunner, example_project: Path) -> None:
    result = cli(["sample", "OrderCreated", "--version", "5"], example_project)
    assert result.code == 2
    assert "its versions are 1, 2" in result.err


def test_a_detail_only_schema_is_no_event_lint_says_l105_and_sample_and_generate_refuse(
    cli: CliRunner, tmp_path: Path
) -> None:
    # How the aws-samples repos keep schemas: the detail alone, with the vendor keys added.
    # sample once printed "events" with the detail's fields at the top and no detail.
    (tmp_path / "eventcontracts.toml").write_text("[registry]\n[codegen]\npackage = 'x_events'\n")
    folder = tmp_path / "registry" / "com.example.customers" / "CustomerCreated"
    folder.mkdir(parents=True)
    (folder / "v1.json").write_text(
        json.dumps(
            {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "x-amazon-events-source": "com.example.customers",
                "x-amazon-events-detail-type": "customerCreated",
                "type": "object",
                "required": ["customerId"],
                "properties": {"customerId": {"type": "string"}},
            }
        )
    )
    linted = cli(["lint"], tmp_path)
    assert linted.code == 1 and " L105 " in linted.out
    for command in (["sample", "CustomerCreated"], ["generate"]):
        result = cli(command, tmp_path)
        assert result.code == 2, (command, result.both)
        assert result.out == ""
        (line,) = result.err.splitlines()
        assert "com.example.customers@CustomerCreated v1 has no detail schema" in line
        assert "L105" in line and "eventcontracts import" in line


# --- events that read like production (issue 20) ----------------------------------------------

ISO_MOMENT = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)


def moments(value: Any) -> Iterator[dt.datetime]:
    """Every date or date-time string anywhere in ``value``, as an aware datetime."""
    if isinstance(value, dict):
        for item in value.values():
            yield from moments(item)
    elif isinstance(value, list):
        for item in value:
            yield from moments(item)
    elif isinstance(value, str) and ISO_MOMENT.match(value):
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T"))
        yield parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def example_places(
    schema: Any, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], list[Any]]]:
    """(path, examples) of every property whose schema lists scalar ``examples``."""
    if not isinstance(schema, dict):
        return
    examples = schema.get("examples")
    if (
        isinstance(examples, list)
        and examples
        and all(not isinstance(example, (dict, list)) for example in examples)
    ):
        yield path, examples
    for key, sub in (schema.get("properties") or {}).items():
        yield from example_places(sub, (*path, key))


def at(event: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(event, dict) or key not in event:
            return None
        event = event[key]
    return event


def sample_json(cli: CliRunner, project: Path, *args: str) -> list[dict[str, Any]]:
    result = cli(["sample", *args, "--format", "jsonl"], project)
    assert result.code == 0, result.err
    return [json.loads(line) for line in result.out.splitlines()]


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    return adopt(tmp_path_factory.mktemp("corpus") / "adopter", generate=False).root


def test_fifty_corpus_samples_are_valid_past_in_their_own_account_and_show_the_examples(
    cli: CliRunner, corpus_project: Path
) -> None:
    registry = load_registry(corpus_project / "registry")
    resolver = Resolver(registry, allow_remote_refs=False)
    now = dt.datetime.now(dt.timezone.utc)
    versions = registry.all_versions()
    assert len(versions) >= 25
    arns = shown = 0
    accounts = set()
    for version in versions:
        name = f"{version.schema_name} v{version.version}"
        events = sample_json(
            cli,
            corpus_project,
            version.schema_name,
            "--version",
            str(version.version),
            "--count",
            "50",
        )
        assert len(events) == 50, name
        validator = resolver.event_validator(version)
        for event in events:
            assert [e.message for e in validator.iter_errors(event)] == [], name
            # No time in the future: the envelope's and every date or date-time in the detail.
            assert all(moment <= now for moment in moments(event)), (name, event)
            if "account" in event:
                accounts.add(event["account"])
                assert re.fullmatch(r"[1-9][0-9]{11}", event["account"]), event["account"]
            if "region" in event:
                assert event["region"] in REGIONS
            for arn in event.get("resources", []):
                parts = arn.split(":")
                assert parts[0] == "arn" and parts[3:5] == [event["region"], event["account"]], arn
                arns += 1
            if "id" in event:
                assert uuid.UUID(event["id"]).version == 4
        assert len({json.dumps(event, sort_keys=True) for event in events}) == 50, name
        # Every example the schema lists for a property appears among the fifty events.
        detail = inline_event_schema(VersionRefs(resolver, version))["properties"]["detail"]
        for path, examples in example_places(detail):
            seen = [at(event["detail"], path) for event in events]
            assert all(example in seen for example in examples), (name, path, examples)
            shown += len(examples)
    assert len(accounts) == 1  # one account per seed, as a team's events come from theirs
    assert arns >= 50  # the AWS services' events are about their resources
    assert shown >= 20  # the corpus' examples (CustomerCreated, the Powertools schema...)
    customers = sample_json(cli, corpus_project, "CustomerCreated", "--count", "50")
    assert {event["detail"]["firstName"] for event in customers} == {"Jane"}  # the schema's


def test_the_example_catalog_shows_examples_and_fills_fields_by_their_names(
    cli: CliRunner, example_project: Path
) -> None:
    path = example_project / "registry/com.mycompany.orders/OrderCreated/v2.json"
    document = json.loads(path.read_text())
    detail = document["components"]["schemas"]["OrderCreated"]
    detail["properties"]["channel"]["examples"] = ["web", "mobile-app", "pos"]
    detail["properties"]["awsRegion"] = {"type": "string"}
    detail["properties"]["sellerAccountId"] = {"type": "string", "pattern": "^[0-9]{12}$"}
    detail["properties"]["firstName"] = {"type": "string"}
    path.write_text(json.dumps(document))
    events = sample_json(cli, example_project, "OrderCreated", "--count", "9", "--seed", "3")
    validator = _validator(example_project, "com.mycompany.orders@OrderCreated", 2)
    assert all(validator.is_valid(event) for event in events)
    assert [event["detail"]["channel"] for event in events] == ["web", "mobile-app", "pos"] * 3
    for event in events:
        detail = event["detail"]
        assert detail["awsRegion"] == event["region"] and event["region"] in REGIONS
        assert detail["sellerAccountId"] == event["account"]
        assert detail["currency"] in ("USD", "EUR", "GBP")  # the schema's enum
        assert re.fullmatch(r"[A-Z]{2}", detail["shippingAddress"]["country"])
        assert re.fullmatch(r"[a-z]+\.[a-z]+@example\.com", detail["customerEmail"])
        assert detail["createdAt"] <= event["time"]  # the detail's moment: before it was sent
        assert uuid.UUID(detail["customerId"]).version == 4
        assert detail["customerId"] != "00000000-0000-4000-8000-000000000000"
    assert len({event["detail"]["firstName"] for event in events}) > 3  # names, varied
    assert len({event["detail"]["orderId"] for event in events}) == 9  # ORD-<drawn digits>
    assert len({event["time"] for event in events}) == 9
    assert len({event["account"] for event in events}) == 1


def test_seeded_samples_are_the_same_bytes_whatever_the_hash_seed(example_project: Path) -> None:
    args = ["sample", "OrderCreated", "--count", "20", "--seed", "11", "--format", "jsonl"]
    outputs = set()
    for hash_seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-m", "eventcontracts", *args],
            cwd=example_project,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
    events = [json.loads(line) for line in outputs.pop().splitlines()]
    assert len({event["id"] for event in events}) == 20


def _hostile_project(tmp_path: Path, name: str, detail: Any, definitions: Any) -> Path:
    document = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "x-amazon-events-source": "com.test.shop",
        "x-amazon-events-detail-type": name,
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": detail},
        "definitions": definitions,
    }
    project = tmp_path / "shop"
    (project / "registry/com.test.shop" / name).mkdir(parents=True)
    (project / "eventcontracts.toml").write_text('[registry]\npath = "registry"\n')
    text = json.dumps(document, separators=(",", ":"))
    (project / "registry/com.test.shop" / name / "v1.json").write_text(text)
    return project


def _chain(levels: int, fields: tuple[str, ...]) -> dict[str, Any]:
    definitions: dict[str, Any] = {f"N{levels}": {"type": "string"}}
    for n in range(levels):
        following = {"$ref": f"#/definitions/N{n + 1}"}
        definitions[f"N{n}"] = {
            "type": "object",
            "required": list(fields),
            "properties": {field: following for field in fields},
        }
    return definitions


HOSTILE: dict[str, tuple[Any, Any]] = {
    "Diamond": ({"$ref": "#/definitions/N0"}, _chain(40, ("a", "b"))),
    "DeepRefs": ({"$ref": "#/definitions/N0"}, _chain(300, ("next",))),
    "Catastrophic": (
        {
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"type": "string", "pattern": "^(a+)+$"}},
        },
        {},
    ),
    # Two overlapping options, the builder's value in both: it makes none, hypothesis does
    # (the fallback, event by event).
    "Overlapping": (
        {
            "type": "object",
            "required": ["kind"],
            "properties": {
                "kind": {"oneOf": [{"type": "string"}, {"type": "string", "pattern": "^example"}]}
            },
        },
        {},
    ),
    "Contradiction": (
        {
            "type": "object",
            "required": ["n"],
            "properties": {"n": {"allOf": [{"type": "string"}, {"type": "integer"}]}},
        },
        {},
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_schema_is_sampled_or_refused_quickly(tmp_path: Path, name: str) -> None:
    project = _hostile_project(tmp_path, name, *HOSTILE[name])
    started = time.perf_counter()
    result = run_cli(["sample", name, "--count", "5", "--format", "jsonl"], project, timeout=60)
    assert time.perf_counter() - started < 30
    if result.code == 0:
        validator = _validator(project, f"com.test.shop@{name}")
        events = [json.loads(line) for line in result.out.splitlines()]
        assert len(events) == 5 and all(validator.is_valid(event) for event in events)
    else:
        assert result.code == 2 and result.out == "", result.err
        assert result.err.count("\n") == 1, result.err
    # No event nests 300 levels deep, expands 2^40 refs or has a string that is an integer:
    # one line, exit 2.
    refused = ("Contradiction", "DeepRefs", "Diamond")
    assert (result.code == 0) == (name not in refused), result.err


def test_an_aws_services_event_is_about_one_resource_from_its_start_to_its_end(
    cli: CliRunner, corpus_project: Path
) -> None:
    for event in sample_json(
        cli, corpus_project, "EC2InstanceStateChangeNotification", "--count", "20"
    ):
        (arn,) = event["resources"]
        assert arn.endswith(f":instance/{event['detail']['instance-id']}")
        assert event["detail"]["instance-id"].startswith("i-0")
        assert event["detail"]["state"] in ("running", "pending", "stopping", "stopped",
                                            "shutting-down", "terminated")  # fmt: skip
    executions = sample_json(
        cli, corpus_project, "StepFunctionsExecutionStatusChange", "--count", "20"
    )
    for event in executions:
        detail = event["detail"]
        assert event["resources"] == [detail["executionArn"]]
        machine = detail["stateMachineArn"].rsplit(":", 1)[-1]
        assert detail["executionArn"].split(":")[5:7] == ["execution", machine]
        assert detail["startDate"] <= detail["stopDate"]  # epoch milliseconds, a start first
        sent = dt.datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
        assert detail["stopDate"] <= sent.timestamp() * 1000
    assert len({event["detail"]["status"] for event in executions}) > 1
