"""What the consumer did with an event, and the error for an event it cannot accept."""

from __future__ import annotations

import enum
from typing import Any


class DispatchOutcome(enum.Enum):
    """The result of :meth:`Consumer.dispatch` for one event (a failing handler raises instead)."""

    HANDLED = "handled"
    DUPLICATE = "duplicate"
    DEAD_LETTERED = "dead_lettered"


class InvalidEvent(Exception):
    """An event that has no handler, whose detail no registered version validates, or whose
    envelope does not parse. ``raw`` is the event as received; ``reason`` says what failed."""

    def __init__(self, reason: str, raw: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.raw = raw


class EventInProgress(Exception):
    """Another delivery of this event holds its idempotency claim and is running the handler.

    Raised so this delivery is retried later (an SQS batch item failure, a message left in the
    queue, a Lambda retry): skipping it would lose the event if that other delivery crashed.
    """

    def __init__(self, event_id: str) -> None:
        super().__init__("another delivery of this event is being handled; retry later")
        self.event_id = event_id


class HandlerFailed(Exception):
    """A handler raised; what :meth:`Consumer.lambda_handler` raises in its place so the Lambda
    runtime's log of the error holds its type (``error_type``) and scrubbed message only."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(f"the event handler raised {error_type}: {message}")
        self.error_type = error_type
