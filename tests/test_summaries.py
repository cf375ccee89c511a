"""Summary lines count in English: "1 schema, 1 version", "2 files read"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner, write_schema
from eventcontracts.wording import plural


def event_schema(name: str) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "x-amazon-events-source": "com.example.shop",
        "x-amazon-events-detail-type": name,
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "object", "properties": {"orderId": {"type": "string"}}}},
    }


def sample(name: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "0d079340-135a-c8c6-95c2-41fb8f496c53",
        "detail-type": name,
        "source": "com.example.shop",
        "account": "123456789012",
        "time": "2024-05-01T12:00:00Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": {"orderId": "o-1"},
    }


def project(root: Path, schemas: int) -> Path:
    """``schemas`` schemas of one version and one sample event each."""
    (root / "registry").mkdir(parents=True)
    (root / "eventcontracts.toml").write_text('[registry]\n[rules]\npaths = ["rules/*.json"]\n')
    for n in range(1, schemas + 1):
        name = f"Order{n}"
        write_schema(root / f"registry/com.example.shop/{name}/v1.json", event_schema(name))
        write_schema(root / f"registry/com.example.shop/{name}/examples/v1/a.json", sample(name))
        write_schema(root / f"rules/{name}.json", {"source": ["com.example.shop"]})
    return root


def test_plural() -> None:
    assert [plural(n, "schema") for n in (0, 1, 2)] == ["0 schemas", "1 schema", "2 schemas"]
    assert (
        plural(1, "entry", "entries") == "1 entry" and plural(3, "entry", "entries") == "3 entries"
    )


@pytest.mark.parametrize(
    ("count", "lint", "rules_check", "rules_test"),
    [
        (
            1,
            "1 schema, 1 version, 1 sample event: no problems.",
            "1 rule in 1 file: no problems.",
            "1 schema version x 1 rule, up to 1 event each (seed 0).",
        ),
        (
            2,
            "2 schemas, 2 versions, 2 sample events: no problems.",
            "2 rules in 2 files: no problems.",
            "2 schema versions x 2 rules, up to 2 events each (seed 0).",
        ),
    ],
)
def test_lint_and_rules_summaries(
    count: int, lint: str, rules_check: str, rules_test: str, tmp_path: Path, cli: CliRunner
) -> None:
    root = project(tmp_path / "shop", count)

    assert cli(["lint"], root).out.splitlines()[-1] == lint
    assert cli(["rules", "check"], root).out.splitlines()[-1] == rules_check
    tested = cli(["rules", "test", "--count", str(count)], root)
    assert tested.out.splitlines()[-1] == rules_test


@pytest.mark.parametrize(("count", "read"), [(1, "1 file read"), (2, "2 files read")])
def test_import_summaries(count: int, read: str, tmp_path: Path, cli: CliRunner) -> None:
    root = tmp_path / "shop"
    (root / "registry").mkdir(parents=True)
    (root / "eventcontracts.toml").write_text("[registry]\n")
    files = [
        str(write_schema(tmp_path / f"in/order{n}.json", event_schema(f"Order{n}")))
        for n in range(1, count + 1)
    ]

    imported = cli(["import", *files], root)

    assert imported.code == 0, imported.both
    assert imported.out.splitlines()[-1] == (
        f"{read}: {count} imported, 0 rejected, 0 refused. Next: eventcontracts lint"
    )
    events = [
        str(write_schema(tmp_path / f"events/e{n}.json", sample(f"Order{n}")))
        for n in range(1, count + 1)
    ]
    filed = cli(["import", "--events", *events], root)
    # --events reads files too (one may hold a PutEvents request of many events).
    assert filed.out.splitlines()[-1].startswith(read + ":"), filed.out
