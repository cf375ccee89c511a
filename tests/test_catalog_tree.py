"""The property tree a catalog page draws of each version's detail (eventcontracts.catalog.tree).

On the example catalog, on crafted schemas (refs across files, recursion, allOf/oneOf, nullable,
type lists, unresolvable refs), on hostile ones (depth, ref bombs: bounded time and size), and
on every schema of the shared real-world corpus that ``eventcontracts import`` accepts.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus import CORPUS, SCHEMAS, SERIES, run_cli
from eventcontracts.catalog.model import PropertyNode
from eventcontracts.catalog.tree import CUT_STEPS, MAX_DEPTH, MAX_NODES, property_tree
from eventcontracts.registry import Resolver, load_registry
from eventcontracts.registry.model import Registry, SchemaVersion
from hostile_corpus import item_names, lay_out

REPO = Path(__file__).resolve().parents[1]
SOURCE = "com.example"
NAME = "ThingHappened"


# --- helpers -------------------------------------------------------------------------------------


def walk(node: PropertyNode) -> Iterator[PropertyNode]:
    yield node
    for child in (*node.children, *node.variants):
        yield from walk(child)


def at(node: PropertyNode, path: str) -> PropertyNode:
    """The node at ``path`` (children only: a variant shares its parent's path)."""
    found = [each for each in walk_children(node) if each.path == path]
    assert found, f"no node at {path!r}: {[each.path for each in walk_children(node)]}"
    return found[0]


def walk_children(node: PropertyNode) -> Iterator[PropertyNode]:
    yield node
    for child in node.children:
        yield from walk_children(child)


def names(node: PropertyNode) -> list[str]:
    return [child.name for child in node.children]


def note(node: PropertyNode, keyword: str) -> str:
    texts = [text for key, text in node.constraints if key == keyword]
    assert texts, f"{node.path!r} has no {keyword!r} among {node.constraints}"
    return texts[0]


def write(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Compact: the hostile documents stay under EventBridge's 100,000 characters (L003).
    path.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")


def json_schema_event(detail: Any, **extra: Any) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "x-amazon-events-source": SOURCE,
        "x-amazon-events-detail-type": "Thing Happened",
        "type": "object",
        "properties": {"detail": detail},
        **extra,
    }


def openapi_event(detail: dict[str, Any], **components: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.0",
        "info": {"version": "1.0.0", "title": NAME},
        "paths": {},
        "components": {
            "schemas": {
                "AWSEvent": {
                    "type": "object",
                    "x-amazon-events-source": SOURCE,
                    "x-amazon-events-detail-type": "Thing Happened",
                    "properties": {"detail": {"$ref": f"#/components/schemas/{NAME}"}},
                },
                NAME: detail,
                **components,
            }
        },
    }


def crafted(
    tmp_path: Path, document: dict[str, Any], shared: dict[str, Any] | None = None
) -> tuple[Registry, SchemaVersion]:
    root = tmp_path / "registry"
    write(root / SOURCE / NAME / "v1.json", document)
    for relative, content in (shared or {}).items():
        write(root / "_shared" / relative, content)
    registry = load_registry(root)
    assert registry.problems == [], registry.problems
    return registry, registry.schemas[f"{SOURCE}@{NAME}"].versions[0]


def tree_of(
    tmp_path: Path, document: dict[str, Any], shared: dict[str, Any] | None = None
) -> PropertyNode:
    registry, version = crafted(tmp_path, document, shared)
    return property_tree(version, Resolver(registry, allow_remote_refs=False))


# --- the example catalog -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> tuple[Registry, Resolver]:
    registry = load_registry(REPO / "registry")
    assert registry.problems == []
    return registry, Resolver(registry, allow_remote_refs=False)


def example_tree(example: tuple[Registry, Resolver], name: str, number: int) -> PropertyNode:
    registry, resolver = example
    return property_tree(registry.schemas[name].version(number), resolver)


def test_order_created_v2_shows_its_line_items_through_the_ref(
    example: tuple[Registry, Resolver],
) -> None:
    tree = example_tree(example, "com.mycompany.orders@OrderCreated", 2)
    assert (tree.name, tree.path, tree.types) == ("detail", "", ("object",))
    assert tree.description == "A customer order was created."
    # As the authors ordered them, not alphabetically; v2's optional additions last.
    assert names(tree) == [
        "orderId",
        "customerId",
        "items",
        "totalAmount",
        "currency",
        "shippingAddress",
        "createdAt",
        "metadata",
        "customerEmail",
        "discountCode",
        "channel",
    ]
    items = at(tree, "items")
    assert items.required and items.types == ("array",)
    assert items.constraints == (("minItems", "1"),)
    line = at(tree, "items[]")
    assert line.name == "[]" and line.ref == "#/components/schemas/LineItem"
    product = at(tree, "items[].productId")
    assert product.required and product.types == ("string",) and not product.nullable
    assert product.description == "Catalog product identifier (SKU)."
    assert at(tree, "items[].quantity").constraints == (("minimum", "1"),)
    assert at(tree, "currency").enum == ("USD", "EUR", "GBP")
    assert at(tree, "orderId").constraints == (("pattern", "^ORD-[0-9]+$"),)
    email = at(tree, "customerEmail")
    assert not email.required and email.format == "email"
    assert at(tree, "shippingAddress.country").required
    assert at(tree, "metadata").ref == "#/components/schemas/Metadata"
    # v1 has none of v2's additions
    assert "customerEmail" not in names(
        example_tree(example, "com.mycompany.orders@OrderCreated", 1)
    )


def test_a_yaml_schema_shows_its_nullable_fields(example: tuple[Registry, Resolver]) -> None:
    tree = example_tree(example, "com.mycompany.orders@OrderShipped", 1)
    tracking = at(tree, "trackingNumber")
    assert tracking.types == ("string",) and tracking.nullable and tracking.required
    assert tracking.description is not None and tracking.description.startswith("Carrier")
    assert at(tree, "items[].quantity").constraints == (("minimum", "1"),)
    assert at(tree, "estimatedDeliveryDate").format == "date"


def test_every_example_version_has_a_tree_and_the_same_one_every_time(
    example: tuple[Registry, Resolver],
) -> None:
    registry, resolver = example
    for version in registry.all_versions():
        tree = property_tree(version, resolver)
        assert tree.children, (version.schema_name, version.version)
        again = property_tree(version, Resolver(load_registry(REPO / "registry")))
        assert tree == again
        paths = [node.path for node in walk_children(tree)]
        assert len(paths) == len(set(paths)), paths  # one node per field path
        assert not any(key in {"unresolved", "cut"} for n in walk(tree) for key, _ in n.constraints)


# --- crafted schemas -----------------------------------------------------------------------------


def test_refs_across_files_are_followed_and_recorded_as_written(tmp_path: Path) -> None:
    shared = {
        "common.json": {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "definitions": {
                "Address": {
                    "type": "object",
                    "description": "Where parcels go.",
                    "required": ["city"],
                    # A ref inside the shared file resolves from the shared file.
                    "properties": {
                        "city": {"type": "string"},
                        "zip": {"$ref": "#/definitions/Zip"},
                    },
                },
                "Zip": {"type": "string", "pattern": "^[0-9]{5}$"},
            },
        }
    }
    tree = tree_of(
        tmp_path,
        json_schema_event(
            {
                "type": "object",
                "required": ["billing"],
                "properties": {
                    "billing": {"$ref": "../../_shared/common.json#/definitions/Address"},
                    "shipping": {"$ref": "../../_shared/common.json#/definitions/Address"},
                },
            }
        ),
        shared,
    )
    billing = at(tree, "billing")
    assert billing.ref == "../../_shared/common.json#/definitions/Address"
    assert billing.required and billing.description == "Where parcels go."
    assert at(tree, "billing.city").required
    zip_code = at(tree, "billing.zip")
    assert zip_code.ref == "#/definitions/Zip" and zip_code.constraints == (
        ("pattern", "^[0-9]{5}$"),
    )
    # The same target twice side by side is no recursion: both are shown whole.
    assert at(tree, "shipping.zip").recursive_to is None
    assert not at(tree, "shipping").required


def test_a_tree_of_nodes_is_shown_once_and_the_repeat_names_its_ancestor(tmp_path: Path) -> None:
    tree = tree_of(
        tmp_path,
        json_schema_event(
            {"$ref": "#/definitions/Category"},
            definitions={
                "Category": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "parent": {"$ref": "#/definitions/Category"},
                        "children": {"type": "array", "items": {"$ref": "#/definitions/Category"}},
                        "owner": {"$ref": "#/definitions/Person"},
                    },
                },
                "Person": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "manager": {"$ref": "#/definitions/Person"},
                        "team": {"$ref": "#/definitions/Category"},
                    },
                },
            },
        ),
    )
    assert tree.ref is None  # the envelope's local ref locates the detail: no ref of its own
    parent = at(tree, "parent")
    assert parent.recursive_to == "" and parent.children == () and parent.types == ("object",)
    assert at(tree, "children[]").recursive_to == ""
    assert at(tree, "owner.manager").recursive_to == "owner"
    assert at(tree, "owner.team").recursive_to == ""
    assert at(tree, "owner.name").recursive_to is None
    assert sum(1 for _ in walk(tree)) == 9


