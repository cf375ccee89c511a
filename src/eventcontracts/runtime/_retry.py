"""Which PutEvents failures are worth retrying, and how long to wait before the next attempt."""

from __future__ import annotations

import random
from typing import Any

from botocore.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
)

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
    """(error code, message) for a failed PutEvents call, to report on each of its entries."""
    if isinstance(exc, ClientError):
        error: dict[str, Any] = exc.response.get("Error", {})
        return str(error.get("Code") or "ClientError"), str(error.get("Message") or exc)
    return type(exc).__name__, str(exc)


def is_retryable_call_error(exc: Exception) -> bool:
    """Whether a whole PutEvents call that raised ``exc`` should be sent again.

    Throttling and 5xx answers are the service's state; a refused connection means nothing was
    sent. Other client errors (a missing bus, denied access, bad credentials) would repeat.
    """
    if isinstance(exc, EndpointConnectionError):
        return True
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return code in _THROTTLING_CALL_CODES or (isinstance(status, int) and status >= 500)
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
