"""What each JSON Schema keyword becomes in TypeScript (codegen/typescript/types.py): the exact
declarations, keyword by keyword, and the literals and comments untrusted text becomes."""

from __future__ import annotations

from typing import Any

import pytest

from eventcontracts.codegen.typescript.naming import jsdoc, literal_type, property_key
from eventcontracts.codegen.typescript.types import (
    Catalog,
    Document,
    ModuleTypes,
    TypeWriter,
    settle,
)

URI = "file:///registry/com.example/Thing/v1.json"


def render(schema: Any, *, dialect: str | None = None, definitions: Any = None) -> str:
    """The declarations a module gets for ``schema`` as its type ``T`` (in a document whose
    ``definitions`` refs reach)."""
    content = {"definitions": definitions or {}, "root": schema}
    legacy = not (dialect and "2020-12" in dialect)
    document = Document(URI, content, legacy_refs=legacy, shared=False, rebases=False)
    catalog = Catalog(lambda uri: document if uri == URI else None, lambda ref, base: None)
    module = ModuleTypes(home=None)
    TypeWriter(catalog, module).declare((URI, "/root"), "T", schema, document)
    settle(catalog, module)
    module.name_declarations((), {0: "T"})
    module.name_imports(lambda key: "Imported")
    return module.render()


CASES: dict[str, tuple[Any, str]] = {
    "anything": (True, "export type T = unknown;\n"),
    "nothing": (False, "export type T = never;\n"),
    "type-list-with-null": ({"type": ["string", "null"]}, "export type T = string | null;\n"),
    "integer-is-number": ({"type": "integer"}, "export type T = number;\n"),
    "enum-of-scalars": (
        {"enum": ["a", 1, 2.5, None, True]},
        'export type T = "a" | 1 | 2.5 | null | true;\n',
    ),
    "const-object": ({"const": {"a": [1, "x"]}}, 'export type T = { a: [1, "x"] };\n'),
    "empty-enum": ({"enum": []}, "export type T = never;\n"),
    "array-of-union": (
        {"type": "array", "items": {"type": ["string", "null"]}},
        "export type T = (string | null)[];\n",
    ),
    "array-without-items": ({"type": "array"}, "export type T = unknown[];\n"),
    "tuple-draft4": (
        {
            "type": "array",
            "items": [{"type": "string"}, {"type": "integer"}],
            "minItems": 1,
            "additionalItems": False,
        },
        "export type T = [string, number?];\n",
    ),
    "tuple-2020-12": (
        {"prefixItems": [{"type": "string"}], "items": {"type": "boolean"}, "minItems": 1},
        "export type T = [string, ...boolean[]];\n",
    ),
    "map": (
        {"type": "object", "additionalProperties": {"type": "integer"}},
        "export interface T {\n  [key: string]: number;\n}\n",
    ),
    "closed-empty-object": (
        {"type": "object", "additionalProperties": False},
        "export interface T {\n  [key: string]: never;\n}\n",
    ),
    "open-object-without-properties": (
        {"type": "object"},
        "export interface T {\n  [key: string]: unknown;\n}\n",
    ),
    "properties-required-and-optional": (
        {
            "type": "object",
            "description": "A thing.",
            "required": ["id", "not-declared"],
            "properties": {
                "id": {"type": "string", "description": "Its id."},
                "detail-type": {"type": "string"},
            },
        },
        "/** A thing. */\nexport interface T {\n  /** Its id. */\n  id: string;\n"
        '  "detail-type"?: string;\n  "not-declared": unknown;\n}\n',
    ),
    "closed-object-with-properties": (
        {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False},
        "export interface T {\n  a?: string;\n}\n",
    ),
    "index-signature-holds-the-properties": (
        {
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "required": [],
            "patternProperties": {"^x-": {"type": "integer"}},
            "additionalProperties": False,
        },
        "export interface T {\n  a?: string;\n  [key: string]: number | string | undefined;\n}\n",
    ),
    "nested-object-is-hoisted": (
        {
            "type": "object",
            "properties": {
                "shipping_address": {
                    "type": ["object", "null"],
                    "properties": {"city": {"type": "string"}},
                }
            },
        },
        "export interface T {\n  shipping_address?: ShippingAddress | null;\n}\n\n"
        "export interface ShippingAddress {\n  city?: string;\n}\n",
    ),
    "one-of-and-all-of": (
        {"oneOf": [{"type": "string"}, {"type": "integer"}], "allOf": [{"minLength": 1}]},
        "export type T = string | number;\n",
    ),
    "all-of-requires-a-declared-property": (
        {
            "allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}},
                {"required": ["a"]},
            ]
        },
        "export type T = T1 & { a: unknown; [key: string]: unknown; };\n\n"
        "export interface T1 {\n  a?: string;\n}\n",
    ),
    "any-of-objects-in-an-intersection": (
        {"type": "string", "anyOf": [{"enum": ["a"]}, {"enum": ["b", "c"]}]},
        'export type T = string & ("a" | "b" | "c");\n',
    ),
}


