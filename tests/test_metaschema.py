"""The compiled metaschema checks agree with python-jsonschema, the reference implementation.

Lint's structure check runs on compiled metaschemas for speed; these tests hold them to the
verdicts of jsonschema's own validator on the same metaschema, on generated documents that mix
valid keywords with wrong types, bad regexes, duplicates and unknown keywords.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventcontracts.registry.metaschema import compile_metaschema

OPENAPI_METASCHEMA = json.loads(
    resources.files("eventcontracts.registry")
    .joinpath("metaschemas/openapi-3.0.json")
    .read_text(encoding="utf-8")
)

# (name, metaschema, validator class that reads the metaschema, loose integers)
METASCHEMAS = [
    ("draft-04", jsonschema.Draft4Validator.META_SCHEMA, jsonschema.Draft4Validator, False),
    ("draft-06", jsonschema.Draft6Validator.META_SCHEMA, jsonschema.Draft6Validator, True),
    ("draft-07", jsonschema.Draft7Validator.META_SCHEMA, jsonschema.Draft7Validator, True),
    ("openapi-3.0", OPENAPI_METASCHEMA, jsonschema.Draft4Validator, False),
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.5, 1.0, -1.5, 2.0]),
    st.sampled_from(["string", "object", "strng", "([", "^x-", "a", "x-ext", "$ref"]),
)
any_json = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)
KEYWORDS = [
    "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "required", "pattern",
    "format", "items", "additionalItems", "properties", "patternProperties",
    "additionalProperties", "dependencies", "allOf", "anyOf", "oneOf", "not", "enum",
    "definitions", "nullable", "discriminator", "$ref", "id", "$id", "title", "x-amazon-source",
    "contains", "propertyNames", "if", "then", "multipleOf", "readOnly", "example", "default",
]  # fmt: skip
type_names = st.sampled_from(["string", "object", "array", "integer", "number", "null", "boolean"])


def keyword_value(schema: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        scalars,
        type_names,
        st.lists(type_names, max_size=3),
        st.lists(scalars, max_size=3),
        schema,
        st.lists(schema, max_size=2),
        st.dictionaries(st.sampled_from(["a", "b", "^x-", "(["]), schema, max_size=2),
        any_json,
    )


schemas = st.recursive(
    st.dictionaries(st.sampled_from(KEYWORDS), scalars | type_names, max_size=3),
    lambda inner: st.dictionaries(st.sampled_from(KEYWORDS), keyword_value(inner), max_size=4),
    max_leaves=12,
)


def openapi_documents(schema: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries(
        {
            "openapi": st.sampled_from(["3.0.0", "3.0.3", "3.1.0", 3]),
            "info": st.sampled_from([{"title": "T", "version": "1"}, {"title": "T"}, []]),
            "paths": st.sampled_from([{}, []]),
            "components": st.fixed_dictionaries(
                {"schemas": st.dictionaries(st.sampled_from(["A", "B C", "$d"]), schema)}
            ),
        }
    )


@pytest.mark.parametrize(("name", "metaschema", "cls", "loose"), METASCHEMAS)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_verdict_matches_jsonschema(
    name: str, metaschema: dict[str, Any], cls: Any, loose: bool, data: st.DataObject
) -> None:
    strategy = openapi_documents(schemas) if name == "openapi-3.0" else schemas
    document = data.draw(strategy)
    check = _compiled(name, metaschema, loose)
    oracle = cls(metaschema, format_checker=cls.FORMAT_CHECKER)
    problems = check(document)
    assert (not problems) == oracle.is_valid(document), (problems, document)


_CACHE: dict[str, Any] = {}


def _compiled(name: str, metaschema: dict[str, Any], loose: bool) -> Any:
    if name not in _CACHE:
        _CACHE[name] = compile_metaschema(metaschema, loose_integers=loose)
    return _CACHE[name]


def test_messages_point_at_the_keyword_and_say_what_is_wrong() -> None:
    check = compile_metaschema(OPENAPI_METASCHEMA, loose_integers=False)
    document = {
        "openapi": "3.0.0",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Order": {
                    "type": "object",
                    "properties": {
                        "id": {"type": ["string", "null"]},
                        "code": {"const": "x"},
                        "ref": {"pattern": "(["},
                    },
                }
            }
        },
    }
    problems = dict(check(document))
    base = "/components/schemas/Order/properties"
    assert problems == {
        f"{base}/id/type": "must be a string, not an array",
        f"{base}/code": "keyword 'const' not allowed here",
        f"{base}/ref/pattern": '"([" is not a valid regex (unterminated character set at '
        "position 1)",
    }


def test_pointer_tokens_are_escaped() -> None:
    check = compile_metaschema(jsonschema.Draft4Validator.META_SCHEMA, loose_integers=False)
    assert check({"properties": {"a/b~c": {"minimum": "1"}}}) == [
        ("/properties/a~1b~0c/minimum", "must be a number, not a string")
    ]


def test_unsupported_metaschema_keyword_is_refused() -> None:
    with pytest.raises(ValueError, match="not supported"):
        compile_metaschema({"properties": {"a": {"maxLength": 3}}}, loose_integers=False)
