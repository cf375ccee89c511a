"""Turning detail models into PutEvents entries, measuring them, and packing them into requests."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ._model import EventModel

# EventBridge accepts at most 10 entries in one PutEvents request.
MAX_ENTRIES_PER_REQUEST = 10

# Per the "Calculating Amazon EventBridge PutEvents event entry size" page, a set Time counts as
# a fixed 14 bytes whatever its value.
_TIME_BYTES = 14


def event_class_keys(cls: type[EventModel]) -> tuple[str, str]:
    """(SOURCE, DETAIL_TYPE) of a detail model class; a TypeError names what is missing."""
    source = getattr(cls, "SOURCE", None)
    detail_type = getattr(cls, "DETAIL_TYPE", None)
    if not isinstance(source, str) or not source:
        raise TypeError(f"{cls.__qualname__} has no SOURCE: it is not a generated event model")
    if not isinstance(detail_type, str) or not detail_type:
        raise TypeError(f"{cls.__qualname__} has no DETAIL_TYPE: it is not a generated event model")
    return source, detail_type


def checked_class(event: object) -> type[EventModel]:
    """The class of ``event`` if it is a generated event model, else a TypeError saying why."""
    if not isinstance(event, EventModel):
        raise TypeError(f"only EventModel instances can be published, not {type(event).__name__}")
    cls = type(event)
    event_class_keys(cls)
    return cls


def validated(event: EventModel) -> EventModel:
    """A freshly validated copy of ``event``.

    Models built with ``model_construct`` or mutated after creation (assignment is not validated
    by default) would otherwise reach the bus unchecked; a round trip through the model's own
    validation catches both. Raises pydantic's ValidationError.
    """
    cls = checked_class(event)
    # warnings=False: dumping a wrongly typed value warns, and validation reports it properly.
    # Fields never set stay unset in the copy, so they stay out of the Detail.
    return cls.model_validate(event.model_dump(by_alias=True, warnings=False, exclude_unset=True))


def wire_detail(model: BaseModel) -> dict[str, Any]:
    """``model`` as the JSON object that goes on the wire: wire names, and only what was set.

    A field the producer never set is absent from the event, whatever default the model has:
    the schema's ``default`` documents what a reader may assume, it is not sent (and most
    schemas do not allow null there). What was read from an event is written back as it was
    read, so a consumer that forwards or logs a detail hands on the same JSON.
    """
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def detail_json(event: EventModel) -> str:
    """The Detail string: :func:`wire_detail` as JSON, keys sorted at every level.

    Sorted keys make the same event always produce the same bytes, whatever order its extra
    properties arrived in, so sizes, hashes and diffs of published events are reproducible.
    ``ensure_ascii=False`` keeps the UTF-8 form EventBridge measures, not a longer escaped one;
    ``allow_nan=False`` refuses NaN and Infinity, which are not JSON and which EventBridge rejects.
    """
    plain = wire_detail(event)
    return json.dumps(
        plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def to_entry(event: EventModel, bus: str) -> dict[str, Any]:
    """The PutEvents entry for an already validated event."""
    source, detail_type = event_class_keys(type(event))
    return {
        "Source": source,
        "DetailType": detail_type,
        "Detail": detail_json(event),
        "EventBusName": bus,
    }


def entry_size(entry: Mapping[str, Any]) -> int:
    """The size EventBridge charges an entry against the request limit, as AWS documents it:
    UTF-8 bytes of Source, DetailType, Detail and each Resource, plus 14 when Time is set.
    EventBusName does not count."""
    size = _TIME_BYTES if entry.get("Time") is not None else 0
    for key in ("Source", "DetailType", "Detail"):
        value = entry.get(key)
        if value is not None:
            size += len(str(value).encode("utf-8"))
    for resource in entry.get("Resources") or ():
        if resource is not None:
            size += len(str(resource).encode("utf-8"))
    return size


@dataclass(frozen=True)
class Sized:
    """An entry with its position among the caller's events and its computed size."""

    index: int
    entry: dict[str, Any]
    size: int


def chunks(items: Sequence[Sized], max_entries: int, max_bytes: int) -> Iterator[list[Sized]]:
    """Consecutive groups of at most ``max_entries`` entries and ``max_bytes`` total size, in order.

    Every item must itself fit in ``max_bytes``; the caller sets aside those that do not.
    """
    current: list[Sized] = []
    current_bytes = 0
    for item in items:
        if current and (len(current) >= max_entries or current_bytes + item.size > max_bytes):
            yield current
            current, current_bytes = [], 0
        current.append(item)
        current_bytes += item.size
    if current:
        yield current
