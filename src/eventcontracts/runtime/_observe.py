"""One structured log line and one counter for every outcome of every event.

The producer and the consumer call the functions here at each outcome; each writes a log record
whose ``extra`` fields say which event (event_id, source, detail_type, schema_version,
correlation_id) and what happened (outcome, plus reason or error), and counts the outcome in the
metrics sink. The detail itself is never logged: it may hold personal data, and the fields above
are enough to find the event.

Loggers: ``eventcontracts.runtime.producer`` and ``eventcontracts.runtime.consumer``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import _metrics as metrics
from ._correlation import correlation_of
from ._eventid import event_id_in
from ._metrics import MetricsSink, sink_for
from ._model import EventModel
from ._results import PublishResult
from ._scrub import describe_exception, one_line, raised_at

producer_logger = logging.getLogger("eventcontracts.runtime.producer")
consumer_logger = logging.getLogger("eventcontracts.runtime.consumer")

# Why the consumer could not accept an event (the ``problem`` field of its log line). All but
# NO_HANDLER mean the event failed validation.
INVALID_BODY = "invalid_body"
INVALID_ENVELOPE = "invalid_envelope"
INVALID_DETAIL = "invalid_detail"
NO_HANDLER = "no_handler"
# A claim-checked detail that is missing, tampered with, or referred to by a bad reference.
INVALID_CLAIM_CHECK = "invalid_claim_check"
_VALIDATION_PROBLEMS = frozenset(
    {INVALID_BODY, INVALID_ENVELOPE, INVALID_DETAIL, INVALID_CLAIM_CHECK}
)

_UNKNOWN = "unknown"  # dimension value when an invalid event does not say its source


@dataclass(frozen=True)
class Outcome:
    """One thing that can happen to an event: its log outcome, level, message and counter."""

    name: str
    level: int
    message: str
    counter: str


PUBLISHED = Outcome("published", logging.INFO, "event published", metrics.PUBLISHED)
FAILED = Outcome("failed", logging.ERROR, "event not published", metrics.FAILED)
FALLBACK = Outcome(
    "sent_to_fallback",
    logging.WARNING,
    "event sent to the fallback queue",
    metrics.SENT_TO_FALLBACK,
)
RETRIED = Outcome("retried", logging.WARNING, "event publish retried", metrics.RETRIED)
HANDLED = Outcome("handled", logging.INFO, "event handled", metrics.HANDLED)
DUPLICATE = Outcome(
    "duplicate_skipped", logging.INFO, "event already handled, skipped", metrics.DUPLICATES_SKIPPED
)
IN_PROGRESS = Outcome(
    "in_progress_retried",
    logging.INFO,
    "event being handled by another delivery, retried later",
    metrics.DUPLICATES_IN_PROGRESS,
)
HANDLER_ERROR = Outcome(
    "handler_error", logging.ERROR, "event handler raised", metrics.HANDLER_ERRORS
)
DEAD_LETTERED = Outcome(
    "dead_lettered", logging.WARNING, "event dead-lettered", metrics.DEAD_LETTERED
)
REJECTED = Outcome("rejected", logging.WARNING, "event rejected", metrics.REJECTED)


@dataclass(frozen=True)
class EventKeys:
    """What identifies an event in logs and metrics; never its detail."""

    event_id: str | None
    source: str | None
    detail_type: str | None
    schema_version: int | None
    correlation_id: str | None
    # The producer's own id (see _eventid): unlike event_id it survives a redrive, so it links
    # the producer's line, the fallback queue and the consumer's line of one event.
    producer_event_id: str | None = None

    @classmethod
    def of_model(
        cls,
        event: EventModel,
        event_id: str | None = None,
        producer_event_id: str | None = None,
    ) -> EventKeys:
        return cls(
            event_id,
            event.SOURCE,
            event.DETAIL_TYPE,
            event.SCHEMA_VERSION,
            correlation_of(event),
            producer_event_id,
        )

    @classmethod
    def of_raw(cls, raw: Any, schema_version: int | None = None) -> EventKeys:
        """Best effort from an event as received, which may be malformed in any way."""
        if not isinstance(raw, Mapping):
            return cls(None, None, None, schema_version, None)
        detail = raw.get("detail")
        metadata = detail.get("metadata") if isinstance(detail, Mapping) else None
        cid = metadata.get("correlationId") if isinstance(metadata, Mapping) else None
        return cls(
            _text(raw.get("id")),
            _text(raw.get("source")),
            _text(raw.get("detail-type")),
            schema_version,
            _text(cid),
            _text(
                event_id_in(
                    resources if isinstance(resources := raw.get("resources"), list) else None
                )
            ),
        )

    def dimensions(self) -> dict[str, str]:
        return {"Source": self.source or _UNKNOWN, "DetailType": self.detail_type or _UNKNOWN}


def _text(value: Any) -> str | None:
    """A string field of the event, on one line whatever formatter writes it (a detail-type
    holding a line break must not forge a log line in a plain-text log)."""
    return one_line(value) if isinstance(value, str) else None


def record(
    logger: logging.Logger,
    outcome: Outcome,
    keys: EventKeys,
    sink: MetricsSink | None,
    **more: Any,
) -> None:
    """Log ``outcome`` of the event ``keys`` names (``more`` adds fields), and count it."""
    fields: dict[str, Any] = {
        "event_id": keys.event_id,
        "producer_event_id": keys.producer_event_id,
        "source": keys.source,
        "detail_type": keys.detail_type,
        "schema_version": keys.schema_version,
        "correlation_id": keys.correlation_id,
        "outcome": outcome.name,
        **more,
    }
    logger.log(outcome.level, outcome.message, extra=fields)
    _count(sink, outcome.counter, keys)


def _count(sink: MetricsSink | None, name: str, keys: EventKeys) -> None:
    chosen = sink_for(sink)
    if chosen is None:
        return
    try:
        chosen.count(name, 1, keys.dimensions())
    except Exception:
        # A broken metrics exporter must not fail the publish or the handler it is watching.
        logging.getLogger(__name__).exception("the metrics sink failed to count %s", name)


# --- producer ----------------------------------------------------------------------------------


def _seen(logger: logging.Logger, outcome: Outcome, sink: MetricsSink | None) -> bool:
    """Whether anything takes note of ``outcome``: the logger logs its level, or a sink counts.
    When nothing does, the event's keys are not worked out at all (this runs for every event)."""
    return logger.isEnabledFor(outcome.level) or sink_for(sink) is not None


