"""`eventcontracts infer`: schemas inferred from captured events, as v1 or a candidate next version.

Real files in tmp_path and the real CLI; events as captures hold them (JSON, JSON Lines); every
schema written is checked with the registry's own validators and `eventcontracts lint`, and a
next version with the gate (`eventcontracts check`) in a git repository.
"""

from __future__ import annotations

import collections
import copy
import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from jsonschema.exceptions import best_match

from conftest import EXAMPLE_REGISTRY, CliResult, CliRunner, delivered_event, git, make_repo
from corpus import CORPUS
from eventcontracts.infer.schema import DRAFT4, OPENAPI3, Options, schema_of
from eventcontracts.infer.shape import shape_of
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.resolver import Resolver

SOURCE, DETAIL_TYPE = "com.example.shop", "Basket Checked Out"
FOLDER = Path("registry/com.example.shop/BasketCheckedOut")
ORDER_CREATED = Path("registry/com.mycompany.orders/OrderCreated")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "team"
    (root / "registry").mkdir(parents=True)
    (root / "eventcontracts.toml").write_text("[registry]\n")
    return root


def _events(details: list[Any], source: str = SOURCE, detail_type: str = DETAIL_TYPE) -> str:
    """Details as delivered events, one JSON line each (an archive replayed to a log)."""
    return "".join(
        json.dumps(delivered_event(source, detail_type, detail, f"e-{n}")) + "\n"
        for n, detail in enumerate(details)
    )


def _infer(cli: CliRunner, project: Path, details: list[Any], *args: str) -> CliResult:
    (project / "events.jsonl").write_text(_events(details))
    return cli(["infer", "events.jsonl", *args], project)


def _detail_schema(project: Path, folder: Path = FOLDER, version: int = 1) -> Any:
    document = json.loads((project / folder / f"v{version}.json").read_text())
    if "openapi" in document:
        return document["components"]["schemas"][folder.name]
    return document["definitions"][folder.name]


def _unfit(project: Path, events: list[dict[str, Any]]) -> list[str]:
    """The events the newest version of their schema rejects, with why (the registry's own
    validators: formats checked, refs resolved)."""
    registry = load_registry(project / "registry")
    resolver = Resolver(registry)
    problems = []
    for event in events:
        schema = next(
            s
            for s in registry.schemas.values()
            if (s.latest.source, s.latest.detail_type) == (event["source"], event["detail-type"])
        )
        error = best_match(resolver.detail_validator(schema.latest).iter_errors(event["detail"]))
        if error is not None:
            problems.append(f"{event.get('id')}: {list(error.absolute_path)}: {error.message}")
    return problems


def _lint_clean(cli: CliRunner, project: Path) -> None:
    result = cli(["lint"], project)
    assert result.code == 0, result.both


# --- the shared corpus -------------------------------------------------------------------------


def _corpus_groups() -> list[tuple[str, str, list[str]]]:
    if not CORPUS.is_dir():
        return []
    index = json.loads((CORPUS / "INDEX.json").read_text())
    groups: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for entry in index:
        if entry["kind"] == "event" and entry.get("shape") == "envelope":
            groups[(entry["source"], entry["detail_type"])].append(entry["file"])
    return [(s, d, sorted(files)) for (s, d), files in sorted(groups.items()) if len(files) > 1]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
