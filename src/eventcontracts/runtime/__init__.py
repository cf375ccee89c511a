"""The runtime that generated event code calls: typed models, a producer, and a consumer.

Producer: :func:`publish` validates detail models and sends them to an EventBridge bus in
size-limited batches, retrying transient failures. Consumer: :class:`Consumer` routes incoming
events to typed handlers by source, detail-type and schema version, from a Lambda target, an SQS
event source or an SQS poll loop.
"""

from ._consumer import Consumer
from ._correlation import correlation, correlation_id
from ._idempotency import IdempotencyStore, InMemoryIdempotencyStore
from ._model import EventEnvelope, EventModel
from ._outcome import DispatchOutcome, InvalidEvent
from ._producer import ProducerSettings, publish
from ._redrive import RedriveError, RedriveSummary, redrive
from ._results import PublishError, PublishResult

__all__ = [
    "Consumer",
    "DispatchOutcome",
    "EventEnvelope",
    "EventModel",
    "IdempotencyStore",
    "InMemoryIdempotencyStore",
    "InvalidEvent",
    "ProducerSettings",
    "PublishError",
    "PublishResult",
    "RedriveError",
    "RedriveSummary",
    "correlation",
    "correlation_id",
    "publish",
    "redrive",
]
