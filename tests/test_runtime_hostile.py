"""The consumer given hostile input: claim checks it did not ask for, a list, a 100,000-deep body,
payload values in a handler's exception, a line break in a detail-type.

Each test is a reproduction from issue 14: before the fix the claim check read any bucket and as
many bytes as the reference said, the list crashed lambda_handler after dead-lettering it, the
deep body raised RecursionError (redelivered forever), the exception text reached the logs, and
the detail-type forged a log line.
"""

from __future__ import annotations

import hashlib
import json
import logging
import traceback
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from botocore.exceptions import ClientError
from pydantic import Field

from conftest import delivered_event
from eventcontracts.runtime import (
    Claim,
    ClaimCheckLocation,
    Consumer,
    DispatchOutcome,
    EventEnvelope,
    EventModel,
    HandlerFailed,
    InMemoryIdempotencyStore,
    InvalidEvent,
    JsonFormatter,
)
from moto_server import Aws

pytest_plugins = ["moto_server"]

SOURCE = "shop.customers"
DETAIL_TYPE = "AddressChanged"


class AddressChanged(EventModel):
    SOURCE: ClassVar[str] = SOURCE
    DETAIL_TYPE: ClassVar[str] = DETAIL_TYPE
    SCHEMA_NAME: ClassVar[str] = "AddressChanged"
    SCHEMA_VERSION: ClassVar[int] = 1

    customer_id: str = Field(alias="customerId")
    street: str


def delivered(detail: Any, event_id: str = "e-1", **envelope: Any) -> dict[str, Any]:
    return delivered_event(SOURCE, DETAIL_TYPE, detail, event_id, **envelope)


ADDRESS = {"customerId": "CUST-58213", "street": "12 Baker Street"}


class DeadLetters(list[tuple[Any, str]]):
    def __call__(self, raw: Any, reason: str) -> None:
        self.append((raw, reason))