@pytest.mark.parametrize(
    ("source", "detail_type", "files"),
    _corpus_groups(),
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_every_corpus_event_of_a_detail_type_validates_against_the_inferred_schema(
    project: Path, cli: CliRunner, source: str, detail_type: str, files: list[str]
) -> None:
    captures = project / "captures"
    captures.mkdir()
    for name in files:
        shutil.copy(CORPUS / name, captures)
    result = cli(["infer", "captures"], project)
    assert result.code == 0, result.both
    assert "1 new schema" in result.out
    events = [json.loads((CORPUS / name).read_text()) for name in files]
    assert _unfit(project, events) == []
    _lint_clean(cli, project)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_a_field_one_corpus_event_lacks_is_not_required(project: Path, cli: CliRunner) -> None:
    # EC2 state changes: powertools' fixture spells the id `instance_id`, the others
    # `instance-id`; `state` is in every one.
    _, _, files = next(
        group for group in _corpus_groups() if group[0] == "aws.ec2" and len(group[2]) >= 3
    )
    captures = project / "captures"
    captures.mkdir()
    for name in files:
        shutil.copy(CORPUS / name, captures)
    assert cli(["infer", "captures"], project).code == 0
    details = [json.loads((CORPUS / name).read_text())["detail"] for name in files]
    everywhere = set.intersection(*(set(detail) for detail in details))
    somewhere = set.union(*(set(detail) for detail in details))
    schema = _detail_schema(project, Path("registry/aws.ec2/EC2InstanceStateChangeNotification"))
    assert set(schema["required"]) == everywhere
    assert somewhere - everywhere, "the corpus group no longer has a field one event lacks"
    assert set(schema["properties"]) == somewhere


# --- the inference rules -----------------------------------------------------------------------


def test_a_field_one_event_lacks_is_optional_and_one_every_event_has_is_required(
    project: Path, cli: CliRunner
) -> None:
    details = [
        {"basketId": "b-1", "coupon": "X1", "total": 10},
        {"basketId": "b-2", "total": 12},
        {"basketId": "b-3", "coupon": "Y2", "total": 7},
    ]
    result = _infer(cli, project, details)
    assert result.code == 0, result.both
    schema = _detail_schema(project)
    assert schema["required"] == ["basketId", "total"]
    assert set(schema["properties"]) == {"basketId", "coupon", "total"}
    assert _unfit(project, [delivered_event(SOURCE, DETAIL_TYPE, d) for d in details]) == []
    _lint_clean(cli, project)


def test_required_is_counted_per_object_in_arrays_and_nested_objects_genson_25() -> None:
    # Every event has `lines` and `customer`; one line of one event lacks `discount`, one
    # customer lacks `email`: merging per sample would call both required.
    details = [
        {"lines": [{"sku": "a", "discount": 1}, {"sku": "b"}], "customer": {"id": "c1"}},
        {"lines": [{"sku": "c", "discount": 2}], "customer": {"id": "c2", "email": "x@y.com"}},
        {"lines": [], "customer": {"id": "c3", "email": "z@y.com"}},
    ]
    schema = schema_of(shape_of(details), Options())
    assert schema["required"] == ["customer", "lines"]
    line = schema["properties"]["lines"]["items"]
    assert line["required"] == ["sku"]
    assert set(line["properties"]) == {"sku", "discount"}
    assert schema["properties"]["customer"]["required"] == ["id"]


def test_nested_arrays_of_objects_merge_item_by_item_in_the_written_document(
    project: Path, cli: CliRunner
) -> None:
    details = [
        {"parcels": [{"items": [{"sku": "a", "qty": 1}, {"sku": "b"}]}]},
        {"parcels": [{"items": [{"sku": "c", "qty": 2}]}, {"items": [], "note": "fragile"}]},
    ]
    result = _infer(cli, project, details)
    assert result.code == 0, result.both
    components = json.loads((project / FOLDER / "v1.json").read_text())["components"]["schemas"]
    parcels = components["BasketCheckedOut"]["properties"]["parcels"]
    assert parcels == {"type": "array", "items": {"$ref": "#/components/schemas/ParcelsItem"}}
    assert components["ParcelsItem"]["required"] == ["items"]
    assert components["ItemsItem"]["required"] == ["sku"]
    assert components["ItemsItem"]["properties"]["qty"] == {"type": "integer"}
    assert _unfit(project, [delivered_event(SOURCE, DETAIL_TYPE, d) for d in details]) == []
    _lint_clean(cli, project)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2026-11-03T08:03:50.877Z", "2026-11-04T10:00:00+02:00"], "date-time"),
        (["2026-11-03T08:03:50Z", "2026-11-03"], None),  # one is a date: neither format
        (["2026-11-03T08:03:50"], None),  # no time zone: not RFC 3339
        (["2026-11-03", "2026-02-28"], "date"),
        (["2026-02-30"], None),
        (["6a7e8feb-b491-4cf7-a9f1-bf3703467718", "00000000-0000-0000-0000-000000000000"], "uuid"),
        (["6a7e8feb-b491-4cf7-a9f1-bf3703467718", "ORD-1"], None),
        (["camille@example.fr", "ops@mail.example.com"], "email"),
        (["camille@example.fr", "version@1"], None),
        (["https://example.com/a?b=1", "s3://bucket/key"], "uri"),
        (["https://example.com/a", "arn:aws:s3:::bucket"], None),
    ],
)
def test_a_format_is_inferred_only_when_every_sample_has_it(
    values: list[str], expected: str | None
) -> None:
    schema = schema_of(shape_of([{"field": value} for value in values]), Options())
    assert schema["properties"]["field"].get("format") == expected
    assert schema["properties"]["field"]["type"] == "string"


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1, 2, 3], "integer"), ([1, 1.5], "number"), ([2, 2.0], "number"), ([1e3], "number")],
)
def test_integer_only_when_no_sample_has_a_fraction_or_exponent(
    values: list[Any], expected: str
) -> None:
    schema = schema_of(shape_of([{"n": value} for value in values]), Options())
    assert schema["properties"]["n"] == {"type": expected}


