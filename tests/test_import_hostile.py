"""`eventcontracts import` on input that would lose data or crash it: one line, exit 2.

Real files in tmp_path, the real CLI, as tests/test_import.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CliRunner, write_schema


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "team"
    (root / "registry").mkdir(parents=True)
    (root / "eventcontracts.toml").write_text("[registry]\n")
    return root


def _carrier(detail_type: str) -> dict[str, object]:
    return {
        "x-amazon-events-source": "com.example.orders",
        "x-amazon-events-detail-type": detail_type,
        "type": "object",
        "properties": {"orderId": {"type": "string"}},
    }


def test_two_events_of_one_document_in_one_folder_are_refused_not_one_lost(
    project: Path, cli: CliRunner
) -> None:
    document = {
        "openapi": "3.0.0",
        "info": {"title": "Orders", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {"Order Created": _carrier("Created"), "Order  Created": _carrier("Made")}
        },
    }
    write_schema(project / "in" / "orders.json", document)

    result = cli(["import", "in/orders.json"], project)

    assert result.code == 2, result.both
    assert len(result.err.splitlines()) == 1 and result.err.startswith("error: in/orders.json: ")
    assert "component Order Created (detail-type 'Created')" in result.err
    assert "component Order  Created (detail-type 'Made')" in result.err
    assert "both become schema folder OrderCreated" in result.err
    assert not any((project / "registry").iterdir())  # nothing half-written
