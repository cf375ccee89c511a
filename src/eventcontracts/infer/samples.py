"""Which captured events are filed as a version's examples: a few, the ones that show the most.

At most :data:`MAX_SAMPLES` per version, chosen in the order the traffic came (so the same
traffic files the same samples): the first event, then each event whose detail has a field (a
path and a JSON type) that no event kept so far has, until the limit. The examples a reviewer
opens then show every optional field and every type the schema was widened for, not five copies
of the commonest event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from eventcontracts.infer.shape import MAX_DEPTH
from eventcontracts.schema.values import json_type
from eventcontracts.traffic import CapturedEvent

MAX_SAMPLES = 5
# The fields of one detail that are looked at; a hostile one with more adds nothing.
_MAX_FIELDS = 2000
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass
class Samples:
    kept: list[CapturedEvent] = field(default_factory=list)
    covered: set[tuple[str, str]] = field(default_factory=set)

    def offer(self, captured: CapturedEvent, detail: Any) -> None:
        if len(self.kept) >= MAX_SAMPLES:
            return
        fields = fields_of(detail)
        if self.kept and fields <= self.covered:
            return
        self.kept.append(captured)
        self.covered |= fields


def fields_of(detail: Any) -> set[tuple[str, str]]:
    """The (path, JSON type) pairs of ``detail``: ``("/items/*/sku", "string")``."""
    found: set[tuple[str, str]] = set()
    stack: list[tuple[str, Any, int]] = [("", detail, 0)]
    while stack and len(found) < _MAX_FIELDS:
        path, value, depth = stack.pop()
        found.add((path or "/", json_type(value)))
        if depth >= MAX_DEPTH:
            continue
        if isinstance(value, dict):
            stack.extend((f"{path}/{key}", item, depth + 1) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}/*", item, depth + 1) for item in value)
    return found


def stem_of(captured: CapturedEvent) -> str:
    """The example's file name (without ``.json``): the capture's name and the event's place
    among its events (``orders-3``: the third event of ``orders.jsonl``)."""
    name = PurePosixPath(captured.file).name.split(".")[0]
    name = _UNSAFE.sub("_", name).strip("_")[:60] or "event"
    return f"{name}-{captured.index + 1}"