def test_a_float_written_as_1_0_in_the_capture_makes_the_field_a_number(
    project: Path, cli: CliRunner
) -> None:
    (project / "events.jsonl").write_text(
        '{"source": "com.example.shop", "detail-type": "Basket Checked Out", '
        '"detail": {"total": 12}}\n'
        '{"source": "com.example.shop", "detail-type": "Basket Checked Out", '
        '"detail": {"total": 12.0}}\n'
    )
    result = cli(["infer", "events.jsonl"], project)
    assert result.code == 0, result.both
    assert _detail_schema(project)["properties"]["total"] == {"type": "number"}
    _lint_clean(cli, project)  # the samples filed without an envelope got one


def test_enums_only_above_the_threshold_and_with_enough_samples() -> None:
    statuses = ["NEW", "PAID", "SHIPPED"]
    many = [{"status": statuses[n % 3]} for n in range(12)]
    assert "enum" not in schema_of(shape_of(many), Options())["properties"]["status"]  # off
    schema = schema_of(shape_of(many, keep_strings=3), Options(enum_threshold=3))
    assert schema["properties"]["status"] == {"type": "string", "enum": statuses}
    fewer_allowed = schema_of(shape_of(many, keep_strings=2), Options(enum_threshold=2))
    assert "enum" not in fewer_allowed["properties"]["status"]  # 3 values > 2
    two_events = [{"status": "NEW"}, {"status": "PAID"}]
    few = schema_of(shape_of(two_events, keep_strings=3), Options(enum_threshold=3))
    assert "enum" not in few["properties"]["status"]  # 2 samples say nothing of the values


def test_the_enum_threshold_on_the_command_line(project: Path, cli: CliRunner) -> None:
    details = [{"status": ["NEW", "PAID"][n % 2], "note": None} for n in range(10)]
    result = _infer(cli, project, details, "--enum-threshold", "2")
    assert result.code == 0, result.both
    assert _detail_schema(project)["properties"]["status"]["enum"] == ["NEW", "PAID"]
    _lint_clean(cli, project)


def test_null_and_a_type_make_the_type_nullable_in_either_format() -> None:
    details = [{"coupon": None, "gone": None}, {"coupon": "X1", "gone": None}]
    openapi = schema_of(shape_of(details), Options(format=OPENAPI3))["properties"]
    assert openapi["coupon"] == {"type": "string", "nullable": True}
    assert openapi["gone"] == {}  # only ever null: nothing to say of its type
    draft4 = schema_of(shape_of(details), Options(format=DRAFT4))["properties"]
    assert draft4["coupon"] == {"type": ["string", "null"]}


def test_mixed_types_are_a_type_list_in_json_schema_and_any_of_in_openapi() -> None:
    details = [{"ref": "A-1"}, {"ref": 17}, {"ref": None}]
    draft4 = schema_of(shape_of(details), Options(format=DRAFT4))["properties"]["ref"]
    assert draft4 == {"type": ["string", "integer", "null"]}
    openapi = schema_of(shape_of(details), Options(format=OPENAPI3))["properties"]["ref"]
    assert openapi == {"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": True}


