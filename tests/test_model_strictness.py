"""Generated models are exactly as strict as their schema: what the schema rejects they reject,
what it accepts they accept and write back unchanged (no defaults added, no values respelled).

The differential tests hold the models to the version's own jsonschema validator on hypothesis
draws (valid details and mutated ones); bench/strictness_bench.py runs the same comparison with
more examples and prints the figures.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import differential
from conftest import REPO_ROOT
from eventcontracts.codegen import PackageSettings, generate
from eventcontracts.config import ConfigError, load_config
from eventcontracts.runtime import publish
from eventcontracts.runtime._entries import detail_json

pytest_plugins = ["pytester"]

# Few examples per version: the whole file stays a few seconds in `make test`.
EXAMPLES = 12


def _report(what: str, figures: differential.Figures) -> None:
    print(f"\n{what}: {figures.line()}")
    for line in figures.disagreements[:10]:
        print(f"  {line}")


def test_models_agree_with_jsonschema_on_the_example_catalog() -> None:
    registry, models = differential.example_catalog_models(REPO_ROOT)
    figures = differential.Figures()
    differential.compare(registry, models, EXAMPLES, figures)
    _report("example catalog", figures)
    assert len(figures.versions) == 11
    assert figures.rejected > figures.invalid // 2  # the mutations do make invalid details
    assert figures.disagreements == []


def test_models_agree_with_jsonschema_on_every_keyword(tmp_path: Path) -> None:
    registry, models = differential.keywords_models(tmp_path)
    figures = differential.Figures()
    differential.compare(registry, models, 2 * EXAMPLES, figures)
    _report("keywords (draft 4, draft 7, OpenApi3, keywords pydantic cannot express)", figures)
    assert len(figures.versions) == 4
    assert figures.disagreements == []


@pytest.mark.skipif(not differential.CORPUS.is_dir(), reason="the shared corpus is not here")
def test_models_agree_with_jsonschema_on_the_corpus(tmp_path: Path) -> None:
    setup = differential.corpus_models(tmp_path)
    figures = differential.Figures()
    for registry, models in setup.catalogs:
        differential.compare(registry, models, EXAMPLES, figures)
    _report(f"corpus ({len(setup.covered)} documents)", figures)
    for document, reason in sorted(setup.not_covered.items()):
        print(f"  not covered: {document}: {reason}")
    assert len(figures.versions) >= 15
    assert figures.disagreements == []
    # the corpus's own events of those documents: a valid one round-trips unchanged, an invalid
    # one (a leading space in an enum value, a number for a string...) is rejected
    count, valid, problems = setup.judge_events()
    print(f"  corpus events: {count} ({valid} valid), {len(problems)} disagreements")
    assert count >= 15 and 0 < valid < count
    assert problems == []


# --- what issue 12 saw: the aws-samples customerCreated series ------------------------------


@pytest.fixture(scope="module")
def customer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The generated package of the customerCreated series (1.0.0 .. 1.4.0 as v1 .. v5)."""
    if not differential.CORPUS.is_dir():
        pytest.skip("the shared corpus is not here")
    tmp = tmp_path_factory.mktemp("customer")
    root = differential.customer_series_registry(tmp / "registry")
    out = tmp / "generated"
    generate(root, out, PackageSettings(package="customer_events"), check=False)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("customer_events.com_example_customer")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.startswith("customer_events")]:
            del sys.modules[name]


CUSTOMER = {"customerId": "c-1", "firstName": "Jane", "lastName": "Doe", "address": "2 Park St"}


def test_an_optional_string_with_a_default_refuses_null(customer: Any) -> None:
    # "type": "string", "default": "" was `str | None = ""`: city=None was accepted and sent
    model = customer.CustomerCreatedV5
    with pytest.raises(ValidationError, match="city"):
        model.model_validate({**CUSTOMER, "city": None})
    with pytest.raises(ValidationError, match="city"):
        model(customer_id="c-1", first_name="Jane", last_name="Doe", address="x", city=None)
    with pytest.raises(ValidationError, match="city"):
        publish(model.model_construct(**CUSTOMER, city=None), client=object())


def test_schema_defaults_are_not_sent(customer: Any) -> None:
    event = customer.CustomerCreatedV5(
        customer_id="c-1", first_name="Jane", last_name="Doe", address="2 Park St"
    )
    assert event.city == ""  # the schema's default is what a reader may assume...
    assert json.loads(detail_json(event)) == CUSTOMER  # ...but the producer did not send it


def test_contract_tests_pass_on_every_version_of_the_customercreated_series(
    customer: Any, pytester: pytest.Pytester, tmp_path: Path
) -> None:
    # They failed on 4 of 5 versions: generated events round-tripped with defaults added.
    project = tmp_path / "project"
    differential.customer_series_registry(project / "registry")
    (project / "eventcontracts.toml").write_text(
        '[codegen]\npackage = "series_events"\nout = "generated"\n', encoding="utf-8"
    )
    generate(
        project / "registry",
        project / "generated",
        PackageSettings(package="series_events"),
        check=False,
    )
    pytester.makepyfile(
        test_series=(
            "from eventcontracts.contract import ContractSuite\n"
            f"series = ContractSuite({str(project)!r}, max_examples=20)\n"
        )
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "generated-events")
    result.assert_outcomes(passed=5)