def test_mutual_recursion_across_files_stops_at_the_first_repeat(tmp_path: Path) -> None:
    shared = {
        "a.json": {"type": "object", "properties": {"b": {"$ref": "b.json"}}},
        "b.json": {"type": "object", "properties": {"a": {"$ref": "a.json"}}},
    }
    tree = tree_of(
        tmp_path,
        json_schema_event(
            {"type": "object", "properties": {"start": {"$ref": "../../_shared/a.json"}}}
        ),
        shared,
    )
    assert at(tree, "start.b").ref == "b.json"
    assert at(tree, "start.b.a").recursive_to == "start"


def test_all_of_is_merged_and_one_of_any_of_become_variants(tmp_path: Path) -> None:
    tree = tree_of(
        tmp_path,
        json_schema_event(
            {
                "allOf": [
                    {"$ref": "#/definitions/Base"},
                    {
                        "type": "object",
                        "required": ["amount"],
                        "properties": {
                            "amount": {"type": "number", "minimum": 0},
                            "id": {"maxLength": 12},
                        },
                    },
                ],
                "properties": {
                    "payment": {
                        "oneOf": [
                            {
                                "title": "Card",
                                "type": "object",
                                "properties": {"pan": {"type": "string"}},
                            },
                            {"$ref": "#/definitions/Transfer"},
                        ]
                    },
                    "note": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                },
            },
            definitions={
                "Base": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {"id": {"type": "string", "description": "Identifier."}},
                },
                "Transfer": {"type": "object", "properties": {"iban": {"type": "string"}}},
            },
        ),
    )
    assert tree.types == ("object",)
    assert names(tree) == ["payment", "note", "id", "amount"]
    assert note(tree, "allOf") == "#/definitions/Base"
    merged = at(tree, "id")  # declared in Base, narrowed in the second part
    assert merged.required and merged.types == ("string",)
    assert merged.description == "Identifier." and merged.constraints == (("maxLength", "12"),)
    assert at(tree, "amount").required and at(tree, "amount").constraints == (("minimum", "0"),)
    payment = at(tree, "payment")
    assert payment.variant_kind == "oneOf" and [v.name for v in payment.variants] == [
        "option 1",
        "option 2",
    ]
    card, transfer = payment.variants
    assert card.title == "Card" and [c.path for c in card.children] == ["payment.pan"]
    assert transfer.ref == "#/definitions/Transfer" and names(transfer) == ["iban"]
    note_node = at(tree, "note")
    assert note_node.variant_kind == "anyOf"
    assert [v.types for v in note_node.variants] == [("string",), ("integer",)]


