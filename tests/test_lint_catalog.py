"""`eventcontracts lint` on the repository's example catalog: the happy path."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLE_REGISTRY, CliRunner, example_counts, run_cli


def test_example_catalog_has_the_expected_size() -> None:
    # Guards the counting helper the other tests rely on: 9 schemas, 11 versions, 20 samples.
    assert example_counts(EXAMPLE_REGISTRY) == (9, 11, 20)


def test_lint_example_catalog_exits_0_and_says_no_problems(example_project: Path) -> None:
    result = run_cli(["lint"], example_project)

    assert result.code == 0, result.both
    schemas, versions, examples = example_counts(example_project / "registry")
    assert result.out.strip().splitlines() == [
        f"{schemas} schemas, {versions} versions, {examples} sample events: no problems."
    ]
    assert result.err == ""


def test_lint_json_reports_version_ok_and_counts(example_project: Path, cli: CliRunner) -> None:
    result = cli(["lint", "--format", "json"], example_project)

    assert result.code == 0, result.both
    payload = json.loads(result.out)
    schemas, versions, examples = example_counts(example_project / "registry")
    assert payload == {
        "version": 1,
        "ok": True,
        "summary": {
            "schemas": schemas,
            "versions": versions,
            "examples": examples,
            "problems": 0,
        },
        "findings": [],
    }


def test_lint_from_a_subfolder_finds_the_config_above(
    example_project: Path, cli: CliRunner
) -> None:
    subfolder = example_project / "registry" / "com.mycompany.orders"

    result = cli(["lint"], subfolder)

    assert result.code == 0, result.both
    assert "no problems" in result.out


def test_lint_registry_option_lints_another_folder(tmp_path: Path, example_project: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    result = run_cli(["lint", "--registry", str(example_project / "registry")], elsewhere)

    assert result.code == 0, result.both
    schemas, versions, examples = example_counts(example_project / "registry")
    assert f"{schemas} schemas, {versions} versions, {examples} sample events" in result.out


def test_lint_json_counts_follow_the_registry_on_disk(
    example_project: Path, cli: CliRunner
) -> None:
    # One more sample event than the catalog ships: the summary must count what is on disk.
    samples = example_project / "registry/com.mycompany.orders/OrderCreated/examples/v1"
    (samples / "copy.json").write_bytes((samples / "single-item-order.json").read_bytes())

    result = cli(["lint", "--format", "json"], example_project)

    assert result.code == 0, result.both
    summary = json.loads(result.out)["summary"]
    _, _, examples = example_counts(example_project / "registry")
    assert summary["examples"] == examples == 21
