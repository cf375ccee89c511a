"""The TypeScript package's validators (Ajv standalone code) held to the registry's validator.

For every version of the example catalog, of a registry using every keyword the Python models
are tested on (tests/differential.py), and of every lint-clean version of the shared corpus,
hypothesis draws valid details (the contract strategies) and mutated ones (tests/differential.py:
a property dropped, a value of the wrong type, a null, an off-pattern value...). Each instance
goes through the version's jsonschema validator (the one lint and contract tests use) and through
its generated validator, all of them run by one ``node`` process per test; they must agree on
every instance.

JavaScript reads JSON numbers as doubles: ``1.0`` is the number 1 once ``JSON.parse`` has read
it, so a draft-4 ``integer`` field takes it. The referee therefore judges the instance as
JavaScript read it (written back by ``JSON.stringify``); an instance whose verdict that reading
changes is counted apart (``respelled``), and only such an instance may differ from jsonschema's
verdict on the original text.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

import differential
from conftest import REPO_ROOT
from corpus import CORPUS, adopt, corpus_events
from eventcontracts.codegen.typescript.validators import (
    FORMATS_MODULE,
    compile_validators,
    formats_module,
    render_validators,
    validator_paths,
)
from eventcontracts.config import load_config
from eventcontracts.contract import details
from eventcontracts.registry import Registry, Resolver, SchemaVersion, load_registry

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")

RUNNER = Path(__file__).with_name("ajv_run.mjs")
NODE_MODULES = REPO_ROOT / "node_modules"
# Valid and as many mutated details per version: the whole file stays well under a minute.
EXAMPLES = int(os.environ.get("TS_DIFFERENTIAL_EXAMPLES", "20"))


@dataclass
class Agreement:
    """What one comparison saw."""

    versions: list[str] = field(default_factory=list)
    valid: int = 0  # drawn valid (and corpus events)
    mutated: int = 0
    rejected: int = 0  # instances jsonschema rejects
    agreements: int = 0
    respelled: int = 0  # JavaScript's reading of the numbers changed jsonschema's verdict
    disagreements: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def instances(self) -> int:
        return self.valid + self.mutated

    def line(self) -> str:
        return (
            f"{len(self.versions)} versions, {self.instances} instances ({self.valid} valid, "
            f"{self.mutated} mutated; jsonschema rejects {self.rejected}), "
            f"{self.agreements} agreements, {self.respelled} read otherwise by JavaScript's "
            f"numbers, {len(self.disagreements)} disagreements, {self.seconds:.1f} s"
        )


def write_package(folder: Path, files: dict[str, str]) -> Path:
    """The generated validator files as an ESM package that resolves Ajv's runtime helpers."""
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")
    os.symlink(NODE_MODULES, folder / "node_modules", target_is_directory=True)
    return folder