def test_nullable_from_openapi_from_type_lists_and_from_null_alternatives(tmp_path: Path) -> None:
    tree = tree_of(
        tmp_path,
        openapi_event(
            {
                "type": "object",
                "properties": {
                    "plain": {"type": "string", "nullable": True, "enum": ["a", "b"]},
                    "viaRef": {"$ref": "#/components/schemas/Money", "nullable": True},
                    "notNull": {"type": "integer"},
                },
            },
            Money={"type": "object", "properties": {"cents": {"type": "integer"}}},
        ),
    )
    plain = at(tree, "plain")
    assert plain.nullable and plain.types == ("string",)
    via_ref = at(tree, "viaRef")
    assert via_ref.nullable and via_ref.ref == "#/components/schemas/Money"
    assert via_ref.variants == () and names(via_ref) == ["cents"]
    assert not at(tree, "notNull").nullable

    listed = tree_of(
        tmp_path / "json",
        json_schema_event(
            {
                "type": "object",
                "properties": {
                    "either": {"type": ["string", "integer", "null"]},
                    "onlyNull": {"type": "null"},
                    "orNull": {"anyOf": [{"$ref": "#/definitions/Id"}, {"type": "null"}]},
                },
            },
            definitions={"Id": {"type": "string", "format": "uuid"}},
        ),
    )
    either = at(listed, "either")
    assert either.types == ("string", "integer") and either.nullable
    assert at(listed, "onlyNull").types == ("null",) and at(listed, "onlyNull").nullable
    or_null = at(listed, "orNull")
    assert or_null.nullable and or_null.format == "uuid" and or_null.ref == "#/definitions/Id"


