"""Lint on several processes finds exactly what it finds on one.

Large registries are split into shards, each loaded and checked by its own worker; refs that
cross shards are read from disk when followed. These tests plant problems that cross shard
boundaries and compare the findings of 1, 2 and 3 processes.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from eventcontracts.config import Config
from eventcontracts.lint.runner import PARALLEL_MIN_SCHEMAS, lint

REPO_ROOT = Path(__file__).parents[1]
TEMPLATE = REPO_ROOT / "registry" / "com.mycompany.inventory" / "InventoryReserved" / "v1.json"
SCHEMAS = PARALLEL_MIN_SCHEMAS + 20


def write(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2))


def schema_document(source: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(TEMPLATE.read_text())
    document["x-amazon-events-source"] = source
    return document


@pytest.fixture(scope="module")
def large_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("large")
    registry = root / "registry"
    for index in range(SCHEMAS):
        source = f"com.gen{index:03d}"
        write(registry / source / "InventoryReserved" / "v1.json", schema_document(source))
        write(registry / source / "InventoryReserved" / "v2.json", schema_document(source))

    def edit(index: int, version: int, change: Any) -> None:
        path = registry / f"com.gen{index:03d}" / "InventoryReserved" / f"v{version}.json"
        document = json.loads(path.read_text())
        change(document["definitions"]["InventoryReserved"]["properties"])
        path.write_text(json.dumps(document, indent=2))

    other = "../../com.gen077/InventoryReserved/v1.json"
    # refs into a file of another shard: one good, one dangling
    edit(5, 1, lambda p: p.update(a={"$ref": f"{other}#/definitions/Metadata"}))
    edit(6, 1, lambda p: p.update(a={"$ref": f"{other}#/definitions/Metadta"}))
    # a ref by id (draft-04's "id") to a document of another shard
    write(
        registry / "com.gen090" / "InventoryReserved" / "v3.json",
        {**schema_document("com.gen090"), "id": "https://schemas.example.com/gen090.json"},
    )
    edit(7, 2, lambda p: p.update(b={"$ref": "https://schemas.example.com/gen090.json#"}))
    # problems outside any schema folder, to be reported once, not once per worker
    (registry / "notes.json").write_text("{}")
    write(registry / "_shared" / "common.json", {"definitions": {"X": {"$ref": "#/nowhere"}}})
    # a version gap and a broken file inside schema folders
    (registry / "com.gen100" / "InventoryReserved" / "v2.json").rename(
        registry / "com.gen100" / "InventoryReserved" / "v4.json"
    )
    (registry / "com.gen101" / "InventoryReserved" / "v1.json").write_text("{,")
    return root


@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_find_what_one_process_finds(large_registry: Path, jobs: int) -> None:
    config = Config(root=large_registry, registry_path=large_registry / "registry")
    serial = lint(config, jobs=1)
    parallel = lint(config, jobs=jobs)
    assert parallel == serial
    assert serial.schemas == SCHEMAS


def test_the_planted_problems_are_each_reported_once(large_registry: Path) -> None:
    config = Config(root=large_registry, registry_path=large_registry / "registry")
    result = lint(config, jobs=2)
    by_rule = Counter(f.rule for f in result.findings)
    assert by_rule == {"L401": 2, "L304": 1, "L301": 1, "L002": 1}, result.findings
    dangling = sorted(f.file for f in result.findings if f.rule == "L401")
    assert dangling == [
        "registry/_shared/common.json",
        "registry/com.gen006/InventoryReserved/v1.json",
    ]
    cross_shard = next(f for f in result.findings if f.file.startswith("registry/com.gen006"))
    assert "did you mean '../../com.gen077/InventoryReserved/v1.json#/definitions/Metadata'" in (
        cross_shard.message
    )
