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
    VALIDATION_MODULE,
    compile_validators,
    render_validators,
    validation_module,
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
FORMAT_EXAMPLES = 15 * EXAMPLES


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
    assert len(figures.versions) == 11
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
    "time": [
        "10:15:30",
        "1:2:3",
        "1:2:3\u0660",  # strptime's \d is Unicode's: "3\u0660" is 30 seconds
        "\uff11\uff12:00:00",  # ...where its [0-1] is not
        "23:59:60",
        "10:15:30Z",
        "24:00:00",
        "10:15",
        " 10:15:30",
    ],
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


def _format_package(folder: Path, names: list[str]) -> Path:
    """A package of one validator per format, ``src/formats/<name>.validate.js``: a string of
    that format."""
    items = [
        {
            "id": f"src/formats/{name}",
            "dialect": "draft-07",
            "schema": {"type": "string", "format": name},
            "linear": [],
            "runtime": "../runtime/validation.js",
        }
        for name in names
    ]
    sources = compile_validators(items)
    files = {f"{item['id']}.validate.js": sources[item["id"]] for item in items}
    files[f"{VALIDATION_MODULE}.js"] = validation_module("esm")
    return write_package(folder, files)


def test_format_checks_agree_with_the_registry_format_checker(tmp_path: Path) -> None:
    import jsonschema

    checker = jsonschema.FormatChecker()
    folder = _format_package(tmp_path / "ts", list(FORMAT_CASES))
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


# Characters the formats are made of, their neighbours, and some that Python's parsers read
# in their own way (Unicode digits and spaces, the urn: and {} of uuid.UUID, int()'s "_").
# Not a superscript digit: jsonschema's relative-json-pointer check raises on "²1" (str.isdigit
# takes it for a digit, int() does not), so the registry's validator has no verdict to match.
FORMAT_ALPHABET = "0123456789abcdefABCDEFgxXTZtz:.-+/~#%{}_@ \n\t\u0660\u0663\u3000urn"


def _format_strings(examples: int) -> list[str]:
    found: list[str] = []
    shapes = st.one_of(
        st.text(FORMAT_ALPHABET, max_size=40),
        st.sampled_from([t for texts in FORMAT_CASES.values() for t in texts]).flatmap(
            lambda text: st.tuples(
                st.integers(0, len(text)), st.integers(0, 2), st.text(FORMAT_ALPHABET, max_size=2)
            ).map(lambda edit: text[: edit[0]] + edit[2] + text[edit[0] + edit[1] :])
        ),
    )
    differential._draw_each(shapes, examples, 5, found.append)
    return found


def test_format_checks_agree_on_drawn_strings(tmp_path: Path) -> None:
    import jsonschema

    checker = jsonschema.FormatChecker()
    names = [name for name in FORMAT_CASES if name != "regex"]  # ECMA-262 against Python's re
    folder = _format_package(tmp_path / "ts", names)
    strings = _format_strings(FORMAT_EXAMPLES)
    batch = [(f"src/formats/{name}.validate.js", text) for name in names for text in strings]
    answers = run_validators(folder, batch)
    accepted = sum(answer["valid"] for answer in answers)
    wrong = [
        f"{validator}: {text!r}: Ajv {answer['valid']}"
        for (validator, text), answer in zip(batch, answers, strict=True)
        if answer["valid"] != checker.conforms(text, validator.split("/")[-1].split(".")[0])
    ]
    print(f"\nformats: {len(batch)} checks, {accepted} accepted, {len(wrong)} disagreements")
    assert 0 < accepted < len(batch)
    assert wrong == []


# --- refs and dialects the catalogs do not use ------------------------------------------------

NODE_SCHEMA: dict[str, Any] = {  # a tree: recursive, as Ajv keeps it (no depth cut)
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z]\\-[0-9]+$"},  # "\-" is no u-mode regex
        "children": {"type": "array", "maxItems": 2, "items": {"$ref": "#/definitions/Node"}},
    },
    "additionalProperties": False,
}


