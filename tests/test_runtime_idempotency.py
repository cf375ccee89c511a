"""Idempotency under concurrency: every side effect runs once, a crashed handler's event runs later.

The DynamoDB store runs against moto's server (a real HTTP endpoint, boto3 unpatched); the
in-memory store gets the same tests within one process. Deliveries go through the consumer's SQS
entry point one record at a time, as concurrent Lambda instances would receive them, and every
side effect the handler performs is counted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pydantic import Field

from conftest import delivered_event
from eventcontracts.runtime import (
    ClaimStatus,
    Consumer,
    DispatchOutcome,
    DynamoDbIdempotencyStore,
    EventEnvelope,
    EventInProgress,
    EventModel,
    IdempotencyStore,
    InMemoryIdempotencyStore,
)
from eventcontracts.runtime._eventid import marker
from moto_server import Aws

pytest_plugins = ["moto_server"]

SOURCE = "shop.payments"
DETAIL_TYPE = "PaymentCaptured"
TABLE = "idempotency"
THREADS, DELIVERIES, EVENT_IDS = 8, 50, 20


class PaymentCaptured(EventModel):
    SOURCE: ClassVar[str] = SOURCE
    DETAIL_TYPE: ClassVar[str] = DETAIL_TYPE
    SCHEMA_NAME: ClassVar[str] = "PaymentCaptured"
    SCHEMA_VERSION: ClassVar[int] = 1

    payment_id: str = Field(alias="paymentId")


def delivered(event_id: str, payment_id: str | None = None, **envelope: Any) -> dict[str, Any]:
    detail = {"paymentId": payment_id or event_id}
    return delivered_event(SOURCE, DETAIL_TYPE, detail, event_id, **envelope)


def idempotency_table(aws: Aws) -> Any:
    client = aws.client("dynamodb")
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.update_time_to_live(
        TableName=TABLE,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
    )
    return client


class SideEffects:
    """A handler whose side effect (charging a payment) is counted per event, slow enough that
    concurrent deliveries overlap it."""

    def __init__(self) -> None:
        self.charged: Counter[str] = Counter()
        self._lock = threading.Lock()

    def charge(self, event: EventEnvelope[PaymentCaptured]) -> None:
        time.sleep(0.01)
        with self._lock:
            self.charged[event.detail.payment_id] += 1


def deliver_concurrently(consumer: Consumer) -> Counter[str]:
    """8 threads each deliver 50 SQS messages drawn from the same 20 event ids, one message per
    invocation; returns how the deliveries ended."""
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(thread: int) -> None:
        start.wait()
        for n in range(DELIVERIES):
            event_id = f"evt-{n % EVENT_IDS:02d}"  # all threads on the same id at once
            record = {"messageId": f"m-{thread}-{n}", "body": json.dumps(delivered(event_id))}
            response = consumer.sqs_handler({"Records": [record]})
            with lock:
                outcomes["retry later" if response["batchItemFailures"] else "done"] += 1

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def consumer_with(store: IdempotencyStore, effects: SideEffects) -> Consumer:
    consumer = Consumer(idempotency=store)
    consumer.handler(PaymentCaptured)(effects.charge)
    return consumer


@pytest.mark.parametrize("kind", ["dynamodb", "in-memory"])
def test_concurrent_duplicates_run_each_side_effect_exactly_once(aws: Aws, kind: str) -> None:
    store: IdempotencyStore
    if kind == "dynamodb":
        store = DynamoDbIdempotencyStore(TABLE, client=idempotency_table(aws))
    else:
        store = InMemoryIdempotencyStore()
    effects = SideEffects()

    outcomes = deliver_concurrently(consumer_with(store, effects))

    assert sum(outcomes.values()) == THREADS * DELIVERIES
    assert len(effects.charged) == EVENT_IDS
    assert set(effects.charged.values()) == {1}, effects.charged
    # Deliveries that met a claim in progress were reported for a retry, not skipped: after
    # one, the event is completed and the retry is a duplicate.
    for event_id in effects.charged:
        retry = {"messageId": "retry", "body": json.dumps(delivered(event_id))}
        assert consumer_with(store, effects).sqs_handler({"Records": [retry]}) == {
            "batchItemFailures": []
        }
    assert set(effects.charged.values()) == {1}
    print(f"{kind}: {dict(outcomes)}, side effects {sum(effects.charged.values())}")


def test_a_delivery_meeting_a_claim_in_progress_is_retried_not_skipped(aws: Aws) -> None:
    store = DynamoDbIdempotencyStore(TABLE, client=idempotency_table(aws))
    effects = SideEffects()
    consumer = consumer_with(store, effects)
    started, finish = threading.Event(), threading.Event()

    def slow(event: EventEnvelope[PaymentCaptured]) -> None:
        started.set()
        finish.wait(10)
        effects.charge(event)

    slow_consumer = Consumer(idempotency=store)
    slow_consumer.handler(PaymentCaptured)(slow)
    first = threading.Thread(target=slow_consumer.dispatch, args=(delivered("evt-1"),))
    first.start()
    assert started.wait(10)

    with pytest.raises(EventInProgress):
        consumer.dispatch(delivered("evt-1"))
    record = {"messageId": "m-2", "body": json.dumps(delivered("evt-1"))}
    assert consumer.sqs_handler({"Records": [record]}) == {
        "batchItemFailures": [{"itemIdentifier": "m-2"}]
    }
    finish.set()
    first.join()

    assert consumer.dispatch(delivered("evt-1")) is DispatchOutcome.DUPLICATE
    assert effects.charged == {"evt-1": 1}


def test_a_raising_handler_releases_its_claim_so_the_retry_runs_at_once(aws: Aws) -> None:
    store = DynamoDbIdempotencyStore(TABLE, client=idempotency_table(aws))
    attempts: list[str] = []
    consumer = Consumer(idempotency=store)

    @consumer.handler(PaymentCaptured)
    def flaky(event: EventEnvelope[PaymentCaptured]) -> None:
        attempts.append(event.id)
        if len(attempts) == 1:
            raise ConnectionError("the payment provider timed out")

    with pytest.raises(ConnectionError):
        consumer.dispatch(delivered("evt-1"))
    assert consumer.dispatch(delivered("evt-1")) is DispatchOutcome.HANDLED
    assert consumer.dispatch(delivered("evt-1")) is DispatchOutcome.DUPLICATE
    assert attempts == ["evt-1", "evt-1"]


CRASHING_CONSUMER = """
import os, sys
from typing import ClassVar
from pydantic import Field
from eventcontracts.runtime import Consumer, DynamoDbIdempotencyStore, EventModel

