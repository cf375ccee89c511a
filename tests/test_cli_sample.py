"""`eventcontracts sample`: valid, reproducible sample events on stdout."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CliRunner, run_cli

from eventcontracts.registry import Resolver, load_registry


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
