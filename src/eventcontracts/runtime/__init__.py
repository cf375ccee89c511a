"""The runtime that generated event code calls: typed models, a producer, and a consumer.

Producer: :func:`publish` validates detail models and sends them to an EventBridge bus in
size-limited batches, retrying transient failures. Consumer: :class:`Consumer` routes incoming
events to typed handlers by source, detail-type and schema version, from a Lambda target, an SQS
event source or an SQS poll loop.

Observability: every outcome of every event is one log record (format it with
:class:`JsonFormatter`) and one count in a :class:`MetricsSink` (:class:`EmfMetrics` writes
CloudWatch Embedded Metric Format lines); see docs/observability.md.
"""

from ._claimcheck import ClaimCheckLocation, ClaimCheckReference, ClaimCheckSettings
from ._consumer import Consumer
from ._correlation import correlation, correlation_id
from ._idempotency import (
    Claim,
    ClaimStatus,
    DynamoDbIdempotencyStore,
    IdempotencyStore,
    InMemoryIdempotencyStore,
)
from ._logjson import JsonFormatter
from ._metrics import EmfMetrics, InMemoryMetrics, MetricsSink, set_metrics_sink
from ._model import EventEnvelope, EventModel
from ._outcome import DispatchOutcome, EventInProgress, HandlerFailed, InvalidEvent
from ._producer import ProducerSettings, publish
from ._redrive import RedriveError, RedriveSummary, redrive
from ._results import PublishError, PublishResult

__all__ = [
    "Claim",
    "ClaimCheckLocation",
    "ClaimCheckReference",
    "ClaimCheckSettings",
    "ClaimStatus",
    "Consumer",
    "DispatchOutcome",
    "DynamoDbIdempotencyStore",
    "EmfMetrics",
    "EventEnvelope",
    "EventInProgress",
    "EventModel",
    "HandlerFailed",
    "IdempotencyStore",
    "InMemoryIdempotencyStore",
    "InMemoryMetrics",
    "InvalidEvent",
    "JsonFormatter",
    "MetricsSink",
    "ProducerSettings",
    "PublishError",
    "PublishResult",
    "RedriveError",
    "RedriveSummary",
    "correlation",
    "correlation_id",
    "publish",
    "redrive",
    "set_metrics_sink",
]
