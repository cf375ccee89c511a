"""The prebuilt search index: every event and every field, as a script the pages load.

Compact on purpose (1,000 schemas of 5 versions make tens of thousands of fields): rows are
arrays, not objects of repeated keys, a field names its event by index, and a field that several
versions of a schema share is listed once, linked to the latest version that has it.

``window.EVENTCONTRACTS_SEARCH = {"events": [[name, source, detailType, description, page],
...], "fields": [[path, description, eventIndex, versions, anchor], ...]}``; a field's link is
``events[eventIndex][4] + "#" + anchor``. Loaded from a ``<script src>`` so that it works from
``file://``, where ``fetch()`` does not.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from eventcontracts.catalog.model import SchemaEntry
from eventcontracts.catalog.treewalk import shown_nodes

# Descriptions are cut in the index (the page has them whole): the index stays small.
DESCRIPTION_CHARS = 160


@dataclass(frozen=True)
class EventRow:
    name: str
    source: str
    detail_type: str
    description: str
    page: str  # relative to the site's root


@dataclass(frozen=True)
class FieldRow:
    path: str
    description: str
    versions: str  # "v1-v3", "v2"
    anchor: str


def schema_rows(entry: SchemaEntry) -> tuple[EventRow, tuple[FieldRow, ...]]:
    """The event and its fields, each field once over all versions."""
    latest = entry.latest
    event = EventRow(
        name=entry.name,
        source=entry.source,
        detail_type=latest.detail_type,
        description=_short(latest.description or latest.title or ""),
        page=f"schemas/{entry.slug}.html",
    )
    seen: dict[str, tuple[list[int], str, str]] = {}  # path -> (versions, description, anchor)
    for version in entry.versions:  # oldest first: the latest version's words and anchor win
        for node, anchor in shown_nodes(version.tree, version.version):
            if not node.path:
                continue
            numbers = seen[node.path][0] if node.path in seen else []
            if not numbers or numbers[-1] != version.version:
                numbers.append(version.version)
            seen[node.path] = (numbers, _short(node.description or node.title or ""), anchor)
    fields = tuple(
        FieldRow(path, description, _versions(numbers), anchor)
        for path, (numbers, description, anchor) in sorted(seen.items())
    )
    return event, fields


def _versions(numbers: Sequence[int]) -> str:
    """``v2`` for one version, ``v1-v3`` for a run, ``v1, v3`` otherwise."""
    if len(numbers) == 1:
        return f"v{numbers[0]}"
    if list(numbers) == list(range(numbers[0], numbers[-1] + 1)):
        return f"v{numbers[0]}-v{numbers[-1]}"
    return ", ".join(f"v{number}" for number in numbers)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DESCRIPTION_CHARS else text[: DESCRIPTION_CHARS - 1] + "…"


def index_script(rows: Iterable[tuple[EventRow, tuple[FieldRow, ...]]]) -> str:
    """``assets/search-index.js``: events in name order, then their fields."""
    events: list[list[Any]] = []
    fields: list[list[Any]] = []
    for number, (event, event_fields) in enumerate(sorted(rows, key=lambda row: row[0].name)):
        events.append([event.name, event.source, event.detail_type, event.description, event.page])
        fields.extend(
            [field.path, field.description, number, field.versions, field.anchor]
            for field in event_fields
        )
    data = json.dumps(
        {"events": events, "fields": fields}, ensure_ascii=False, separators=(",", ":")
    )
    return f"window.EVENTCONTRACTS_SEARCH = {script_safe(data)};\n"


# Characters that could end the script or a line inside it: escaped as JSON allows.
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_safe(json_text: str) -> str:
    """JSON text safe to put in a script: no ``</script>``, ``<!--`` or line terminators."""
    return json_text.translate(str.maketrans(_SCRIPT_ESCAPES))  # type: ignore[arg-type]
