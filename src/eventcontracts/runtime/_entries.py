"""Turning detail models into PutEvents entries, measuring them, and packing them into requests."""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from pydantic import BaseModel
from pydantic_core import PydanticSerializationError

from ._model import EventModel

# EventBridge accepts at most 10 entries in one PutEvents request.
MAX_ENTRIES_PER_REQUEST = 10

# Per the "Calculating Amazon EventBridge PutEvents event entry size" page, a set Time counts as
# a fixed 14 bytes whatever its value.
_TIME_BYTES = 14


@lru_cache(maxsize=4096)
def event_class_keys(cls: type[EventModel]) -> tuple[str, str]:
    """(SOURCE, DETAIL_TYPE) of a detail model class; a TypeError names what is missing.

    Worked out once per class (a TypeError is not kept): every published event asks."""
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


class Checked(NamedTuple):
    """An event validated as it goes on the wire, and that wire form: its Detail string.

    A named tuple: one is made per event, and a frozen dataclass costs several times as much to
    make."""

    event: EventModel
    detail: str


def checked(event: EventModel) -> Checked:
    """``event`` (of a class :func:`checked_class` accepted) validated once, in the form it is
    sent in, and its Detail string.

    Models built with ``model_construct`` or mutated after creation (assignment is not validated
    by default) would otherwise reach the bus unchecked, so the JSON form of the event (wire
    names, only what was set: :func:`wire_detail`) is validated with the event's own model: what
    is validated is what is sent, and the validated copy is what the results report. One dump,
    one validation, one encoding per event. Raises pydantic's ValidationError.
    """
    cls = type(event)  # a class checked_class accepted: publish checks every event first
    try:
        # warnings=False: dumping a wrongly typed value warns, and validation reports it properly.
        plain = event.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)
    except PydanticSerializationError:
        # A value of a type JSON has no form for (set by assignment): the object itself is
        # validated, so the error is pydantic's ValidationError naming the field.
        raw = event.model_dump(by_alias=True, exclude_unset=True, warnings=False)
        cls.model_validate(raw)
        raise  # validation accepted what cannot be written: say that
    return Checked(cls.model_validate(plain), encode_detail(plain))


def wire_detail(model: BaseModel) -> dict[str, Any]:
    """``model`` as the JSON object that goes on the wire: wire names, and only what was set.

    A field the producer never set is absent from the event, whatever default the model has:
    the schema's ``default`` documents what a reader may assume, it is not sent (and most
    schemas do not allow null there). What was read from an event is written back as it was
    read, so a consumer that forwards or logs a detail hands on the same JSON.
    """
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def detail_json(event: EventModel) -> str:
    """The Detail string of ``event``: :func:`wire_detail` encoded by :func:`encode_detail`."""
    return encode_detail(wire_detail(event))


def encode_detail(plain: Mapping[str, Any]) -> str:
    """A detail's JSON object as its Detail string: keys sorted at every level.

    Sorted keys make the same event always produce the same bytes, whatever order its extra
    properties arrived in, so sizes, hashes and diffs of published events are reproducible.
    ``ensure_ascii=False`` keeps the UTF-8 form EventBridge measures, not a longer escaped one;
    ``allow_nan=False`` refuses NaN and Infinity, which are not JSON and which EventBridge rejects.
    """
    return _encode_sorted(plain)


def _sorted_encoder() -> Callable[[Mapping[str, Any]], str]:
    """What ``json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    allow_nan=False)`` returns, made once rather than per Detail.

    json.dumps with options builds an encoder on each call, and that encoder builds CPython's C
    encoder on each call: a fifth of the encoding of a small detail. The C encoder is made once
    here (details are fresh trees of dicts and lists from pydantic, which cannot refer to
    themselves: no check for cycles); an interpreter without it gets the same bytes from one
    reused JSONEncoder.
    """
    reused = json.JSONEncoder(
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        check_circular=False,
    )
    make_c_encoder = getattr(json.encoder, "c_make_encoder", None)
    if make_c_encoder is None:
        return reused.encode
    # (markers, default, encoder, indent, key_separator, item_separator, sort_keys, skipkeys,
    # allow_nan), as json.encoder passes them.
    c_encoder = make_c_encoder(
        None, reused.default, json.encoder.encode_basestring, None, ":", ",", True, False, False
    )

    def encode(plain: Mapping[str, Any]) -> str:
        return "".join(c_encoder(plain, 0))

    return encode


_encode_sorted = _sorted_encoder()


def new_entry(
    cls: type[EventModel], detail: str, bus: str, resources: list[str], trace: str | None
) -> dict[str, Any]:
    """The PutEvents entry of an event of ``cls`` whose Detail string is ``detail``, with its
    Resources and, when there is one, the X-Ray trace header (``_tracing``), so X-Ray links the
    producer to the rule targets; the header does not count toward the entry size."""
    source, detail_type = event_class_keys(cls)
    entry = {
        "Source": source,
        "DetailType": detail_type,
        "Detail": detail,
        "EventBusName": bus,
        "Resources": resources,
    }
    if trace is not None:
        entry["TraceHeader"] = trace
    return entry


def entry_size(entry: Mapping[str, Any]) -> int:
    """The size EventBridge charges an entry against the request limit, as AWS documents it:
    UTF-8 bytes of Source, DetailType, Detail and each Resource, plus 14 when Time is set.
    EventBusName does not count."""
    size = _TIME_BYTES if entry.get("Time") is not None else 0
    texts = [entry.get("Source"), entry.get("DetailType"), entry.get("Detail")]
    texts.extend(entry.get("Resources") or ())
    for value in texts:
        if value is not None:
            text = value if isinstance(value, str) else str(value)
            # isascii() reads a flag CPython keeps with the string: no encoding for most texts.
            size += len(text) if text.isascii() else len(text.encode("utf-8"))
    return size


@dataclass(slots=True)
class Sized:
    """An entry with its position among the caller's events and its computed size.

    Not frozen: one is made per entry sent, and a frozen dataclass costs twice as much to make.
    """

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
