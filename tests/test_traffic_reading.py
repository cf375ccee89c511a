"""Reading captured events (``eventcontracts.traffic``): every form a capture takes, in order,
with the line each event starts on, and one line naming ``file:line`` for what cannot be read."""

from __future__ import annotations

import gzip
import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from corpus import CORPUS
from eventcontracts.bounded import MAX_DEPTH
from eventcontracts.traffic import CapturedEvent, TrafficError, read_events
from eventcontracts.traffic.model import MAX_VALUE_CHARS


def _event(
    number: int, source: str = "shop.orders", detail_type: str = "OrderPlaced"
) -> dict[str, Any]:
    return {
        "version": "0",
        "id": f"00000000-0000-0000-0000-{number:012d}",
        "source": source,
        "detail-type": detail_type,
        "account": "123456789012",
        "time": "2024-05-01T10:00:00Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": {"orderId": f"o-{number}", "total": 12.5, "items": [{"sku": "A"}]},
    }


def _read(tmp_path: Path, *paths: Path, **names: str) -> list[CapturedEvent]:
    return list(read_events(list(paths), display_root=tmp_path, **names))


def _refusal(tmp_path: Path, path: Path, **names: str) -> str:
    with pytest.raises(TrafficError) as caught:
        _read(tmp_path, path, **names)
    message = str(caught.value)
    assert "\n" not in message
    return message


# -- every form -------------------------------------------------------------------------------


def test_one_event_in_a_json_file(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(_event(1), indent=2))
    (read,) = _read(tmp_path, path)
    assert read == CapturedEvent(_event(1), "one.json", 1, 0)
    assert read.where == "one.json:1"


def test_an_array_of_events_gives_each_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text("[\n" + ",\n".join(json.dumps(_event(n)) for n in range(3)) + "\n]\n")
    read = _read(tmp_path, path)
    assert [e.event for e in read] == [_event(n) for n in range(3)]
    assert [(e.line, e.index) for e in read] == [(2, 0), (3, 1), (4, 2)]


def test_an_empty_array_holds_no_events(tmp_path: Path) -> None:
    path = tmp_path / "none.json"
    path.write_text("[ ]")
    assert _read(tmp_path, path) == []


def test_json_lines_and_ndjson(tmp_path: Path) -> None:
    for name in ("events.jsonl", "events.ndjson"):
        path = tmp_path / name
        path.write_text("".join(json.dumps(_event(n)) + "\r\n" for n in range(4)) + "\n\n")
        read = _read(tmp_path, path)
        assert [e.event for e in read] == [_event(n) for n in range(4)]
        assert [e.line for e in read] == [1, 2, 3, 4]


def test_objects_concatenated_with_no_separator_as_firehose_writes_them(tmp_path: Path) -> None:
    path = tmp_path / "firehose-1-2024-05-01-10-00-00-abc"  # Firehose objects have no suffix
    path.write_text("".join(json.dumps(_event(n)) for n in range(5)))
    read = _read(tmp_path, path)
    assert [e.event for e in read] == [_event(n) for n in range(5)]
    assert {e.line for e in read} == {1}
    assert [e.index for e in read] == list(range(5))


def test_a_put_events_request_becomes_the_events_it_puts(tmp_path: Path) -> None:
    request = {
        "Entries": [
            {
                "Source": "shop.orders",
                "DetailType": "OrderPlaced",
                "Detail": json.dumps({"orderId": "o-1"}),
                "Resources": ["arn:aws:s3:::b"],
                "Time": "2024-05-01T10:00:00Z",
                "EventBusName": "orders",
            },
            {"Source": "shop.orders", "DetailType": "OrderShipped", "Detail": "{}"},
        ]
    }
    path = tmp_path / "request.json"
    path.write_text(json.dumps(request))
    assert [e.event for e in _read(tmp_path, path)] == [
        {
            "source": "shop.orders",
            "detail-type": "OrderPlaced",
            "detail": {"orderId": "o-1"},
            "resources": ["arn:aws:s3:::b"],
            "time": "2024-05-01T10:00:00Z",
        },
        {"source": "shop.orders", "detail-type": "OrderShipped", "detail": {}},
    ]


def test_put_events_entries_as_a_bare_array(tmp_path: Path) -> None:
    path = tmp_path / "entries.json"
    path.write_text(json.dumps([{"Source": "s", "DetailType": "D", "Detail": '{"a": 1}'}]))
    assert [e.event for e in _read(tmp_path, path)] == [
        {"source": "s", "detail-type": "D", "detail": {"a": 1}}
    ]


def test_a_put_events_detail_that_is_not_json_is_named(tmp_path: Path) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"Entries": [{"Source": "s", "DetailType": "D", "Detail": "{"}]}))
    message = _refusal(tmp_path, path)
    assert message.startswith("request.json:1: Entries[0]: Detail is not JSON")


