"""Making sure a consumer runs each event's handler once, even when deliveries race.

EventBridge delivers at least once, an SQS queue in between adds its own redeliveries, and a
consumer runs as many concurrent Lambda instances: the same event can arrive twice at the same
moment. A store that is only asked "seen?" before the handler and told "done" after it lets both
deliveries through. So a delivery first *claims* the event's key:

- the claim is a conditional write: it succeeds only if nobody holds the key, or the holder's
  claim has expired. The winner runs the handler, then marks the key *completed* (kept for
  ``ttl_seconds``, so later redeliveries are skipped);
- a delivery that finds the key completed skips the event (``DispatchOutcome.DUPLICATE``);
- a delivery that finds it *in progress* does not run the handler and does not skip it either:
  the consumer raises :class:`~eventcontracts.runtime.EventInProgress`, so the delivery is
  retried later (a batch item failure for SQS). Skipping would lose the event if the delivery
  holding the claim then crashed; waiting would hold a Lambda instance for nothing;
- a handler that raises releases its claim, so the retry can run at once; a handler whose process
  dies (a Lambda timeout, an out-of-memory kill) releases nothing, and its claim lets another
  delivery run the handler once ``in_progress_seconds`` have passed. Make that longer than the
  handler can take (the function's timeout), or a slow handler's event runs twice. In Lambda the
  consumer knows better: it asks for a claim that expires (``expires_in``) shortly after the
  invocation's own deadline, so Lambda's retries of a timed-out invocation (after about one and
  two minutes) run the handler again instead of meeting a claim that lasts 15 minutes.

Expiries are whole seconds of the wall clock (DynamoDB's TTL attribute is one), so a claim lasts
between ``in_progress_seconds`` and one second more.
"""

from __future__ import annotations

import enum
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ._clients import shared_client
from ._retry import describe_call_error, is_call_error

# Longer than the longest a Lambda invocation can run (15 minutes): a claim outlives its holder.
DEFAULT_IN_PROGRESS_SECONDS = 900
# Longer than an SQS queue keeps a message (14 days at most), so a redrive from a dead-letter
# queue is still recognised.
DEFAULT_TTL_SECONDS = 14 * 24 * 3600

Clock = Callable[[], float]


class ClaimStatus(enum.Enum):
    CLAIMED = "claimed"  # this delivery holds the key: it runs the handler
    IN_PROGRESS = "in_progress"  # another delivery holds it right now
    COMPLETED = "completed"  # the handler already ran to the end


@dataclass(frozen=True)
class Claim:
    """The answer to :meth:`IdempotencyStore.claim`. ``token`` identifies this delivery's claim
    (only when ``status`` is CLAIMED), so it releases its own claim and nobody else's."""

    key: str
    status: ClaimStatus
    token: str = ""


class IdempotencyStore(Protocol):
    """Where a consumer claims and completes the keys of the events it handles.

    :meth:`claim` must be atomic across every process that shares the store (a conditional write);
    :meth:`complete` records that the handler returned; :meth:`release` gives up a claim whose
    handler raised, and must leave alone a claim that is no longer this one's. ``expires_in``,
    when given, is how many seconds this claim may last at most (the invocation's time left).
    """

    def claim(self, key: str, expires_in: int | None = None) -> Claim: ...

    def complete(self, claim: Claim) -> None: ...

    def release(self, claim: Claim) -> None: ...


def _claim_seconds(in_progress_seconds: int, expires_in: int | None) -> int:
    """How long a new claim lasts: ``in_progress_seconds``, or less when the caller knows its
    process ends sooner (never under a second)."""
    if expires_in is None:
        return in_progress_seconds
    return max(1, min(in_progress_seconds, expires_in))


def _check(in_progress_seconds: int, ttl_seconds: int) -> None:
    if in_progress_seconds < 1 or ttl_seconds < 1:
        raise ValueError("in_progress_seconds and ttl_seconds must be positive")


class InMemoryIdempotencyStore:
    """The same claims within one process (a lock), for tests and long-lived pollers.

    It forgets the oldest keys past ``max_size`` so a long-running process does not grow without
    bound; redeliveries come within minutes, not after hundreds of thousands of other events.
    Several processes (Lambda instances) need a shared store: :class:`DynamoDbIdempotencyStore`.
    """

    def __init__(
        self,
        max_size: int = 100_000,
        in_progress_seconds: int = DEFAULT_IN_PROGRESS_SECONDS,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
        clock: Clock = time.time,
    ) -> None:
        if max_size < 1:
            raise ValueError("max_size must be positive")
        _check(in_progress_seconds, ttl_seconds)
        self._max_size = max_size
        self._in_progress_seconds = in_progress_seconds
        self._ttl_seconds = ttl_seconds
        self._clock = clock
        # key -> (status, expires_at, token)
        self._entries: OrderedDict[str, tuple[ClaimStatus, int, str]] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, key: str, expires_in: int | None = None) -> Claim:
        now = int(self._clock())
        expires_at = now + _claim_seconds(self._in_progress_seconds, expires_in)
        with self._lock:
            held = self._entries.get(key)
            if held is not None and held[1] >= now:
                return Claim(key, held[0])
            token = uuid.uuid4().hex
            self._put(key, (ClaimStatus.IN_PROGRESS, expires_at, token))
            return Claim(key, ClaimStatus.CLAIMED, token)

    def complete(self, claim: Claim) -> None:
        now = int(self._clock())
        with self._lock:
            self._put(claim.key, (ClaimStatus.COMPLETED, now + self._ttl_seconds, ""))

    def release(self, claim: Claim) -> None:
        with self._lock:
            held = self._entries.get(claim.key)
            if held is not None and held[0] is ClaimStatus.IN_PROGRESS and held[2] == claim.token:
                del self._entries[claim.key]

    def _put(self, key: str, entry: tuple[ClaimStatus, int, str]) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


