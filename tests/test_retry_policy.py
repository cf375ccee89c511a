"""The one retry policy (runtime/_retry.py) that the producer and sync apply share."""

from __future__ import annotations

import random

import pytest
from botocore.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    ClientError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from eventcontracts.runtime._retry import is_retryable, retry


def answered(code: str, status: int) -> ClientError:
    response = {
        "Error": {"Code": code, "Message": "m"},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, "UpdateSchema")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (answered("AccessDeniedException", 403), False),
        (answered("ValidationException", 400), False),
        (answered("NotImplementedException", 501), False),
        (answered("ThrottlingException", 400), True),
        (answered("TooManyRequestsException", 429), True),
        (answered("InternalFailure", 500), True),
        (answered("ServiceUnavailable", 503), True),
        (EndpointConnectionError(endpoint_url="http://127.0.0.1:1"), True),
        (ReadTimeoutError(endpoint_url="http://127.0.0.1:1"), True),
        (ValueError("a bug of ours"), False),
    ],
)
def test_only_what_could_succeed_next_time_is_retryable(error: Exception, expected: bool) -> None:
    assert is_retryable(error) is expected


def test_a_read_timeout_is_not_retried_for_a_call_that_may_have_been_carried_out() -> None:
    assert not is_retryable(ReadTimeoutError(endpoint_url="x"), idempotent=False)
    assert is_retryable(EndpointConnectionError(endpoint_url="x"), idempotent=False)


def test_retry_stops_at_the_first_error_that_is_not_retryable() -> None:
    errors = [answered("ThrottlingException", 400), answered("AccessDeniedException", 403)]
    slept: list[float] = []
    told: list[int] = []

    def call() -> str:
        raise errors.pop(0)

    with pytest.raises(ClientError, match="AccessDenied"):
        retry(call, attempts=8, base_delay=0.1, max_delay=5, sleep=slept.append,
              on_retry=lambda _, attempt: told.append(attempt), rng=random.Random(1))  # fmt: skip
    assert errors == [] and told == [1] and len(slept) == 1 and 0 <= slept[0] <= 0.1


def test_retry_waits_with_capped_full_jitter_and_raises_the_last_error() -> None:
    slept: list[float] = []
    calls = 0

    def call() -> None:
        nonlocal calls
        calls += 1
        raise answered("InternalFailure", 500)

    with pytest.raises(ClientError):
        retry(call, attempts=5, base_delay=0.1, max_delay=0.25, sleep=slept.append)
    assert calls == 5 and len(slept) == 4
    assert all(0 <= s <= cap for s, cap in zip(slept, [0.1, 0.2, 0.25, 0.25], strict=True))
    assert retry(lambda: "ok", attempts=1, base_delay=0.1, max_delay=1) == "ok"