def test_a_cloudwatch_logs_export_with_timestamps(tmp_path: Path) -> None:
    path = tmp_path / "000000"
    path.write_text(
        "".join(f"2024-05-01T10:00:0{n}.000Z {json.dumps(_event(n))}\n" for n in range(3))
    )
    read = _read(tmp_path, path)
    assert [e.event for e in read] == [_event(n) for n in range(3)]
    assert [e.line for e in read] == [1, 2, 3]


def test_a_cloudwatch_logs_subscription_message(tmp_path: Path) -> None:
    message = {
        "messageType": "DATA_MESSAGE",
        "owner": "123456789012",
        "logGroup": "/aws/events/orders",
        "logStream": "s",
        "subscriptionFilters": ["all"],
        "logEvents": [
            {"id": str(n), "timestamp": 1714557600000, "message": json.dumps(_event(n))}
            for n in range(2)
        ],
    }
    control = {"messageType": "CONTROL_MESSAGE", "logEvents": [{"message": "CWL CONTROL"}]}
    path = tmp_path / "subscription.json"
    path.write_text(json.dumps(control) + "\n" + json.dumps(message) + "\n")
    read = _read(tmp_path, path)
    assert [e.event for e in read] == [_event(0), _event(1)]
    assert [e.line for e in read] == [2, 2]


def test_gzip_of_each_form_by_its_content_not_its_name(tmp_path: Path) -> None:
    lines = "".join(json.dumps(_event(n)) + "\n" for n in range(3))
    (tmp_path / "events.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    (tmp_path / "export").write_bytes(gzip.compress(f"2024-05-01T10:00:00Z {lines}".encode()))
    for name in ("events.jsonl.gz", "export"):
        read = _read(tmp_path, tmp_path / name)
        assert [e.event for e in read][:1] == [_event(0)]
    assert len(_read(tmp_path, tmp_path / "events.jsonl.gz")) == 3


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_a_pipe_is_read_as_a_file_is(tmp_path: Path, compress: bool) -> None:
    # What `drift <(aws s3 cp s3://bucket/object -)` names: a pipe, which cannot seek back.
    lines = "".join(json.dumps(_event(n)) + "\n" for n in range(3)).encode()
    data = gzip.compress(lines) if compress else lines
    with subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE) as cat:
        assert cat.stdin is not None and cat.stdout is not None
        cat.stdin.write(data)
        cat.stdin.close()
        read = _read(tmp_path, Path(f"/dev/fd/{cat.stdout.fileno()}"))
    assert [e.event for e in read] == [_event(n) for n in range(3)]


def test_a_folder_is_read_recursively_in_path_order_and_only_capture_suffixes(
    tmp_path: Path,
) -> None:
    captures = tmp_path / "captures"
    (captures / "b").mkdir(parents=True)
    (captures / "a" / "z").mkdir(parents=True)
    files = {
        "b/1.json": _event(4),
        "a/z/9.jsonl": _event(2),
        "a/2.ndjson": _event(1),
        "a/10.json": _event(0),
        "c.json": _event(5),
    }
    for name, event in files.items():
        (captures / name).write_text(json.dumps(event))
    (captures / "a" / "z" / "zz.gz").write_bytes(gzip.compress(json.dumps(_event(3)).encode()))
    (captures / "a" / "notes.txt").write_text("not an event")
    (captures / "README.md").write_text("# not an event")
    read = _read(tmp_path, captures)
    assert [e.event["id"][-1] for e in read] == ["0", "1", "2", "3", "4", "5"]
    assert [e.file for e in read][:2] == ["captures/a/10.json", "captures/a/2.ndjson"]


def test_a_file_outside_the_display_root_is_shown_as_given(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(_event(1)))
    (read,) = read_events([path], display_root=tmp_path / "elsewhere")
    assert read.file == path.as_posix()


def test_a_bare_detail_is_refused_unless_its_source_and_detail_type_are_named(
    tmp_path: Path,
) -> None:
    path = tmp_path / "detail.json"
    path.write_text('{"orderId": "o-1"}')
    assert "detail.json:1: a bare detail" in _refusal(tmp_path, path)
    assert "--source and --detail-type" in _refusal(tmp_path, path)
    (read,) = _read(tmp_path, path, source="shop.orders", detail_type="OrderPlaced")
    assert read.event == {
        "source": "shop.orders",
        "detail-type": "OrderPlaced",
        "detail": {"orderId": "o-1"},
    }
    assert "go together" in _refusal(tmp_path, path, source="shop.orders")


# -- hostile input ----------------------------------------------------------------------------


def test_a_line_that_is_not_json_names_its_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(_event(1)) + "\n" + '{"source": "x", oops}\n')
    message = _refusal(tmp_path, path)
    assert message.startswith("events.jsonl:2: not JSON (Expecting property name")
    path.write_text(json.dumps(_event(1)) + "\nhello world\n")
    assert _refusal(tmp_path, path).startswith("events.jsonl:2: not JSON")


