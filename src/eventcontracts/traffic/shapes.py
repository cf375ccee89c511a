"""Turning one captured JSON value into the events it holds.

A value is one of:

- an event as EventBridge delivers it (``source``, ``detail-type``, ``detail``, ...);
- a PutEvents request (``{"Entries": [...]}``) or one of its entries (``Source``,
  ``DetailType``, ``Detail`` as a JSON string): each entry becomes the event it puts, with
  ``resources`` and ``time`` when the entry gives them;
- a CloudWatch Logs subscription message (``{"messageType": "DATA_MESSAGE", "logEvents":
  [{"message": "<json>"}]}``), each message being an event (a ``CONTROL_MESSAGE`` holds none);
- a bare detail (none of the above): its source and detail-type are unknown, so it is refused
  unless the caller names them (``--source``, ``--detail-type``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from eventcontracts.traffic.model import TrafficError
from eventcontracts.traffic.stream import parse_embedded


def events_of(
    value: Any, where: str, *, source: str | None, detail_type: str | None
) -> Iterator[dict[str, Any]]:
    """The events ``value`` holds; ``where`` (``file:line``) names it in a refusal."""
    if not isinstance(value, dict):
        raise TrafficError(
            f"{where}: a JSON {_kind(value)} where an event (an object) was expected; drop it"
        )
    if "detail-type" in value or ("source" in value and "detail" in value):
        yield value
    elif isinstance(value.get("Entries"), list):
        for number, entry in enumerate(value["Entries"]):
            yield _put_events_entry(entry, f"{where}: Entries[{number}]")
    elif "DetailType" in value or "Detail" in value:
        yield _put_events_entry(value, f"{where}: the PutEvents entry")
    elif "messageType" in value and "logEvents" in value:
        yield from _log_events(value, where, source=source, detail_type=detail_type)
    elif source is not None and detail_type is not None:
        yield {"source": source, "detail-type": detail_type, "detail": value}
    else:
        raise TrafficError(
            f"{where}: a bare detail (no source, detail-type or detail); pass --source and "
            "--detail-type to read bare details, or capture whole events"
        )


def _put_events_entry(entry: Any, where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise TrafficError(f"{where} is a JSON {_kind(entry)}, not an entry object; drop it")
    for key in ("Source", "DetailType", "Detail"):
        if not isinstance(entry.get(key), (str, dict) if key == "Detail" else str):
            raise TrafficError(f"{where} has no {key} string; EventBridge would refuse it")
    detail = entry["Detail"]
    event: dict[str, Any] = {
        "source": entry["Source"],
        "detail-type": entry["DetailType"],
        "detail": parse_embedded(detail, where, "Detail") if isinstance(detail, str) else detail,
    }
    if "Resources" in entry:
        event["resources"] = entry["Resources"]
    if "Time" in entry:
        event["time"] = _time(entry["Time"])
    return event


def _time(value: Any) -> Any:
    """A PutEvents ``Time`` as the event carries it: RFC 3339 (the CLI takes epoch seconds)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            moment = datetime.fromtimestamp(value, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return value
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def _log_events(
    value: dict[str, Any], where: str, *, source: str | None, detail_type: str | None
) -> Iterator[dict[str, Any]]:
    if value["messageType"] != "DATA_MESSAGE":
        return  # CONTROL_MESSAGE: CloudWatch checking the destination is reachable
    log_events = value["logEvents"]
    if not isinstance(log_events, list):
        raise TrafficError(f"{where}: logEvents is not a list; fix or drop the message")
    for number, log_event in enumerate(log_events):
        message = log_event.get("message") if isinstance(log_event, dict) else None
        place = f"{where}: logEvents[{number}]"
        if not isinstance(message, str):
            raise TrafficError(f"{place} has no message string; fix or drop it")
        inner = parse_embedded(message, place, "the message")
        yield from events_of(inner, place, source=source, detail_type=detail_type)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {str: "string", list: "array", int: "number", float: "number"}.get(type(value), "value")