class DynamoDbIdempotencyStore:
    """Claims in a DynamoDB table shared by every instance of a consumer.

    The table has a string partition key ``pk`` and nothing else required; turn on its TTL on the
    attribute ``expires_at`` so completed keys disappear after ``ttl_seconds`` (TTL deletes lazily,
    so every read here compares ``expires_at`` itself). One item per event key::

        {"pk": "<key_prefix><key>", "status": "in_progress" | "completed",
         "expires_at": <epoch seconds>, "token": "<claim token>"}

    Consumers of one event in different services must not share keys: give each its own table or
    its own ``key_prefix``. Every call is one request (a claim that loses adds a consistent
    GetItem); errors other than the lost condition propagate, so the delivery is retried.
    """

    def __init__(
        self,
        table: str,
        client: Any | None = None,
        in_progress_seconds: int = DEFAULT_IN_PROGRESS_SECONDS,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
        key_prefix: str = "",
        clock: Clock = time.time,
    ) -> None:
        if not table:
            raise ValueError("the idempotency table name must not be empty")
        _check(in_progress_seconds, ttl_seconds)
        self.table = table
        self._client = client
        self._in_progress_seconds = in_progress_seconds
        self._ttl_seconds = ttl_seconds
        self._key_prefix = key_prefix
        self._clock = clock

    def claim(self, key: str, expires_in: int | None = None) -> Claim:
        now = int(self._clock())
        expires_at = now + _claim_seconds(self._in_progress_seconds, expires_in)
        token = uuid.uuid4().hex
        try:
            self._dynamodb().put_item(
                TableName=self.table,
                Item=self._item(key, ClaimStatus.IN_PROGRESS, expires_at, token),
                ConditionExpression="attribute_not_exists(pk) OR expires_at < :now",
                ExpressionAttributeValues={":now": {"N": str(now)}},
            )
        except Exception as exc:
            if not _condition_failed(exc):
                raise
            return Claim(key, self._holder(key))
        return Claim(key, ClaimStatus.CLAIMED, token)

    def complete(self, claim: Claim) -> None:
        # Unconditional: the handler did run to the end, even if this claim expired meanwhile.
        expires_at = int(self._clock()) + self._ttl_seconds
        self._dynamodb().put_item(
            TableName=self.table, Item=self._item(claim.key, ClaimStatus.COMPLETED, expires_at, "")
        )

    def release(self, claim: Claim) -> None:
        try:
            self._dynamodb().delete_item(
                TableName=self.table,
                Key={"pk": {"S": self._pk(claim.key)}},
                ConditionExpression="#token = :token AND #status = :in_progress",
                ExpressionAttributeNames={"#token": "token", "#status": "status"},
                ExpressionAttributeValues={
                    ":token": {"S": claim.token},
                    ":in_progress": {"S": ClaimStatus.IN_PROGRESS.value},
                },
            )
        except Exception as exc:
            # Another delivery's claim, or a completed key: not ours to remove.
            if not _condition_failed(exc):
                raise

    def _holder(self, key: str) -> ClaimStatus:
        """Who holds ``key`` after a claim lost: completed, or (also when the holder released it
        in between) in progress, so this delivery is retried rather than skipped."""
        response = self._dynamodb().get_item(
            TableName=self.table, Key={"pk": {"S": self._pk(key)}}, ConsistentRead=True
        )
        status = response.get("Item", {}).get("status", {}).get("S")
        if status == ClaimStatus.COMPLETED.value:
            return ClaimStatus.COMPLETED
        return ClaimStatus.IN_PROGRESS

    def _item(self, key: str, status: ClaimStatus, expires_at: int, token: str) -> dict[str, Any]:
        return {
            "pk": {"S": self._pk(key)},
            "status": {"S": status.value},
            "expires_at": {"N": str(expires_at)},
            "token": {"S": token},
        }

    def _pk(self, key: str) -> str:
        return f"{self._key_prefix}{key}"

    def _dynamodb(self) -> Any:
        if self._client is None:
            self._client = shared_client("dynamodb")
        return self._client


def _condition_failed(exc: Exception) -> bool:
    return is_call_error(exc) and describe_call_error(exc)[0] == "ConditionalCheckFailedException"
