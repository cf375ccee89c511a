"""Codegen reads structure, not text: which class is the event, what classes are called, what
their docstrings say, whatever names and descriptions a schema holds."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventcontracts.codegen import PackageSettings, generate
from eventcontracts.registry import load_registry

ENVELOPE_PROPERTIES = {
    "version": {"type": "string"},
    "id": {"type": "string"},
    "detail-type": {"type": "string"},
    "source": {"type": "string"},
    "account": {"type": "string"},
    "time": {"type": "string", "format": "date-time"},
    "region": {"type": "string"},
    "resources": {"type": "array", "items": {"type": "string"}},
}
ORDER_CREATED = {
    "type": "object",
    "required": ["orderId"],
    "properties": {"orderId": {"type": "string"}, "note": {"type": "string"}},
}
MONEY = {
    "type": "object",
    "required": ["amount", "currency"],
    "properties": {"amount": {"type": "number"}, "currency": {"type": "string"}},
}


def draft4(
    source: str, detail_type: str, detail_ref: str, definitions: dict[str, Any]
) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "x-amazon-events-source": source,
        "x-amazon-events-detail-type": detail_type,
        "type": "object",
        "required": ["detail", "detail-type", "source"],
        "properties": {**ENVELOPE_PROPERTIES, "detail": {"$ref": detail_ref}},
        "definitions": definitions,
    }


def openapi3(
    source: str, detail_type: str, detail_ref: str, components: dict[str, Any]
) -> dict[str, Any]:
    return {
        "openapi": "3.0.0",
        "info": {"version": "1.0.0", "title": detail_type},
        "paths": {},
        "components": {
            "schemas": {
                "AWSEvent": {
                    "type": "object",
                    "required": ["detail", "detail-type", "source"],
                    "x-amazon-events-source": source,
                    "x-amazon-events-detail-type": detail_type,
                    "properties": {**ENVELOPE_PROPERTIES, "detail": {"$ref": detail_ref}},
                },
                **components,
            }
        },
    }


def write_version(root: Path, folder: str, document: dict[str, Any], number: int = 1) -> None:
    path = root / folder / f"v{number}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.fixture
def imported(tmp_path: Path) -> Iterator[Any]:
    """``imported(registry_root, package)``: generate the package and import it (unloaded after)."""
    out = tmp_path / "out"
    names: list[str] = []

    def run(
        registry_root: Path, package: str = "structure_events", field_names: str = "snake_case"
    ) -> Path:
        assert load_registry(registry_root).problems == []
        settings = PackageSettings(package=package, field_names=field_names)
        generate(registry_root, out, settings, check=False)
        names.append(package)
        importlib.invalidate_caches()
        return out

    sys.path.insert(0, str(out))
    try:
        yield run
    finally:
        sys.path.remove(str(out))
        for name in list(sys.modules):
            if any(name == p or name.startswith(f"{p}.") for p in names):
                del sys.modules[name]


def _assert_order_created(subpackage: Any) -> None:
    detail = subpackage.OrderCreated
    assert detail.__name__ == "OrderCreated"
    assert (detail.SOURCE, detail.DETAIL_TYPE, detail.SCHEMA_VERSION) == (
        "com.example.orders",
        "Order Created",
        1,
    )
    assert set(detail.model_fields) == {"order_id", "note"}
    # What publish() sends: the detail as typed, never an empty one.
    event = detail.model_validate({"orderId": "O-1", "note": "gift"})
    assert event.model_dump(by_alias=True, exclude_unset=True)["orderId"] == "O-1"
    with pytest.raises(ValueError):
        detail.model_validate({"amount": 1.5, "currency": "EUR"})
    assert subpackage.OrderCreatedEvent.model_fields["detail"].annotation is detail


def test_the_detail_is_the_class_the_envelope_refers_to_not_the_last_one_draft4(
    tmp_path: Path, imported: Any
) -> None:
    root = tmp_path / "registry"
    document = draft4(
        "com.example.orders",
        "Order Created",
        "#/definitions/OrderCreated",
        {"OrderCreated": ORDER_CREATED, "Money": MONEY},
    )
    write_version(root, "com.example.orders/OrderCreated", document)
    out = imported(root)
    _assert_order_created(importlib.import_module("structure_events.com_example_orders"))
    assert out.is_dir()


def test_the_detail_is_the_class_the_envelope_refers_to_not_the_last_one_openapi3(
    tmp_path: Path, imported: Any
) -> None:
    root = tmp_path / "registry"
    document = openapi3(
        "com.example.orders",
        "Order Created",
        "#/components/schemas/OrderCreated",
        {"OrderCreated": ORDER_CREATED, "Money": MONEY},
    )
    write_version(root, "com.example.orders/OrderCreated", document)
    imported(root)
    _assert_order_created(importlib.import_module("structure_events.com_example_orders"))


def test_a_nested_property_named_source_does_not_hide_the_detail_class(
    tmp_path: Path, imported: Any
) -> None:
    # With wire field names, a nested model's SOURCE field looked like the detail's identity
    # constant: two "detail classes", and generation failed with a false message
    detail = {
        "type": "object",
        "properties": {
            "origin": {"type": "object", "properties": {"SOURCE": {"type": "string"}}},
        },
    }
    document = draft4(
        "com.example.orders", "Order Created", "#/definitions/Order", {"Order": detail}
    )
    root = tmp_path / "registry"
    write_version(root, "com.example.orders/Order", document)
    imported(root, field_names="wire")
    module = importlib.import_module("structure_events.com_example_orders")
    assert module.Order.SOURCE == "com.example.orders"
    event = module.Order.model_validate({"origin": {"SOURCE": "web"}})
    assert event.origin.SOURCE == "web"
    assert module.OrderEvent.model_fields["detail"].annotation is module.Order


# Component names a registry accepts (the AWS toolkit's fixtures have the first two), names that
# normalise alike, Python keywords, and names of what the generated module itself uses.
AWKWARD_NAMES = [
    "Some/Awesome/Schema.Object$2",
    "Some Awesome Schema",
    "some-awesome-schema",
    "SomeAwesomeSchema",
    "class",
    "None",
    "订单",
    "EventModel",
    "Field",
    "ClassVar",
    "Awkward",
    "AwkwardEvent",
    "2fast",
]


def _escaped(name: str) -> str:
    """``name`` as a JSON pointer token in a URI fragment (RFC 6901 ``~1``, then percent)."""
    from urllib.parse import quote

    return quote(name.replace("~", "~0").replace("/", "~1"), safe="~$")


def test_any_component_name_makes_a_valid_distinct_class(tmp_path: Path, imported: Any) -> None:
    components: dict[str, Any] = {
        name: {
            "type": "object",
            "required": ["label"],
            "properties": {"label": {"const": name}, "n": {"type": "integer"}},
        }
        for name in AWKWARD_NAMES
    }
    detail = {
        "type": "object",
        "required": ["parts"],
        "properties": {
            f"part{index}": {"$ref": f"#/components/schemas/{_escaped(name)}"}
            for index, name in enumerate(AWKWARD_NAMES)
        }
        | {"parts": {"type": "array", "items": {"$ref": "#/components/schemas/订单"}}},
    }
    detail_name = "Some/Awesome/Detail.Object$1"
    document = openapi3(
        "com.example.awkward",
        "Awkward",
        f"#/components/schemas/{_escaped(detail_name)}",
        {detail_name: detail, **components},
    )
    root = tmp_path / "registry"
    write_version(root, "com.example.awkward/Awkward", document)
    imported(root)
    module = importlib.import_module("structure_events.com_example_awkward.awkward_v1")
    assert module.Awkward.SOURCE == "com.example.awkward"
    classes = [
        module.Awkward.model_fields[f"part{i}"].annotation for i in range(len(AWKWARD_NAMES))
    ]
    nested = [next(a for a in c.__args__ if a is not type(None)) for c in classes]
    # One class per component, each reading its own component's instances.
    assert len({cls.__name__ for cls in nested}) == len(AWKWARD_NAMES)
    for name, cls in zip(AWKWARD_NAMES, nested, strict=True):
        assert cls.__name__.isidentifier()
        assert cls.model_validate({"label": name}).label == name
    assert module.EventModel.__module__ == "eventcontracts.runtime._model"
    names = {cls.__name__ for cls in nested}
    assert not names & {"EventModel", "Field", "ClassVar", "Awkward", "AwkwardEvent"}
    assert module.AwkwardEvent.model_fields["detail"].annotation is module.Awkward
    event = module.Awkward.model_validate(
        {"parts": [{"label": "订单"}], "part0": {"label": AWKWARD_NAMES[0]}}
    )
    assert event.model_dump(by_alias=True, exclude_unset=True)["parts"] == [{"label": "订单"}]


HOSTILE_DESCRIPTIONS = [
    'Ends the docstring """ and runs code: import os; os.system("touch PWNED") #',
    "A backslash at the end \\",
    'A quote at the end "',
    "A NUL \x00 byte, a form feed \x0c and a carriage return \r in it",
    "A line separator \u2028 and a paragraph separator \u2029 and NEL \x85 here",
    "Unicode is kept: Bestellung für 5 € — 注文",
]