def run_validators(folder: Path, batch: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """(validator file, instance) pairs through one node process: each one's verdict and the
    instance as JavaScript read it."""
    request = [
        {"validator": validator, "instance": json.dumps(instance)} for validator, instance in batch
    ]
    done = subprocess.run(
        ["node", str(RUNNER), str(folder)],
        input=json.dumps(request).encode("utf-8"),
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    answers: list[dict[str, Any]] = json.loads(done.stdout)
    return answers


def drawn(registry: Registry, version: SchemaVersion, examples: int) -> list[tuple[Any, bool]]:
    """Valid details of the version and mutated ones (drawn valid: True)."""
    found: list[tuple[Any, bool]] = []
    valid = details(version.schema_name, version.version, registry=registry)
    strategy: st.SearchStrategy[Any]
    for strategy, is_valid in ((valid, True), (valid.flatmap(differential.mutations), False)):
        differential._draw_each(strategy, examples, 17, lambda x, v=is_valid: found.append((x, v)))
    return found


def compare(
    registry: Registry,
    tmp: Path,
    examples: int = EXAMPLES,
    *,
    modules: dict[str, str] | None = None,
    extra: list[tuple[SchemaVersion, Any]] | None = None,
) -> Agreement:
    """Generate the validators of every version of ``registry``, draw instances, compare."""
    started = time.perf_counter()
    resolver = Resolver(registry)
    versions = [v for schema in registry.schemas.values() for v in schema.versions]
    folder = write_package(tmp / "ts", render_validators(versions, resolver, modules=modules))
    paths = validator_paths(versions, modules)
    figures = Agreement()
    cases: list[tuple[SchemaVersion, Any, bool]] = []
    for version in sorted(versions, key=lambda v: (v.schema_name, v.version)):
        figures.versions.append(f"{version.schema_name} v{version.version}")
        cases += [(version, x, ok) for x, ok in drawn(registry, version, examples)]
    cases += [(version, detail, True) for version, detail in extra or []]
    batch = [
        (f"{paths[(v.schema_name, v.version)]}.validate.js", instance) for v, instance, _ in cases
    ]
    answers = run_validators(folder, batch)
    for (version, instance, drawn_valid), answer in zip(cases, answers, strict=True):
        validator = resolver.detail_validator(version)
        python = validator.is_valid(instance)
        seen = json.loads(answer["seen"])
        as_read = (
            python
            if differential.canonical(seen) == differential.canonical(instance)
            else validator.is_valid(seen)
        )
        figures.valid += drawn_valid
        figures.mutated += not drawn_valid
        figures.rejected += not python
        if answer["valid"] == as_read:
            figures.agreements += 1
            figures.respelled += python != as_read
        else:
            verdict = "accepts" if answer["valid"] else "rejects"
            figures.disagreements.append(
                f"{version.schema_name} v{version.version}: Ajv {verdict}, jsonschema not: "
                f"{differential.canonical(instance)[:300]}"
            )
    figures.seconds = time.perf_counter() - started
    return figures


def _report(what: str, figures: Agreement) -> None:
    print(f"\n{what}: {figures.line()}")
    for line in figures.disagreements[:10]:
        print(f"  {line}")


def test_validators_agree_with_jsonschema_on_the_example_catalog(tmp_path: Path) -> None:
    registry = load_registry(REPO_ROOT / "registry")
    config = load_config(REPO_ROOT / "eventcontracts.toml")
    figures = compare(registry, tmp_path, modules=dict(config.codegen.modules))
    _report("example catalog", figures)
    assert len(figures.versions) == 10
    assert figures.rejected > figures.mutated // 2  # the mutations do make invalid details
    assert figures.disagreements == []
    assert figures.agreements == figures.instances


def test_validators_agree_with_jsonschema_on_every_keyword(tmp_path: Path) -> None:
    root = differential.keywords_registry(tmp_path / "registry")
    figures = compare(load_registry(root), tmp_path, 2 * EXAMPLES)
    _report("keywords (draft 4, draft 7, OpenApi3, keywords pydantic cannot express)", figures)
    assert len(figures.versions) == 4
    assert figures.disagreements == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_validators_agree_with_jsonschema_on_the_corpus(tmp_path: Path) -> None:
    adopted = adopt(tmp_path / "adopter", generate=False)
    registry = load_registry(adopted.registry)
    events = [
        (version, detail)
        for _, source, detail_type, detail in corpus_events()
        for schema in registry.schemas.values()
        for version in schema.versions
        if (version.source, version.detail_type) == (source, detail_type)
    ]
    figures = compare(registry, tmp_path, extra=events)
    _report(f"corpus ({len(events)} corpus events among the instances)", figures)
    assert len(figures.versions) >= 25
    assert len(events) >= 15
    assert figures.disagreements == []


# --- the format checks, string by string ----------------------------------------------------

# Strings at the edges of each format the registry's validator checks: what Python's parsers
# (rfc3339-validator, date.fromisoformat, strptime, ipaddress, uuid.UUID, jsonpointer) accept
# that a plain reading of the RFCs would not, and the reverse.
FORMAT_CASES: dict[str, list[str]] = {
    "date-time": [
        "2026-11-23T10:15:30Z",
        "2026-11-23t10:15:30z",
        "2026-11-23T10:15:30.123+01:00",
        "2026-11-23T10:15:30Z\n",
        "2026-11-23 10:15:30Z",
        "2026-02-29T10:15:30Z",
        "2024-02-29T10:15:30Z",
        "0000-01-01T00:00:00Z",
        "2026-11-23T24:00:00Z",
        "2026-11-23T23:59:60Z",
        "2026-11-23",
        "2026-11-23T10:15:30",
        "\u0662\u0660\u0662\u0666-11-23T10:15:30Z",
    ],
    "date": ["2026-11-23", "2026-02-29", "2024-02-29", "0000-01-01", "2026-11-23\n", "26-1-1"],
    "time": ["10:15:30", "1:2:3", "23:59:60", "10:15:30Z", "24:00:00", "10:15", " 10:15:30"],
    "email": ["a@b", "@", "ab", ""],
    "ipv4": ["192.0.2.1", "01.2.3.4", "0.0.0.0", "256.1.1.1", "1.2.3", "1.2.3.4 ", "\u0661.2.3.4"],
    "ipv6": [
        "2001:db8::1",
        "::",
        "::1",
        "1::",
        "::ffff:1.2.3.4",
        "::1%eth0",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "1:2:3:4:5:6:7:8:9",
        ":1:2:3:4:5:6:7",
        "1::2::3",
        "12345::",
        "1:2:3:4:5:6:1.2.3.4",
        "g::",
        "::1.2.3.04",
    ],
    "uuid": [
        "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "6A7E8FEB-B491-4CF7-A9F1-BF3703467718",
        "6a7e8febb4914cf7a9f1bf3703467718",
        "urn:uuid:6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "{6a7e8feb-b491-4cf7-a9f1-bf3703467718}",
        "6a7e8feb-b491-4cf7-a9f1-bf370346771g",
        "6a7e8feb-b491-4cf7-a9f1-bf37034677",
    ],
    "regex": ["^a+$", "(", "[a-z]"],
    "json-pointer": ["", "/", "/a~0b~1c", "/a~2", "a", "/a~"],
    "relative-json-pointer": ["0", "1/a", "0#", "01", "#", "", "1#/a", "\u0663/a"],
}


def test_format_checks_agree_with_the_registry_format_checker(tmp_path: Path) -> None:
    import jsonschema

    checker = jsonschema.FormatChecker()
    items = [
        {
            "id": f"src/formats/{name}",
            "dialect": "draft-07",
            "schema": {"type": "string", "format": name},
            "formats": "../runtime/formats.js",
        }
        for name in FORMAT_CASES
    ]
    sources = compile_validators(items)
    files = {f"{item['id']}.validate.js": sources[item["id"]] for item in items}
    files[f"{FORMATS_MODULE}.js"] = formats_module("esm")
    folder = write_package(tmp_path / "ts", files)
    batch = [
        (f"src/formats/{name}.validate.js", text)
        for name, texts in FORMAT_CASES.items()
        for text in texts
    ]
    answers = run_validators(folder, batch)
    wrong = [
        f"{validator}: {text!r}: Ajv {answer['valid']}"
        for (validator, text), answer in zip(batch, answers, strict=True)
        if answer["valid"] != checker.conforms(text, validator.split("/")[-1].split(".")[0])
    ]
    # the regex format is ECMA-262's in JavaScript, Python's in jsonschema: no case here
    # where they differ
    assert wrong == []