# --- the rest of the promise ----------------------------------------------------------------


def test_a_nested_model_is_not_a_publishable_event(orders: Any) -> None:
    from mycompany_events.orders.order_created_v2 import Address

    address = Address(street="Torstraße 112", city="Berlin", postal_code="10119", country="DE")
    with pytest.raises(TypeError, match="no SOURCE"):
        publish(address, client=object())


def test_publish_refuses_a_detail_only_the_embedded_schema_rejects(tmp_path: Path) -> None:
    _, models = differential.keywords_models(tmp_path)
    model = models[("com.example.keywords@KeywordsUnexpressed", 1)]
    ok = model.model_validate({"id": "p-1", "kind": "sale"})
    assert json.loads(detail_json(ok)) == {"id": "p-1", "kind": "sale"}
    # `not: {required: [legacy]}`, `if kind is refund then reason`, `uniqueItems`: none of them
    # is a pydantic constraint
    for detail in (
        {"id": "p-1", "legacy": True},
        {"id": "p-1", "kind": "refund"},
        {"id": "p-1", "tags": ["a", "a"]},
    ):
        with pytest.raises(ValidationError, match="the schema rejects this detail"):
            model.model_validate(detail)
        with pytest.raises(ValidationError):
            publish(model.model_construct(**detail), client=object())


def test_an_enum_of_numbers_refuses_booleans(tmp_path: Path) -> None:
    # Literal[0, 1] compares with ==: true would be read as 1 and sent as 1
    _, models = differential.keywords_models(tmp_path)
    model = models[("com.example.keywords@KeywordsDraft7", 1)]
    required = {"id": "C-1", "amount": 1, "count": 1, "flag": True, "kind": "a"}
    valid = {**required, "when": "2024-01-01T00:00:00Z", "level": 1, "levels": [1, 2]}
    assert json.loads(detail_json(model.model_validate(valid))) == valid
    for wrong in ({"level": True}, {"level": False}, {"levels": [1, True]}):
        with pytest.raises(ValidationError, match="not one of the allowed numbers"):
            model.model_validate({**valid, **wrong})


def test_an_enum_of_numbers_refuses_booleans_at_any_depth(tmp_path: Path) -> None:
    # Only top-level fields and lists of a Literal were checked: true was read as 1, and sent
    # as 1, in a map's values, a list of lists and a nested model
    from test_codegen_structure import draft4, write_version

    detail = {
        "type": "object",
        "properties": {
            "weights": {"type": "object", "additionalProperties": {"enum": [1, 2]}},
            "grid": {"type": "array", "items": {"type": "array", "items": {"enum": [1, 2]}}},
            "item": {"type": "object", "properties": {"size": {"enum": [1, 2.5]}}},
            "either": {"anyOf": [{"enum": [1, 2]}, {"type": "boolean"}]},
        },
    }
    root = tmp_path / "registry"
    document = draft4("com.example.deep", "Deep", "#/definitions/Deep", {"Deep": detail})
    write_version(root, "com.example.deep/Deep", document)
    _, models = differential._generated(root, tmp_path / "out", "deep_events")
    model = models[("com.example.deep@Deep", 1)]
    valid = {"weights": {"a": 1, "b": 2}, "grid": [[1], [2, 1]], "item": {"size": 2.5}}
    for detail_value in (valid, {**valid, "either": True}, {**valid, "either": 2}):
        assert json.loads(detail_json(model.model_validate(detail_value))) == detail_value
    for wrong in (
        {"weights": {"a": True}},
        {"grid": [[1], [2, False]]},
        {"item": {"size": True}},
    ):
        with pytest.raises(ValidationError, match="not one of the allowed numbers"):
            model.model_validate({**valid, **wrong})
        with pytest.raises(ValidationError):
            model.model_validate_json(json.dumps({**valid, **wrong}))


def test_a_model_that_needs_no_extra_check_runs_none(tmp_path: Path) -> None:
    # Both model validators used to run on every instance of every model (6.3 us -> 15.7 us
    # per validation); only classes with an enum of numbers or an embedded schema get a check
    from test_codegen_structure import draft4, write_version

    plain = {"type": "object", "properties": {"a": {"type": "string"}, "n": {"type": "integer"}}}
    details = {
        "Plain": plain,
        "Unexpressed": {**plain, "not": {"required": ["legacy"]}},
        "Numbers": {**plain, "properties": {"level": {"enum": [1, 2]}}},
    }
    root = tmp_path / "registry"
    for name, detail in details.items():
        document = draft4("com.example.cost", name, f"#/definitions/{name}", {name: detail})
        write_version(root, f"com.example.cost/{name}", document)
    _, models = differential._generated(root, tmp_path / "out", "cost_events")
    functions = {
        name: _validator_functions(models[(f"com.example.cost@{name}", 1)].__pydantic_core_schema__)
        for name in details
    }
    assert functions == {
        "Plain": [],
        "Unexpressed": ["_check_embedded_schema"],
        "Numbers": ["_refuse_booleans"],
    }
    model = models[("com.example.cost@Unexpressed", 1)]
    with pytest.raises(ValidationError, match="the schema rejects this detail"):
        model.model_validate({"a": "x", "legacy": 1})


