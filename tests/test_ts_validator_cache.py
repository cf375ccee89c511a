"""Compiled TypeScript validators are kept between runs (codegen/typescript/compile_cache.py):
a run compiles only what it has not compiled before, and gets the same text either way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eventcontracts.codegen.typescript import validators
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.resolver import Resolver
from typescript import REPO_ROOT, needs_node

pytestmark = needs_node


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[int]:
    """How many schemas each node process compiled, with a cache of this test's own."""
    monkeypatch.setenv("EVENTCONTRACTS_CACHE_DIR", str(tmp_path / "cache"))
    counted: list[int] = []
    real = validators._compile

    def counting(*args: Any) -> dict[str, str]:
        counted.append(len(args[2]))
        return real(*args)

    monkeypatch.setattr(validators, "_compile", counting)
    return counted


def test_a_second_run_compiles_nothing_and_writes_the_same_files(compiles: list[int]) -> None:
    registry = load_registry(REPO_ROOT / "registry")
    versions = [v for schema in registry.schemas.values() for v in schema.versions]
    exact = [(versions[0].schema_name, int(versions[0].version))]

    first = validators.render_validators(versions, Resolver(registry), exact=exact)
    again = validators.render_validators(versions, Resolver(registry), exact=exact)

    assert again == first
    assert compiles == [len(versions) + 1]  # the second run took every validator from the cache
    # Another module format is another compile.
    validators.render_validators(versions[:1], Resolver(registry), module="commonjs")
    assert compiles == [len(versions) + 1, 1]


def test_a_changed_schema_is_compiled_again(compiles: list[int]) -> None:
    items = [
        {"id": "src/a", "dialect": "draft-07", "schema": {"type": "string"}, "linear": []},
        {"id": "src/b", "dialect": "draft-07", "schema": {"type": "integer"}, "linear": []},
    ]
    for item in items:
        item["runtime"] = "./runtime/validation.js"
    first = validators.compile_validators(items)
    changed = [items[0], {**items[1], "schema": {"type": "integer", "minimum": 1}}]
    second = validators.compile_validators(changed)

    assert compiles == [2, 1]
    assert second["src/a"] == first["src/a"] and second["src/b"] != first["src/b"]
    assert "minimum" not in first["src/b"] and "1" in second["src/b"]


def test_off_turns_the_cache_off(compiles: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTCONTRACTS_CACHE_DIR", "off")
    item = {"id": "src/a", "dialect": "2020-12", "schema": {"type": "string"}, "linear": []}
    item["runtime"] = "./runtime/validation.js"
    validators.compile_validators([item])
    validators.compile_validators([item])
    assert compiles == [1, 1]


def test_a_damaged_entry_is_compiled_again_not_written_into_the_package(
    compiles: list[int], tmp_path: Path
) -> None:
    item = {"id": "src/a", "dialect": "draft-07", "schema": {"type": "string"}, "linear": []}
    item["runtime"] = "./runtime/validation.js"
    first = validators.compile_validators([item])
    (entry,) = [path for path in (tmp_path / "cache").rglob("*") if path.is_file()]
    for damage in ("", entry.read_text(encoding="utf-8")[:-40], "not a validator"):
        entry.write_text(damage, encoding="utf-8")
        assert validators.compile_validators([item]) == first
    assert compiles == [1, 1, 1, 1]  # each damaged entry was a miss, and written again whole
    assert validators.compile_validators([item]) == first and compiles == [1, 1, 1, 1]


def test_a_cache_folder_that_cannot_be_used_is_no_cache(
    compiles: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would go\n", encoding="utf-8")
    monkeypatch.setenv("EVENTCONTRACTS_CACHE_DIR", str(blocked))
    item = {"id": "src/a", "dialect": "draft-07", "schema": {"type": "string"}, "linear": []}
    item["runtime"] = "./runtime/validation.js"
    assert validators.compile_validators([item]) == validators.compile_validators([item])
    assert compiles == [1, 1]