@pytest.mark.parametrize(("schema", "expected"), list(CASES.values()), ids=list(CASES))
def test_each_keyword_becomes_its_typescript(schema: Any, expected: str) -> None:
    assert render(schema) == expected


def test_refs_name_their_targets_once_and_recursion_is_a_name() -> None:
    definitions = {
        "Node": {
            "type": "object",
            "properties": {
                "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}},
                "value": {"$ref": "#/definitions/Value"},
            },
        },
        "Value": {"type": ["string", "null"], "description": "*/ a value"},
    }
    text = render({"$ref": "#/definitions/Node"}, definitions=definitions)
    assert text == (
        "export type T = Node;\n\n"
        "export interface Node {\n  children?: Node[];\n  value?: Value;\n}\n"
        "\n/** *\\/ a value */\nexport type Value = string | null;\n"
    )


def test_a_refs_siblings_count_from_2019_09_on_and_not_before() -> None:
    definitions = {"S": {"type": "string"}}
    schema = {"$ref": "#/definitions/S", "enum": ["a"], "description": "kept as a comment"}
    assert render(schema, definitions=definitions).startswith("/** kept as a comment */\n"
                                                              "export type T = S;\n")  # fmt: skip
    modern = render(
        schema, definitions=definitions, dialect="https://json-schema.org/draft/2020-12"
    )
    assert 'export type T = S & "a";\n' in modern


def test_a_chain_of_refs_of_any_length_is_written_without_deep_recursion() -> None:
    length = 5000
    definitions = {
        f"D{n}": {"type": "object", "properties": {"next": {"$ref": f"#/definitions/D{n + 1}"}}}
        for n in range(length)
    }
    text = render({"$ref": "#/definitions/D0"}, definitions=definitions)
    assert text.count("export interface D") == length
    assert f"export interface D{length - 1} {{\n  next?: unknown;\n}}" in text


def test_aliases_made_of_each_other_are_cut_where_the_cycle_closes() -> None:
    definitions = {
        "Self": {"anyOf": [{"$ref": "#/definitions/Self"}, {"type": "string"}]},
        "A": {"oneOf": [{"$ref": "#/definitions/B"}, {"type": "integer"}]},
        "B": {"anyOf": [{"$ref": "#/definitions/A"}, {"type": "null"}]},
        # Through an array or an object the recursion is a type TypeScript holds: kept.
        "List": {"anyOf": [{"type": "array", "items": {"$ref": "#/definitions/List"}}, {}]},
    }
    schema = {
        "type": "object",
        "properties": {name: {"$ref": f"#/definitions/{name}"} for name in definitions},
    }
    text = render(schema, definitions=definitions)
    assert "export type Self = unknown | string;\n" in text
    assert "export type A = unknown | number;\n" in text
    assert "export type B = unknown | null;\n" in text
    assert "export type List = unknown;\n" in text  # {} in a union says anything
    elements = render(
        {"$ref": "#/definitions/L"},
        definitions={
            "L": {
                "anyOf": [
                    {"type": "array", "items": {"$ref": "#/definitions/L"}},
                    {"type": "string"},
                ]
            }
        },
    )
    assert "export type L = L[] | string;\n" in elements


def test_a_ref_that_leads_nowhere_is_unknown() -> None:
    assert render({"$ref": "#/definitions/Missing"}) == "export type T = unknown;\n"
    assert render({"$ref": "other.json#/x"}) == "export type T = unknown;\n"


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ('a"b\\c\n', '"a\\"b\\\\c\\n"'),
        ("`${x}`", '"`${x}`"'),
        ("\u2028", '"\\u2028"'),
        (2**60, "number"),  # beyond what a JavaScript number holds exactly
        (float("nan"), "number"),
        (-3, "-3"),
        (1.0, "1"),
        ({}, "{ [key: string]: never }"),
        ({"a b": None}, '{ "a b": null }'),
    ],
)
def test_values_become_literals_that_hold_exactly_them(value: Any, literal: str) -> None:
    assert literal_type(value) == literal


def test_property_keys_are_bare_only_when_plain() -> None:
    assert property_key("orderId") == "orderId"
    assert property_key("$ref") == "$ref"
    assert property_key("detail-type") == '"detail-type"'
    assert property_key("订单") == '"\\u8ba2\\u5355"'


def test_comments_cannot_be_ended_by_what_they_hold() -> None:
    assert jsdoc("a */ b") == "/** a *\\/ b */\n"
    assert jsdoc("one\r\ntwo", "  ") == "  /**\n   * one\n   * two\n   */\n"
    assert jsdoc("\x00 \u2028x") == "/** \\u0000 \\u2028x */\n"
    assert jsdoc("  ") == "" and jsdoc(None) == ""
