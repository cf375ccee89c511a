"""Lint never crashes, whatever a version file holds.

Generated documents mix the two EventBridge formats with wrong types, dangling and looping
refs, ids, odd names and samples, so every check meets input it did not expect. A finding is
fine; an exception (which the CLI would turn into "internal error") is a bug.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventcontracts.config import Config
from eventcontracts.lint.runner import lint

names = st.sampled_from(["A", "B", "Order Item", "a/b", "$Money", "~x", ""])
refs = st.one_of(
    st.sampled_from(
        [
            "#/definitions/A",
            "#/definitions/B",
            "#/components/schemas/A",
            "#/components/schemas/Order%20Item",
            "#/components/schemas/a~1b",
            "#root/customerId",
            "#",
            "../../_shared/common.json#/definitions/A",
            "https://example.com/x.json",
            "urn:nothing",
            "#/definitions/A/properties/0",
            "",
        ]
    ),
    st.integers(),
    st.none(),
)
leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.sampled_from(["string", "object", "integer", "null", "([", "^ORD-[0-9]+$", "date-time"]),
)
schema = st.recursive(
    st.fixed_dictionaries({}, optional={"type": leaf, "$ref": refs, "nullable": st.booleans()}),
    lambda inner: st.fixed_dictionaries(
        {},
        optional={
            "type": leaf | st.lists(leaf, max_size=2),
            "properties": st.dictionaries(names, inner, max_size=3) | leaf,
            "items": inner | st.lists(inner, max_size=2),
            "required": st.lists(names, max_size=2) | leaf,
            "enum": st.lists(leaf, max_size=3),
            "allOf": st.lists(inner, max_size=2),
            "anyOf": st.lists(inner, max_size=2),
            "$ref": refs,
            "$id": st.sampled_from(["#root/customerId", "https://x.example/s.json", 3]),
            "id": st.sampled_from(["#frag", "other.json", 3]),
            "pattern": leaf,
            "minimum": leaf,
            "additionalProperties": inner | st.booleans(),
            "nullable": st.booleans(),
        },
    ),
    max_leaves=10,
)
envelope_identity = st.fixed_dictionaries(
    {},
    optional={
        "x-amazon-events-source": st.sampled_from(["com.fuzz", "com.other", "", 5]),
        "x-amazon-events-detail-type": st.sampled_from(["Fuzzed", "x" * 130, None]),
    },
)


@st.composite
def documents(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["openapi", "jsonschema", "junk"]))
    if kind == "junk":
        return draw(st.one_of(leaf, st.lists(leaf), st.just({})))
    detail = {"properties": {"detail": draw(schema | st.just({"$ref": "#/definitions/A"}))}}
    definitions = draw(st.dictionaries(names, schema, max_size=3))
    if kind == "jsonschema":
        dialect = draw(
            st.sampled_from(
                [
                    None,
                    "http://json-schema.org/draft-04/schema#",
                    "http://json-schema.org/draft-07/schema#",
                    "https://json-schema.org/draft/2020-12/schema",
                    "http://example.com/unknown",
                ]
            )
        )
        document = {**draw(envelope_identity), **detail, "definitions": definitions}
        if dialect:
            document["$schema"] = dialect
        return document
    aws_event = {"type": "object", **draw(envelope_identity), **detail}
    return {
        "openapi": draw(st.sampled_from(["3.0.0", "2.0", 3])),
        "info": {"title": "Fuzz", "version": "1.0.0"},
        "paths": {},
        "components": {"schemas": {"AWSEvent": aws_event, **definitions}},
    }


samples = st.one_of(
    st.fixed_dictionaries(
        {"source": st.sampled_from(["com.fuzz", 1]), "detail-type": st.just("Fuzzed")},
        optional={"detail": st.dictionaries(names, leaf, max_size=3) | leaf},
    ),
    leaf,
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    versions=st.lists(documents(), min_size=1, max_size=3),
    shared=documents(),
    sample=samples,
)
def test_lint_reports_instead_of_crashing(versions: list[Any], shared: Any, sample: Any) -> None:
    root = Path(tempfile.mkdtemp(prefix="evc-fuzz-"))
    try:
        schema_dir = root / "registry" / "com.fuzz" / "Fuzzed"
        (schema_dir / "examples" / "v1").mkdir(parents=True)
        (root / "registry" / "_shared").mkdir()
        for number, document in enumerate(versions, start=1):
            (schema_dir / f"v{number}.json").write_text(json.dumps(document))
        (root / "registry" / "_shared" / "common.json").write_text(json.dumps(shared))
        (schema_dir / "examples" / "v1" / "sample.json").write_text(json.dumps(sample))
        config = Config(root=root, registry_path=root / "registry")
        result = lint(config, jobs=1)
        for finding in result.findings:
            assert finding.message and "\n" not in finding.message
    finally:
        shutil.rmtree(root)