def test_both_formats_validate_every_event_and_lint_clean(project: Path, cli: CliRunner) -> None:
    details = [
        {"ref": "A-1", "at": "2026-11-03T08:03:50Z", "tags": [], "who": {"id": 1}, "x": None},
        {"ref": 17, "at": "2026-11-04T08:03:50Z", "tags": ["a"], "who": None, "x": 2.5},
    ]
    events = [delivered_event(SOURCE, DETAIL_TYPE, d, f"e-{n}") for n, d in enumerate(details)]
    for schema_format in ("JSONSchemaDraft4", "OpenApi3"):
        root = project.parent / schema_format
        shutil.copytree(project, root)
        result = _infer(cli, root, details, "--format", schema_format)
        assert result.code == 0, result.both
        assert _unfit(root, events) == []
        _lint_clean(cli, root)
        document = json.loads((root / FOLDER / "v1.json").read_text())
        if schema_format == "JSONSchemaDraft4":
            assert document["x-amazon-events-source"] == SOURCE
            assert document["properties"]["detail"] == {"$ref": "#/definitions/BasketCheckedOut"}
            assert document["definitions"]["BasketCheckedOut"]["properties"]["tags"] == {
                "type": "array",
                "items": {"type": "string"},
            }
        else:
            assert document["components"]["schemas"]["AWSEvent"]["x-amazon-events-detail-type"] \
                == DETAIL_TYPE  # fmt: skip


def test_an_array_only_ever_empty_has_items_of_any_kind() -> None:
    schema = schema_of(shape_of([{"tags": []}, {"tags": []}]), Options())
    assert schema["properties"]["tags"] == {"type": "array", "items": {}}


# --- writing: v1, examples, dry run, determinism -------------------------------------------------


def test_a_new_event_becomes_v1_with_a_few_samples_that_show_every_field(
    project: Path, cli: CliRunner
) -> None:
    details = [{"basketId": f"b-{n}", "total": n} for n in range(20)]
    details[7]["coupon"] = "X1"
    result = _infer(cli, project, details)
    assert result.code == 0, result.both
    assert f"wrote {FOLDER}/v1.json" in result.out
    examples = sorted(p.name for p in (project / FOLDER / "examples" / "v1").iterdir())
    # The first event and the one with a field no earlier sample had: not 20 copies.
    assert examples == ["events-1.json", "events-8.json"]
    assert "20 events of 1 detail-type" in result.out
    again = _infer(cli, project, details)
    assert again.code == 0 and "add nothing" in again.out, again.both
    _lint_clean(cli, project)


def test_a_dry_run_prints_the_schema_and_writes_nothing(project: Path, cli: CliRunner) -> None:
    result = _infer(cli, project, [{"basketId": "b-1"}], "--dry-run")
    assert result.code == 0, result.both
    assert f"would write {FOLDER}/v1.json" in result.out
    assert '"x-amazon-events-source": "com.example.shop"' in result.out
    assert f"would file 1 sample as {FOLDER}/examples/v1/" in result.out
    assert list((project / "registry").iterdir()) == []


def test_the_same_traffic_in_any_order_gives_the_same_schema_byte_for_byte(
    tmp_path: Path, cli: CliRunner
) -> None:
    details = [
        {"b": n, "a": {"z": "x", "y": [{"q": 1}, {"p": "2026-11-03"}]}, "c": [None, "s"][n % 2]}
        for n in range(6)
    ]
    texts = []
    for name, order in (("one", details), ("two", details), ("reversed", details[::-1])):
        root = tmp_path / name
        (root / "registry").mkdir(parents=True)
        (root / "eventcontracts.toml").write_text("[registry]\n")
        assert _infer(cli, root, order).code == 0
        texts.append((root / FOLDER / "v1.json").read_bytes())
    assert texts[0] == texts[1] == texts[2]


# --- a known event: the candidate next version and the gate --------------------------------------


def _order_created_events(change: Any) -> str:
    base = json.loads(
        (EXAMPLE_REGISTRY / "com.mycompany.orders/OrderCreated/examples/v2/"
         "web-order-with-discount.json").read_text()
    )  # fmt: skip
    lines = []
    for n in range(3):
        event = copy.deepcopy(base)
        event["id"] = f"0d079340-135a-c8c6-95c2-41fb8f49{n:04d}"
        change(event["detail"], n)
        lines.append(json.dumps(event))
    return "\n".join(lines) + "\n"