def test_descriptions_become_docstrings_that_nothing_can_leave(
    tmp_path: Path, imported: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    definitions = {
        f"Part{index}": {
            "type": "object",
            "description": text,
            "properties": {"a": {"type": "string"}},
        }
        for index, text in enumerate(HOSTILE_DESCRIPTIONS)
    }
    detail = {
        "type": "object",
        "description": 'An order was created.\n\nSecond paragraph, with "quotes".',
        "properties": {
            f"p{index}": {"$ref": f"#/definitions/Part{index}"} for index in range(len(definitions))
        },
    }
    document = draft4(
        "com.example.docs",
        "Documented",
        "#/definitions/Documented",
        {"Documented": detail, **definitions},
    )
    root = tmp_path / "registry"
    write_version(root, "com.example.docs/Documented", document)
    out = imported(root)
    path = out / "structure_events/com_example_docs/documented_v1.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        node.name: ast.get_docstring(node, clean=False)
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }
    for index, text in enumerate(HOSTILE_DESCRIPTIONS):
        assert docs[f"Part{index}"] == text
    assert docs["Documented"] is not None and docs["Documented"].strip().startswith(
        "An order was created."
    )
    module = importlib.import_module("structure_events.com_example_docs")
    assert module.Documented.__doc__ is not None and "Second paragraph" in module.Documented.__doc__
    assert not (tmp_path / "PWNED").exists()
    for generated in out.rglob("*.py"):
        checked = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--quiet", str(generated)],
            capture_output=True,
            text=True,
            cwd=out,
        )
        assert checked.returncode == 0, checked.stdout


