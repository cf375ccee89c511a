"""`eventcontracts lint` on broken registries.

Every case starts from the example project and breaks it in ONE way. For each, lint must exit
with the expected code, report exactly the expected findings (a single mistake must not cascade
into a flood), name the right file and, where it can be known, the right line, and never show a
traceback.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import (
    CliResult,
    CliRunner,
    ReportedFinding,
    line_of,
    parse_findings,
    read_json,
    run_cli,
    write_schema,
)

ORDERS = "registry/com.mycompany.orders"
ORDER_CREATED = f"{ORDERS}/OrderCreated"
ORDER_CANCELLED = f"{ORDERS}/OrderCancelled"
ORDER_SHIPPED = f"{ORDERS}/OrderShipped"
INVENTORY_RESERVED = "registry/com.mycompany.inventory/InventoryReserved"
ORDER_PLACED = "registry/com.mystore.checkout/OrderPlaced"

OC_V1 = f"{ORDER_CREATED}/v1.json"
OC_V2 = f"{ORDER_CREATED}/v2.json"
OCAN_V1 = f"{ORDER_CANCELLED}/v1.json"
INV_V1 = f"{INVENTORY_RESERVED}/v1.json"

# Allowed line numbers of a finding, computed from the broken project.
Lines = Callable[[Path], Collection[int | None]]


# --- building blocks -------------------------------------------------------------------------


def edit_json(project: Path, relative: str, change: Callable[[Any], object]) -> None:
    """Load a JSON file, let ``change`` mutate it in place, write it back."""
    path = project / relative
    content = read_json(path)
    change(content)
    write_schema(path, content)


def edit_text(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not unique in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def components(doc: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = doc["components"]["schemas"]
    return schemas


def envelope(doc: dict[str, Any]) -> dict[str, Any]:
    return components(doc)["AWSEvent"]


def replace_refs(value: Any, old: str, new: str) -> None:
    """Rewrite every ``{"$ref": old}`` inside ``value`` to ``{"$ref": new}``."""
    if isinstance(value, dict):
        if value.get("$ref") == old:
            value["$ref"] = new
        for child in value.values():
            replace_refs(child, old, new)
    elif isinstance(value, list):
        for child in value:
            replace_refs(child, old, new)


def rename_component(doc: dict[str, Any], old: str, new: str, ref: str) -> None:
    """Rename ``components.schemas[old]`` to ``new``, and point every ref at it with ``ref``."""
    schemas = components(doc)
    schemas[new] = schemas.pop(old)
    replace_refs(doc, f"#/components/schemas/{old}", ref)


def samples(project: Path, schema_folder: str, version: int) -> list[str]:
    folder = project / schema_folder / "examples" / f"v{version}"
    return [f"{schema_folder}/examples/v{version}/{p.name}" for p in sorted(folder.iterdir())]


def set_in_samples(project: Path, schema_folder: str, version: int, key: str, value: str) -> None:
    for sample in samples(project, schema_folder, version):
        edit_json(project, sample, lambda event: event.__setitem__(key, value))


def at(relative: str, needle: str, *, occurrence: int = 1) -> Lines:
    """The line of ``needle`` in the (broken) file."""
    return lambda project: {line_of(project / relative, needle, occurrence=occurrence)}


def at_any(relative: str, *needles: str) -> Lines:
    """Any one of the lines of ``needles`` (for problems that are fairly at more than one place)."""
    return lambda project: {line_of(project / relative, needle) for needle in needles}


def root_key(relative: str, key: str) -> Lines:
    """The line of a key of the document's root object (indented by two spaces)."""

    def lines(project: Path) -> set[int | None]:
        text = (project / relative).read_text(encoding="utf-8").splitlines()
        return {n for n, line in enumerate(text, start=1) if line.startswith(f'  "{key}"')}

    return lines


def after(relative: str, anchor: str, needle: str) -> Lines:
    """The line of the first ``needle`` after the line of ``anchor``."""

    def lines(project: Path) -> set[int | None]:
        text = (project / relative).read_text(encoding="utf-8").splitlines()
        start = line_of(project / relative, anchor)
        for number in range(start + 1, len(text) + 1):
            if needle in text[number - 1]:
                return {number}
        raise AssertionError(f"{needle!r} not after {anchor!r} in {relative}")

    return lines


def no_line(project: Path) -> set[int | None]:
    """Folder-level and layout problems: there is no line to point to."""
    return {None}


def whole_file(project: Path) -> set[int | None]:
    """A problem of the whole file: no line, or line 1."""
    return {None, 1}


@dataclass(frozen=True)
class Expect:
    rule: str
    file: str | tuple[str, ...]  # alternatives when either file is a fair place to report
    lines: Lines
    message: str = ""  # a fragment the message must contain


@dataclass(frozen=True)
class Case:
    id: str
    breaker: Callable[[Path], None]
    expected: tuple[Expect, ...]
    code: int = 1