@pytest.fixture
def logs() -> Iterator[list[logging.LogRecord]]:
    """Every record the runtime logs, at any level."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    runtime = logging.getLogger("eventcontracts.runtime")
    handler, level = Keep(), runtime.level
    runtime.addHandler(handler)
    runtime.setLevel(logging.DEBUG)
    try:
        yield records
    finally:
        runtime.removeHandler(handler)
        runtime.setLevel(level)


def written(records: list[logging.LogRecord]) -> str:
    """The records as a plain-text log and as JSON lines would hold them, tracebacks included."""
    plain = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return "\n".join(f"{plain.format(r)}\n{JsonFormatter().format(r)}" for r in records)


# --- claim checks -------------------------------------------------------------------------------


def reference_to(bucket: str, key: str, body: bytes, size: int | None = None) -> dict[str, Any]:
    return {
        "claimCheck": {
            "version": 1,
            "bucket": bucket,
            "key": key,
            "size": len(body) if size is None else size,
            "sha256": hashlib.sha256(body).hexdigest(),
            "schema": f"{SOURCE}@AddressChanged",
            "schemaVersion": 1,
        }
    }


def claim_check_consumer(
    aws: Aws, dead: DeadLetters, **settings: Any
) -> tuple[Consumer, list[Any]]:
    handled: list[Any] = []
    consumer = Consumer(dead_letter=dead, s3_client=aws.client("s3"), **settings)
    consumer.handler(AddressChanged)(handled.append)
    return consumer, handled


def test_claim_checks_are_read_only_from_the_allowed_buckets_and_prefixes(aws: Aws) -> None:
    s3 = aws.client("s3")
    body = json.dumps(ADDRESS).encode()
    for bucket in ("event-payloads", "someone-elses-bucket"):
        s3.create_bucket(Bucket=bucket)
        for key in ("claim-checks/a", "secrets/a"):
            s3.put_object(Bucket=bucket, Key=key, Body=body)
    dead = DeadLetters()
    allowed = ClaimCheckLocation("event-payloads", "claim-checks/")
    consumer, handled = claim_check_consumer(aws, dead, claim_check_locations=[allowed])

    outcomes = [
        consumer.dispatch(delivered(reference_to(bucket, key, body), event_id=f"{bucket}/{key}"))
        for bucket, key in [
            ("event-payloads", "claim-checks/a"),
            ("event-payloads", "secrets/a"),
            ("someone-elses-bucket", "claim-checks/a"),
        ]
    ]

    assert outcomes == [DispatchOutcome.HANDLED] + [DispatchOutcome.DEAD_LETTERED] * 2
    assert [event.detail.customer_id for event in handled] == ["CUST-58213"]
    assert [reason for _, reason in dead] == [
        "the claim check refers to s3://event-payloads/secrets/a, outside the locations this "
        "consumer reads claim checks from (s3://event-payloads/claim-checks/)",
        "the claim check refers to s3://someone-elses-bucket/claim-checks/a, outside the "
        "locations this consumer reads claim checks from (s3://event-payloads/claim-checks/)",
    ]


def test_without_allowed_locations_every_claim_check_is_dead_lettered(aws: Aws) -> None:
    dead = DeadLetters()
    consumer, handled = claim_check_consumer(aws, dead)
    event = delivered(reference_to("event-payloads", "claim-checks/a", b"{}"))
    assert consumer.dispatch(event) is DispatchOutcome.DEAD_LETTERED
    assert "(none: set claim_check_locations)" in dead[0][1] and handled == []


def test_the_read_is_capped_by_the_setting_not_by_the_reference(aws: Aws) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="event-payloads")
    big = json.dumps({**ADDRESS, "street": "x" * 3_000_000}).encode()
    s3.put_object(Bucket="event-payloads", Key="claim-checks/big", Body=big)
    dead = DeadLetters()
    consumer, handled = claim_check_consumer(
        aws,
        dead,
        claim_check_locations=[ClaimCheckLocation("event-payloads")],
        claim_check_max_bytes=1024 * 1024,
    )

    # a reference that states the object's true size, over the cap: refused before any read
    honest = delivered(reference_to("event-payloads", "claim-checks/big", big), event_id="a")
    # one that states 500 MB
    huge = delivered(
        reference_to("event-payloads", "claim-checks/big", big, size=500 * 1024 * 1024),
        event_id="b",
    )
    assert consumer.dispatch(honest) is DispatchOutcome.DEAD_LETTERED
    assert consumer.dispatch(huge) is DispatchOutcome.DEAD_LETTERED
    assert handled == []
    assert [reason for _, reason in dead] == [
        f"the claim check refers to {size} bytes at s3://event-payloads/claim-checks/big, more "
        "than this consumer reads (1048576, set by claim_check_max_bytes)"
        for size in (len(big), 500 * 1024 * 1024)
    ]

    # under the default cap (32 MiB) the same 3 MB detail is read
    default, handled = claim_check_consumer(
        aws, DeadLetters(), claim_check_locations=[ClaimCheckLocation("event-payloads")]
    )
    assert default.dispatch(honest) is DispatchOutcome.HANDLED and len(handled) == 1


# --- malformed deliveries -----------------------------------------------------------------------


def test_lambda_handler_given_a_list_dead_letters_it_once_and_returns(
    logs: list[logging.LogRecord],
) -> None:
    dead = DeadLetters()
    consumer = Consumer(dead_letter=dead)
    consumer.handler(AddressChanged)(lambda event: None)
    events = [delivered(ADDRESS), delivered(ADDRESS, event_id="e-2")]

    assert consumer.lambda_handler(events, None) is None  # type: ignore[arg-type]
    assert dead == [
        ({"event": events}, "the event is a JSON array, not one EventBridge event object")
    ]
    (line,) = [r for r in logs if getattr(r, "outcome", None)]
    assert (line.outcome, line.problem) == ("dead_lettered", "invalid_envelope")  # type: ignore[attr-defined]

    without_callback = Consumer()
    with pytest.raises(InvalidEvent, match="is a JSON array"):
        without_callback.lambda_handler(events, None)  # type: ignore[arg-type]


def test_a_100000_deep_sqs_body_is_dead_lettered_not_redelivered() -> None:
    dead = DeadLetters()
    consumer = Consumer(dead_letter=dead)
    consumer.handler(AddressChanged)(lambda event: None)
    deep = "[" * 100_000 + "]" * 100_000
    deep_detail = json.dumps(delivered(ADDRESS))[:-1] + ', "x": ' + deep + "}"

    records = [
        {"messageId": "m1", "body": deep},
        {"messageId": "m2", "body": deep_detail},
        {"messageId": "m3", "body": json.dumps(delivered(ADDRESS))},
    ]
    assert consumer.sqs_handler({"Records": records}) == {"batchItemFailures": []}
    assert [reason for _, reason in dead] == [
        "the message body is not JSON this consumer reads: it nests 100000 levels deep, "
        "more than the 64 allowed",
        "the message body is not JSON this consumer reads: it nests 100001 levels deep, "
        "more than the 64 allowed",
    ]


# --- what reaches the logs ----------------------------------------------------------------------


def failing_consumer(**settings: Any) -> Consumer:
    consumer = Consumer(**settings)

    @consumer.handler(AddressChanged)
    def update(event: EventEnvelope[AddressChanged]) -> None:
        detail = event.detail
        raise ValueError(f"customer {detail.customer_id} has no address at {detail.street}")

    return consumer


def test_a_handlers_exception_is_logged_by_type_and_scrubbed_message(
    logs: list[logging.LogRecord],
) -> None:
    consumer = failing_consumer()
    record = {"messageId": "m1", "body": json.dumps(delivered(ADDRESS))}
    assert consumer.sqs_handler({"Records": [record]}) == {
        "batchItemFailures": [{"itemIdentifier": "m1"}]
    }
    with pytest.raises(HandlerFailed) as raised:
        consumer.lambda_handler(delivered(ADDRESS), None)

    # what Lambda's runtime would log of the raised error: its type, message and traceback
    reported = "".join(traceback.format_exception(raised.value))
    text = written(logs) + reported
    assert "CUST-58213" not in text and "Baker" not in text and "12 " not in text
    (line,) = [r for r in logs if getattr(r, "outcome", None) == "handler_error"][:1]
    assert (line.error, line.error_message) == (  # type: ignore[attr-defined]
        "ValueError",
        "customer *** has no address at *** *** ***",
    )
    assert str(raised.value) == (
        "the event handler raised ValueError: customer *** has no address at *** *** ***"
    )
    assert "in update" in reported  # the traceback still says where


def test_the_whole_message_is_logged_when_the_setting_says_so(
    logs: list[logging.LogRecord],
) -> None:
    consumer = failing_consumer(log_exception_messages=True)
    record = {"messageId": "m1", "body": json.dumps(delivered(ADDRESS))}
    consumer.sqs_handler({"Records": [record]})
    with pytest.raises(ValueError, match="CUST-58213"):
        consumer.lambda_handler(delivered(ADDRESS), None)
    (line, *_) = [r for r in logs if getattr(r, "outcome", None) == "handler_error"]
    assert line.error_message == "customer CUST-58213 has no address at 12 Baker Street"  # type: ignore[attr-defined]


@pytest.mark.parametrize("on_invalid", ["dead_letter", "raise"])
def test_a_detail_type_with_a_line_break_cannot_forge_a_log_line(
    logs: list[logging.LogRecord], on_invalid: Any
) -> None:
    consumer = Consumer(on_invalid=on_invalid, dead_letter=DeadLetters())
    consumer.handler(AddressChanged)(lambda event: None)
    forged = delivered(ADDRESS, **{"detail-type": "AddressChanged\nERROR root forged line"})
    record = {"messageId": "m1", "body": json.dumps(forged)}

    consumer.sqs_handler({"Records": [record]})

    lines = written(logs).splitlines()
    assert lines and not any(line.startswith("ERROR root forged") for line in lines)
    (outcome,) = [r for r in logs if getattr(r, "outcome", None)]
    assert outcome.detail_type == "AddressChanged\\nERROR root forged line"  # type: ignore[attr-defined]


class DeniedStore(InMemoryIdempotencyStore):
    """An idempotency store whose table the function's role may not write (a missing IAM grant)."""

    def claim(self, key: str) -> Claim:
        raise ClientError(
            {
                "Error": {
                    "Code": "AccessDeniedException",
                    "Message": "User: arn:aws:sts::123456789012:assumed-role/orders is not "
                    "authorized to perform: dynamodb:PutItem on resource: table/claims",
                },
                "ResponseMetadata": {"HTTPStatusCode": 400},
            },
            "PutItem",
        )


def test_a_store_error_is_reported_as_the_stores_not_scrubbed_as_the_handlers(
    logs: list[logging.LogRecord],
) -> None:
    consumer = Consumer(idempotency=DeniedStore())
    consumer.handler(AddressChanged)(lambda event: None)
    record = {"messageId": "m1", "body": json.dumps(delivered(ADDRESS))}

    assert consumer.sqs_handler({"Records": [record]}) == {
        "batchItemFailures": [{"itemIdentifier": "m1"}]
    }
    (line,) = [r.getMessage() for r in logs if "SQS message" in r.getMessage()]
    assert "AccessDeniedException" in line and "dynamodb:PutItem" in line, line

    with pytest.raises(Exception) as raised:
        consumer.lambda_handler(delivered(ADDRESS), None)
    assert not isinstance(raised.value, HandlerFailed)
    assert "AccessDeniedException" in str(raised.value)
    assert "handler" not in str(raised.value)
