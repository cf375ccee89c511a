"""`eventcontracts import` on input that would lose data or crash it: one line, exit 2.

Real files in tmp_path, the real CLI, as tests/test_import.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CliRunner, Recorder, delivered_event, write_schema


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "team"
    (root / "registry").mkdir(parents=True)
    (root / "eventcontracts.toml").write_text("[registry]\n")
    return root


def _carrier(detail_type: str) -> dict[str, object]:
    return {
        "x-amazon-events-source": "com.example.orders",
        "x-amazon-events-detail-type": detail_type,
        "type": "object",
        "properties": {"orderId": {"type": "string"}},
    }


def test_two_events_of_one_document_in_one_folder_are_refused_not_one_lost(
    project: Path, cli: CliRunner
) -> None:
    document = {
        "openapi": "3.0.0",
        "info": {"title": "Orders", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {"Order Created": _carrier("Created"), "Order  Created": _carrier("Made")}
        },
    }
    write_schema(project / "in" / "orders.json", document)

    result = cli(["import", "in/orders.json"], project)

    assert result.code == 2, result.both
    assert len(result.err.splitlines()) == 1 and result.err.startswith("error: in/orders.json: ")
    assert "component Order Created (detail-type 'Created')" in result.err
    assert "component Order  Created (detail-type 'Made')" in result.err
    assert "both become schema folder OrderCreated" in result.err
    assert not any((project / "registry").iterdir())  # nothing half-written


@pytest.mark.parametrize(
    ("detail", "says"),
    [
        ("[" * 5000 + "]" * 5000, "entry 1: Detail: nested more than 64 levels deep"),
        ('{"orderId": "A", "orderId": "B"}', "entry 1: Detail: key 'orderId' appears twice"),
        ('{"total": 1e400}', "entry 1: Detail: the number 1e400 is beyond a double"),
        ("[" * 64 + "]" * 64, "as a delivered event: nested more than 64 levels deep"),
    ],
    ids=["deep", "duplicate-key", "beyond-a-double", "deep-once-in-its-envelope"],
)
def test_a_put_events_detail_is_read_within_bounds_or_refused_in_one_line(
    project: Path, cli: CliRunner, detail: str, says: str
) -> None:
    entry = {"Source": "com.example.orders", "DetailType": "Created", "Detail": detail}
    write_schema(project / "events" / "request.json", {"Entries": [entry]})

    result = cli(["import", "--events", "events/request.json"], project)

    assert result.code == 2, result.both
    assert len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith("error: events/request.json: ") and says in result.err
    assert "internal error" not in result.both


def test_an_event_for_a_schema_whose_refs_loop_in_place_is_refused_naming_the_version(
    project: Path, cli: CliRunner
) -> None:
    looping = {
        "title": "Loop",
        "type": "object",
        "properties": {"x": {"$ref": "#/definitions/A"}},
        "definitions": {
            "A": {"anyOf": [{"$ref": "#/definitions/B"}]},
            "B": {"allOf": [{"$ref": "#/definitions/A"}]},
        },
    }
    identity = ["--source", "com.example.loops", "--detail-type", "Looped"]
    write_schema(project / "in" / "loop.json", looping)
    assert cli(["import", "in/loop.json", *identity], project).code == 0
    write_schema(project / "events" / "loop.json", {"x": 1})

    result = cli(["import", "--events", "events/loop.json", *identity], project)

    assert result.code == 2, result.both
    assert result.err.splitlines() == [
        "error: events/loop.json: registry/com.example.loops/Loop/v1.json: the $ref at "
        "/definitions/Loop/properties/x/$ref comes back to itself through $ref, allOf, anyOf, "
        "oneOf or not without going into the event, so no event can be validated against it; "
        "run 'eventcontracts lint' (L402)"
    ]
    assert not (project / "registry/com.example.loops/Loop/examples").exists()


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("a" * 300, "has 300 characters, more than EventBridge's 256; pass --source"),
        ("abc\udcff", "source 'abc\\udcff' is not text that can be written as UTF-8"),
        # Within EventBridge's limit, but one byte over the file system's for a folder name.
        ("a" * 256, f"cannot write registry/{'a' * 256}/Ticket (File name too long)"),
        ("in.the.way", "cannot write registry/in.the.way/Ticket (Not a directory)"),
    ],
    ids=["over-256", "undecodable", "folder-name-too-long", "a-file-in-the-way"],
)
def test_a_source_that_cannot_become_a_folder_is_one_line_not_a_crash(
    project: Path, cli: CliRunner, source: str, says: str
) -> None:
    write_schema(project / "in" / "ticket.json", {"type": "object", "title": "Ticket"})
    (project / "registry" / "in.the.way").write_text("a file where the source folder goes\n")

    result = cli(["import", "in/ticket.json", "--source", source, "--detail-type", "T"], project)

    assert result.code == 2, result.both
    assert len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith("error: in/ticket.json: ") and says in result.err
    assert [path.name for path in (project / "registry").iterdir()] == ["in.the.way"]


def test_events_follow_the_allow_remote_refs_setting(
    project: Path, cli: CliRunner, recorder: Recorder
) -> None:
    identity = ["--source", "com.example.pay", "--detail-type", "Paid"]
    write_schema(project / "in" / "paid.json", {"title": "Paid", "type": "object"})
    assert cli(["import", "in/paid.json", *identity], project).code == 0
    # The team's registry moves the currency to a URL (import itself copies only whole files).
    version = project / "registry/com.example.pay/Paid/v1.json"
    document = json.loads(version.read_text(encoding="utf-8"))
    document["definitions"]["Paid"]["properties"] = {"currency": {"$ref": recorder.url}}
    write_schema(version, document)
    for currency in ("EUR", "USD"):
        event = delivered_event("com.example.pay", "Paid", {"currency": currency}, currency)
        write_schema(project / "events" / f"{currency}.json", event)
    files = ["events/EUR.json", "events/USD.json"]

    off = cli(["import", "--events", *files], project)
    config = project / "eventcontracts.toml"
    config.write_text("[registry]\nallow-remote-refs = true\n")
    on = cli(["import", "--events", *files], project)

    assert off.code == 1 and "filed" not in off.out, off.both
    assert on.code == 1, on.both
    assert "filed registry/com.example.pay/Paid/examples/v1/EUR.json from events/EUR.json" in on.out
    (rejected,) = [line for line in on.out.splitlines() if line.startswith("  rejected")]
    assert (
        "events/USD.json: fits no version" in rejected and "'USD' is not one of ['EUR']" in rejected
    )


def test_a_component_name_with_pointer_characters_is_escaped_in_the_detail_ref(
    project: Path, cli: CliRunner
) -> None:
    document = {
        "openapi": "3.0.0",
        "info": {"title": "Orders", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Orders/Created~v1": _carrier("Created")}},
    }
    write_schema(project / "in" / "orders.json", document)

    result = cli(["import", "in/orders.json"], project)

    assert result.code == 0, result.both
    written = project / "registry/com.example.orders/OrdersCreatedV1/v1.json"
    envelope = json.loads(written.read_text(encoding="utf-8"))["components"]["schemas"]["AWSEvent"]
    assert envelope["properties"]["detail"] == {"$ref": "#/components/schemas/Orders~1Created~0v1"}
    assert cli(["lint"], project).code == 0


def test_a_file_that_is_not_json_names_its_line_once(project: Path, cli: CliRunner) -> None:
    write_schema(project / "in" / "broken.json", '{"type": "object",\n')

    result = cli(["import", "in/broken.json"], project)

    assert result.code == 2, result.both
    (line,) = result.err.splitlines()
    assert line.startswith("error: in/broken.json: invalid JSON: ")
    assert line.count("line 2") == 1 and line.endswith("; fix the file and import it again")


def test_the_summary_of_events_counts_files_read_and_events_filed(
    project: Path, cli: CliRunner
) -> None:
    identity = ["--source", "com.example.orders", "--detail-type", "Created"]
    write_schema(project / "in" / "order.json", {"title": "Order", "type": "object"})
    assert cli(["import", "in/order.json", *identity], project).code == 0
    entries = [
        {"Source": "com.example.orders", "DetailType": "Created", "Detail": json.dumps({"n": n})}
        for n in range(3)
    ]
    write_schema(project / "events" / "request.json", {"Entries": entries})

    result = cli(["import", "--events", "events/request.json"], project)

    assert result.code == 0, result.both
    assert result.out.splitlines()[-1].startswith("1 file read: 3 imported, 0 rejected, 0 refused.")
