"""``eventcontracts drift``: captured events against every version of their schema.

On the example catalog (its own sample events, and events made from them that fit one
version only, break a type, carry fields no version declares or come from an unknown source),
on bad input, and on the shared real-world corpus, held to what its INDEX.json records. The
compiled checks (``drift.fits``) are held to the reference validator, event by event.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus import CORPUS, adopt, run_cli
from eventcontracts.drift import run as drift_run
from eventcontracts.drift.fits import VersionFits
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.model import Registry
from eventcontracts.registry.resolver import Resolver

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(ROOT.glob("registry/*/*/examples"))
PLACED = ROOT / "registry/com.mystore.checkout/OrderPlaced/examples"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example catalog's project (settings and registry), to run drift in."""
    shutil.copy(ROOT / "eventcontracts.toml", tmp_path / "eventcontracts.toml")
    shutil.copytree(ROOT / "registry", tmp_path / "registry")
    return tmp_path


def _placed(**detail: Any) -> dict[str, Any]:
    """The catalog's own OrderPlaced v1 sample, its detail changed as given."""
    event = json.loads((PLACED / "v1/with-coupon.json").read_text(encoding="utf-8"))
    event["detail"].update(detail)
    return event


def _write_lines(path: Path, events: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(event) + "\n" for event in events), encoding="utf-8")
    return path