def publish_results(results: Sequence[PublishResult], sink: MetricsSink | None) -> None:
    """:func:`publish_result` of each result; whether anything notes a success is asked once."""
    successes_seen = _seen(producer_logger, PUBLISHED, sink)
    for result in results:
        if successes_seen or not result.ok:
            publish_result(result, sink)


def publish_result(result: PublishResult, sink: MetricsSink | None) -> None:
    """The final outcome of one event given to ``publish``: published, sent to the fallback
    queue, or failed."""
    if result.ok and not _seen(producer_logger, PUBLISHED, sink):
        return
    keys = EventKeys.of_model(result.event, result.event_id, result.producer_event_id)
    if result.ok:
        record(producer_logger, PUBLISHED, keys, sink, attempts=result.attempts)
    elif result.sent_to_fallback:
        # Not lost: `eventcontracts redrive` puts it on the bus later, under the same producer id.
        record(
            producer_logger,
            FALLBACK,
            keys,
            sink,
            attempts=result.attempts,
            error=result.error_code,
        )
    else:
        record(
            producer_logger,
            FAILED,
            keys,
            sink,
            attempts=result.attempts,
            error=result.error_code,
            reason=result.error_message,
        )


def publish_retry(
    event: EventModel, error: str | None, attempt: int, sink: MetricsSink | None
) -> None:
    """An event about to be sent again after attempt ``attempt`` failed with ``error``."""
    record(producer_logger, RETRIED, EventKeys.of_model(event), sink, attempt=attempt, error=error)


# --- consumer ----------------------------------------------------------------------------------


def handled(
    raw: Mapping[str, Any], version: int, correlation_id: str | None, sink: MetricsSink | None
) -> None:
    if not _seen(consumer_logger, HANDLED, sink):
        return
    keys = EventKeys.of_raw(raw, version)
    record(consumer_logger, HANDLED, _with_correlation(keys, correlation_id), sink)


def duplicate(raw: Mapping[str, Any], sink: MetricsSink | None) -> None:
    record(consumer_logger, DUPLICATE, EventKeys.of_raw(raw), sink)


def in_progress(raw: Mapping[str, Any], sink: MetricsSink | None) -> None:
    """Another delivery holds the event's claim: this one is not handled now, but retried."""
    record(consumer_logger, IN_PROGRESS, EventKeys.of_raw(raw), sink)


def handler_error(
    raw: Mapping[str, Any],
    version: int,
    correlation_id: str | None,
    exc: BaseException,
    sink: MetricsSink | None,
    reveal: bool = False,
) -> None:
    """The handler raised: the delivery will be retried. ``error`` is the exception's type,
    ``error_message`` its message scrubbed of payload values (whole when ``reveal``), and
    ``error_location`` where it was raised; the traceback stays with whoever catches it."""
    keys = _with_correlation(EventKeys.of_raw(raw, version), correlation_id)
    error, message = describe_exception(exc, reveal)
    record(
        consumer_logger,
        HANDLER_ERROR,
        keys,
        sink,
        error=error,
        error_message=message,
        error_location=raised_at(exc),
    )


def invalid(
    raw: Mapping[str, Any], reason: str, problem: str, dead_lettered: bool, sink: MetricsSink | None
) -> None:
    """An event the consumer cannot accept: sent to ``dead_letter``, or rejected (raised)."""
    outcome = DEAD_LETTERED if dead_lettered else REJECTED
    keys = EventKeys.of_raw(raw)
    record(consumer_logger, outcome, keys, sink, problem=problem, reason=reason)
    if problem in _VALIDATION_PROBLEMS:
        _count(sink, metrics.VALIDATION_FAILURES, keys)


def _with_correlation(keys: EventKeys, correlation_id: str | None) -> EventKeys:
    """Prefer the correlation id read from the typed detail (it honours field aliases)."""
    if correlation_id is None:
        return keys
    return dataclasses.replace(keys, correlation_id=correlation_id)