def refs_registry(root: Path) -> Path:
    """Cross-file refs into _shared, a recursive tree, a $ref with siblings (ignored up to
    draft 7, applied from 2019-09 on), draft 6 (no if/then/else), 2019-09 and 2020-12."""
    shared = root / "_shared" / "common.json"
    shared.parent.mkdir(parents=True)
    shared.write_text(
        json.dumps(
            {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "definitions": {
                    "Money": {
                        "type": "object",
                        "required": ["amount", "currency"],
                        "properties": {
                            "amount": {"type": "number", "exclusiveMinimum": 0},
                            "currency": {"enum": ["EUR", "USD"]},
                            "rate": {"$ref": "#/definitions/Rate"},
                        },
                    },
                    "Rate": {"type": "number", "maximum": 10},
                },
            }
        ),
        encoding="utf-8",
    )
    detail = {
        "type": "object",
        "required": ["price", "tree", "code"],
        "properties": {
            "price": {"$ref": "../../_shared/common.json#/definitions/Money"},
            "tree": {"$ref": "#/definitions/Node"},
            # siblings of a $ref: a maxLength jsonschema ignores up to draft 7
            "code": {"$ref": "#/definitions/Code", "maxLength": 3},
            "kind": {"enum": ["a", "b"]},
            "note": {"type": "string"},
        },
        "if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]},
        "then": {"required": ["note"]},
    }
    definitions = {"Node": NODE_SCHEMA, "Code": {"type": "string", "minLength": 2}}
    for dialect, key in (
        ("http://json-schema.org/draft-06/schema#", "definitions"),
        ("http://json-schema.org/draft-07/schema#", "definitions"),
        ("https://json-schema.org/draft/2019-09/schema", "$defs"),
        ("https://json-schema.org/draft/2020-12/schema", "$defs"),
    ):
        name = "Refs" + dialect.rstrip("#").rsplit("/", 2)[-2].replace("-", "").title()
        text = json.dumps(detail).replace('"#/definitions/', f'"#/{key}/')
        document = {
            "$schema": dialect,
            "x-amazon-events-source": "com.example.refs",
            "x-amazon-events-detail-type": name,
            "type": "object",
            "required": ["detail"],
            "properties": {"detail": {"$ref": f"#/{key}/Detail"}},
            key: {
                "Detail": json.loads(text),
                **json.loads(json.dumps(definitions).replace('"#/definitions/', f'"#/{key}/')),
            },
        }
        folder = root / "com.example.refs" / name
        folder.mkdir(parents=True)
        (folder / "v1.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    return root


REFS_INSTANCES: list[Any] = [
    {"price": {"amount": 1, "currency": "EUR"}, "tree": {"name": "a-1"}, "code": "abcd"},
    {"price": {"amount": 1, "currency": "EUR"}, "tree": {"name": "a-1"}, "code": "ab"},
    {"price": {"amount": 0, "currency": "EUR"}, "tree": {"name": "a-1"}, "code": "ab"},
    {"price": {"amount": 1, "currency": "EUR", "rate": 11}, "tree": {"name": "a-1"}, "code": "ab"},
    {
        "price": {"amount": 1, "currency": "USD"},
        "tree": {"name": "a-1", "children": [{"name": "b-2", "children": [{"name": "c-3"}]}]},
        "code": "ab",
    },
    {
        "price": {"amount": 1, "currency": "USD"},
        "tree": {"name": "a-1", "children": [{"name": "b-2", "children": [{"name": "C-3"}]}]},
        "code": "ab",
    },
    {"price": {"amount": 1, "currency": "EUR"}, "tree": {"name": "a-1"}, "code": "ab", "kind": "a"},
]


def test_validators_agree_with_jsonschema_on_refs_and_dialects(tmp_path: Path) -> None:
    registry = load_registry(refs_registry(tmp_path / "registry"))
    versions = [v for schema in registry.schemas.values() for v in schema.versions]
    extra = [(version, instance) for version in versions for instance in REFS_INSTANCES]
    # recursive schemas are the slowest to draw from: half as many
    figures = compare(registry, tmp_path, EXAMPLES // 2, extra=extra)
    _report("refs and dialects (draft 6, draft 7, 2019-09, 2020-12)", figures)
    assert len(figures.versions) == 4
    assert figures.disagreements == []
    # the fixed instances tell the dialects apart as jsonschema does: "abcd" is too long for
    # the code only where $ref's siblings apply, kind "a" needs a note only from draft 7 on
    verdicts = {
        version.detail_type: [
            Resolver(registry).detail_validator(version).is_valid(i) for i in REFS_INSTANCES
        ]
        for version in versions
    }
    assert verdicts == {
        "RefsDraft06": [True, True, False, False, True, False, True],
        "RefsDraft07": [True, True, False, False, True, False, False],
        "Refs201909": [False, True, False, False, True, False, False],
        "Refs202012": [False, True, False, False, True, False, False],
    }


# --- determinism and the one-line errors ----------------------------------------------------


def test_validators_are_deterministic_and_independent_of_the_rest_of_the_registry() -> None:
    registry = load_registry(REPO_ROOT / "registry")
    versions = [v for schema in registry.schemas.values() for v in schema.versions]
    first = render_validators(versions, Resolver(registry))
    again = render_validators(list(reversed(versions)), Resolver(registry))
    assert first == again
    # a version's validator is the same text whatever else is compiled with it
    alone = render_validators(versions[:2], Resolver(registry))
    assert alone.items() <= first.items()
    assert all(text.startswith("// Generated by eventcontracts") for text in first.values())


def test_commonjs_validators_run_under_require(tmp_path: Path) -> None:
    registry = load_registry(REPO_ROOT / "registry")
    version = registry.schemas["com.mycompany.orders@OrderCreated"].version(1)
    files = render_validators([version], Resolver(registry), module="commonjs")
    folder = tmp_path / "cjs"
    write_package(folder, files)
    (folder / "package.json").write_text('{"type": "commonjs"}\n', encoding="utf-8")
    (path,) = [p for p in files if p.endswith(".validate.js")]
    script = (
        f"const v = require({json.dumps(str(folder / path))}); "
        "console.log(JSON.stringify([v({}), typeof v.validate, v.errors[0].keyword]))"
    )
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [False, "function", "required"]


def test_missing_npm_packages_are_one_line_saying_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from eventcontracts.codegen import CodegenError
    from eventcontracts.codegen.typescript import validators

    monkeypatch.setattr(validators, "NODE_PACKAGES", ("ajv", "ajv-not-installed"))
    with pytest.raises(CodegenError) as raised:
        validators.node_tooling()
    assert "\n" not in str(raised.value)
    assert "npm install --save-dev" in str(raised.value)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(CodegenError, match=r"needs Node\.js"):
        validators.node_tooling()


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("exit 0", r"did not answer with the compiled validators"),  # no JSON at all
        ("echo '{}'", r"did not answer with the compiled validators"),  # JSON, not an answer
        ("kill -9 $$", r"node was stopped by signal 9"),
        ("exit 3", r"node exited with code 3 and no message"),
    ],
)
def test_a_node_that_crashes_or_answers_nonsense_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, script: str, expected: str
) -> None:
    from eventcontracts.codegen import CodegenError
    from eventcontracts.codegen.typescript import validators

    fake = tmp_path / "node"
    fake.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    fake.chmod(0o755)
    _, folder = validators.node_tooling()
    monkeypatch.setattr(validators, "node_tooling", lambda: (str(fake), folder))
    monkeypatch.setenv("EVENTCONTRACTS_CACHE_DIR", "off")
    item = {"id": "src/a", "dialect": "draft-07", "schema": {"type": "string"}, "linear": []}
    item["runtime"] = "./runtime/validation.js"
    with pytest.raises(CodegenError, match=expected) as raised:
        validators.compile_validators([item])
    assert "\n" not in str(raised.value)