def _drift_json(project: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run_cli(["drift", *args, "--format", "json"], project)
    assert code in (0, 1), err
    return code, json.loads(out)


def _schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [each for each in document["schemas"] if each["schema"] == name]
    return found


# -- the example catalog ------------------------------------------------------------------------


def test_the_example_catalogs_own_sample_events_fit() -> None:
    code, out, err = run_cli(["drift", *(str(path) for path in EXAMPLES)], ROOT)
    assert (code, err) == (0, "")
    assert out.endswith("drift: every one of 20 events fits a version of its schema\n")
    assert "com.mystore.checkout@OrderPlaced (com.mystore.checkout / OrderPlaced): 3 events" in out


def test_an_event_of_the_wrong_type_fits_no_version_with_its_error_and_place(
    project: Path,
) -> None:
    events = [_placed(), _placed(), _placed(totalAmount="108.00"), _placed(totalAmount="x")]
    _write_lines(project / "capture.jsonl", events)
    code, out, err = run_cli(["drift", "capture.jsonl"], project)
    assert (code, err) == (1, "")
    assert "  first error (v2) at /detail/totalAmount: '108.00' is not of type 'number'\n" in out
    assert "  example: capture.jsonl:3\n" in out
    assert out.endswith("drift: of 4 events, 2 events fit no version of their schema\n")
    code, document = _drift_json(project, "capture.jsonl")
    placed = _schema(document, "com.mystore.checkout@OrderPlaced")
    assert placed["fits_none"] == 2
    assert placed["fits_none_example"] == {
        "file": "capture.jsonl",
        "line": 3,
        "index": 2,
        "error": {
            "version": 2,
            "pointer": "/detail/totalAmount",
            "message": "'108.00' is not of type 'number'",
        },
    }


def test_events_that_fit_one_version_only_are_counted_per_version(project: Path) -> None:
    both = _placed()
    v1_only = _placed(salesChannel="phone")  # v1 says nothing of it; v2 lists web, mobile-app
    v2_only = _placed(currency="CAD")  # CAD since v2
    _write_lines(project / "capture.jsonl", [both, v1_only, v2_only, v2_only])
    code, document = _drift_json(project, "capture.jsonl")
    assert code == 0
    placed = _schema(document, "com.mystore.checkout@OrderPlaced")
    assert placed["versions"] == [{"version": 1, "fits": 2}, {"version": 2, "fits": 3}]
    assert (placed["events"], placed["fits_none"], placed["fits_none_example"]) == (4, 0, None)


def test_fields_no_version_declares_are_reported_outermost_first(project: Path) -> None:
    first = _placed(giftWrap={"paper": "red", "note": "happy birthday"}, salesChannel="web")
    first["detail"]["items"][0]["colour"] = "blue"
    second = _placed(giftWrap=None)
    _write_lines(project / "capture.jsonl", [first, second])
    code, document = _drift_json(project, "capture.jsonl")
    assert code == 0  # nothing forbids them: the events still fit
    placed = _schema(document, "com.mystore.checkout@OrderPlaced")
    where = {"file": "capture.jsonl", "line": 1, "index": 0}
    assert placed["undeclared_fields"] == [
        {"field": "giftWrap", "events": 2, "example": where},
        {"field": "items[].colour", "events": 1, "example": where},
    ]
    code, out, _ = run_cli(["drift", "capture.jsonl"], project)
    assert "  fields no version declares:\n" in out
    assert "    items[].colour       1  capture.jsonl:1\n" in out


def test_events_of_a_source_no_schema_has_are_unknown_and_fail(project: Path) -> None:
    stranger = _placed()
    stranger["source"] = "com.mystore.legacy"
    _write_lines(project / "capture.jsonl", [_placed(), stranger, stranger])
    code, out, err = run_cli(["drift", "capture.jsonl"], project)
    assert (code, err) == (1, "")
    assert "unknown events: 2 events whose source and detail-type no schema has\n" in out
    assert "  com.mystore.legacy  OrderPlaced       2  capture.jsonl:2\n" in out
    code, document = _drift_json(project, "capture.jsonl")
    assert (code, document["ok"], document["unknown_events"]) == (1, False, 2)
    assert document["unknown"] == [
        {
            "source": "com.mystore.legacy",
            "detail_type": "OrderPlaced",
            "events": 2,
            "example": {"file": "capture.jsonl", "line": 2, "index": 1},
        }
    ]


def test_the_json_document_has_a_stable_shape(project: Path) -> None:
    _write_lines(project / "capture.jsonl", [_placed(), _placed(totalAmount="x")])
    _, document = _drift_json(project, "capture.jsonl")
    assert list(document) == [
        "format",
        "ok",
        "events",
        "fits_none",
        "unknown_events",
        "schemas",
        "unknown",
        "unknown_truncated",
    ]
    assert (document["format"], document["events"], document["fits_none"]) == (
        "eventcontracts-drift/1",
        2,
        1,
    )
    names = [schema["schema"] for schema in document["schemas"]]
    assert names == sorted(names) and len(names) == 9  # every schema, traffic or not
    for schema in document["schemas"]:
        assert list(schema) == [
            "schema",
            "source",
            "detail_type",
            "events",
            "versions",
            "fits_none",
            "fits_none_example",
            "undeclared_fields",
            "undeclared_fields_truncated",
        ]
    created = _schema(document, "com.mycompany.orders@OrderCreated")
    assert created["events"] == 0
    assert created["versions"] == [{"version": 1, "fits": 0}, {"version": 2, "fits": 0}]
    again = run_cli(["drift", "capture.jsonl", "--format", "json"], project)[1]
    assert json.loads(again) == document


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (
            '{"source": "a", "detail-type": "b", "detail": {}}\nnot json\n',
            [],
            "error: capture.jsonl:2: not JSON",
        ),
        ("", [], "error: no events in capture.jsonl; name captured event files or folders"),
        ('{"orderId": "ORD-1"}', [], "error: capture.jsonl:1: a bare detail"),
        ("{}", ["--source", "s"], "error: --source and --detail-type go together"),
        (None, [], "error: absent.jsonl: no such file or folder"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    project: Path, content: str | None, args: list[str], message: str
) -> None:
    name = "capture.jsonl"
    if content is None:
        name = "absent.jsonl"
    else:
        (project / name).write_text(content, encoding="utf-8")
    code, out, err = run_cli(["drift", name, *args], project)
    assert code == 2
    assert err.startswith(message), err
    assert err.count("\n") == 1 and out == ""


def test_bare_details_are_read_with_their_source_and_detail_type(project: Path) -> None:
    detail = _placed()["detail"]
    (project / "details.jsonl").write_text(json.dumps(detail) + "\n", encoding="utf-8")
    args = ["details.jsonl", "--source", "com.mystore.checkout", "--detail-type", "OrderPlaced"]
    code, document = _drift_json(project, *args)
    # A bare detail has no envelope: it fits no version of a schema that requires one.
    placed = _schema(document, "com.mystore.checkout@OrderPlaced")
    assert (code, placed["events"], placed["fits_none"]) == (1, 1, 1)
    assert placed["fits_none_example"]["error"]["pointer"] == ""


def test_forked_workers_report_what_one_process_reports(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = [_placed(), _placed(currency="CAD"), _placed(totalAmount="x"), _placed(giftWrap=1)]
    events += [dict(events[0], source="com.elsewhere")]
    _write_lines(project / "capture.jsonl", events * 900)  # 4,500 events
    registry = load_registry(project / "registry")
    monkeypatch.setattr(drift_run, "BATCH", 100)
    monkeypatch.setattr(drift_run, "BLOCK_BATCHES", 7)
    monkeypatch.setattr(drift_run, "POOL_FROM", 1_000)
    reports = [
        drift_run.drift(
            [project / "capture.jsonl"],
            registry,
            Resolver(registry),
            display_root=project,
            jobs=jobs,
        )
        for jobs in (1, 2)
    ]
    assert reports[0] == reports[1]
    placed = next(s for s in reports[1].schemas if s.schema == "com.mystore.checkout@OrderPlaced")
    assert (placed.events, placed.fits, placed.fits_none) == (3600, {2: 2700, 1: 1800}, 900)
    assert str(placed.none_example) == "capture.jsonl:3"
    assert reports[1].unknown_events == 900


# -- the compiled checks against the reference validator ---------------------------------------

_REPLACEMENTS: list[Any] = [
    None,
    0,
    -1,
    1.5,
    "",
    "x",
    "ORD-1",
    "2026-01-01T00:00:00Z",
    True,
    [],
    {},
]


def _mutations(event: Any, limit: int = 80) -> Iterator[Any]:
    """The event with one value replaced (by each of a few of every JSON type) or removed."""
    places: list[tuple[Any, ...]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(event, ())]
    while stack and len(places) < limit:
        value, path = stack.pop()
        children = (
            value.items() if isinstance(value, dict) else enumerate(value[:3])
            if isinstance(value, list) else ()
        )  # fmt: skip
        for key, child in children:
            places.append((*path, key))
            stack.append((child, (*path, key)))
    yield event
    for path in places:
        for replacement in [*_REPLACEMENTS, _REMOVE]:
            changed = copy.deepcopy(event)
            parent = changed
            for key in path[:-1]:
                parent = parent[key]
            if replacement is _REMOVE:
                if isinstance(parent, dict):
                    del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(replacement)
            yield changed


_REMOVE = object()


def _hold_to_reference(registry: Registry, samples: dict[str, list[Any]]) -> tuple[int, int]:
    """Every version's compiled check against its reference on ``samples`` (by schema) and
    their mutations; (versions compiled, versions in all)."""
    resolver = Resolver(registry)
    compiled = total = 0
    for name, schema in registry.schemas.items():
        events = [mutated for event in samples.get(name, []) for mutated in _mutations(event)]
        for version in schema.versions:
            fits = VersionFits(version, resolver)
            total += 1
            compiled += fits.compiled
            for event in events:
                assert fits.fits(event) == fits.reference.is_valid(event), (
                    version.document.display,
                    json.dumps(event)[:300],
                )
    return compiled, total


def test_the_compiled_checks_agree_with_the_reference_on_the_example_catalog() -> None:
    registry = load_registry(ROOT / "registry")
    samples = {
        name: [example.content for version in schema.versions for example in version.examples]
        for name, schema in registry.schemas.items()
    }
    compiled, total = _hold_to_reference(registry, samples)
    assert compiled == total == 11  # every version of the catalog compiles


def test_a_recursive_schema_is_checked_by_the_reference_validator(tmp_path: Path) -> None:
    folder = tmp_path / "registry" / "com.example.files" / "FolderScanned"
    folder.mkdir(parents=True)
    folder.joinpath("v1.json").write_text(
        json.dumps(
            {
                "$schema": "http://json-schema.org/draft-04/schema#",
                "x-amazon-events-source": "com.example.files",
                "x-amazon-events-detail-type": "Folder Scanned",
                "type": "object",
                "required": ["source", "detail-type", "detail"],
                "properties": {"detail": {"$ref": "#/definitions/Folder"}},
                "definitions": {
                    "Folder": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string"},
                            "children": {
                                "type": "array",
                                "items": {"$ref": "#/definitions/Folder"},
                            },
                        },
                    }
                },
            }
        ),
        encoding="utf-8",
    )
    registry = load_registry(tmp_path / "registry")
    (version,) = registry.schemas["com.example.files@FolderScanned"].versions
    fits = VersionFits(version, Resolver(registry))
    assert not fits.compiled
    envelope = {"source": "com.example.files", "detail-type": "Folder Scanned"}
    deep = {"name": "a", "children": [{"name": "b", "children": [{"name": "c", "children": []}]}]}
    broken = copy.deepcopy(deep)
    broken["children"][0]["children"][0]["name"] = 7
    assert fits.fits({**envelope, "detail": deep})
    assert not fits.fits({**envelope, "detail": broken})
    assert fits.first_error({**envelope, "detail": broken}) == (
        "/detail/children/0/children/0/name",
        "7 is not of type 'string'",
    )