def _gift_wrap(detail: dict[str, Any], n: int) -> None:
    detail["giftWrap"] = n % 2 == 0


def _amount_as_text(detail: dict[str, Any], n: int) -> None:
    detail["totalAmount"] = str(detail["totalAmount"])


def test_a_new_optional_field_proposes_a_compatible_next_version_the_gate_passes(
    tmp_path: Path, cli: CliRunner
) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "captures.jsonl").write_text(_order_created_events(_gift_wrap))
    result = cli(["infer", "captures.jsonl"], repo)
    assert result.code == 0, result.both
    assert "v3, a next version" in result.out
    assert "compatible (mode FULL, policy lenient)" in result.out
    assert "C302" in result.out and "detail.giftWrap" in result.out
    v3 = _detail_schema(repo, ORDER_CREATED, 3)
    v2 = _detail_schema(repo, ORDER_CREATED, 2)
    assert v3["properties"]["giftWrap"] == {"type": "boolean"}
    assert v3["required"] == v2["required"]  # new fields are optional; none dropped
    assert {k: v for k, v in v3["properties"].items() if k != "giftWrap"} == v2["properties"]
    examples = list((repo / ORDER_CREATED / "examples" / "v3").iterdir())
    assert [p.name for p in examples] == ["captures-1.json"]  # the others show no new field
    git(repo, "add", "-A")
    gate = cli(["check", "--against", "main"], repo)
    assert gate.code == 0, gate.both
    _lint_clean(cli, repo)


def test_a_field_changing_type_proposes_a_breaking_version_the_gate_blocks_too(
    tmp_path: Path, cli: CliRunner
) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "captures.jsonl").write_text(_order_created_events(_amount_as_text))
    result = cli(["infer", "captures.jsonl"], repo)
    assert result.code == 1, result.both
    assert "BREAKING (mode FULL, policy lenient)" in result.out
    assert "x C606" in result.out and "detail.totalAmount" in result.out
    assert "counterexample, valid for new and rejected by old" in result.out
    assert (repo / ORDER_CREATED / "v3.json").is_file()  # written, for the PR to show
    events = [json.loads(line) for line in (repo / "captures.jsonl").read_text().splitlines()]
    assert _unfit(repo, events) == []
    git(repo, "add", "-A")
    gate = cli(["check", "--against", "main"], repo)
    assert gate.code == 1, gate.both
    assert "C606" in gate.out and "OrderCreated" in gate.out


def test_traffic_that_fits_the_latest_version_writes_nothing(
    tmp_path: Path, cli: CliRunner
) -> None:
    repo = make_repo(tmp_path / "repo")
    examples = repo / ORDER_CREATED / "examples" / "v2"
    result = cli(["infer", str(examples)], repo)
    assert result.code == 0, result.both
    assert "add nothing to it: nothing written" in result.out
    assert git(repo, "status", "--porcelain") == ""


def test_widening_keeps_what_traffic_cannot_show_and_widens_only_what_it_contradicts(
    tmp_path: Path, cli: CliRunner
) -> None:
    repo = make_repo(tmp_path / "repo")

    def changes(detail: dict[str, Any], n: int) -> None:
        detail["currency"] = "CHF"  # outside the enum
        del detail["metadata"]  # required in v2
        detail["items"][0]["quantity"] = 1.5  # integer in v2
        detail["shippingAddress"]["country"] = "france"  # fails the pattern
        detail["discountCode"] = None  # not nullable in v2

    (repo / "captures.jsonl").write_text(_order_created_events(changes))
    result = cli(["infer", "captures.jsonl", "--dry-run"], repo)
    assert result.code == 1, result.both  # FULL mode: a wider type breaks old readers
    assert git(repo, "status", "--porcelain") == "?? captures.jsonl\n"
    document = _printed_document(result.out)
    schemas = document["components"]["schemas"]
    detail = schemas["OrderCreated"]
    assert detail["properties"]["currency"]["enum"] == ["USD", "EUR", "GBP", "CHF"]
    assert "metadata" not in detail["required"] and "metadata" in detail["properties"]
    assert schemas["LineItem"]["properties"]["quantity"] == {"type": "number", "minimum": 1}
    assert "pattern" not in schemas["Address"]["properties"]["country"]
    assert detail["properties"]["discountCode"]["nullable"] is True
    assert document["info"]["version"] == "3.0.0"
    assert "description" in detail["properties"]["channel"]  # untouched: not in the traffic


