"""Publishing detail models to EventBridge: validate, pack into requests, retry what failed."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import _observe as observe
from ._claimcheck import ClaimCheckFailed, ClaimCheckSettings, claim_check_entry
from ._clients import shared_client
from ._correlation import with_correlation
from ._entries import MAX_ENTRIES_PER_REQUEST, checked, checked_class, entry_size, new_entry
from ._eventid import marker, new_event_ids
from ._fallback import divert_failures
from ._metrics import MetricsSink
from ._model import EventModel
from ._putevents import Delivery, put_entries
from ._results import ENTRY_TOO_LARGE, PublishError, PublishResult
from ._tracing import trace_header

logger = logging.getLogger(__name__)

# EventBridge's limit on the total entry size of one PutEvents request. It was 256 KB
# (262_144 bytes) until AWS raised it to 1 MB in January 2026; set
# ProducerSettings(max_request_bytes=262_144) for a partition or emulator that still has the old
# limit.
DEFAULT_MAX_REQUEST_BYTES = 1_048_576

# The backoff jitter of settings that bring no generator of their own.
_JITTER = random.Random()


@dataclass(frozen=True)
class ProducerSettings:
    """How :func:`publish` packs and retries. ``sleep`` and ``rng`` are here so tests can run
    retries instantly and deterministically."""

    max_entries: int = MAX_ENTRIES_PER_REQUEST
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    max_attempts: int = 5
    base_delay: float = 0.05
    max_delay: float = 2.0
    raise_on_failure: bool = True
    sleep: Callable[[float], None] = time.sleep
    # One generator shared by default: seeding a new one costs more than a small publish.
    rng: random.Random = field(default_factory=lambda: _JITTER)
    # Counts each event's outcome (see eventcontracts.runtime.set_metrics_sink for a default).
    metrics: MetricsSink | None = None
    # Off by default. With a queue URL, entries still failing after the retries go to that SQS
    # queue (see _fallback) instead of being reported as failures; ``fallback_client`` is the SQS
    # client to use (default: the runtime's own SQS client, made once).
    fallback_queue_url: str | None = None
    fallback_client: Any = None
    # Off by default: with settings, details over the threshold go to S3 (see _claimcheck).
    claim_check: ClaimCheckSettings | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.max_entries <= MAX_ENTRIES_PER_REQUEST:
            raise ValueError(f"max_entries must be 1..{MAX_ENTRIES_PER_REQUEST}")
        if self.max_request_bytes < 1:
            raise ValueError("max_request_bytes must be positive")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("delays cannot be negative")


def default_events_client() -> Any:
    """The runtime's EventBridge client (made once, see ``_clients``), with botocore's own
    retries turned off.

    :func:`publish` retries throttled calls and entries itself; leaving botocore's retries on too
    would multiply the attempts (5 x 5) and make ``PublishResult.attempts`` wrong.
    """
    return shared_client("events", botocore_retries=False)


# Never left in a result: every event is either set aside before sending or given to put_entries.
_NOT_SENT = Delivery()


@lru_cache(maxsize=1)
def _default_settings() -> ProducerSettings:
    """The settings of a publish given none; frozen, so one serves every call."""
    return ProducerSettings()


def _result(event: EventModel, delivery: Delivery, producer_event_id: str) -> PublishResult:
    return PublishResult(
        event,
        delivery.event_id,
        delivery.error_code,
        delivery.error_message,
        delivery.attempts,
        producer_event_id=producer_event_id,
    )


def publish(
    *events: EventModel,
    bus: str = "default",
    client: Any | None = None,
    settings: ProducerSettings | None = None,
) -> list[PublishResult]:
    """Publish ``events`` to the event bus ``bus`` and return one result per event, in order.

    Every event is validated before anything is sent (pydantic's ValidationError, or TypeError for
    a class that is not a generated event model); Source and DetailType come from the event's
    class. Entries go out in requests of at most ``max_entries`` entries and
    ``max_request_bytes`` bytes; an entry too large to fit any request is reported with error code
    ``EntryTooLarge``. Entries the service failed for a transient reason, and whole calls that
    were throttled, answered 5xx or could not connect, are retried with exponential backoff and
    full jitter up to ``max_attempts``. If any event is still not accepted, PublishError (with
    every result) is raised, unless ``settings.raise_on_failure`` is False.

    Each entry carries an id of the producer's own in its Resources (see ``_eventid``), reported
    as ``producer_event_id``. With ``settings.fallback_queue_url``, failed entries go to that SQS
    queue and their results say ``sent_to_fallback``; only an entry the queue refused too counts
    as a failure then.
    """
    settings = settings or _default_settings()
    for event in events:
        checked_class(event)  # first, so a wrong argument fails with a TypeError that says so
    wire = [checked(with_correlation(event)) for event in events]
    producer_ids = new_event_ids(len(wire))
    # Each event's delivery: set here for an event not sent, by put_entries for the others.
    deliveries: list[Delivery] = [_NOT_SENT] * len(wire)

    entries: dict[int, dict[str, Any]] = {}
    trace = trace_header()
    for index, (event, detail) in enumerate(wire):
        resources = [marker(producer_ids[index])]
        entry = new_entry(type(event), detail, bus, resources, trace)
        if settings.claim_check is not None:
            try:
                entry, _ = claim_check_entry(
                    entry,
                    entry_size(entry),
                    event,
                    settings.claim_check,
                    settings.max_request_bytes,
                )
            except ClaimCheckFailed as exc:
                deliveries[index] = Delivery(error_code=exc.code, error_message=str(exc))
                continue
        entries[index] = entry

    positions = list(entries)
    sent = put_entries(
        lambda: client if client is not None else default_events_client(),
        list(entries.values()),
        settings,
        on_retry=lambda at, code, attempt: observe.publish_retry(
            wire[positions[at]].event, code, attempt, settings.metrics
        ),
    )
    for index, delivery in zip(positions, sent, strict=True):
        deliveries[index] = delivery

    results = [
        _result(one.event, delivery, producer_id)
        for one, delivery, producer_id in zip(wire, deliveries, producer_ids, strict=True)
    ]
    if settings.fallback_queue_url is not None:
        # Not an entry too large to send: a redrive could not put it either.
        divertible = {
            i: e for i, e in entries.items() if deliveries[i].error_code != ENTRY_TOO_LARGE
        }
        results = divert_failures(results, divertible, settings)
    observe.publish_results(results, settings.metrics)
    if settings.raise_on_failure and not all(r.ok or r.sent_to_fallback for r in results):
        raise PublishError(results)
    return results