# -- the shared real-world corpus ---------------------------------------------------------------

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is absent")


@pytest.fixture(scope="module")
def corpus_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return adopt(tmp_path_factory.mktemp("corpus") / "adopter", generate=False).registry


def _whole_events() -> list[dict[str, Any]]:
    """The INDEX's entries of events with an envelope (bare details need flags per file)."""
    index = json.loads((CORPUS / "INDEX.json").read_text(encoding="utf-8"))
    return [
        entry
        for entry in index
        if entry["kind"] == "event" and not entry["shape"].startswith("bare detail")
    ]


@needs_corpus
def test_drift_on_the_corpus_reports_exactly_the_events_its_index_records_as_not_validating(
    corpus_registry: Path,
) -> None:
    registry = load_registry(corpus_registry)
    resolver = Resolver(registry)
    checked = {"invalid": 0, "valid": 0}
    for entry in _whole_events():
        report = drift_run.drift([CORPUS / entry["file"]], registry, resolver, display_root=CORPUS)
        if report.unknown:
            continue  # no schema of the registry has its source and detail-type
        # What the INDEX records of the whole event (envelope and detail) against a schema.
        verdicts = [
            record for record in entry["validation"] if record["target"].startswith("whole event")
        ]
        if not verdicts:
            continue
        reported = [schema for schema in report.schemas if schema.fits_none]
        if all(record["status"] == "invalid" for record in verdicts):
            checked["invalid"] += 1
            (schema,) = reported
            error = schema.first_error
            assert error is not None
            recorded = [problem for record in verdicts for problem in record.get("errors", [])]
            assert f"{error.pointer}: {error.message}" in recorded, entry["file"]
            assert str(schema.none_example) == entry["file"] + ":1"
        else:
            checked["valid"] += 1
            assert not reported, (entry["file"], reported)
    assert checked["invalid"] >= 4 and checked["valid"] >= 8, checked


