"""Putting entries on a bus: requests packed by count and size, retries, and each entry's fate.

One mechanism for :func:`publish` (entries built from models) and :func:`redrive` (entries read
back from a queue), so both pack, retry and judge answers the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._entries import Sized, chunks, entry_size
from ._results import ENTRY_TOO_LARGE
from ._retry import RETRYABLE_ENTRY_CODES, describe_call_error, retry_pending

if TYPE_CHECKING:
    from ._producer import ProducerSettings

# Told of each entry about to be sent again: (its position in the entries, the error code, the
# attempt that failed).
RetryHook = Callable[[int, "str | None", int], None]


@dataclass(slots=True)
class Delivery:
    """What became of one entry: accepted (``event_id``) or not (``error_code``)."""

    attempts: int = 0
    event_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None

    @property
    def problem(self) -> str | None:
        """``"Code: message"`` when the entry was not accepted, else None."""
        if self.event_id is not None:
            return None
        return f"{self.error_code or 'NotSent'}: {self.error_message or ''}"


def put_entries(
    get_client: Callable[[], Any],
    entries: Sequence[dict[str, Any]],
    settings: ProducerSettings,
    on_retry: RetryHook | None = None,
) -> list[Delivery]:
    """PutEvents ``entries``; one Delivery per entry, in order.

    An entry too large for any request is not sent (``EntryTooLarge``): EventBridge would reject
    the whole request, taking the others with it. The client is asked for only when something
    is sent. Entries the service failed for a transient reason, and whole calls that were
    throttled, answered 5xx or could not connect, are retried with exponential backoff and full
    jitter up to ``settings.max_attempts``.
    """
    deliveries = [Delivery() for _ in entries]
    sendable: list[Sized] = []
    limit = settings.max_request_bytes
    for index, entry in enumerate(entries):
        size = entry_size(entry)
        if size > limit:
            deliveries[index].error_code = ENTRY_TOO_LARGE
            deliveries[
                index
            ].error_message = f"entry is {size} bytes, over the {limit}-byte request limit"
        else:
            sendable.append(Sized(index, entry, size))
    if sendable:
        client = get_client()
        for chunk in chunks(sendable, settings.max_entries, limit):
            _send_chunk(client, chunk, deliveries, settings, on_retry)
    return deliveries


def _send_chunk(
    client: Any,
    chunk: list[Sized],
    deliveries: list[Delivery],
    settings: ProducerSettings,
    on_retry: RetryHook | None,
) -> None:
    """Send one request's worth of entries, retrying until each is accepted or given up on:
    each attempt sends only the entries still pending (PutEvents can partly succeed)."""

    def send(pending: list[Sized]) -> list[Sized]:
        for item in pending:
            deliveries[item.index].attempts += 1
        response = client.put_events(Entries=[item.entry for item in pending])
        return _record_response(response, pending, deliveries)

    def call_failed(error: Exception, pending: list[Sized]) -> None:
        code, message = describe_call_error(error)
        for item in pending:
            deliveries[item.index].error_code = code
            deliveries[item.index].error_message = message

    def retrying(pending: list[Sized], attempt: int) -> None:
        if on_retry is not None:
            for item in pending:
                on_retry(item.index, deliveries[item.index].error_code, attempt)

    # PutEvents has no idempotency token: an entry may have been put when no answer came, so a
    # call that may have been carried out is not made again (retry_pending's policy).
    retry_pending(
        send,
        chunk,
        settings,
        on_call_error=call_failed,
        on_retry=retrying,
    )


def _record_response(
    response: dict[str, Any], sent: list[Sized], deliveries: list[Delivery]
) -> list[Sized]:
    """Record each entry's fate from a PutEvents response; return the entries to send again.

    Response entries line up with request entries by position; a successful one has an EventId,
    a failed one an ErrorCode.
    """
    answers: list[dict[str, Any]] = list(response.get("Entries") or [])
    again: list[Sized] = []
    for position, item in enumerate(sent):
        delivery = deliveries[item.index]
        answer = answers[position] if position < len(answers) else None
        if answer is None:
            # Not retried: the service may have accepted the entry, and a resend would duplicate.
            delivery.error_code = "MissingResponseEntry"
            delivery.error_message = "PutEvents returned fewer entries than it was sent"
            continue
        code = answer.get("ErrorCode")
        if not code and answer.get("EventId"):
            delivery.event_id = str(answer["EventId"])
            delivery.error_code = delivery.error_message = None
            continue
        delivery.error_code = str(code or "MissingEventId")
        delivery.error_message = str(answer.get("ErrorMessage") or "")
        if code in RETRYABLE_ENTRY_CODES:
            again.append(item)
    return again
