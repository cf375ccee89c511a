"""What the consumer did with an event, and the error for an event it cannot accept."""

from __future__ import annotations

import enum
from typing import Any

from ._retry import describe_call_error, is_call_error
from ._scrub import describe_exception

# Set on an exception a handler raised, so the entry points scrub it (it may quote the payload)
# and describe any other error, an idempotency store's or a claim check's, as what it is.
_FROM_HANDLER = "_eventcontracts_raised_by_handler"


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


def mark_raised_by_handler(exc: BaseException) -> None:
    """Record that ``exc`` came out of an event handler (user code that holds the payload)."""
    # Past any __setattr__ of the exception's class: every exception has a __dict__, and a mark
    # that failed to stick would let the message out unscrubbed.
    object.__setattr__(exc, _FROM_HANDLER, True)


def raised_by_handler(exc: BaseException) -> bool:
    """Whether ``exc`` came out of an event handler (see :func:`mark_raised_by_handler`)."""
    return getattr(exc, _FROM_HANDLER, False) is True


def describe_failure(exc: Exception, reveal: bool) -> tuple[str, str]:
    """(kind, message) of an error out of dispatch for a log line.

    A handler's error is its type and its message scrubbed of payload values unless ``reveal``. A
    failed AWS call of the runtime's own (the idempotency store, a claim check's S3 read) is its
    error code and message, which name the operation and resource, never the event: scrubbing
    them hid the "AccessDeniedException" that says what to fix.
    """
    if raised_by_handler(exc):
        return describe_exception(exc, reveal)
    if is_call_error(exc):
        return describe_call_error(exc)
    return describe_exception(exc, reveal=True)