def test_keywords_worth_showing_in_a_fixed_order_values_raw(tmp_path: Path) -> None:
    tree = tree_of(
        tmp_path,
        json_schema_event(
            {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "n": {
                        "maximum": 10,
                        "minimum": 1,
                        "multipleOf": 0.5,
                        "type": "number",
                        "default": 2,
                        "examples": [2, 3.5],
                    },
                    "tags": {
                        "type": "array",
                        "uniqueItems": True,
                        "maxItems": 5,
                        "items": {"type": "string", "minLength": 1, "const": "<b>x</b>"},
                    },
                    "labels": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "patternProperties": {"^x-": {"type": "integer"}},
                        "not": {"required": ["forbidden"]},
                    },
                    "matrix": {
                        "type": "array",
                        "items": {"type": "array", "items": {"type": "integer"}},
                    },
                    "kind": {"enum": ["<script>alert(1)</script>", None, 3]},
                    "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
                },
            }
        ),
    )
    assert tree.additional is False
    n = at(tree, "n")
    assert n.constraints == (("minimum", "1"), ("maximum", "10"), ("multipleOf", "0.5"))
    assert (n.has_default, n.default, n.examples) == (True, 2, (2, 3.5))
    assert at(tree, "tags").constraints == (("maxItems", "5"), ("uniqueItems", "true"))
    item = at(tree, "tags[]")
    assert item.has_const and item.const == "<b>x</b>"  # raw: the page escapes it
    labels = at(tree, "labels")
    assert labels.additional is True
    assert labels.constraints == (
        ("additionalProperties", '{"type":"string"}'),
        ("not", '{"required":["forbidden"]}'),
    )
    pattern = at(tree, "labels.^x-")
    assert pattern.name == "^x-" and pattern.types == ("integer",)
    assert pattern.constraints[0] == ("patternProperties", "^x-")
    assert at(tree, "matrix[][]").types == ("integer",)
    assert at(tree, "kind").enum == ("<script>alert(1)</script>", None, 3)
    assert [c.name for c in at(tree, "pair").children] == ["[0]", "[1]"]