@needs_corpus
def test_drift_reads_every_corpus_event_in_one_run(corpus_registry: Path) -> None:
    project = corpus_registry.parent
    files = [str(CORPUS / entry["file"]) for entry in _whole_events()]
    code, out, err = run_cli(["drift", *files, "--format", "json"], project)
    assert code == 1 and err == ""
    document = json.loads(out)
    expected = sum(
        len(e["source"]) if isinstance(e["source"], list) else 1 for e in _whole_events()
    )
    assert document["events"] == expected
    known = sum(schema["events"] for schema in document["schemas"])
    assert known + document["unknown_events"] == expected


@needs_corpus
def test_the_compiled_checks_agree_with_the_reference_on_the_corpus(
    corpus_registry: Path,
) -> None:
    registry = load_registry(corpus_registry)
    by_pair = {
        (version.source, version.detail_type): name
        for name, schema in registry.schemas.items()
        for version in schema.versions
    }
    samples: dict[str, list[Any]] = {}
    for name, schema in registry.schemas.items():
        samples[name] = [e.content for version in schema.versions for e in version.examples]
    for entry in _whole_events():
        event = json.loads((CORPUS / entry["file"]).read_text(encoding="utf-8"))
        if isinstance(event, dict):
            name = by_pair.get((event.get("source"), event.get("detail-type")))
            if name is not None:
                samples[name].append(event)
    compiled, total = _hold_to_reference(registry, samples)
    assert compiled >= total // 2, (compiled, total)
