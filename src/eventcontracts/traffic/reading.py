"""``read_events``: every event of the captures named, in order, one at a time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from eventcontracts.traffic.files import capture_files, display_name, open_text
from eventcontracts.traffic.model import CapturedEvent, TrafficError
from eventcontracts.traffic.shapes import events_of
from eventcontracts.traffic.stream import json_values


def read_events(
    paths: Sequence[Path],
    *,
    display_root: Path,
    source: str | None = None,
    detail_type: str | None = None,
) -> Iterator[CapturedEvent]:
    """The events of ``paths`` (files, or folders read recursively in path order), streamed.

    ``display_root`` is what the shown paths are relative to (the project's root). ``source``
    and ``detail_type`` are given to bare details, which are refused without them. A capture
    that cannot be read raises :class:`TrafficError` with one line naming ``file:line``.
    """
    if (source is None) != (detail_type is None):
        raise TrafficError("--source and --detail-type go together: pass both or neither")
    for path in capture_files(paths):
        shown = display_name(path, display_root)
        yield from _file_events(path, shown, source=source, detail_type=detail_type)


def _file_events(
    path: Path, shown: str, *, source: str | None, detail_type: str | None
) -> Iterator[CapturedEvent]:
    index = 0
    try:
        with open_text(path, shown) as text:
            for value, line in json_values(text, shown):
                where = f"{shown}:{line}"
                for event in events_of(value, where, source=source, detail_type=detail_type):
                    yield CapturedEvent(event, shown, line, index)
                    index += 1
    except OSError as error:  # a folder named as a file, a file gone while reading
        reason = error.strerror or str(error)
        raise TrafficError(f"{shown}: cannot be read ({reason}); check it") from None