# --- the breakers ----------------------------------------------------------------------------


def trailing_comma(project: Path) -> None:
    edit_text(
        project,
        OC_V1,
        '"description": "Order total in the order currency."\n',
        '"description": "Order total in the order currency.",\n',
    )


def yaml_bad_indentation(project: Path) -> None:
    edit_text(project, f"{ORDER_SHIPPED}/v1.yaml", "        shipmentId:\n", "       shipmentId:\n")


def json_list(project: Path) -> None:
    write_schema(project / OCAN_V1, ["this", "is", "a", "list"])


def type_typo(project: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["definitions"]["InventoryReserved"]["properties"]["reservationId"]["type"] = "strng"

    edit_json(project, INV_V1, change)


def openapi_type_list(project: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        components(doc)["OrderCreated"]["properties"]["customerId"]["type"] = ["string", "null"]

    edit_json(project, OC_V1, change)


def openapi_const(project: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        components(doc)["OrderCreated"]["properties"]["currency"]["const"] = "EUR"

    edit_json(project, OC_V1, change)


def unknown_dialect(project: Path) -> None:
    edit_json(
        project,
        INV_V1,
        lambda doc: doc.__setitem__("$schema", "http://json-schema.org/draft-99/schema#"),
    )


def no_aws_event(project: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        schemas = components(doc)
        schemas["Envelope"] = schemas.pop("AWSEvent")

    edit_json(project, OCAN_V1, change)


def jsonschema_without_detail(project: Path) -> None:
    # The detail-only schema teams keep beside their code: the envelope (and detail) dropped.
    def change(doc: dict[str, Any]) -> None:
        detail = doc["definitions"]["InventoryReserved"]
        for key in list(doc):
            if key not in ("$schema", "definitions", "x-amazon-events-source",
                           "x-amazon-events-detail-type"):  # fmt: skip
                del doc[key]
        doc.update(detail)

    edit_json(project, INV_V1, change)


def source_folder_not_canonical(project: Path) -> None:
    # '%2E' decodes to '.', but the registry writes a '.' as itself: two folders must never
    # name the same source.
    (project / ORDERS).rename(project / "registry/com%2Emycompany.orders")


def no_source(project: Path) -> None:
    edit_json(project, OCAN_V1, lambda doc: envelope(doc).pop("x-amazon-events-source"))


def no_detail_type(project: Path) -> None:
    edit_json(project, OCAN_V1, lambda doc: envelope(doc).pop("x-amazon-events-detail-type"))


def source_not_folder(project: Path) -> None:
    # The producer's source is com.mycompany.billing (schema and samples agree on it), but the
    # schema was filed under com.mycompany.orders/.
    edit_json(
        project,
        OCAN_V1,
        lambda doc: envelope(doc).__setitem__("x-amazon-events-source", "com.mycompany.billing"),
    )
    set_in_samples(project, ORDER_CANCELLED, 1, "source", "com.mycompany.billing")


def detail_type_changed_in_v2(project: Path) -> None:
    # v2 (and its samples) say "OrderCreated", v1 says "Order Created".
    edit_json(
        project,
        OC_V2,
        lambda doc: envelope(doc).__setitem__("x-amazon-events-detail-type", "OrderCreated"),
    )
    set_in_samples(project, ORDER_CREATED, 2, "detail-type", "OrderCreated")


LONG_DETAIL_TYPE = "Order Cancelled " + "X" * 184


def detail_type_too_long(project: Path) -> None:
    assert len(LONG_DETAIL_TYPE) == 200
    edit_json(
        project,
        OCAN_V1,
        lambda doc: envelope(doc).__setitem__("x-amazon-events-detail-type", LONG_DETAIL_TYPE),
    )
    set_in_samples(project, ORDER_CANCELLED, 1, "detail-type", LONG_DETAIL_TYPE)


def version_gap_file_only(project: Path) -> None:
    folder = project / ORDER_CREATED
    (folder / "v2.json").rename(folder / "v3.json")


def version_gap_with_examples(project: Path) -> None:
    folder = project / ORDER_CREATED
    (folder / "v2.json").rename(folder / "v3.json")
    (folder / "examples" / "v2").rename(folder / "examples" / "v3")


def bad_version_file_name(project: Path) -> None:
    folder = project / ORDER_CANCELLED
    shutil.copy(folder / "v1.json", folder / "version-2.json")


def duplicate_version(project: Path) -> None:
    folder = project / ORDER_CANCELLED
    content = read_json(folder / "v1.json")
    (folder / "v1.yaml").write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")


def top_level_file(project: Path) -> None:
    write_schema(project / "registry" / "notes.json", {"note": "ask the payments team"})


def dangling_ref(project: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        components(doc)["OrderCreated"]["properties"]["shippingAddress"]["$ref"] = (
            "#/components/schemas/Adress"
        )

    edit_json(project, OC_V1, change)


def ref_cycle(project: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["definitions"]["A"] = {"$ref": "#/definitions/B"}
        doc["definitions"]["B"] = {"$ref": "#/definitions/A"}

    edit_json(project, INV_V1, change)


def remote_ref(project: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        components(doc)["OrderCreated"]["properties"]["metadata"]["$ref"] = (
            "https://example.com/x.json"
        )

    edit_json(project, OC_V1, change)


SINGLE_ITEM = f"{ORDER_CREATED}/examples/v1/single-item-order.json"
MULTI_ITEM = f"{ORDER_CREATED}/examples/v1/multi-item-order.json"
DHL_TRACKED = f"{ORDER_SHIPPED}/examples/v1/dhl-tracked.json"
UNTRACKED = f"{ORDER_SHIPPED}/examples/v1/local-courier-untracked.json"


def sample_bad_currency(project: Path) -> None:
    edit_json(project, SINGLE_ITEM, lambda event: event["detail"].__setitem__("currency", "JPY"))


def sample_wrong_detail_type(project: Path) -> None:
    edit_json(project, MULTI_ITEM, lambda event: event.__setitem__("detail-type", "Order Placed"))


def bare_detail_sample(project: Path) -> None:
    """As aws-samples repositories keep sample events: the detail alone, no envelope."""
    path = project / SINGLE_ITEM
    write_schema(path, read_json(path)["detail"])


def bare_detail_sample_invalid(project: Path) -> None:
    bare_detail_sample(project)
    edit_json(project, SINGLE_ITEM, lambda detail: detail.__setitem__("currency", "JPY"))


def stray_text_in_examples(project: Path) -> None:
    (project / ORDER_CREATED / "examples/v1/notes.txt").write_text("to do\n", encoding="utf-8")


def orphaned_examples(project: Path) -> None:
    examples = project / ORDER_CANCELLED / "examples"
    shutil.copytree(examples / "v1", examples / "v7")


def huge_document(project: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["info"]["description"] = "An order was cancelled. " * 8_500  # ~200 KB

    edit_json(project, OCAN_V1, change)
    assert (project / OCAN_V1).stat().st_size > 200_000


def latin1_file(project: Path) -> None:
    path = project / OCAN_V1
    raw = path.read_bytes()
    old = b'"title": "OrderCancelled"'
    assert raw.count(old) == 1
    path.write_bytes(raw.replace(old, '"title": "OrderCancelled (annulée)"'.encode("latin-1")))


def odd_component_names(doc: dict[str, Any]) -> None:
    """LineItem -> "Order Item", Address -> "a/b", Metadata -> "$Money", refs written right."""
    rename_component(doc, "LineItem", "Order Item", "#/components/schemas/Order%20Item")
    rename_component(doc, "Address", "a/b", "#/components/schemas/a~1b")
    rename_component(doc, "Metadata", "$Money", "#/components/schemas/$Money")


def odd_names_wrong_ref(wrong: str, property_name: str) -> Callable[[Path], None]:
    def breaker(project: Path) -> None:
        def change(doc: dict[str, Any]) -> None:
            odd_component_names(doc)
            prop = components(doc)["OrderCreated"]["properties"][property_name]
            target = prop.get("items", prop)
            target["$ref"] = wrong

        edit_json(project, OC_V1, change)

    return breaker


SHARED_ADDRESS_REF = "../../_shared/address.json#/definitions/Address"


def share_address(project: Path, ref: str = SHARED_ADDRESS_REF) -> None:
    """Move OrderCreated v1's Address into registry/_shared/address.json and $ref it there."""

    def change(doc: dict[str, Any]) -> None:
        address = components(doc).pop("Address")
        write_schema(
            project / "registry/_shared/address.json", {"definitions": {"Address": address}}
        )
        replace_refs(doc, "#/components/schemas/Address", ref)

    edit_json(project, OC_V1, change)


def shared_file_missing(project: Path) -> None:
    share_address(project, "../../_shared/adress.json#/definitions/Address")


def shared_pointer_missing(project: Path) -> None:
    share_address(project, "../../_shared/address.json#/definitions/Adress")


def shared_ref_sample_invalid(project: Path) -> None:
    share_address(project)
    edit_json(
        project,
        SINGLE_ITEM,
        lambda event: event["detail"]["shippingAddress"].__setitem__("country", "de"),
    )


def bare_detail_sample_reaching_broken_shared_ref(project: Path) -> None:
    """A bare detail whose detail schema reaches a shared file with a dangling ref: the
    envelope check never enters "detail", the detail check is the first to follow it."""
    share_address(project)
    edit_json(
        project,
        "registry/_shared/address.json",
        lambda doc: doc["definitions"]["Address"]["properties"].__setitem__(
            "region", {"$ref": "#/definitions/Region"}
        ),
    )
    bare_detail_sample(project)
    edit_json(
        project,
        SINGLE_ITEM,
        lambda detail: detail["shippingAddress"].__setitem__("region", "Bavaria"),
    )


def shared_file_dangling_in_place_ref(project: Path) -> None:
    """A dangling ref inside the shared Address, under allOf: every reader of the address
    (the samples, the consumer reading shippingAddress.country) reaches it."""
    share_address(project)
    edit_json(
        project,
        "registry/_shared/address.json",
        lambda doc: doc["definitions"]["Address"].__setitem__(
            "allOf", [{"$ref": "#/definitions/Region"}]
        ),
    )


def null_for_non_nullable(project: Path) -> None:
    edit_json(project, DHL_TRACKED, lambda event: event["detail"].__setitem__("carrier", None))


PLACED_V1 = f"{ORDER_PLACED}/v1.json"
WITH_COUPON = f"{ORDER_PLACED}/examples/v1/with-coupon.json"


def plain_name_id(doc: dict[str, Any]) -> None:
    """A draft-07 `$id` plain name as generators write it, and a `$ref` to it."""
    properties = doc["definitions"]["OrderPlaced"]["properties"]
    properties["customerId"] = {"$id": "#root/customerId", "type": "string"}
    properties["referredBy"] = {"$ref": "#root/customerId"}


def absolute_id_on_the_detail(doc: dict[str, Any]) -> None:
    """An aws-samples schema pasted in as it is: an absolute `$id` and its own definitions,
    whose `#/definitions/...` refs resolve against that `$id`, not the document root (lint
    once reported them as L401, pointing to nothing)."""
    properties = doc["definitions"]["OrderPlaced"]["properties"]
    properties["referral"] = {
        "$id": "https://example.com/referral.json",
        "type": "object",
        "properties": {"by": {"$ref": "#/definitions/CustomerId"}},
        "definitions": {"CustomerId": {"type": "string"}},
    }


def plain_name_id_sample_invalid(project: Path) -> None:
    edit_json(project, PLACED_V1, plain_name_id)
    edit_json(project, WITH_COUPON, lambda event: event["detail"].__setitem__("referredBy", 42))


CATEGORY = "registry/com.mycompany.catalog/CategoryUpdated"


def category_schema() -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object",
        "x-amazon-events-source": "com.mycompany.catalog",
        "x-amazon-events-detail-type": "Category Updated",
        "required": ["detail-type", "source", "detail"],
        "properties": {
            "detail-type": {"type": "string"},
            "source": {"type": "string"},
            "detail": {"$ref": "#/definitions/Category"},
        },
        "definitions": {
            "Category": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "subcategories": {
                        "type": "array",
                        "items": {"$ref": "#/definitions/Category"},
                    },
                },
            }
        },
    }


def category_event(leaf_name: object = "Trail running") -> dict[str, Any]:
    return {
        "detail-type": "Category Updated",
        "source": "com.mycompany.catalog",
        "detail": {
            "name": "Shoes",
            "subcategories": [
                {"name": "Running", "subcategories": [{"name": leaf_name, "subcategories": []}]},
                {"name": "Hiking"},
            ],
        },
    }


def recursive_schema(project: Path, leaf_name: object = "Trail running") -> None:
    write_schema(project / CATEGORY / "v1.json", category_schema())
    write_schema(project / CATEGORY / "examples/v1/nested.json", category_event(leaf_name))


def recursive_sample_invalid(project: Path) -> None:
    recursive_schema(project, leaf_name=7)


# A regex RE2 cannot run, on properties *named* like the keywords whose values are data: the
# names are names, the schemas under them are schemas, and their patterns are regexes.
HIDDEN_PATTERN = "^(?=.*[0-9])(a+)+$"


def pattern_under_property_named_example(project: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        properties = components(doc)["OrderCreated"]["properties"]
        properties["example"] = {"type": "string", "pattern": HIDDEN_PATTERN}

    edit_json(project, OC_V1, change)


def pattern_key_under_property_named_enum(project: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        properties = doc["definitions"]["InventoryReserved"]["properties"]
        properties["enum"] = {"type": "object", "patternProperties": {HIDDEN_PATTERN: {}}}

    edit_json(project, INV_V1, change)


def code_key_under_property_named_default(project: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        properties = components(doc)["OrderCreated"]["properties"]
        properties["default"] = {"type": "string", "x-python-type": "pwn_helper.T"}

    edit_json(project, OC_V1, change)


# --- the corpus ------------------------------------------------------------------------------

CASES = [
    Case(
        "invalid-json-trailing-comma",
        trailing_comma,
        (
            # json reports the "}" after the comma; the comma's own line is as good.
            Expect(
                "L002",
                OC_V1,
                lambda p: {
                    line_of(p / OC_V1, "Order total in the order currency."),
                    line_of(p / OC_V1, "Order total in the order currency.") + 1,
                },
            ),
        ),
    ),
    Case(
        "invalid-yaml-bad-indentation",
        yaml_bad_indentation,
        (
            Expect(
                "L002", f"{ORDER_SHIPPED}/v1.yaml", at(f"{ORDER_SHIPPED}/v1.yaml", "shipmentId:")
            ),
        ),
    ),
    Case("json-list-not-a-schema", json_list, (Expect("L101", OCAN_V1, whole_file),)),
    Case(
        "nonlinear-pattern-under-a-property-named-example",
        pattern_under_property_named_example,
        (Expect("L110", OC_V1, at(OC_V1, '"pattern": "^(?=.*'), message="/example/pattern"),),
    ),
    Case(
        "nonlinear-pattern-key-under-a-property-named-enum",
        pattern_key_under_property_named_enum,
        (
            Expect(
                "L110",
                INV_V1,
                after(INV_V1, '"enum": {', "(?=.*"),
                message="/enum/patternProperties/",
            ),
        ),
    ),
    Case(
        "code-choosing-key-under-a-property-named-default",
        code_key_under_property_named_default,
        (Expect("L701", OC_V1, at(OC_V1, '"x-python-type"'), message="x-python-type"),),
    ),
    Case(
        "jsonschema-type-typo",
        type_typo,
        (Expect("L103", INV_V1, at(INV_V1, '"strng"'), message="strng"),),
    ),
    Case(
        "openapi-type-list",
        openapi_type_list,
        (Expect("L102", OC_V1, after(OC_V1, '"customerId": {', '"type"')),),
    ),
    Case(
        "openapi-const",
        openapi_const,
        (
            # The finding may point at the "const" key or at the Schema Object holding it.
            Expect(
                "L102",
                OC_V1,
                lambda p: {
                    line_of(p / OC_V1, '"const"'),
                    line_of(p / OC_V1, '"currency": {'),
                },
                message="const",
            ),
        ),
    ),
    Case(
        "unknown-dialect",
        unknown_dialect,
        (Expect("L104", INV_V1, at(INV_V1, '"$schema"'), message="draft-99"),),
    ),
    Case(
        "openapi-without-aws-event",
        no_aws_event,
        (Expect("L105", OCAN_V1, at(OCAN_V1, '"schemas": {')),),
    ),
    Case(
        "jsonschema-without-detail",
        jsonschema_without_detail,
        (Expect("L105", INV_V1, root_key(INV_V1, "properties"), message="properties.detail"),),
    ),
    Case(
        "source-folder-not-canonical",
        source_folder_not_canonical,
        (
            Expect(
                "L304",
                "registry/com%2Emycompany.orders",
                no_line,
                message="rename the folder to 'com.mycompany.orders'",
            ),
        ),
    ),
    Case(
        "missing-source",
        no_source,
        (Expect("L201", OCAN_V1, at(OCAN_V1, '"AWSEvent": {')),),
    ),
    Case(
        "missing-detail-type",
        no_detail_type,
        (Expect("L202", OCAN_V1, at(OCAN_V1, '"AWSEvent": {')),),
    ),
    Case(
        "source-not-the-folder",
        source_not_folder,
        (
            Expect(
                "L203",
                OCAN_V1,
                at(OCAN_V1, '"x-amazon-events-source"'),
                message="com.mycompany.billing",
            ),
        ),
    ),
    Case(
        "detail-type-changed-in-v2",
        detail_type_changed_in_v2,
        (Expect("L204", OC_V2, at(OC_V2, '"x-amazon-events-detail-type"')),),
    ),
    Case(
        "detail-type-too-long",
        detail_type_too_long,
        (Expect("L205", OCAN_V1, at(OCAN_V1, '"x-amazon-events-detail-type"'), message="200"),),
    ),
    Case(
        "version-gap-examples-left-behind",
        version_gap_file_only,
        (
            Expect("L301", f"{ORDER_CREATED}/", no_line, message="v2"),
            # examples/v2 now belongs to no version: a second, real problem.
            Expect("L502", f"{ORDER_CREATED}/examples/v2", no_line),
        ),
    ),
    Case(
        "version-gap",
        version_gap_with_examples,
        (Expect("L301", f"{ORDER_CREATED}/", no_line, message="v2"),),
    ),
    Case(
        "bad-version-file-name",
        bad_version_file_name,
        (Expect("L302", f"{ORDER_CANCELLED}/version-2.json", whole_file),),
    ),
    Case(
        "duplicate-version",
        duplicate_version,
        (Expect("L303", (f"{ORDER_CANCELLED}/v1.yaml", OCAN_V1), whole_file),),
    ),
    Case(
        "unexpected-top-level-file",
        top_level_file,
        (Expect("L304", "registry/notes.json", whole_file),),
    ),
    Case(
        "dangling-ref",
        dangling_ref,
        (
            Expect(
                "L401",
                OC_V1,
                at(OC_V1, '"#/components/schemas/Adress"'),
                message="#/components/schemas/Adress",
            ),
        ),
    ),
    Case(
        "ref-cycle",
        ref_cycle,
        (Expect("L402", INV_V1, at_any(INV_V1, '"#/definitions/A"', '"#/definitions/B"')),),
    ),
    Case(
        "remote-ref",
        remote_ref,
        (
            Expect(
                "L403",
                OC_V1,
                at(OC_V1, '"https://example.com/x.json"'),
                message="https://example.com/x.json",
            ),
        ),
    ),
    Case(
        "sample-invalid-currency",
        sample_bad_currency,
        (
            Expect(
                "L501",
                SINGLE_ITEM,
                at(SINGLE_ITEM, '"currency": "JPY"'),
                message="/detail/currency",
            ),
        ),
    ),
    Case(
        "sample-wrong-detail-type",
        sample_wrong_detail_type,
        (Expect("L501", MULTI_ITEM, at(MULTI_ITEM, '"detail-type"'), message="Order Placed"),),
    ),
    Case(
        # One hint, not one L501 per envelope key the bare detail lacks.
        "sample-bare-detail",
        bare_detail_sample,
        (
            Expect(
                "L501",
                SINGLE_ITEM,
                whole_file,
                message="is a bare detail (no EventBridge envelope)",
            ),
        ),
    ),
    Case(
        # The hint, and what the detail itself gets wrong.
        "sample-bare-detail-invalid",
        bare_detail_sample_invalid,
        (
            Expect("L501", SINGLE_ITEM, whole_file, message="import --events"),
            Expect("L501", SINGLE_ITEM, at(SINGLE_ITEM, '"currency": "JPY"'), message="/currency"),
        ),
    ),
    Case(
        "stray-text-file-in-examples",
        stray_text_in_examples,
        (Expect("L304", f"{ORDER_CREATED}/examples/v1/notes.txt", whole_file),),
    ),
    Case(
        "orphaned-examples",
        orphaned_examples,
        (Expect("L502", f"{ORDER_CANCELLED}/examples/v7", no_line),),
    ),
    Case("document-too-large", huge_document, (Expect("L003", OCAN_V1, whole_file),)),
    Case(
        "not-utf-8",
        latin1_file,
        (Expect("L001", OCAN_V1, at(OCAN_V1, '"title": "OrderCancelled'), message="UTF-8"),),
    ),
    Case(
        "odd-name-slash-unescaped",
        odd_names_wrong_ref("#/components/schemas/a/b", "shippingAddress"),
        (Expect("L401", OC_V1, at(OC_V1, '"#/components/schemas/a/b"')),),
    ),
    Case(
        "odd-name-dollar-dropped",
        odd_names_wrong_ref("#/components/schemas/Money", "metadata"),
        (Expect("L401", OC_V1, at(OC_V1, '"#/components/schemas/Money"')),),
    ),
    Case(
        "odd-name-space-dropped",
        odd_names_wrong_ref("#/components/schemas/OrderItem", "items"),
        (Expect("L401", OC_V1, at(OC_V1, '"#/components/schemas/OrderItem"')),),
    ),
    Case(
        "shared-file-missing",
        shared_file_missing,
        (Expect("L401", OC_V1, at(OC_V1, "_shared/adress.json"), message="adress.json"),),
    ),
    Case(
        "shared-pointer-missing",
        shared_pointer_missing,
        (Expect("L401", OC_V1, at(OC_V1, "#/definitions/Adress")),),
    ),
    Case(
        "shared-ref-followed-by-sample-check",
        shared_ref_sample_invalid,
        (
            Expect(
                "L501",
                SINGLE_ITEM,
                at(SINGLE_ITEM, '"country": "de"'),
                message="/detail/shippingAddress/country",
            ),
        ),
    ),
    Case(
        "sample-bare-detail-reaching-a-broken-shared-ref",
        bare_detail_sample_reaching_broken_shared_ref,
        (
            Expect(
                "L401",
                "registry/_shared/address.json",
                at("registry/_shared/address.json", '"#/definitions/Region"'),
            ),
            Expect("L501", SINGLE_ITEM, whole_file, message="a $ref it reaches does not resolve"),
        ),
    ),
    Case(
        "shared-file-dangling-in-place-ref",
        shared_file_dangling_in_place_ref,
        (
            Expect(
                "L401",
                "registry/_shared/address.json",
                at("registry/_shared/address.json", '"#/definitions/Region"'),
            ),
            Expect("L501", SINGLE_ITEM, whole_file, message="does not resolve"),
            Expect("L501", MULTI_ITEM, whole_file, message="does not resolve"),
        ),
    ),
    Case(
        "openapi-null-for-non-nullable",
        null_for_non_nullable,
        (
            Expect(
                "L501", DHL_TRACKED, at(DHL_TRACKED, '"carrier": null'), message="/detail/carrier"
            ),
        ),
    ),
    Case(
        "plain-name-id-followed-by-sample-check",
        plain_name_id_sample_invalid,
        (
            Expect(
                "L501",
                WITH_COUPON,
                at(WITH_COUPON, '"referredBy"'),
                message="/detail/referredBy",
            ),
        ),
    ),
    Case(
        "recursive-schema-sample-invalid",
        recursive_sample_invalid,
        (
            Expect(
                "L501",
                f"{CATEGORY}/examples/v1/nested.json",
                at(f"{CATEGORY}/examples/v1/nested.json", '"name": 7'),
                message="/detail/subcategories/0/subcategories/0/name",
            ),
        ),
    ),
]


@pytest.fixture(autouse=True)
def _offline(no_network: list[object]) -> Iterator[None]:
    """Lint never needs the network; a remote ref must be refused, not fetched."""
    yield
    assert no_network == []


def lint(cli: CliRunner, project: Path, *args: str) -> CliResult:
    result = cli(["lint", *args], project)
    assert "Traceback" not in result.both, result.both
    assert "internal error" not in result.both, result.both
    return result


def assert_findings(case: Case, project: Path, found: list[ReportedFinding], out: str) -> None:
    report = f"expected {[(e.rule, e.file) for e in case.expected]}, lint said:\n{out}"
    assert len(found) == len(case.expected), report
    assert Counter(f.rule for f in found) == Counter(e.rule for e in case.expected), report
    remaining = list(found)
    for expect in case.expected:
        files = (expect.file,) if isinstance(expect.file, str) else expect.file
        matches = [f for f in remaining if f.rule == expect.rule and f.file in files]
        assert matches, f"no {expect.rule} for {files}; {report}"
        finding = matches[0]
        remaining.remove(finding)
        allowed = expect.lines(project)
        assert finding.line in allowed, (
            f"{expect.rule} reported at line {finding.line}, expected one of {sorted(allowed)}"
            f"; {report}"
        )
        assert expect.message in finding.message, report


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_broken_registry(case: Case, example_project: Path, cli: CliRunner) -> None:
    case.breaker(example_project)

    result = lint(cli, example_project)

    assert result.code == case.code, result.both
    found = parse_findings(result.out)
    assert_findings(case, example_project, found, result.out)
    summary = result.out.rstrip("\n").splitlines()[-1]
    noun = "problem" if len(found) == 1 else "problems"
    assert summary.startswith(f"Found {len(found)} {noun} in "), summary


def test_cases_break_only_what_they_say(example_project: Path, cli: CliRunner) -> None:
    # The corpus is only meaningful if the untouched project is clean.
    assert lint(cli, example_project).code == 0


@pytest.mark.parametrize(
    "case_id", ["invalid-json-trailing-comma", "dangling-ref", "sample-invalid-currency"]
)
def test_broken_registry_in_a_real_process(case_id: str, example_project: Path) -> None:
    case = next(case for case in CASES if case.id == case_id)
    case.breaker(example_project)

    result = run_cli(["lint"], example_project)

    assert result.code == 1, result.both
    assert "Traceback" not in result.both
    assert result.err == ""
    assert_findings(case, example_project, parse_findings(result.out), result.out)


def test_json_report_of_a_broken_sample(example_project: Path, cli: CliRunner) -> None:
    sample_bad_currency(example_project)

    result = lint(cli, example_project, "--format", "json")

    assert result.code == 1
    payload = json.loads(result.out)
    assert payload["version"] == 1
    assert payload["ok"] is False
    assert payload["summary"]["problems"] == 1
    [finding] = payload["findings"]
    assert finding["rule"] == "L501"
    assert finding["name"] == "example-invalid"
    assert finding["file"] == SINGLE_ITEM
    assert finding["pointer"] == "/detail/currency"
    assert finding["line"] == line_of(example_project / SINGLE_ITEM, '"currency": "JPY"')
    assert "JPY" in finding["message"]


# --- variations that are NOT broken ----------------------------------------------------------


def odd_names_referenced_right(project: Path) -> None:
    edit_json(project, OC_V1, odd_component_names)


def odd_names_in_json_schema_definitions(project: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        definitions = doc["definitions"]
        for old, new, ref in (
            ("LineItem", "Order Item", "#/definitions/Order%20Item"),
            ("Address", "a/b", "#/definitions/a~1b"),
            ("Metadata", "$Money", "#/definitions/$Money"),
        ):
            definitions[new] = definitions.pop(old)
            replace_refs(doc, f"#/definitions/{old}", ref)

    edit_json(project, PLACED_V1, change)


def null_for_nullable(project: Path) -> None:
    # The shipped catalog has one such sample already; make both samples use null.
    edit_json(
        project, DHL_TRACKED, lambda event: event["detail"].__setitem__("trackingNumber", None)
    )
    assert read_json(project / UNTRACKED)["detail"]["trackingNumber"] is None


def openapi_recursive_schema(project: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        components(doc)["Category"] = {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "subcategories": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Category"},
                },
            },
        }
        components(doc)["OrderCreated"]["properties"]["category"] = {
            "$ref": "#/components/schemas/Category"
        }

    edit_json(project, OC_V1, change)
    edit_json(
        project,
        SINGLE_ITEM,
        lambda event: event["detail"].__setitem__("category", category_event()["detail"]),
    )


def empty_registry(project: Path) -> None:
    shutil.rmtree(project / "registry")
    (project / "registry").mkdir()


def ignore_l304(project: Path) -> None:
    top_level_file(project)
    config = project / "eventcontracts.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[lint]\nignore = ["L304"]\n', encoding="utf-8"
    )


VALID = {
    "odd-component-names-referenced-right": odd_names_referenced_right,
    "odd-definition-names-referenced-right": odd_names_in_json_schema_definitions,
    "plain-name-id": lambda project: edit_json(project, PLACED_V1, plain_name_id),
    "absolute-id-on-the-detail": lambda project: edit_json(
        project, PLACED_V1, absolute_id_on_the_detail
    ),
    "ref-into-shared-file": share_address,
    "recursive-definition": recursive_schema,
    "openapi-recursive-component": openapi_recursive_schema,
    "openapi-null-for-nullable": null_for_nullable,
    "empty-registry": empty_registry,
    "lint-ignore-silences-L304": ignore_l304,
}


@pytest.mark.parametrize("change", list(VALID.values()), ids=list(VALID))
def test_valid_variation_passes(
    change: Callable[[Path], None], example_project: Path, cli: CliRunner
) -> None:
    change(example_project)

    result = lint(cli, example_project)

    assert result.code == 0, result.both
    assert result.out.rstrip("\n").endswith("no problems."), result.out


def test_empty_registry_counts_nothing(example_project: Path, cli: CliRunner) -> None:
    empty_registry(example_project)

    result = lint(cli, example_project, "--format", "json")

    assert result.code == 0, result.both
    assert json.loads(result.out)["summary"] == {
        "schemas": 0,
        "versions": 0,
        "examples": 0,
        "problems": 0,
    }


def test_new_schema_is_counted(example_project: Path, cli: CliRunner) -> None:
    recursive_schema(example_project)

    result = lint(cli, example_project, "--format", "json")

    assert result.code == 0, result.both
    summary = json.loads(result.out)["summary"]
    assert (summary["schemas"], summary["versions"], summary["examples"]) == (10, 12, 21)


# --- input that is unusable as a whole: exit 2, one line on stderr ---------------------------


def assert_one_line_error(result: CliResult) -> str:
    assert result.code == 2, result.both
    assert "Traceback" not in result.both
    assert "internal error" not in result.both
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def test_no_registry_folder(example_project: Path) -> None:
    shutil.rmtree(example_project / "registry")

    line = assert_one_line_error(run_cli(["lint"], example_project))

    assert "registry" in line


def test_no_registry_folder_and_no_config(tmp_path: Path, cli: CliRunner) -> None:
    line = assert_one_line_error(cli(["lint"], tmp_path))

    assert "registry" in line


def test_registry_option_naming_a_missing_folder(example_project: Path, cli: CliRunner) -> None:
    line = assert_one_line_error(cli(["lint", "--registry", "nowhere"], example_project))

    assert "nowhere" in line


BAD_CONFIGS = {
    "invalid-toml": ('[registry\npath = "registry"\n', "TOML"),
    "bad-mode": ('[registry]\npath = "registry"\n[compatibility]\nmode = "SIDEWAYS"\n', "SIDEWAYS"),
    "bad-ignore": ('[lint]\nignore = "L304"\n', "ignore"),
    "bad-registry-name": ('[registry]\nname = "my registry!"\n', "my registry!"),
}


@pytest.mark.parametrize(("text", "mentions"), list(BAD_CONFIGS.values()), ids=list(BAD_CONFIGS))
def test_broken_config(text: str, mentions: str, example_project: Path, cli: CliRunner) -> None:
    (example_project / "eventcontracts.toml").write_text(text, encoding="utf-8")

    line = assert_one_line_error(cli(["lint"], example_project))

    assert "eventcontracts.toml" in line
    assert mentions in line


def test_broken_config_in_a_real_process(example_project: Path) -> None:
    config = example_project / "eventcontracts.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('mode = "FULL"', 'mode = "SIDEWAYS"'),
        encoding="utf-8",
    )

    line = assert_one_line_error(run_cli(["lint"], example_project))

    assert "eventcontracts.toml" in line
    assert "SIDEWAYS" in line


def test_unknown_option_is_a_usage_error(example_project: Path) -> None:
    result = run_cli(["lint", "--no-such-option"], example_project)

    assert result.code == 2, result.both
    assert "Traceback" not in result.both
    assert "--no-such-option" in result.err