def _validator_functions(schema: Any) -> list[str]:
    """The names of the Python validator functions anywhere in a core schema."""
    if isinstance(schema, (list, tuple)):
        return [name for item in schema for name in _validator_functions(item)]
    if not isinstance(schema, dict):
        return []
    found = []
    function = schema.get("function")
    if isinstance(function, dict) and callable(function.get("function")):
        found.append(function["function"].__name__)
    for key, value in schema.items():
        if key not in ("metadata", "serialization", "default"):
            found += _validator_functions(value)
    return found


def test_attributes_are_snake_case_and_the_wire_keeps_its_names(orders: Any) -> None:
    detail = json.loads(
        (REPO_ROOT / "registry/com.mycompany.orders/OrderCreated/examples/v2")
        .joinpath("web-order-with-discount.json")
        .read_text(encoding="utf-8")
    )["detail"]
    event = orders.OrderCreated.model_validate(detail)
    assert event.order_id == detail["orderId"]
    assert event.shipping_address.postal_code == detail["shippingAddress"]["postalCode"]
    assert event.created_at == detail["createdAt"]  # the string as it came, not a datetime
    assert json.loads(detail_json(event)) == detail
    assert json.loads(event.model_dump_json(exclude_unset=True)) == detail  # wire names always


def test_field_names_wire_keeps_the_wire_names(tmp_path: Path) -> None:
    out = tmp_path / "out"
    settings = PackageSettings(package="wire_events", field_names="wire")
    generate(REPO_ROOT / "registry", out, settings, check=False)
    sys.path.insert(0, str(out))
    try:
        orders = importlib.import_module("wire_events.com_mycompany_orders")
        assert "orderId" in orders.OrderCreated.model_fields
        assert "order_id" not in orders.OrderCreated.model_fields
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.startswith("wire_events")]:
            del sys.modules[name]


@pytest.mark.parametrize(
    ("setting", "expected"), [("", "snake_case"), ('field-names = "wire"\n', "wire")]
)
def test_the_field_names_setting_is_read(tmp_path: Path, setting: str, expected: str) -> None:
    config = tmp_path / "eventcontracts.toml"
    config.write_text(f"[codegen]\n{setting}", encoding="utf-8")
    assert load_config(config).codegen.field_names == expected


def test_a_wrong_field_names_setting_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "eventcontracts.toml"
    config.write_text('[codegen]\nfield-names = "camelCase"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r'field-names must be "snake_case" or "wire"'):
        load_config(config)


def test_a_schema_cannot_make_the_generated_code_import_anything() -> None:
    # datamodel-code-generator imports whatever customTypePath / x-python-import name; a schema
    # from a pull request must not choose code (a module's import runs on every service start)
    from eventcontracts.codegen.models import models_source

    document = {
        "type": "object",
        "properties": {
            "a": {"type": "string", "customTypePath": "antigravity.fly"},
            "b": {"type": "object", "x-python-import": {"module": "this", "name": "s"}},
            "c": {"type": "string", "x-eventcontracts-detail-schema": '{"not": {}}'},
        },
    }
    source = models_source(document, "Detail", "literal", "test")
    assert "antigravity" not in source and "this" not in source.split()
    assert "x-eventcontracts-detail-schema" not in source


def test_a_required_name_the_properties_do_not_declare_is_still_required(tmp_path: Path) -> None:
    # As the corpus's aws.test@ObjectCreated has it: required "HookVersion", property
    # "hookVersion". The generator dropped the name, so the model took {} (found by the
    # differential test on the imported corpus).
    document = {
        "openapi": "3.0.0",
        "info": {"title": "ObjectCreated", "version": "1.0.0"},
        "paths": {},
        "components": {
            "schemas": {
                "AWSEvent": {
                    "type": "object",
                    "x-amazon-events-source": "com.example.hooks",
                    "x-amazon-events-detail-type": "Object Created",
                    "properties": {"detail": {"$ref": "#/components/schemas/ObjectCreated"}},
                },
                "ObjectCreated": {
                    "type": "object",
                    "required": ["HookVersion"],
                    "properties": {"hookVersion": {"type": "string"}},
                },
            }
        },
    }
    folder = tmp_path / "registry" / "com.example.hooks" / "ObjectCreated"
    folder.mkdir(parents=True)
    (folder / "v1.json").write_text(json.dumps(document), encoding="utf-8")
    _, models = differential._generated(tmp_path / "registry", tmp_path / "out", "hook_events")
    model = models[("com.example.hooks@ObjectCreated", 1)]
    for invalid in ({}, {"hookVersion": "1"}):
        with pytest.raises(ValidationError, match="HookVersion"):
            model.model_validate(invalid)
    for valid in ({"HookVersion": None}, {"HookVersion": {"any": ["value"]}, "hookVersion": "1"}):
        assert json.loads(detail_json(model.model_validate(valid))) == valid
