"""The generated code on real-world schemas: the shared corpus, imported, linted and generated.

Every corpus document that imports and lints clean becomes a version module that compiles,
imports and passes ruff and ``mypy --strict``, and a TypeScript module that passes
``tsc --strict``; every corpus event is held to the models of its
schema's versions: where the version's own JSON Schema accepts the event's detail, the model
reads it and dumps it back unchanged; where the schema rejects it, so does the model.
(tests/test_model_strictness.py draws many more details for the same models.)
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from corpus import CORPUS, SCHEMAS, Adopted, adopt, corpus_events
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.resolver import Resolver
from eventcontracts.runtime._entries import detail_json
from typescript import needs_node, type_check

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> Adopted:
    return adopt(tmp_path_factory.mktemp("corpus") / "adopter", typescript=True)


def _models(adopted: Adopted) -> Iterator[Any]:
    """Every generated detail class (the ones with an identity), wherever its module lives."""
    sys.path.insert(0, str(adopted.generated))
    try:
        package = importlib.import_module(adopted.package)
        for info in pkgutil.walk_packages(package.__path__, f"{adopted.package}."):
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, BaseModel)
                    and value.__module__ == module.__name__
                    and isinstance(value.__dict__.get("SCHEMA_VERSION"), int)
                ):
                    yield value
    finally:
        sys.path.remove(str(adopted.generated))


def test_every_lint_clean_corpus_version_becomes_a_module_with_its_detail_class(
    adopted: Adopted,
) -> None:
    registry = load_registry(adopted.registry)
    expected = {(s.name, v.version) for s in registry.schemas.values() for v in s.versions}
    found = {(model.SCHEMA_NAME, model.SCHEMA_VERSION) for model in _models(adopted)}
    print(
        f"\ncorpus: {adopted.imported} versions imported, {len(adopted.refused)} documents "
        f"refused, {len(adopted.set_aside)} set aside for a lint finding, {len(expected)} "
        f"versions generated"
    )
    assert len(expected) >= 25, expected  # the corpus is not quietly emptied
    assert found == expected
    # What was set aside is exactly what the import table knows to be defective documents.
    defects = sorted(rule for _, _, expect in SCHEMAS for rule in expect.get("lint", []))
    assert sorted(rule for rules in adopted.lint_findings.values() for rule in rules) == defects
    assert len(adopted.set_aside) == len(adopted.lint_findings)
    assert adopted.imported == len(expected) + len(adopted.set_aside)


def test_the_corpus_package_passes_ruff_and_mypy_strict(adopted: Adopted) -> None:
    bin_dir = Path(sys.executable).parent
    checked = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--no-cache", str(adopted.generated)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", adopted.package],
        cwd=adopted.generated,
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout


@needs_node
def test_the_corpus_typescript_package_has_every_version_and_passes_tsc_strict(
    adopted: Adopted,
) -> None:
    registry = load_registry(adopted.registry)
    expected = {(s.name, v.version) for s in registry.schemas.values() for v in s.versions}
    source = adopted.generated_ts / "src"
    found = set()
    for path in source.glob("*/*_v[0-9]*.ts"):
        if path.name.endswith(".d.ts"):
            continue  # a validator's declarations
        text = path.read_text(encoding="utf-8")
        name = json.loads(text.split("export const SCHEMA_NAME = ", 1)[1].split(";\n", 1)[0])
        number = int(text.split("export const VERSION = ", 1)[1].split(";", 1)[0])
        found.add((name, number))
    print(f"\ncorpus: {len(found)} versions as TypeScript modules, type-checked with tsc --strict")
    assert len(expected) >= 25 and found == expected
    type_check(adopted.generated_ts)


def test_each_corpus_event_is_read_by_the_models_exactly_as_its_schema_reads_it(
    adopted: Adopted,
) -> None:
    registry = load_registry(adopted.registry)
    resolver = Resolver(registry)
    models = {(m.SCHEMA_NAME, m.SCHEMA_VERSION): m for m in _models(adopted)}
    accepted = rejected = 0
    disagreements: list[str] = []
    for file, source, detail_type, detail in corpus_events():
        for schema in registry.schemas.values():
            for version in schema.versions:
                if (version.source, version.detail_type) != (source, detail_type):
                    continue
                model = models[(schema.name, version.version)]
                valid = resolver.detail_validator(version).is_valid(detail)
                where = f"{file} against {schema.name} v{version.version}"
                try:
                    read = model.model_validate(detail)
                except ValidationError as exc:
                    if valid:
                        disagreements.append(f"{where}: the schema accepts, the model not: {exc}")
                    rejected += not valid
                    continue
                if not valid:
                    disagreements.append(f"{where}: the schema rejects, the model accepts")
                    continue
                # What publish() would send, as JSON text: 1 and 1.0 differ on the wire.
                sent = json.loads(detail_json(read))
                if json.dumps(sent, sort_keys=True) != json.dumps(detail, sort_keys=True):
                    disagreements.append(f"{where}: sent back changed: {sent}")
                else:
                    accepted += 1
    print(f"\ncorpus events: {accepted} read and sent back unchanged, {rejected} rejected")
    assert not disagreements, "\n".join(disagreements)
    assert accepted >= 14 and rejected >= 4, (accepted, rejected)