def test_conditionals_are_summarised_as_text(tmp_path: Path) -> None:
    tree = tree_of(
        tmp_path,
        {
            **json_schema_event(
                {
                    "type": "object",
                    "properties": {"country": {"type": "string"}},
                    "if": {"properties": {"country": {"const": "US"}}},
                    "then": {"required": ["state"]},
                    "else": {"required": ["province"]},
                }
            ),
            "$schema": "http://json-schema.org/draft-07/schema#",
        },
    )
    assert [key for key, _ in tree.constraints] == ["if", "then", "else"]
    assert note(tree, "if") == '{"properties":{"country":{"const":"US"}}}'
    assert note(tree, "then") == '{"required":["state"]}'


def test_unresolvable_refs_become_leaves_with_a_note(tmp_path: Path) -> None:
    root = tmp_path / "registry"
    document = json_schema_event(
        {
            "type": "object",
            "properties": {
                "typo": {"$ref": "#/definitions/Adress", "description": "Kept."},
                "missingFile": {"$ref": "../../_shared/nowhere.json#/A"},
                "remote": {"$ref": "https://schemas.example.com/x.json"},
                "fine": {"type": "string"},
            },
        },
        definitions={"Address": {"type": "object"}},
    )
    write(root / SOURCE / NAME / "v1.json", document)
    registry = load_registry(root)  # lint reports these refs; loading takes the file as it is
    version = registry.schemas[f"{SOURCE}@{NAME}"].versions[0]
    tree = property_tree(version, Resolver(registry, allow_remote_refs=False))
    typo = at(tree, "typo")
    assert typo.ref == "#/definitions/Adress" and typo.description == "Kept."
    assert "did you mean '#/definitions/Address'" in note(typo, "unresolved")
    assert "nowhere.json" in note(at(tree, "missingFile"), "unresolved")
    assert "refused" in note(at(tree, "remote"), "unresolved")
    assert at(tree, "fine").types == ("string",)


def test_odd_input_is_shown_as_far_as_it_can_be(tmp_path: Path) -> None:
    tree = tree_of(
        tmp_path,
        json_schema_event(
            {
                "type": "object",
                "required": "everything",
                "properties": {
                    "anything": True,
                    "nothing": False,
                    "oddType": {"type": 5, "enum": "x", "minimum": "low", "items": "x"},
                    "oddProps": {"type": "object", "properties": ["a", "b"]},
                    "selfAll": {"$ref": "#/definitions/Loop"},
                    "refCycle": {"$ref": "#/definitions/A"},
                    "long": {"maximum": 10**4000, "minimum": 1.5e300},
                    "badRef": {"$ref": 12},
                },
            },
            definitions={
                "Loop": {"allOf": [{"$ref": "#/definitions/Loop"}], "type": "string"},
                "A": {"$ref": "#/definitions/B"},
                "B": {"$ref": "#/definitions/A"},
            },
        ),
    )
    assert names(tree)[:2] == ["anything", "nothing"]
    assert at(tree, "anything").constraints == () and at(tree, "anything").types == ()
    assert "no value" in note(at(tree, "nothing"), "schema")
    odd = at(tree, "oddType")
    assert note(odd, "type") == "5" and odd.enum is None and note(odd, "minimum") == "low"
    assert at(tree, "oddProps").children == ()
    assert at(tree, "selfAll").types == ("string",)  # the loop is read once, no hang
    assert at(tree, "refCycle").ref == "#/definitions/A"
    long = at(tree, "long")
    assert len(note(long, "maximum")) == 161 and note(long, "maximum").endswith("…")
    assert note(long, "minimum") == "1.5e+300"
    assert "unresolved" in dict(at(tree, "badRef").constraints)


# --- hostile input: bounded time and size --------------------------------------------------------


