"""The runtime that generated event code calls: typed models, a producer, and a consumer.

Producer: :func:`publish` validates detail models and sends them to an EventBridge bus in
size-limited batches, retrying transient failures. Consumer: :class:`Consumer` routes incoming
events to typed handlers by source, detail-type and schema version, from a Lambda target, an SQS
event source or an SQS poll loop.

Observability: every outcome of every event is one log record (format it with
:class:`JsonFormatter`) and one count in a :class:`MetricsSink` (:class:`EmfMetrics` writes
CloudWatch Embedded Metric Format lines); see docs/observability.md.

The rest of the tool uses the runtime through this API too (tests/test_architecture.py keeps it
so): code generation embeds each model's schema under :data:`DETAIL_SCHEMA_KEY`, contract tests
compare :func:`wire_detail`, the schemas emulator bounds request bodies with
:func:`nesting_depth`, and ``eventcontracts sync`` retries with the producer's policy
(:func:`retry`, :func:`is_retryable`, :func:`is_call_error`, :func:`describe_call_error`,
:func:`call_error_status`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._boundedjson import nesting_depth
    from ._claimcheck import ClaimCheckLocation, ClaimCheckReference, ClaimCheckSettings
    from ._consumer import Consumer
    from ._correlation import correlation, correlation_id
    from ._entries import wire_detail
    from ._idempotency import (
        Claim,
        ClaimStatus,
        DynamoDbIdempotencyStore,
        IdempotencyStore,
        InMemoryIdempotencyStore,
    )
    from ._logjson import JsonFormatter
    from ._metrics import EmfMetrics, InMemoryMetrics, MetricsSink, set_metrics_sink
    from ._model import DETAIL_SCHEMA_KEY, EventEnvelope, EventModel
    from ._outcome import DispatchOutcome, EventInProgress, HandlerFailed, InvalidEvent
    from ._producer import ProducerSettings, publish
    from ._redrive import RedriveError, RedriveSummary, redrive
    from ._results import PublishError, PublishResult
    from ._retry import call_error_status, describe_call_error, is_call_error, is_retryable, retry

# Each public name is imported from its module when first used, not when the package is: the
# tool imports the runtime's light parts (the retry policy) without loading pydantic.
_MODULE_OF: dict[str, str] = {
    "Claim": "_idempotency",
    "ClaimCheckLocation": "_claimcheck",
    "ClaimCheckReference": "_claimcheck",
    "ClaimCheckSettings": "_claimcheck",
    "ClaimStatus": "_idempotency",
    "Consumer": "_consumer",
    "DETAIL_SCHEMA_KEY": "_model",
    "DispatchOutcome": "_outcome",
    "DynamoDbIdempotencyStore": "_idempotency",
    "EmfMetrics": "_metrics",
    "EventEnvelope": "_model",
    "EventInProgress": "_outcome",
    "EventModel": "_model",
    "HandlerFailed": "_outcome",
    "IdempotencyStore": "_idempotency",
    "InMemoryIdempotencyStore": "_idempotency",
    "InMemoryMetrics": "_metrics",
    "InvalidEvent": "_outcome",
    "JsonFormatter": "_logjson",
    "MetricsSink": "_metrics",
    "ProducerSettings": "_producer",
    "PublishError": "_results",
    "PublishResult": "_results",
    "RedriveError": "_redrive",
    "RedriveSummary": "_redrive",
    "call_error_status": "_retry",
    "correlation": "_correlation",
    "correlation_id": "_correlation",
    "describe_call_error": "_retry",
    "is_call_error": "_retry",
    "is_retryable": "_retry",
    "nesting_depth": "_boundedjson",
    "publish": "_producer",
    "redrive": "_redrive",
    "retry": "_retry",
    "set_metrics_sink": "_metrics",
    "wire_detail": "_entries",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "DETAIL_SCHEMA_KEY",
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
    "call_error_status",
    "correlation",
    "correlation_id",
    "describe_call_error",
    "is_call_error",
    "is_retryable",
    "nesting_depth",
    "publish",
    "redrive",
    "retry",
    "set_metrics_sink",
    "wire_detail",
]
