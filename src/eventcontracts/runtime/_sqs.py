"""Feeding EventBridge events that arrive through an SQS queue to a consumer.

An EventBridge rule with an SQS target puts each event, as JSON, in a message body. Both ways in
(a Lambda event source mapping, or polling) keep SQS's retry semantics: a message whose handler
raised is left for redelivery (and, after the queue's maxReceiveCount, its redrive DLQ), every
other message is done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ._outcome import DispatchOutcome, EventInProgress, describe_failure
from ._scrub import one_line, raised_at

logger = logging.getLogger(__name__)

DispatchText = Callable[[str], DispatchOutcome]

MAX_RECEIVE = 10  # SQS returns at most 10 messages per ReceiveMessage


def batch_item_failures(
    dispatch: DispatchText, records: Iterable[Mapping[str, Any]], reveal: bool = False
) -> dict[str, list[dict[str, str]]]:
    """The partial batch response for an SQS-triggered Lambda.

    Needs ``ReportBatchItemFailures`` on the event source mapping: then only the listed messages
    return to the queue, instead of the whole batch because one record failed.
    """
    failures: list[dict[str, str]] = []
    for record in records:
        message_id = str(record.get("messageId", ""))
        try:
            dispatch(str(record.get("body", "")))
        except Exception as exc:
            # Not re-raised: the failure is reported to SQS per record; logged so it is seen.
            log_failure(message_id, exc, reveal)
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}


def poll_once(
    dispatch: DispatchText,
    queue_url: str,
    client: Any,
    max_messages: int,
    wait_seconds: int,
    reveal: bool = False,
) -> int:
    """Receive one batch, dispatch each message, delete the ones that are done.

    Returns how many messages were received (processed), failed ones included.
    """
    if not 1 <= max_messages <= MAX_RECEIVE:
        raise ValueError(f"max_messages must be 1..{MAX_RECEIVE}")
    response = client.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=max_messages, WaitTimeSeconds=wait_seconds
    )
    messages: list[dict[str, Any]] = list(response.get("Messages") or [])
    done: list[dict[str, Any]] = []
    for message in messages:
        try:
            dispatch(str(message.get("Body", "")))
        except Exception as exc:
            # Left undeleted: it becomes visible again after the visibility timeout.
            log_failure(str(message.get("MessageId", "")), exc, reveal)
            continue
        done.append(message)
    if done:
        _delete(client, queue_url, done)
    return len(messages)


def log_failure(message_id: str, exc: Exception, reveal: bool) -> None:
    """One line for a message left for redelivery: the error's type and its message, scrubbed of
    payload values if a handler raised it, unless ``reveal`` (then the whole traceback, as
    before); a failed AWS call outside the handler by its error code and message."""
    message_id = one_line(message_id)
    if isinstance(exc, EventInProgress):
        return  # the consumer logged it ("in_progress_retried"); nothing failed
    if reveal:
        logger.exception("handling SQS message %s failed; it will be redelivered", message_id)
        return
    kind, text = describe_failure(exc, reveal=False)
    logger.error(
        "handling SQS message %s failed (%s: %s, at %s); it will be redelivered",
        message_id,
        kind,
        text,
        raised_at(exc),
    )


def _delete(client: Any, queue_url: str, messages: list[dict[str, Any]]) -> None:
    entries = [
        {"Id": str(position), "ReceiptHandle": message["ReceiptHandle"]}
        for position, message in enumerate(messages)
    ]
    response = client.delete_message_batch(QueueUrl=queue_url, Entries=entries)
    for failed in response.get("Failed") or []:
        # Such a message comes back; the idempotency store (if any) then skips it.
        logger.warning("could not delete SQS message (entry %s): %s", failed.get("Id"), failed)
