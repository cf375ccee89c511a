"""Remembering which events a consumer already handled, so a redelivery is not handled twice.

EventBridge delivers at least once, and an SQS queue in between adds its own redeliveries: the
same event id can arrive again after it was handled.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Protocol


class IdempotencyStore(Protocol):
    """Where a consumer records the ids of events it handled.

    The consumer asks :meth:`seen` before handling an event and calls :meth:`mark` only after the
    handler returned, so a handler that failed is run again on redelivery. Any shared store can
    implement it: a DynamoDB table (``mark`` a ``put_item`` with a TTL attribute, ``seen`` a
    ``get_item``), or an adapter over an AWS Lambda Powertools idempotency persistence layer. Two
    deliveries handled at the same moment can both pass ``seen``; a store that must exclude that
    needs a conditional write and an "in progress" state, which is beyond this interface.
    """

    def seen(self, event_id: str) -> bool: ...

    def mark(self, event_id: str) -> None: ...


class InMemoryIdempotencyStore:
    """A per-process store, for tests and for long-lived pollers with one worker.

    It forgets the oldest ids past ``max_size`` so a long-running process does not grow without
    bound; redeliveries come within minutes, not after hundreds of thousands of other events.
    """

    def __init__(self, max_size: int = 100_000) -> None:
        if max_size < 1:
            raise ValueError("max_size must be positive")
        self._max_size = max_size
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def seen(self, event_id: str) -> bool:
        with self._lock:
            return event_id in self._ids

    def mark(self, event_id: str) -> None:
        with self._lock:
            self._ids[event_id] = None
            self._ids.move_to_end(event_id)
            while len(self._ids) > self._max_size:
                self._ids.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._ids)