def test_a_file_cut_short_is_named(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text("[\n" + json.dumps(_event(1)) + ",\n" + json.dumps(_event(2))[:40])
    assert _refusal(tmp_path, path).startswith("cut.json:3: not JSON")
    path.write_text("[\n" + json.dumps(_event(1)) + ",\n")
    assert "cut short" in _refusal(tmp_path, path)


def test_a_huge_line_is_refused_after_reading_only_a_bounded_part(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("w") as stream:
        stream.write(json.dumps(_event(1)) + "\n")
        stream.write('{"source": "x", "detail": "')
        stream.write("x" * (MAX_VALUE_CHARS + 10))
        stream.write('"}\n')
    message = _refusal(tmp_path, path)
    assert message.startswith("huge.jsonl:2: a JSON value longer than 4 MiB")


def test_deep_nesting_is_refused_at_the_limit_and_far_beyond_it(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    fits = {"source": "s", "detail-type": "D", "detail": {}}
    inner: dict[str, Any] = fits["detail"]
    for _ in range(MAX_DEPTH - 2):  # the event and its detail are two levels
        inner["a"] = {}
        inner = inner["a"]
    path.write_text(json.dumps(fits))
    assert len(_read(tmp_path, path)) == 1
    inner["a"] = {}
    path.write_text(json.dumps(fits))
    assert "deep.json:1: nested more than 64 levels deep" in _refusal(tmp_path, path)
    path.write_text("\n" + "[" * 100_000 + "]" * 100_000)  # beyond Python's recursion limit
    assert "deep.json:2: nested more than 64 levels deep" in _refusal(tmp_path, path)


def test_numbers_json_cannot_hold_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "numbers.jsonl"
    for value in ("NaN", "1e400", "9" * 5000):
        path.write_text(f'{{"source": "s", "detail-type": "D", "detail": {{"n": {value}}}}}\n')
        assert _refusal(tmp_path, path).startswith("numbers.jsonl:1: ")


def test_a_binary_file_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "image.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 10)
    assert "image.json:1: not UTF-8 text (a binary file?)" in _refusal(tmp_path, path)
    path.write_bytes(b"\x1f\x8b\x08\x00garbage")  # gzip magic, not gzip
    assert _refusal(tmp_path, path).startswith("image.json: cannot be read")


def test_values_that_are_not_events_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "values.json"
    path.write_text('[{"source": "s", "detail-type": "D", "detail": {}}, "text"]')
    assert _refusal(tmp_path, path) == (
        "values.json:1: a JSON string where an event (an object) was expected; drop it"
    )


def test_a_missing_path_is_one_line(tmp_path: Path) -> None:
    assert "no such file or folder" in _refusal(tmp_path, tmp_path / "absent.jsonl")


def test_100000_events_read_in_well_under_two_seconds(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl.gz"
    path.write_bytes(
        gzip.compress("".join(json.dumps(_event(n)) + "\n" for n in range(100_000)).encode())
    )
    started = time.perf_counter()
    count = sum(1 for _ in read_events([path], display_root=tmp_path))
    elapsed = time.perf_counter() - started
    assert count == 100_000
    assert elapsed < 2.0, f"{elapsed:.2f} s"


# -- the shared real-world corpus ---------------------------------------------------------------

EVENTS = CORPUS / "events"
needs_corpus = pytest.mark.skipif(not EVENTS.is_dir(), reason="the shared corpus is absent")


def _index_events() -> list[dict[str, Any]]:
    index = json.loads((CORPUS / "INDEX.json").read_text(encoding="utf-8"))
    return [entry for entry in index if entry["kind"] == "event"]


def _count(entry: dict[str, Any]) -> int:
    """How many events an INDEX entry holds: a list of sources is one per PutEvents entry."""
    return len(entry["source"]) if isinstance(entry["source"], list) else 1


@needs_corpus
def test_the_corpus_reads_as_its_index_records_it() -> None:
    entries = _index_events()
    bare = [e for e in entries if e["shape"].startswith("bare detail")]
    whole = [e for e in entries if e not in bare]
    assert bare and whole
    # The forms the INDEX documents as bare details are refused, naming the file.
    for entry in bare:
        with pytest.raises(TrafficError, match="a bare detail"):
            list(read_events([CORPUS / entry["file"]], display_root=CORPUS))
    # Every other event reads, with the source and detail-type the INDEX records.
    read = list(read_events([CORPUS / e["file"] for e in whole], display_root=CORPUS))
    assert len(read) == sum(_count(e) for e in whole)
    by_file: dict[str, list[tuple[Any, Any]]] = {}
    for each in read:
        by_file.setdefault(each.file, []).append((each.event["source"], each.event["detail-type"]))
    for entry in whole:
        sources, types = entry["source"], entry["detail_type"]
        expected = (
            list(zip(sources, types, strict=True))
            if isinstance(sources, list)
            else [(sources, types)]
        )
        assert by_file[entry["file"]] == expected


@needs_corpus
def test_the_corpus_folder_reads_whole_when_bare_details_are_named() -> None:
    read = list(read_events([EVENTS], display_root=CORPUS, source="s", detail_type="D"))
    assert len(read) == sum(_count(e) for e in _index_events())
    assert [e.file for e in read] == sorted(e.file for e in read)
