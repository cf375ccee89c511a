"""The exact validators (codegen/typescript/exact.py): a detail read with no property its schema
does not declare at any depth, as the Python Consumer reads it with ``extra="forbid"``.

Each case is compiled by Ajv exactly as ``eventcontracts generate`` compiles a version's exact
validator, then run in Node on details it must accept and details it must refuse; the plain
validator of the same schema accepts all of them.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from eventcontracts.codegen.typescript.exact import exact_schema
from eventcontracts.codegen.typescript.validators import (
    VALIDATION_MODULE,
    compile_validators,
    validation_module,
)
from typescript import NODE, NODE_MODULES, needs_node

pytestmark = needs_node

INNER = {"type": "object", "properties": {"x": {"type": "integer"}}}
BASE = {"type": "object", "properties": {"a": {"type": "integer"}}}

# (name, dialect, schema, details read exactly, details read only ignoring unknown properties)
CASES: list[tuple[str, str, dict[str, Any], list[Any], list[Any]]] = [
    (
        "nested objects, through refs",
        "draft-07",
        {
            "type": "object",
            "properties": {
                "a": {"type": "string"},
                "inner": {"$ref": "#/definitions/Inner"},
                "list": {"type": "array", "items": {"$ref": "#/definitions/Inner"}},
            },
            "definitions": {"Inner": INNER},
        },
        [{"a": "1"}, {"inner": {"x": 1}, "list": [{"x": 2}, {}]}],
        [{"a": "1", "b": 1}, {"inner": {"x": 1, "y": 2}}, {"list": [{"x": 1}, {"z": 0}]}],
    ),
    (
        "a model made of parts (allOf) knows every part's properties",
        "draft-07",
        {
            "allOf": [{"$ref": "#/definitions/Base"}, {"properties": {"b": {"type": "integer"}}}],
            "definitions": {"Base": BASE},
        },
        [{"a": 1, "b": 2}, {"a": 1}],
        [{"a": 1, "b": 2, "c": 3}],
    ),
    (
        "allOf in 2020-12, the ref beside properties",
        "2020-12",
        {
            "$ref": "#/definitions/Base",
            "properties": {"b": {"type": "integer"}},
            "definitions": {"Base": BASE},
        },
        [{"a": 1, "b": 2}],
        [{"a": 1, "c": 3}],
    ),
    (
        "alternatives (anyOf): the properties of the one that matched",
        "draft-04",
        {
            "anyOf": [
                {"properties": {"a": {"type": "integer"}}, "required": ["a"]},
                {"properties": {"b": {"type": "integer"}}, "required": ["b"]},
            ]
        },
        [{"a": 1}, {"b": 1}],
        [{"a": 1, "c": 1}],
    ),
    (
        "a map (no properties) is a dict: its keys are data, not unknown properties",
        "draft-07",
        {
            "type": "object",
            "properties": {
                "tags": {"type": "object", "additionalProperties": {"type": "string"}},
                "loose": {"type": "object"},
                "priced": {"type": "object", "additionalProperties": {"$ref": "#/definitions/I"}},
            },
            "definitions": {"I": INNER},
        },
        [{"tags": {"any": "x"}, "loose": {"y": [1]}, "priced": {"k": {"x": 1}}}],
        [{"priced": {"k": {"x": 1, "q": 2}}}],
    ),
    (
        "not is read as it is",
        "draft-07",
        {
            "type": "object",
            "properties": {"a": {"not": {"$ref": "#/definitions/Inner"}}, "b": {}},
            "definitions": {"Inner": {**INNER, "required": ["x"]}},
        },
        [{"a": {"y": 1}, "b": 1}],
        [{"a": {"y": 1}, "c": 1}],
    ),
]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exact")
    (folder / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    (folder / "package.json").write_text('{"type": "module"}\n')
    (folder / f"{VALIDATION_MODULE}.js").parent.mkdir(parents=True)
    (folder / f"{VALIDATION_MODULE}.js").write_text(validation_module("esm"))
    items = []
    for index, (_, dialect, schema, _, _) in enumerate(CASES):
        for kind, variant in (("plain", schema), ("exact", exact_schema(schema, dialect))):
            items.append(
                {
                    "id": f"src/case{index}_{kind}",
                    "dialect": dialect,
                    "schema": variant,
                    "linear": [],
                    "runtime": "./runtime/validation.js",
                    "unevaluated": kind == "exact",
                }
            )
    for name, source in compile_validators(items).items():
        (folder / f"{name}.js").write_text(source)
    return folder


def run(folder: Path, checks: list[tuple[str, Any]]) -> list[bool]:
    assert NODE is not None
    script = (
        "const checks = JSON.parse(process.argv[1]); const out = [];\n"
        "for (const [module, data] of checks) out.push((await import(module)).default(data));\n"
        "console.log(JSON.stringify(out));"
    )
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", script, json.dumps(checks)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer: list[bool] = json.loads(done.stdout)
    return answer


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case[0] for case in CASES])
def test_the_exact_validator_refuses_only_unknown_properties(compiled: Path, index: int) -> None:
    _, _, _, exact, loose = CASES[index]
    details = exact + loose
    plain = run(compiled, [(f"./src/case{index}_plain.js", d) for d in details])
    closed = run(compiled, [(f"./src/case{index}_exact.js", d) for d in details])
    assert plain == [True] * len(details)
    assert closed == [True] * len(exact) + [False] * len(loose)


def test_a_schema_without_objects_is_its_own_exact_reading() -> None:
    schema = {"type": "array", "items": {"type": "string"}}
    assert exact_schema(schema, "draft-07") == schema
    assert exact_schema(True, "2020-12") is True