def test_a_200_deep_schema_is_cut_at_the_depth_limit(tmp_path: Path) -> None:
    # 200 levels of schema in a document of shallow JSON (the loader refuses JSON nested more
    # than 64 levels, L006): each definition holds the next.
    definitions: dict[str, Any] = {
        f"D{level}": {
            "type": "object",
            "properties": {"next": {"$ref": f"#/definitions/D{level + 1}"}},
        }
        for level in range(200)
    }
    definitions["D200"] = {"type": "string"}
    started = time.perf_counter()
    tree = tree_of(
        tmp_path, json_schema_event({"$ref": "#/definitions/D0"}, definitions=definitions)
    )
    assert time.perf_counter() - started < 2.0
    deepest = max(walk(tree), key=lambda node: node.path.count("."))
    assert deepest.path.count(".") == MAX_DEPTH - 1
    assert deepest.children == () and deepest.ref is None
    assert note(deepest, "cut").startswith("not shown: deeper than")
    assert len(list(walk(tree))) == MAX_DEPTH + 1


def test_a_ref_bomb_is_cut_at_the_node_limit_in_bounded_time(tmp_path: Path) -> None:
    # Each definition uses the next one four times: 4**30 nodes if nothing stopped it.
    definitions = {
        f"D{index}": {
            "type": "object",
            "properties": {name: {"$ref": f"#/definitions/D{index + 1}"} for name in "abcd"},
        }
        for index in range(30)
    }
    definitions["D30"] = {"type": "string"}
    started = time.perf_counter()
    tree = tree_of(
        tmp_path, json_schema_event({"$ref": "#/definitions/D0"}, definitions=definitions)
    )
    assert time.perf_counter() - started < 3.0
    nodes = list(walk(tree))
    assert MAX_NODES <= len(nodes) <= MAX_NODES + MAX_DEPTH + 1
    cut = [
        node
        for node in nodes
        if ("cut", f"not shown: the tree is over {MAX_NODES} nodes") in node.constraints
    ]
    assert cut and all(node.children == () for node in cut)


def test_a_long_all_of_chain_is_cut_at_the_depth_limit(tmp_path: Path) -> None:
    definitions: dict[str, Any] = {
        f"P{index}": {
            "allOf": [{"$ref": f"#/definitions/P{index + 1}"}],
            "properties": {f"p{index}": {"type": "integer"}},
        }
        for index in range(500)
    }
    definitions["P500"] = {"type": "object"}
    started = time.perf_counter()
    tree = tree_of(
        tmp_path,
        json_schema_event(
            {"type": "object", "properties": {"chain": {"$ref": "#/definitions/P0"}}},
            definitions=definitions,
        ),
    )
    assert time.perf_counter() - started < 2.0
    chain = at(tree, "chain")
    assert note(chain, "cut").startswith("not shown: deeper than")
    # The members read before the cut are merged, in order.
    assert names(chain)[:3] == ["p0", "p1", "p2"] and len(chain.children) < MAX_DEPTH


def test_parts_gathered_over_and_over_are_capped_too(tmp_path: Path) -> None:
    # Few nodes, each made of thousands of allOf members: the work is capped, not the nodes.
    big = {"allOf": [{"minLength": 1} for _ in range(2000)], "type": "string"}
    properties = {f"p{index}": {"$ref": "#/definitions/Big"} for index in range(100)}
    started = time.perf_counter()
    tree = tree_of(
        tmp_path,
        json_schema_event({"type": "object", "properties": properties}, definitions={"Big": big}),
    )
    assert time.perf_counter() - started < 2.0
    first, last = tree.children[0], tree.children[-1]
    assert first.types == ("string",) and first.constraints == (("minLength", "1"),)
    assert last.constraints == (("cut", CUT_STEPS),) and last.types == ()