def test_a_closed_json_schema_gains_declared_fields_and_what_is_not_widened_is_reported(
    project: Path, cli: CliRunner
) -> None:
    assert _infer(cli, project, [{"basketId": "b-1", "price": 3}], "--format", "JSONSchemaDraft4")
    v1 = project / FOLDER / "v1.json"
    document = json.loads(v1.read_text())
    detail = document["definitions"]["BasketCheckedOut"]
    detail["additionalProperties"] = False
    detail["properties"]["price"] = {"allOf": [{"type": "integer"}]}
    v1.write_text(json.dumps(document, indent=2))
    result = _infer(cli, project, [{"basketId": "b-2", "price": "3.5", "note": "gift"}])
    assert result.code == 1, result.both
    assert "1 event still does not fit the candidate" in result.out
    assert "events.jsonl:1: detail/price: '3.5' is not of type 'integer'" in result.out
    widened = _detail_schema(project, FOLDER, 2)
    assert widened["additionalProperties"] is False
    assert widened["properties"]["note"] == {"type": "string"}
    assert widened["properties"]["price"] == {"allOf": [{"type": "integer"}]}


def _printed_document(out: str) -> Any:
    """The document a dry run prints under its "would write" line (indented four spaces)."""
    lines = out.splitlines()
    start = next(n for n, line in enumerate(lines) if "would write" in line) + 1
    end = next(n for n in range(start, len(lines)) if not lines[n].startswith("    "))
    return json.loads("\n".join(lines[start:end]))


# --- what infer refuses, and hostile traffic ---------------------------------------------------


def test_a_bare_detail_is_refused_in_one_line_unless_its_event_is_named(
    project: Path, cli: CliRunner
) -> None:
    (project / "detail.json").write_text('{"basketId": "b-1"}')
    refused = cli(["infer", "detail.json"], project)
    assert refused.code == 2
    assert refused.err.count("\n") == 1 and "detail.json:1: a bare detail" in refused.err
    named = cli(["infer", "detail.json", "--source", SOURCE, "--detail-type", DETAIL_TYPE], project)
    assert named.code == 0, named.both
    _lint_clean(cli, project)


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("captures", None, "no events in captures; name captured event files or folders"),
        ("empty.jsonl", b"", "no events in empty.jsonl; name captured event files"),
        ("garbage.json", b"garbage{{{ not json\n", "garbage.json:1: not JSON"),
        ("junk.bin", bytes(range(128, 256)), "junk.bin:1: not UTF-8 text"),
    ],
)
def test_traffic_with_no_event_to_read_is_one_line_and_writes_nothing(
    project: Path, cli: CliRunner, name: str, content: bytes | None, fragment: str
) -> None:
    if content is None:
        (project / name).mkdir()
    else:
        (project / name).write_bytes(content)
    refused = cli(["infer", name], project)
    assert refused.code == 2, refused.both
    assert refused.err.count("\n") == 1 and fragment in refused.err, refused.err
    assert "Traceback" not in refused.both
    assert not any((project / "registry").iterdir())


def test_hostile_traffic_gives_a_bounded_schema_quickly(project: Path, cli: CliRunner) -> None:
    deep: Any = "bottom"
    for _ in range(55):
        deep = {"d": deep}
    many = {f"k{n:05d}": n for n in range(10_000)}
    started = time.perf_counter()
    result = _infer(cli, project, [{"deep": deep, "many": many}, {"deep": deep, "many": {}}])
    elapsed = time.perf_counter() - started
    assert result.code == 0, result.both
    assert elapsed < 20
    text = (project / FOLDER / "v1.json").read_text()
    assert len(text) < 20_000
    schema = _detail_schema(project)
    assert schema["properties"]["many"] == {
        "type": "object",
        "additionalProperties": {"type": "integer"},
    }
    _lint_clean(cli, project)
