"""Putting the events held in a fallback or dead-letter queue back on the bus.

Two kinds of message are read:

- a fallback message (``_fallback``): its original entry is put again unchanged, producer event
  id included, to the bus it named (or ``bus``);
- a whole EventBridge event as JSON, as a consumer's dead-letter queue or an SQS queue's redrive
  DLQ holds it: an entry is rebuilt from it (source, detail-type, detail, time, resources) and
  put to ``bus``. It keeps its producer event id, or, when it had none, gets its original
  envelope id as the marker, so a consumer that already handled it skips it.

A message is deleted only after PutEvents accepted its entry; one whose put failed stays in the
queue (made visible again at the end of the run, for the next one). A message that is neither
kind is unreadable: it stays too, and is reported.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._clients import shared_client
from ._entries import MAX_ENTRIES_PER_REQUEST
from ._eventid import entry_event_id, stamped
from ._fallback import FALLBACK_VERSION, is_fallback_message
from ._producer import ProducerSettings, default_events_client
from ._putevents import put_entries
from ._retry import (
    describe_call_error,
    is_call_error,
)

logger = logging.getLogger(__name__)

# Long enough that a message received early in a run is not received again later in it.
_RECEIVE_VISIBILITY_SECONDS = 300
_MISSING_QUEUE_CODES = frozenset(
    {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "InvalidAddress"}
)


class RedriveError(Exception):
    """The queue cannot be read at all (it does not exist, or the URL is not a queue's)."""


class UnreadableMessage(ValueError):
    """A message that is neither a fallback message nor an EventBridge event."""


@dataclass(frozen=True)
class Left:
    """A message left in the queue, and why."""

    message_id: str
    reason: str


@dataclass
class RedriveSummary:
    """What one :func:`redrive` run did. ``redriven`` lists the producer event ids put."""

    queue_url: str
    dry_run: bool = False
    received: int = 0
    redriven: list[str] = field(default_factory=list)
    failed: list[Left] = field(default_factory=list)
    unreadable: list[Left] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.failed and not self.unreadable

    def lines(self) -> list[str]:
        verb = "would redrive" if self.dry_run else "redriven"
        out = [
            f"{self.queue_url}: {self.received} received, {len(self.redriven)} {verb}, "
            f"{len(self.failed)} failed, {len(self.unreadable)} unreadable"
        ]
        out += [f"  failed {left.message_id}: {left.reason}" for left in self.failed]
        out += [f"  unreadable {left.message_id}: {left.reason}" for left in self.unreadable]
        return out


def entry_from_message(body: str, bus: str | None) -> dict[str, Any]:
    """The PutEvents entry to put for one queued message; UnreadableMessage says why not."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise UnreadableMessage(f"the body is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise UnreadableMessage("the body is not a JSON object")
    if is_fallback_message(data):
        return _from_fallback(data, bus)
    if {"source", "detail-type", "detail", "id"} <= data.keys():
        return _from_event(data, bus)
    raise UnreadableMessage("it is neither an eventcontracts fallback message nor an event")


def _from_fallback(data: Mapping[str, Any], bus: str | None) -> dict[str, Any]:
    version = data.get("version")
    if not isinstance(version, int) or not 1 <= version <= FALLBACK_VERSION:
        raise UnreadableMessage(
            f"fallback message version {version!r} is not one this eventcontracts reads "
            f"(1..{FALLBACK_VERSION}); upgrade it"
        )
    entry = data.get("entry")
    if not isinstance(entry, dict) or not all(
        isinstance(entry.get(key), str) for key in ("Source", "DetailType", "Detail")
    ):
        raise UnreadableMessage("the fallback message has no entry with Source, DetailType, Detail")
    if bus is not None:
        entry = {**entry, "EventBusName": bus}
    return stamped(entry)


def _from_event(data: Mapping[str, Any], bus: str | None) -> dict[str, Any]:
    if bus is None:
        raise UnreadableMessage("it is an EventBridge event, which names no bus: pass --bus")
    detail, resources = data["detail"], data.get("resources") or []
    if not isinstance(detail, dict) or not isinstance(resources, list):
        raise UnreadableMessage("the event's detail is not an object or its resources not a list")
    entry: dict[str, Any] = {
        "Source": str(data["source"]),
        "DetailType": str(data["detail-type"]),
        "Detail": json.dumps(detail, ensure_ascii=False, separators=(",", ":")),
        "EventBusName": bus,
        "Resources": [str(item) for item in resources],
    }
    if data.get("time") is not None:
        entry["Time"] = data["time"]
    return stamped(entry, event_id=str(data["id"]))


def redrive(
    queue_url: str,
    *,
    bus: str | None = None,
    max_messages: int | None = None,
    dry_run: bool = False,
    sqs_client: Any | None = None,
    events_client: Any | None = None,
    settings: ProducerSettings | None = None,
) -> RedriveSummary:
    """Put the events of the queue at ``queue_url`` on the bus; return what happened.

    Receives until the queue has nothing visible or ``max_messages`` were received. With
    ``dry_run``, nothing is put or deleted: the summary says what would be. Raises RedriveError
    when the queue cannot be read.
    """
    if max_messages is not None and max_messages < 1:
        raise ValueError("max_messages must be positive")
    settings = settings or ProducerSettings()
    if sqs_client is None:
        sqs_client = shared_client("sqs")
    clients = [events_client] if events_client is not None else []

    def events() -> Any:  # made once, and only when there is something to put
        if not clients:
            clients.append(default_events_client())
        return clients[0]

    summary = RedriveSummary(queue_url, dry_run)
    keep: list[str] = []  # receipt handles to make visible again at the end
    while max_messages is None or summary.received < max_messages:
        want = MAX_ENTRIES_PER_REQUEST
        if max_messages is not None:
            want = min(want, max_messages - summary.received)
        messages = _receive(sqs_client, queue_url, want)
        if not messages:
            break
        summary.received += len(messages)
        readable: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for message in messages:
            try:
                readable.append((message, entry_from_message(str(message.get("Body", "")), bus)))
            except UnreadableMessage as exc:
                summary.unreadable.append(Left(str(message.get("MessageId")), str(exc)))
                keep.append(message["ReceiptHandle"])
        if dry_run:
            summary.redriven += [str(entry_event_id(entry)) for _, entry in readable]
            keep += [message["ReceiptHandle"] for message, _ in readable]
            continue
        if readable:
            deliveries = put_entries(events, [entry for _, entry in readable], settings)
            done: list[dict[str, Any]] = []
            for (message, entry), delivery in zip(readable, deliveries, strict=True):
                error = delivery.problem
                if error is None:
                    summary.redriven.append(str(entry_event_id(entry)))
                    done.append(message)
                else:
                    summary.failed.append(Left(str(message.get("MessageId")), error))
                    keep.append(message["ReceiptHandle"])
            _delete(sqs_client, queue_url, done)
    _make_visible(sqs_client, queue_url, keep)
    return summary


def _receive(client: Any, queue_url: str, count: int) -> list[dict[str, Any]]:
    try:
        response = client.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=count,
            WaitTimeSeconds=0,
            VisibilityTimeout=_RECEIVE_VISIBILITY_SECONDS,
        )
    except Exception as exc:
        if is_call_error(exc):
            code = describe_call_error(exc)[0]
            if code in _MISSING_QUEUE_CODES:
                raise RedriveError(f"queue {queue_url} does not exist ({code})") from None
        raise
    return list(response.get("Messages") or [])


def _delete(client: Any, queue_url: str, messages: Sequence[Mapping[str, Any]]) -> None:
    for start in range(0, len(messages), MAX_ENTRIES_PER_REQUEST):
        batch = messages[start : start + MAX_ENTRIES_PER_REQUEST]
        entries = [
            {"Id": str(n), "ReceiptHandle": message["ReceiptHandle"]}
            for n, message in enumerate(batch)
        ]
        response = client.delete_message_batch(QueueUrl=queue_url, Entries=entries)
        for failed in response.get("Failed") or []:
            # It comes back and is put again; its producer event id makes that harmless.
            logger.warning("could not delete redriven message (entry %s): %s", failed["Id"], failed)


def _make_visible(client: Any, queue_url: str, receipt_handles: Sequence[str]) -> None:
    for start in range(0, len(receipt_handles), MAX_ENTRIES_PER_REQUEST):
        batch = receipt_handles[start : start + MAX_ENTRIES_PER_REQUEST]
        client.change_message_visibility_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(n), "ReceiptHandle": handle, "VisibilityTimeout": 0}
                for n, handle in enumerate(batch)
            ],
        )
