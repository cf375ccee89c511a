"""The generated code on real-world schemas: the shared corpus, imported, linted and generated.

Every corpus document that imports and lints clean becomes a version module that compiles,
imports and passes ruff and ``mypy --strict``; every corpus event is held to the models of its
schema's versions: where the version's own JSON Schema accepts the event's detail, the model
reads it and dumps it back unchanged; where the schema rejects it, so does the model.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from conftest import parse_findings
from corpus import BARE_DETAILS, CORPUS, SCHEMAS, SERIES
from eventcontracts.cli import main
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.resolver import Resolver

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")

PACKAGE = "corpus_events"


def _run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """``eventcontracts ARGS`` in-process in ``cwd`` (module-scoped fixtures have no capsys)."""
    out, err = io.StringIO(), io.StringIO()
    before = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            else:  # pragma: no cover - main always exits
                code = 0
    finally:
        os.chdir(before)
    return code, out.getvalue(), err.getvalue()


@dataclass
class Adopted:
    """A team's project made from the corpus, generated."""

    root: Path
    lint_findings: dict[str, list[str]]  # version file -> rule ids, for the defective ones
    removed: list[str] = field(default_factory=list)  # schema folders left out of codegen

    @property
    def registry(self) -> Path:
        return self.root / "registry"

    @property
    def generated(self) -> Path:
        return self.root / "generated"


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> Adopted:
    root = tmp_path_factory.mktemp("corpus") / "adopter"
    (root / "registry").mkdir(parents=True)
    (root / "eventcontracts.toml").write_text(
        f'[registry]\npath = "registry"\n\n[codegen]\npackage = "{PACKAGE}"\n'
        f'distribution = "corpus-events"\nout = "generated"\n',
        encoding="utf-8",
    )
    for relative, flags, expect in SCHEMAS:
        if "refused" not in expect:
            code, out, err = _run(["import", str(CORPUS / relative), *flags], root)
            assert code == 0, (relative, out, err)
    for name, flags, _, _, _ in SERIES:
        files = sorted((CORPUS / "series" / name).iterdir())
        _run(["import", *map(str, files), *flags], root)
    for event in sorted((CORPUS / "events").iterdir()):
        _run(["import", "--events", str(event), *BARE_DETAILS.get(event.name[:3], [])], root)

    # Versions with a real defect (lint says which) are not what code is generated from: the
    # team fixes them first. Their whole schema folder is set aside.
    code, out, _ = _run(["lint"], root)
    findings: dict[str, list[str]] = {}
    for finding in parse_findings(out):
        findings.setdefault(finding.file, []).append(finding.rule)
    adopted = Adopted(root, findings)
    for file in findings:
        folder = (root / file).parent
        if folder.is_dir():
            adopted.removed.append(folder.relative_to(root / "registry").as_posix())
            (root / "set-aside" / folder.name).parent.mkdir(exist_ok=True)
            folder.rename(root / "set-aside" / folder.name)
    code, out, err = _run(["lint"], root)
    assert code == 0, out + err

    code, out, err = _run(["generate"], root)
    assert code == 0, out + err
    return adopted


def _models(adopted: Adopted) -> Iterator[type[BaseModel]]:
    """Every generated detail class (the ones with an identity), wherever its module lives."""
    sys.path.insert(0, str(adopted.generated))
    try:
        package = importlib.import_module(PACKAGE)
        for info in pkgutil.walk_packages(package.__path__, f"{PACKAGE}."):
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
    assert len(expected) >= 25, expected  # the corpus is not quietly emptied
    found = {(model.SCHEMA_NAME, model.SCHEMA_VERSION) for model in _models(adopted)}  # type: ignore[attr-defined]
    assert found == expected
    # What was set aside is exactly the documents the import table knows to be defective.
    defects = sorted(rule for _, _, expect in SCHEMAS for rule in expect.get("lint", []))
    assert sorted(rule for rules in adopted.lint_findings.values() for rule in rules) == defects
    assert len(adopted.removed) == len(adopted.lint_findings)


def test_the_corpus_package_passes_ruff_and_mypy_strict(adopted: Adopted) -> None:
    bin_dir = Path(sys.executable).parent
    checked = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--no-cache", str(adopted.generated)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", PACKAGE],
        cwd=adopted.generated,
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout


def _corpus_events() -> Iterator[tuple[str, str, str, Any]]:
    """(file, source, detail-type, detail) of every corpus event, bare details given the
    source and detail-type a team imports them with, PutEvents entries one by one."""
    for path in sorted((CORPUS / "events").iterdir()):
        document = json.loads(path.read_text(encoding="utf-8"))
        flags = BARE_DETAILS.get(path.name[:3])
        if flags:
            yield path.name, flags[1], flags[3], document
            continue
        entries = document.get("Entries") if isinstance(document, dict) else document
        if isinstance(entries, list):
            for entry in entries:
                detail = entry.get("Detail")
                if isinstance(detail, str):
                    yield (
                        path.name,
                        entry.get("Source"),
                        entry.get("DetailType"),
                        json.loads(detail),
                    )
            continue
        if isinstance(document, dict) and "detail" in document:
            yield path.name, document.get("source"), document.get("detail-type"), document["detail"]


def test_each_corpus_event_is_read_by_the_models_exactly_as_its_schema_reads_it(
    adopted: Adopted,
) -> None:
    registry = load_registry(adopted.registry)
    resolver = Resolver(registry)
    models = {(m.SCHEMA_NAME, m.SCHEMA_VERSION): m for m in _models(adopted)}  # type: ignore[attr-defined]
    accepted = rejected = 0
    disagreements: list[str] = []
    for file, source, detail_type, detail in _corpus_events():
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
                        disagreements.append(
                            f"{where}: the schema accepts, the model rejects: {exc}"
                        )
                    else:
                        rejected += 1
                    continue
                if not valid:
                    disagreements.append(f"{where}: the schema rejects, the model accepts")
                    continue
                dumped = read.model_dump(mode="json", by_alias=True, exclude_unset=True)
                # As JSON text: 1 and 1.0 are equal in Python, not on the wire.
                if json.dumps(dumped, sort_keys=True) != json.dumps(detail, sort_keys=True):
                    disagreements.append(f"{where}: dumped back changed: {dumped} != {detail}")
                else:
                    accepted += 1
    print(f"corpus events: {accepted} read and dumped back unchanged, {rejected} rejected")
    assert not disagreements, "\n".join(disagreements)
    assert accepted >= 14 and rejected >= 4, (accepted, rejected)