def test_an_object_wider_than_the_node_limit_is_cut_with_a_leaf_saying_so(
    tmp_path: Path,
) -> None:
    wide = {"type": "object", "properties": {f"f{index}": {} for index in range(MAX_NODES + 500)}}
    started = time.perf_counter()
    tree = tree_of(tmp_path, json_schema_event({"type": "object", "properties": {"wide": wide}}))
    assert time.perf_counter() - started < 2.0
    shown = at(tree, "wide").children
    assert len(list(walk(tree))) == MAX_NODES + 1
    assert shown[-1].name == f"f{len(shown) - 1}"
    assert shown[-1].constraints == (("cut", f"not shown: the tree is over {MAX_NODES} nodes"),)
    assert all(child.constraints == () for child in shown[:-1])


# --- the shared real-world corpus ----------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    """Every corpus schema and series that import accepts, with the flags a team passes."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    root = tmp_path_factory.mktemp("corpus-tree")
    (root / "registry").mkdir()
    (root / "eventcontracts.toml").write_text('[registry]\npath = "registry"\n', encoding="utf-8")
    imported = 0
    for relative, flags, expect in SCHEMAS:
        code, out, err = run_cli(["import", str(CORPUS / relative), *flags], root)
        assert code == (2 if "refused" in expect else 0), (relative, out, err)
        imported += out.count("  wrote ")
    for name, flags, _, _, _ in SERIES:
        files = sorted((CORPUS / "series" / name).iterdir())
        code, out, err = run_cli(["import", *map(str, files), *flags], root)
        imported += out.count("  wrote ")
    registry = load_registry(root / "registry")
    assert registry.problems == []
    assert len(registry.all_versions()) == imported >= 25
    return registry


def test_every_corpus_version_gets_a_tree(corpus_registry: Registry) -> None:
    resolver = Resolver(corpus_registry, allow_remote_refs=False)
    for version in corpus_registry.all_versions():
        tree = property_tree(version, resolver)
        shown = list(walk(tree))
        where = f"{version.schema_name} v{version.version}"
        assert len(shown) <= MAX_NODES + MAX_DEPTH + 1, where
        assert not any(key == "cut" for node in shown for key, _ in node.constraints), where


def test_real_properties_show_with_their_types_enums_and_texts(corpus_registry: Registry) -> None:
    resolver = Resolver(corpus_registry, allow_remote_refs=False)

    def latest(name: str) -> PropertyNode:
        return property_tree(corpus_registry.schemas[name].latest, resolver)

    ec2 = latest("aws.ec2@EC2InstanceStateChangeNotification")
    assert names(ec2) == ["instance-id", "state"]
    state = at(ec2, "state")
    assert state.required and state.types == ("string",)

    traffic = latest("aws.example@TrafficLightChange")
    color = at(traffic, "new-state.color")
    assert color.enum == ("RED", "YELLOW", "GREEN") and color.required
    assert at(traffic, "new-state").ref == "#/definitions/TrafficLightState"
    assert at(traffic, "previous-state.color").enum == ("RED", "YELLOW", "GREEN")

    validated = latest("aws.events@Validated")
    assert validated.description == "The root schema comprises the entire JSON document."
    assert names(validated) == ["message", "username"]

    # Powertools' generated schema: an $id on every property, titles, defaults and examples.
    custom = latest("mycompany.service@SampleSchema")
    bucket = at(custom, "data.s3_bucket")
    assert bucket.title == "The S3 Bucker" and bucket.examples == ("aws-lambda-powertools",)
    assert bucket.has_default and bucket.default == "" and bucket.required
    assert bucket.constraints == (("pattern", "^.*$"),)


@pytest.mark.parametrize("item", item_names())
def test_every_hostile_registry_gets_trees_in_bounded_time(item: str, tmp_path: Path) -> None:
    """tests/hostile/items laid over their base: whatever loads gets a tree, none raises."""
    project = lay_out(item, tmp_path)
    registry = load_registry(project / "registry")
    resolver = Resolver(registry, allow_remote_refs=False)
    started = time.perf_counter()
    for version in registry.all_versions():
        tree = property_tree(version, resolver)
        assert len(list(walk(tree))) <= MAX_NODES + MAX_DEPTH + 1
    assert time.perf_counter() - started < 2.0