# --- patterns -------------------------------------------------------------------------------

# ECMA-262's readings that RE2's and JavaScript's defaults do not share (\s is Unicode's white
# space, "." stops at line terminators, \d and \w are ASCII, \u{...} is a code point), an
# identity escape JavaScript's "u" mode refuses, and a lookahead (lint's L110: a RegExp).
PATTERN_CASES: dict[str, list[str]] = {
    "^\\s+$": [" ", "\u00a0", "\u2028", "\ufeff", "\u0085", "x", "\t\n"],
    "^.$": ["a", "\n", "\r", "\u2028", "\u0085", "\U0001f600", ""],
    "^\\d+$": ["123", "\u0663", "\uff11", "1a"],
    "^\\w+\\b": ["abc", "\u00e9", "a_1", "-"],
    "^\\u{1F600}$": ["\U0001f600", "u{1F600}"],
    "^[a-z]\\-[0-9]$": ["a-1", "a1", "A-1"],
    "^[\\s\\d]+$": ["1 2", "\u00a0", "x"],
    "^(?=.*[0-9])[a-z0-9]+$": ["abc1", "abc", "1"],
    "^(a+)+$": ["aaaa", "aaab", ""],
}


def test_patterns_agree_with_the_registry_and_run_in_linear_time(tmp_path: Path) -> None:
    import jsonschema

    from eventcontracts.registry.safe_validators import safe_validator_class

    names = {pattern: f"p{index}" for index, pattern in enumerate(PATTERN_CASES)}
    registry_validators = {
        pattern: safe_validator_class(jsonschema.Draft7Validator)({"pattern": pattern})
        for pattern in PATTERN_CASES
    }
    from eventcontracts.safe_regex import re2_pattern

    items = []
    for pattern, name in names.items():
        translated = re2_pattern(pattern)
        items.append(
            {
                "id": f"src/patterns/{name}",
                "dialect": "draft-07",
                "schema": {"type": "string", "pattern": translated or pattern},
                "linear": [translated] if translated is not None else [],
                "runtime": "../runtime/validation.js",
            }
        )
    sources = compile_validators(items)
    files = {f"{item['id']}.validate.js": sources[item["id"]] for item in items}
    files[f"{VALIDATION_MODULE}.js"] = validation_module("esm")
    folder = write_package(tmp_path / "ts", files)
    hostile = "a" * 50_000 + "!"  # exponential for a backtracking engine on ^(a+)+$
    batch = [
        (f"src/patterns/{names[pattern]}.validate.js", text)
        for pattern, texts in PATTERN_CASES.items()
        for text in [*texts, hostile]
    ]
    started = time.perf_counter()
    answers = run_validators(folder, batch)
    seconds = time.perf_counter() - started
    wrong = [
        f"{validator}: {text[:20]!r}: Ajv {answer['valid']}"
        for (validator, text), answer in zip(batch, answers, strict=True)
        for pattern in [
            next(p for p, n in names.items() if validator.endswith(f"/{n}.validate.js"))
        ]
        if answer["valid"] != registry_validators[pattern].is_valid(text)
    ]
    assert wrong == []
    assert 0 < sum(answer["valid"] for answer in answers) < len(answers)
    assert seconds < 10  # node's start and 90 checks; ^(a+)+$ alone would take hours