class PaymentCaptured(EventModel):
    SOURCE: ClassVar[str] = {source!r}
    DETAIL_TYPE: ClassVar[str] = {detail_type!r}
    SCHEMA_NAME: ClassVar[str] = "PaymentCaptured"
    SCHEMA_VERSION: ClassVar[int] = 1
    payment_id: str = Field(alias="paymentId")

consumer = Consumer(idempotency=DynamoDbIdempotencyStore({table!r}, in_progress_seconds=1))

@consumer.handler(PaymentCaptured)
def charge(event):
    with open(sys.argv[1], "a") as started:
        started.write(event.detail.payment_id + "\\n")
    os._exit(137)  # killed mid-way, as a Lambda that times out: nothing after this runs

consumer.dispatch({event!r})
"""


def test_a_handler_that_crashes_mid_way_runs_again_after_its_claim_expires(
    aws: Aws, tmp_path: Path
) -> None:
    idempotency_table(aws)
    started = tmp_path / "started"
    script = tmp_path / "crashing_consumer.py"
    event = delivered("evt-crash")
    script.write_text(
        CRASHING_CONSUMER.format(source=SOURCE, detail_type=DETAIL_TYPE, table=TABLE, event=event)
    )
    # The environment the aws fixture set points the child's default boto3 clients at moto.
    crashed = subprocess.run(
        [sys.executable, str(script), str(started)], env=dict(os.environ), timeout=60
    )
    assert crashed.returncode == 137 and started.read_text() == "evt-crash\n"

    effects = SideEffects()
    store = DynamoDbIdempotencyStore(TABLE, in_progress_seconds=1)
    consumer = consumer_with(store, effects)
    # The dead process's claim still stands: this delivery is retried later, not run, not skipped.
    with pytest.raises(EventInProgress):
        consumer.dispatch(event)
    assert effects.charged == {}

    deadline = time.monotonic() + 5
    while True:
        try:
            outcome = consumer.dispatch(event)
            break
        except EventInProgress:
            assert time.monotonic() < deadline, "the crashed claim never expired"
            time.sleep(0.2)
    assert outcome is DispatchOutcome.HANDLED and effects.charged == {"evt-crash": 1}
    assert consumer.dispatch(event) is DispatchOutcome.DUPLICATE


class Crash(BaseException):
    """Stands in for the process dying mid-handler: not an Exception, so nothing is released."""


def test_in_memory_a_crashed_claim_expires_and_a_later_delivery_runs_it() -> None:
    now = [1_000.0]
    store = InMemoryIdempotencyStore(in_progress_seconds=30, clock=lambda: now[0])
    effects = SideEffects()
    crashing = Consumer(idempotency=store)

    @crashing.handler(PaymentCaptured)
    def crash(event: EventEnvelope[PaymentCaptured]) -> None:
        raise Crash

    with pytest.raises(Crash):
        crashing.dispatch(delivered("evt-1"))

    consumer = consumer_with(store, effects)
    now[0] += 29
    with pytest.raises(EventInProgress):
        consumer.dispatch(delivered("evt-1"))
    now[0] += 2
    assert consumer.dispatch(delivered("evt-1")) is DispatchOutcome.HANDLED
    assert consumer.dispatch(delivered("evt-1")) is DispatchOutcome.DUPLICATE
    assert effects.charged == {"evt-1": 1}


# --- the resources marker -----------------------------------------------------------------------


class RefundIssued(EventModel):
    SOURCE: ClassVar[str] = "shop.refunds"
    DETAIL_TYPE: ClassVar[str] = "RefundIssued"
    SCHEMA_NAME: ClassVar[str] = "RefundIssued"
    SCHEMA_VERSION: ClassVar[int] = 1

    payment_id: str = Field(alias="paymentId")


@pytest.mark.parametrize(
    "store_factory",
    [InMemoryIdempotencyStore, lambda: None],
    ids=["in-memory", "dynamodb"],
)
def test_a_resources_marker_cannot_make_another_event_skip(
    aws: Aws, store_factory: Callable[[], IdempotencyStore | None]
) -> None:
    """A genuine event (producer id P, envelope id E) comes after events whose markers name E
    or P: one of the same source and detail-type marked with its envelope id, one of another
    source marked with its producer id. Each is handled, and so is the genuine event."""
    store = store_factory() or DynamoDbIdempotencyStore(TABLE, client=idempotency_table(aws))
    effects = SideEffects()
    refunds: list[str] = []
    consumer = consumer_with(store, effects)
    consumer.handler(RefundIssued)(lambda event: refunds.append(event.detail.payment_id))
    genuine_producer_id = "5f1c7f62-0a55-4c1e-9a40-6f4c1c0d9b7e"
    genuine = delivered(
        "0d4b7c59-8f1e-4a63-9b2d-5e7a1c3f9e80",
        "PAY-1",
        resources=[marker(genuine_producer_id)],
    )
    same_kind = delivered(
        "aaaaaaaa-0000-4000-8000-000000000001", "PAY-X", resources=[marker(genuine["id"])]
    )
    other_kind = {
        **delivered("aaaaaaaa-0000-4000-8000-000000000002", "PAY-Y"),
        "source": "shop.refunds",
        "detail-type": "RefundIssued",
        "resources": [marker(genuine_producer_id)],
    }

    assert consumer.dispatch(same_kind) is DispatchOutcome.HANDLED
    assert consumer.dispatch(other_kind) is DispatchOutcome.HANDLED
    assert consumer.dispatch(genuine) is DispatchOutcome.HANDLED
    assert effects.charged == {"PAY-X": 1, "PAY-1": 1} and refunds == ["PAY-Y"]
    # and the genuine event is still recognised when it comes again, or redriven (new envelope)
    assert consumer.dispatch(genuine) is DispatchOutcome.DUPLICATE
    redriven = {**genuine, "id": "bbbbbbbb-0000-4000-8000-000000000003"}
    assert consumer.dispatch(redriven) is DispatchOutcome.DUPLICATE


def test_the_dynamodb_store_keeps_claims_as_documented(aws: Aws) -> None:
    client = idempotency_table(aws)
    store = DynamoDbIdempotencyStore(TABLE, client=client, ttl_seconds=3600, key_prefix="svc#")
    claim = store.claim("k")
    assert claim.status is ClaimStatus.CLAIMED
    held = client.get_item(TableName=TABLE, Key={"pk": {"S": "svc#k"}})["Item"]
    assert held["status"] == {"S": "in_progress"}
    assert store.claim("k").status is ClaimStatus.IN_PROGRESS
    store.complete(claim)
    done = client.get_item(TableName=TABLE, Key={"pk": {"S": "svc#k"}})["Item"]
    assert done["status"] == {"S": "completed"}
    assert 3590 < int(done["expires_at"]["N"]) - time.time() <= 3601
    assert store.claim("k").status is ClaimStatus.COMPLETED
    store.release(claim)  # a completed key is not a claim to release
    assert store.claim("k").status is ClaimStatus.COMPLETED


class LambdaContext:
    """The part of Lambda's context object the consumer reads: the invocation's time left."""

    def __init__(self, remaining_millis: int) -> None:
        self.remaining_millis = remaining_millis

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_millis


@pytest.mark.parametrize("entry", ["lambda_handler", "sqs_handler"])
def test_a_handler_killed_by_the_lambda_timeout_runs_again_on_lambdas_retry(entry: str) -> None:
    now = [1_000.0]
    store = InMemoryIdempotencyStore(clock=lambda: now[0])  # the default 900 s claims
    effects = SideEffects()
    crashing = Consumer(idempotency=store)

    @crashing.handler(PaymentCaptured)
    def crash(event: EventEnvelope[PaymentCaptured]) -> None:
        raise Crash  # the function's 30 s timeout kills the handler: nothing is released

    def invoke(consumer: Consumer, context: Any) -> None:
        if entry == "lambda_handler":
            consumer.lambda_handler(delivered("evt-1"), context)
            return
        record = {"messageId": "m1", "body": json.dumps(delivered("evt-1"))}
        response = consumer.sqs_handler({"Records": [record]}, context)
        if response["batchItemFailures"]:
            raise EventInProgress("evt-1")

    with pytest.raises(Crash):
        invoke(crashing, LambdaContext(remaining_millis=29_500))

    consumer = consumer_with(store, effects)
    now[0] += 60  # Lambda's first retry of a failed asynchronous invocation, about a minute on
    invoke(consumer, LambdaContext(remaining_millis=30_000))
    assert effects.charged == {"evt-1": 1}


def test_without_a_lambda_context_a_claim_lasts_the_stores_in_progress_seconds() -> None:
    now = [1_000.0]
    store = InMemoryIdempotencyStore(clock=lambda: now[0])
    crashing = Consumer(idempotency=store)

    @crashing.handler(PaymentCaptured)
    def crash(event: EventEnvelope[PaymentCaptured]) -> None:
        raise Crash

    with pytest.raises(Crash):
        crashing.lambda_handler(delivered("evt-1"), None)
    now[0] += 60
    with pytest.raises(EventInProgress):
        consumer_with(store, SideEffects()).lambda_handler(delivered("evt-1"), None)


def test_the_dynamodb_store_claims_for_the_seconds_it_is_asked(aws: Aws) -> None:
    client = idempotency_table(aws)
    now = [1_000.0]
    store = DynamoDbIdempotencyStore(TABLE, client=client, clock=lambda: now[0])
    assert store.claim("k", expires_in=40).status is ClaimStatus.CLAIMED
    item = client.get_item(TableName=TABLE, Key={"pk": {"S": "k"}})["Item"]
    assert item["expires_at"] == {"N": "1040"}
    now[0] += 41
    assert store.claim("k").status is ClaimStatus.CLAIMED  # the first one expired
