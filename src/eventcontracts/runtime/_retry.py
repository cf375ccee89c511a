"""Which AWS failures are worth retrying, how long to wait, and :func:`retry` that does both.

The one retry policy of the project: the runtime's producer and the tool's ``sync apply`` both
use it. Kept light on purpose (botocore's exceptions and the standard library only): the tool
imports it without the runtime's pydantic models; see ``runtime/__init__.py``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from botocore.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    HTTPClientError,
)
from botocore.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    ConnectionError as NoConnection,
)

T = TypeVar("T")
Item = TypeVar("Item")

# Per-entry ErrorCodes in a PutEvents response that describe the service's state rather than the
# entry: sending the same entry again can succeed. Any other code (InvalidArgument,
# MalformedDetail, AccessDeniedException, ...) would fail the same way again.
RETRYABLE_ENTRY_CODES = frozenset({"ThrottlingException", "InternalFailure", "InternalException"})

# Whole-call error codes that mean "slow down", as botocore's own standard retry mode lists them.
_THROTTLING_CALL_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "LimitExceededException",
    }
)


def describe_call_error(exc: Exception) -> tuple[str, str]:
    """(error code, message) of a failed AWS call: for a ClientError the service's code and message,
    for any other error its type and text."""
    if isinstance(exc, ClientError):
        error: dict[str, Any] = exc.response.get("Error", {})
        return str(error.get("Code") or "ClientError"), str(error.get("Message") or exc)
    return type(exc).__name__, str(exc)


def call_error_status(exc: BaseException) -> int | None:
    """The HTTP status the service answered a failed call with; None when there was no answer."""
    if not isinstance(exc, ClientError):
        return None
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return status if isinstance(status, int) else None


# Retryable whatever the status (some services answer throttling with a 400). Besides these,
# 429 and any 5xx but 501 (not implemented: it stays so) are retried.
_TRANSIENT_CALL_CODES = _THROTTLING_CALL_CODES | {
    "InternalFailure",
    "InternalError",
    "InternalServerError",
    "InternalServerErrorException",
    "ServiceUnavailable",
    "ServiceUnavailableException",
}
# The request never reached the service: nothing was done, so any call may be made again.
_NOT_SENT = (EndpointConnectionError,)
# No answer, or part of one: a dropped connection, a read timeout, a broken TLS or proxy link.
# The service may have carried the call out, so only a call that is safe to repeat (an
# idempotency token, a create refused as a conflict the second time) is made again.
_NO_ANSWER = (NoConnection, HTTPClientError)


def is_retryable(error: BaseException, *, idempotent: bool = True) -> bool:
    """Whether a call that raised ``error`` should be made again.

    Throttling and 5xx answers are the service's state; no answer at all may have been the
    network's (for a call that is not ``idempotent``, only a connection never made). Any other
    answer (denied access, a validation error, a missing resource, bad credentials) would be the
    same again.
    """
    if isinstance(error, _NOT_SENT):
        return True
    if isinstance(error, _NO_ANSWER):
        return idempotent
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code")
        status = call_error_status(error)
        if status is None:
            return code in _TRANSIENT_CALL_CODES
        return code in _TRANSIENT_CALL_CODES or status == 429 or (status >= 500 and status != 501)
    return False


def is_call_error(exc: Exception) -> bool:
    """Whether ``exc`` is botocore reporting a failed call (as opposed to a bug to propagate)."""
    return isinstance(exc, (ClientError, BotoCoreError))


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based): "full jitter", a uniform
    draw from [0, min(cap, base * 2**(attempt - 1))]. Spreading the retries of many producers over
    the whole window keeps them from hitting a throttled bus again in lockstep."""
    ceiling = min(cap, base * (2 ** (attempt - 1)))
    return rng.uniform(0.0, ceiling)


def retry(
    call: Callable[[], T],
    *,
    attempts: int,
    base_delay: float,
    max_delay: float,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[BaseException, int], None] | None = None,
    rng: random.Random | None = None,
    retryable: Callable[[BaseException], bool] = is_retryable,
) -> T:
    """``call()``'s answer, making the call up to ``attempts`` times while it raises a
    ``retryable`` error, with full-jitter backoff (:func:`backoff_delay`) between attempts.

    An error that is not retryable is raised at once, the last one when attempts run out.
    ``on_retry(error, attempt)`` is told of each failed attempt (1-based) about to be retried.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    rng = rng or random.Random()
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except Exception as error:
            if attempt == attempts or not retryable(error):
                raise
            if on_retry is not None:
                on_retry(error, attempt)
        sleep(backoff_delay(attempt, base_delay, max_delay, rng))
    raise AssertionError("unreachable")  # pragma: no cover


class Backoff(Protocol):
    """How often and how patiently a call is made (the producer's settings are one)."""

    @property
    def max_attempts(self) -> int: ...
    @property
    def base_delay(self) -> float: ...
    @property
    def max_delay(self) -> float: ...
    @property
    def sleep(self) -> Callable[[float], None]: ...
    @property
    def rng(self) -> random.Random: ...


class _StillPending(Exception):
    """Some items of a batch call were refused for a reason worth another try: the call as a
    whole is retried, with only them (:func:`retry_pending` keeps them)."""


def retry_pending(
    send: Callable[[list[Item]], list[Item]],
    items: list[Item],
    backoff: Backoff,
    *,
    on_call_error: Callable[[Exception, list[Item]], None],
    on_retry: Callable[[list[Item], int], None] | None = None,
) -> None:
    """:func:`retry` for a batch call that can partly succeed (PutEvents, SendMessageBatch).

    ``send(pending)`` makes the call for the items still pending, records each one's fate, and
    returns those refused for a reason worth another try; the next attempt sends only them, up
    to ``backoff.max_attempts`` attempts with its delays.
    A whole call that failed is told to ``on_call_error(error, pending)`` and retried when
    :func:`is_retryable` says so (as a call that may have been carried out: a batch call has no
    idempotency token); ``on_retry(pending, attempt)`` hears of the items about to be sent
    again. Returns when nothing is pending, the error is not retryable, or attempts ran out;
    what became of each item is what ``send`` and ``on_call_error`` recorded. An error that is
    not a failed call (a bug) propagates.
    """
    pending = list(items)

    def attempt() -> None:
        nonlocal pending
        try:
            pending = send(pending)
        except Exception as error:
            if is_call_error(error):
                on_call_error(error, pending)
            raise
        if pending:
            raise _StillPending(f"{len(pending)} items to send again")

    def worth_retrying(error: BaseException) -> bool:
        return isinstance(error, _StillPending) or is_retryable(error, idempotent=False)

    def told(_error: BaseException, attempt: int) -> None:
        if on_retry is not None:
            on_retry(pending, attempt)

    try:
        retry(
            attempt,
            attempts=backoff.max_attempts,
            base_delay=backoff.base_delay,
            max_delay=backoff.max_delay,
            sleep=backoff.sleep,
            rng=backoff.rng,
            retryable=worth_retrying,
            on_retry=told,
        )
    except Exception as error:
        if not (isinstance(error, _StillPending) or is_call_error(error)):
            raise  # a bug, not an answer