# Property names that are also JSON Schema data keywords: under "properties" they are schemas.
DATA_KEYWORD_NAMES = ["default", "enum", "const", "examples", "example"]


def test_a_property_named_like_a_data_keyword_keeps_its_ref(tmp_path: Path, imported: Any) -> None:
    # "default": {"$ref": ".../Money"} was copied as data: its ref stayed unrewritten and the
    # field became a RootModel[Any] that took any value
    detail = {
        "type": "object",
        "properties": {name: {"$ref": "#/components/schemas/Money"} for name in DATA_KEYWORD_NAMES},
    }
    document = openapi3(
        "com.example.names",
        "Named",
        "#/components/schemas/Named",
        {"Named": detail, "Money": MONEY},
    )
    root = tmp_path / "registry"
    write_version(root, "com.example.names/Named", document)
    imported(root)
    module = importlib.import_module("structure_events.com_example_names")
    money = {"amount": 1.5, "currency": "EUR"}
    event = module.Named.model_validate(dict.fromkeys(DATA_KEYWORD_NAMES, money))
    assert [getattr(event, name).amount for name in DATA_KEYWORD_NAMES] == [1.5] * 5
    for name in DATA_KEYWORD_NAMES:
        with pytest.raises(ValueError, match=name):
            module.Named.model_validate({name: "not money"})


def test_a_property_named_like_a_data_keyword_has_its_pattern_translated(
    tmp_path: Path, imported: Any
) -> None:
    # The embedded schema (for `not`) kept "^\d$" of a property named "default" in Python's
    # spelling, where \d is any Unicode digit: a detail the schema accepts was refused
    detail = {
        "type": "object",
        "properties": {name: {"type": "string"} for name in DATA_KEYWORD_NAMES},
        "not": {
            "anyOf": [
                {"required": [name], "properties": {name: {"pattern": "^\\d$"}}}
                for name in DATA_KEYWORD_NAMES
            ]
        },
    }
    document = draft4("com.example.names", "Named", "#/definitions/Named", {"Named": detail})
    root = tmp_path / "registry"
    write_version(root, "com.example.names/Named", document)
    imported(root)
    model = importlib.import_module("structure_events.com_example_names").Named
    for name in DATA_KEYWORD_NAMES:
        assert model.model_validate({name: "\u0663"}).model_dump(exclude_unset=True) == {
            name: "\u0663"
        }
        with pytest.raises(ValueError, match="the schema rejects this detail"):
            model.model_validate({name: "3"})


def test_a_config_is_written_only_with_what_the_schema_asks_for() -> None:
    # The generator adds arbitrary_types_allowed for our Annotated types, which need none: a
    # config holding only that is left out, and it is dropped from any other config
    from eventcontracts.codegen.models import models_source

    document = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "amount": {"type": "number"},
            "inner": {"type": "object", "properties": {"n": {"type": "number"}}},
        },
    }
    tree = ast.parse(models_source(document, "Detail", "literal", "test"))
    configs = {
        node.name: [
            ast.unparse(statement.value)
            for statement in node.body
            if isinstance(statement, ast.Assign)
            and [ast.unparse(target) for target in statement.targets] == ["model_config"]
        ]
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }
    assert configs == {"Inner": [], "Detail": ["ConfigDict(extra='forbid')"]}
