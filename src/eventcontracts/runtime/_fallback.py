"""The fallback queue: where :func:`publish` puts the entries EventBridge did not accept.

With ``ProducerSettings(fallback_queue_url=...)``, an entry that still failed after every retry
(a per-entry error, or a PutEvents call that could not reach the bus) is sent to an SQS queue as
one message holding the original entry and the error, and ``eventcontracts redrive`` puts it on
the bus later. The message body (version 1) is a JSON object::

    {
      "eventcontracts": "fallback",
      "version": 1,
      "producerEventId": "0b6f...",              # the entry's urn:eventcontracts:event: id
      "entry": {"Source": ..., "DetailType": ..., "Detail": "...", "EventBusName": ...,
                "Resources": ["urn:eventcontracts:event:0b6f..."]},
      "error": {"code": "ResourceNotFoundException", "message": "Event bus orders does not exist."},
      "attempts": 1,
      "time": "2026-02-01T12:00:00.123456+00:00"  # when it was sent to the queue
    }

Readers must ignore keys they do not know; a change that breaks readers bumps ``version``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ._clients import shared_client
from ._entries import Sized, chunks
from ._eventid import entry_event_id
from ._results import PublishResult
from ._retry import describe_call_error, retry_pending

if TYPE_CHECKING:
    from ._producer import ProducerSettings

logger = logging.getLogger(__name__)

FALLBACK_KIND = "fallback"
FALLBACK_VERSION = 1

# SendMessageBatch takes at most 10 messages. Its total payload limit was 256 KiB before SQS
# raised it to 1 MiB (August 2025); batches are packed to the old limit so either side accepts
# them, and a message larger than that is sent alone.
_MAX_BATCH_MESSAGES = 10
_MAX_BATCH_BYTES = 262_144


def fallback_body(entry: Mapping[str, Any], code: str, message: str, attempts: int) -> str:
    """The JSON body of the fallback message for one entry (the shape in the module docstring)."""
    return json.dumps(
        {
            "eventcontracts": FALLBACK_KIND,
            "version": FALLBACK_VERSION,
            "producerEventId": entry_event_id(entry),
            "entry": dict(entry),
            "error": {"code": code, "message": message},
            "attempts": attempts,
            "time": datetime.now(timezone.utc).isoformat(),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def is_fallback_message(body: Mapping[str, Any]) -> bool:
    return body.get("eventcontracts") == FALLBACK_KIND


def default_sqs_client() -> Any:
    return shared_client("sqs")


def divert_failures(
    results: Sequence[PublishResult],
    entries: Mapping[int, dict[str, Any]],
    settings: ProducerSettings,
) -> list[PublishResult]:
    """Send every failed result's entry to the fallback queue; return the results updated.

    A result whose message the queue took gets its ``fallback_message_id``; one the queue refused
    too keeps its error, with the queue's error added, so :func:`publish` reports it as failed.
    Results without an entry (never built into a request, like ``EntryTooLarge``) are left alone:
    a redrive could not put them either.
    """
    queue_url = settings.fallback_queue_url
    assert queue_url is not None
    out = list(results)
    pending: list[Sized] = []
    for index, result in enumerate(out):
        if result.ok or index not in entries:
            continue
        body = fallback_body(
            entries[index], result.error_code or "", result.error_message or "", result.attempts
        )
        pending.append(Sized(index, {"body": body}, len(body.encode("utf-8"))))
    if not pending:
        return out

    client = settings.fallback_client or default_sqs_client()
    for batch in chunks(pending, _MAX_BATCH_MESSAGES, _MAX_BATCH_BYTES):
        for index, (message_id, problem) in _send_batch(client, queue_url, batch, settings).items():
            result = out[index]
            if message_id is not None:
                logger.warning(
                    "event %s was not accepted (%s); sent to the fallback queue as message %s",
                    result.producer_event_id,
                    result.error_code,
                    message_id,
                )
                out[index] = replace(result, fallback_message_id=message_id)
            else:
                out[index] = replace(
                    result, error_message=f"{result.error_message} (fallback failed: {problem})"
                )
    return out


def _send_batch(
    client: Any, queue_url: str, batch: list[Sized], settings: ProducerSettings
) -> dict[int, tuple[str | None, str]]:
    """SendMessageBatch with the producer's retry policy: messages that failed through no fault
    of the sender, and throttled or unreachable calls, are sent again.

    index -> (SQS message id, "") when queued, or (None, what failed).
    """
    outcome: dict[int, tuple[str | None, str]] = {}

    def send(pending: list[Sized]) -> list[Sized]:
        entries = [{"Id": str(item.index), "MessageBody": item.entry["body"]} for item in pending]
        response = client.send_message_batch(QueueUrl=queue_url, Entries=entries)
        unreported = {str(item.index): item for item in pending}
        again: list[Sized] = []
        for ok in response.get("Successful") or []:
            item = unreported.pop(str(ok["Id"]))
            outcome[item.index] = (str(ok["MessageId"]), "")
        for failed in response.get("Failed") or []:
            item = unreported.pop(str(failed["Id"]))
            outcome[item.index] = (None, f"{failed.get('Code')}: {failed.get('Message', '')}")
            if not failed.get("SenderFault"):
                again.append(item)
        # An entry the response did not mention at all is reported, not resent.
        for item in unreported.values():
            outcome[item.index] = (None, "SendMessageBatch did not report this message")
        return again

    def call_failed(error: Exception, pending: list[Sized]) -> None:
        code, message = describe_call_error(error)
        for item in pending:
            outcome[item.index] = (None, f"{code}: {message}")

    retry_pending(
        send,
        batch,
        settings,
        on_call_error=call_failed,
    )
    return outcome
