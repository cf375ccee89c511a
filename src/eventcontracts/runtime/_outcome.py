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
