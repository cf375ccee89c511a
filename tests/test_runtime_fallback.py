"""The fallback queue and redrive against a real moto server (EventBridge and SQS).

The bus really goes away (moto then answers PutEvents with ResourceNotFoundException) and comes
back; the consumer is the runtime Consumer with an in-memory idempotency store, reading the SQS
queue a rule on the bus feeds.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

import pytest
from botocore.awsrequest import AWSResponse  # type: ignore[import-untyped, unused-ignore]
from pydantic import Field

from conftest import CliRunner
from eventcontracts.runtime import (
    Consumer,
    DispatchOutcome,
    EventEnvelope,
    EventModel,
    InMemoryIdempotencyStore,
    InMemoryMetrics,
    ProducerSettings,
    PublishError,
    PublishResult,
    publish,
    redrive,
)
from eventcontracts.runtime._eventid import EVENT_ID_PREFIX, event_id_in
from eventcontracts.runtime._fallback import fallback_body
from moto_server import Aws
from test_runtime_producer import ScriptedEventBridge

pytest_plugins = ["moto_server"]

SOURCE = "shop.orders"
DETAIL_TYPE = "OrderCreated"
BUS = "orders"


class OrderCreated(EventModel):
    SOURCE: ClassVar[str] = SOURCE
    DETAIL_TYPE: ClassVar[str] = DETAIL_TYPE
    SCHEMA_NAME: ClassVar[str] = "OrderCreated"
    SCHEMA_VERSION: ClassVar[int] = 1

    order_id: str = Field(alias="orderId")


def orders(*numbers: int) -> list[OrderCreated]:
    return [OrderCreated(orderId=f"ORD-{n}") for n in numbers]


@pytest.fixture
def fallback(aws: Aws) -> str:
    url: str = aws.client("sqs").create_queue(QueueName="orders-fallback")["QueueUrl"]
    return url


@pytest.fixture
def bus_queue(aws: Aws) -> str:
    return aws.routed_queue(BUS, SOURCE, DETAIL_TYPE)


def settings(aws: Aws, fallback: str, **more: Any) -> ProducerSettings:
    return ProducerSettings(
        fallback_queue_url=fallback,
        fallback_client=aws.client("sqs"),
        sleep=lambda _: None,
        **more,
    )


def peek(aws: Aws, queue_url: str) -> list[dict[str, Any]]:
    """The bodies in the queue, parsed, without taking them out (visible again at once)."""
    sqs = aws.client("sqs")
    found = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0)
    return [json.loads(message["Body"]) for message in found.get("Messages", [])]


def delete_bus(aws: Aws) -> None:
    events = aws.client("events")
    events.remove_targets(Rule="events-rule", EventBusName=BUS, Ids=["queue"])
    events.delete_rule(Name="events-rule", EventBusName=BUS)
    events.delete_event_bus(Name=BUS)


class Recorder:
    """A consumer that counts how often each order was handled."""

    def __init__(self) -> None:
        self.handled: Counter[str] = Counter()
        self.outcomes: Counter[DispatchOutcome] = Counter()
        self.consumer = Consumer(idempotency=InMemoryIdempotencyStore())

        @self.consumer.handler(OrderCreated)
        def on_order(event: EventEnvelope[OrderCreated]) -> None:
            self.handled[event.detail.order_id] += 1

    def drain(self, aws: Aws, queue_url: str) -> None:
        for body in aws.drain(queue_url):
            self.outcomes[self.consumer.dispatch(body)] += 1


# --- publish with a fallback --------------------------------------------------------------------


def test_an_entry_failing_after_its_retries_goes_to_the_fallback_with_its_error(
    aws: Aws, bus_queue: str, fallback: str
) -> None:
    scripted = ScriptedEventBridge(aws.client("events"), {"ORD-2": ["InternalFailure"] * 5})
    results = publish(
        *orders(1, 2, 3), bus=BUS, client=scripted, settings=settings(aws, fallback, max_attempts=2)
    )

    assert [r.ok for r in results] == [True, False, True]
    assert results[1].sent_to_fallback and results[1].fallback_message_id
    assert results[1].error_code == "InternalFailure"
    (message,) = peek(aws, fallback)
    assert message["eventcontracts"] == "fallback" and message["version"] == 1
    assert message["producerEventId"] == results[1].producer_event_id
    assert message["error"] == {"code": "InternalFailure", "message": "InternalFailure (test)"}
    assert message["attempts"] == 2
    entry = message["entry"]
    assert (entry["Source"], entry["DetailType"], entry["EventBusName"]) == (
        SOURCE,
        DETAIL_TYPE,
        BUS,
    )
    assert json.loads(entry["Detail"]) == {"orderId": "ORD-2"}
    assert entry["Resources"] == [EVENT_ID_PREFIX + str(results[1].producer_event_id)]
    assert sorted(body["detail"]["orderId"] for body in aws.drain(bus_queue)) == ["ORD-1", "ORD-3"]


def test_every_event_carries_its_producer_id_to_the_consumer(aws: Aws, bus_queue: str) -> None:
    results = publish(*orders(1, 2), bus=BUS, client=aws.client("events"))
    delivered = {body["detail"]["orderId"]: body for body in aws.drain(bus_queue)}
    for result in results:
        body = delivered[result.event.order_id]  # type: ignore[attr-defined]
        assert event_id_in(body["resources"]) == result.producer_event_id
        assert body["id"] == result.event_id != result.producer_event_id


def test_a_missing_bus_sends_every_entry_to_the_fallback(aws: Aws, fallback: str) -> None:
    metrics = InMemoryMetrics()
    results = publish(
        *orders(1, 2, 3),
        bus=BUS,
        client=aws.client("events"),
        settings=settings(aws, fallback, metrics=metrics),
    )
    # counted and logged as diverted, not as lost
    assert metrics.totals().get("sent_to_fallback") == 3 and "failed" not in metrics.totals()

    assert all(r.sent_to_fallback and not r.ok for r in results)
    assert {r.error_code for r in results} == {"ResourceNotFoundException"}
    messages = peek(aws, fallback)
    assert sorted(json.loads(m["entry"]["Detail"])["orderId"] for m in messages) == [
        "ORD-1",
        "ORD-2",
        "ORD-3",
    ]
    assert {m["error"]["code"] for m in messages} == {"ResourceNotFoundException"}


def test_a_failing_fallback_raises_with_both_errors(aws: Aws) -> None:
    gone = aws.client("sqs").create_queue(QueueName="gone")["QueueUrl"]
    aws.client("sqs").delete_queue(QueueUrl=gone)

    with pytest.raises(PublishError) as caught:
        publish(*orders(1), bus=BUS, client=aws.client("events"), settings=settings(aws, gone))

    (result,) = caught.value.failed
    assert not result.sent_to_fallback
    assert result.error_code == "ResourceNotFoundException"
    assert "fallback failed" in str(result.error_message)


def test_without_a_fallback_a_missing_bus_still_raises(aws: Aws, fallback: str) -> None:
    with pytest.raises(PublishError):
        publish(*orders(1), bus=BUS, client=aws.client("events"))
    assert peek(aws, fallback) == []


# --- the Done-means scenario --------------------------------------------------------------------


def test_bus_deleted_mid_run_then_redriven_each_event_is_handled_exactly_once(
    aws: Aws, bus_queue: str, fallback: str
) -> None:
    events = aws.client("events")
    run = settings(aws, fallback)
    before = publish(*orders(1, 2), bus=BUS, client=events, settings=run)
    delete_bus(aws)
    during = publish(*orders(3, 4, 5), bus=BUS, client=events, settings=run)
    during += publish(*orders(6), bus=BUS, client=events, settings=run)
    assert all(r.ok for r in before) and all(r.sent_to_fallback for r in during)

    consumer = Recorder()
    consumer.drain(aws, bus_queue)  # what got through before the bus went away
    assert sorted(consumer.handled) == ["ORD-1", "ORD-2"]

    # The bus and its rule come back.
    aws.routed_queue(BUS, SOURCE, DETAIL_TYPE)
    after = publish(*orders(7), bus=BUS, client=events, settings=run)
    assert after[0].ok

    sqs = aws.client("sqs")
    # At-least-once on the way in: one fallback message twice, and an event that did get
    # through (ORD-1, accepted but, say, its answer lost) in the fallback queue as well.
    sqs.send_message(QueueUrl=fallback, MessageBody=json.dumps(peek(aws, fallback)[0]))
    sqs.send_message(QueueUrl=fallback, MessageBody=fallback_of(before[0]))

    summary = redrive(fallback, sqs_client=sqs, events_client=events)
    assert summary.complete and summary.received == 6 and len(summary.redriven) == 6
    assert aws.queue_counts(fallback) == (0, 0)

    # Redriving the same message again (it was copied elsewhere, or a delete was lost).
    sqs.send_message(QueueUrl=fallback, MessageBody=fallback_of(during[0]))
    assert redrive(fallback, sqs_client=sqs, events_client=events).complete

    consumer.drain(aws, bus_queue)
    assert consumer.handled == {f"ORD-{n}": 1 for n in range(1, 8)}
    assert consumer.outcomes[DispatchOutcome.DUPLICATE] == 3


def fallback_of(result: PublishResult) -> str:
    """The fallback message publish() would have written for ``result``'s entry."""
    entry = {
        "Source": SOURCE,
        "DetailType": DETAIL_TYPE,
        "Detail": result.event.model_dump_json(by_alias=True),
        "EventBusName": BUS,
        "Resources": [EVENT_ID_PREFIX + str(result.producer_event_id)],
    }
    return fallback_body(entry, "Timeout", "no answer", 1)


# --- dead-letter queues -------------------------------------------------------------------------


def test_a_dead_lettered_event_is_redriven_with_its_producer_id(
    aws: Aws, bus_queue: str, fallback: str
) -> None:
    sqs, events = aws.client("sqs"), aws.client("events")
    dlq: str = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    (published,) = publish(*orders(1), bus=BUS, client=events)
    # A consumer that could not handle it then (no handler yet) dead-lettered the whole event.
    broken = Consumer(dead_letter=lambda raw, reason: sqs.send_message(
        QueueUrl=dlq, MessageBody=json.dumps(raw)
    ))  # fmt: skip
    for body in aws.drain(bus_queue):
        assert broken.dispatch(body) is DispatchOutcome.DEAD_LETTERED

    summary = redrive(dlq, bus=BUS, sqs_client=sqs, events_client=events)

    assert summary.complete and summary.redriven == [published.producer_event_id]
    (again,) = aws.drain(bus_queue)
    assert event_id_in(again["resources"]) == published.producer_event_id
    assert again["id"] != published.event_id and again["detail"] == {"orderId": "ORD-1"}


def test_an_event_without_a_producer_id_is_redriven_with_its_envelope_id(
    aws: Aws, bus_queue: str
) -> None:
    sqs, events = aws.client("sqs"), aws.client("events")
    dlq: str = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    # Published by something other than eventcontracts: no marker in Resources.
    events.put_events(
        Entries=[{"Source": SOURCE, "DetailType": DETAIL_TYPE, "Detail": '{"orderId":"ORD-9"}',
                  "EventBusName": BUS}]
    )  # fmt: skip
    (original,) = aws.drain(bus_queue)
    consumer = Recorder()
    assert consumer.consumer.dispatch(original) is DispatchOutcome.HANDLED
    sqs.send_message(QueueUrl=dlq, MessageBody=json.dumps(original))  # and also dead-lettered

    assert redrive(dlq, bus=BUS, sqs_client=sqs, events_client=events).complete

    (again,) = aws.drain(bus_queue)
    assert event_id_in(again["resources"]) == original["id"]
    assert consumer.consumer.dispatch(again) is DispatchOutcome.DUPLICATE
    assert consumer.handled == {"ORD-9": 1}


# --- the command --------------------------------------------------------------------------------


def redrive_cli(cli: CliRunner, aws: Aws, tmp_path: Path, *args: str) -> Any:
    return cli(["redrive", *args, "--endpoint-url", aws.endpoint], tmp_path)


def test_cli_redrives_everything_and_exits_0(
    cli: CliRunner, aws: Aws, tmp_path: Path, bus_queue: str, fallback: str
) -> None:
    publish(
        *orders(1, 2),
        bus="elsewhere",
        client=aws.client("events"),
        settings=settings(aws, fallback),
    )

    dry = redrive_cli(cli, aws, tmp_path, fallback, "--bus", BUS, "--dry-run")
    assert dry.code == 0 and "2 received, 2 would redrive" in dry.out
    assert aws.queue_counts(fallback) == (2, 0) and aws.drain(bus_queue) == []

    result = redrive_cli(cli, aws, tmp_path, fallback, "--bus", BUS, "--max", "1")
    assert result.code == 0 and "1 received, 1 redriven, 0 failed" in result.out
    result = redrive_cli(cli, aws, tmp_path, fallback, "--bus", BUS)
    assert result.code == 0 and "1 received, 1 redriven" in result.out
    assert sorted(b["detail"]["orderId"] for b in aws.drain(bus_queue)) == ["ORD-1", "ORD-2"]
    assert aws.queue_counts(fallback) == (0, 0)


def test_cli_exits_1_and_keeps_the_messages_whose_put_failed(
    cli: CliRunner, aws: Aws, tmp_path: Path, fallback: str
) -> None:
    publish(*orders(1), bus=BUS, client=aws.client("events"), settings=settings(aws, fallback))

    result = redrive_cli(cli, aws, tmp_path, fallback)  # the bus is still missing

    assert result.code == 1
    assert "1 failed" in result.out and "ResourceNotFoundException" in result.out
    assert aws.queue_counts(fallback) == (1, 0)  # still there, and visible for the next run


def test_cli_exits_2_for_an_unknown_queue(cli: CliRunner, aws: Aws, tmp_path: Path) -> None:
    missing = f"{aws.endpoint}/123456789012/no-such-queue"
    result = redrive_cli(cli, aws, tmp_path, missing)
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f"error: queue {missing} does not exist (AWS.SimpleQueueService.NonExistentQueue)"
    ]


def test_cli_exits_2_naming_an_unreadable_message_and_keeps_it(
    cli: CliRunner, aws: Aws, tmp_path: Path, fallback: str
) -> None:
    sent = aws.client("sqs").send_message(QueueUrl=fallback, MessageBody="not json")
    result = redrive_cli(cli, aws, tmp_path, fallback)
    assert result.code == 2
    (line,) = result.err.strip().splitlines()
    assert line.startswith(f"error: message {sent['MessageId']} in {fallback} cannot be redriven")
    assert "not JSON" in line
    assert aws.queue_counts(fallback) == (1, 0)


def test_cli_exits_2_for_a_dead_lettered_event_without_bus(
    cli: CliRunner, aws: Aws, tmp_path: Path, fallback: str
) -> None:
    event = {"id": "e-1", "source": SOURCE, "detail-type": DETAIL_TYPE, "detail": {}}
    aws.client("sqs").send_message(QueueUrl=fallback, MessageBody=json.dumps(event))
    result = redrive_cli(cli, aws, tmp_path, fallback)
    assert result.code == 2 and "pass --bus" in result.err


# --- only what could succeed next time is retried ----------------------------------------------


def count_calls(client: Any, operation: str) -> list[str]:
    """The calls ``client`` makes of ``operation`` (botocore's own retries are off: one each)."""
    made: list[str] = []
    client.meta.events.register(
        f"before-call.{client.meta.service_model.endpoint_prefix}.{operation}",
        lambda **_: made.append(operation),
    )
    return made


class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Any:
        yield self._data


def throttle(client: Any, operation: str, times: int) -> None:
    """The service answers the first ``times`` calls of ``operation`` as SQS does when it
    throttles (HTTP 400, ThrottlingException): the answer goes through botocore's own parser,
    and every other call reaches the moto server."""
    left = [times]
    body = json.dumps(
        {"__type": "com.amazon.coral.availability#ThrottlingException", "message": "Rate exceeded"}
    ).encode()

    def answer(request: Any, **_: Any) -> AWSResponse | None:
        if left[0] == 0:
            return None
        left[0] -= 1
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "throttled"}
        return AWSResponse(request.url, 400, headers, _Body(body))

    client.meta.events.register(f"before-send.sqs.{operation}", answer)


def test_a_fallback_queue_that_does_not_exist_is_tried_once(aws: Aws) -> None:
    gone = aws.client("sqs").create_queue(QueueName="gone")["QueueUrl"]
    aws.client("sqs").delete_queue(QueueUrl=gone)
    sqs, events = aws.client("sqs"), aws.client("events")
    sends, puts = count_calls(sqs, "SendMessageBatch"), count_calls(events, "PutEvents")
    slept: list[float] = []
    settings = ProducerSettings(fallback_queue_url=gone, fallback_client=sqs, sleep=slept.append)

    with pytest.raises(PublishError) as caught:
        publish(*orders(1, 2), bus=BUS, client=events, settings=settings)

    # the bus is missing and so is the queue: neither answer changes with another try
    assert puts == ["PutEvents"] and sends == ["SendMessageBatch"] and slept == []
    assert len(caught.value.failed) == 2
    for result in caught.value.failed:
        assert "(fallback failed: AWS.SimpleQueueService.NonExistentQueue: " in str(
            result.error_message
        )


def test_a_throttled_fallback_queue_is_tried_again_until_it_takes_the_messages(
    aws: Aws, fallback: str
) -> None:
    sqs = aws.client("sqs")
    sends = count_calls(sqs, "SendMessageBatch")
    throttle(sqs, "SendMessageBatch", times=2)
    slept: list[float] = []
    settings = ProducerSettings(fallback_queue_url=fallback, fallback_client=sqs,
                                sleep=slept.append, base_delay=0.05, max_delay=2.0)  # fmt: skip

    results = publish(*orders(1, 2), bus=BUS, client=aws.client("events"), settings=settings)

    assert len(sends) == 3 and all(r.sent_to_fallback for r in results)
    assert len(slept) == 2 and 0 <= slept[0] <= 0.05 and 0 <= slept[1] <= 0.1
    assert sorted(json.loads(m["entry"]["Detail"])["orderId"] for m in peek(aws, fallback)) == [
        "ORD-1",
        "ORD-2",
    ]


def test_a_fallback_queue_throttled_every_time_is_given_up_after_the_attempts(
    aws: Aws, fallback: str
) -> None:
    sqs = aws.client("sqs")
    sends = count_calls(sqs, "SendMessageBatch")
    throttle(sqs, "SendMessageBatch", times=99)
    settings = ProducerSettings(fallback_queue_url=fallback, fallback_client=sqs,
                                sleep=lambda _: None, max_attempts=3)  # fmt: skip

    with pytest.raises(PublishError) as caught:
        publish(*orders(1), bus=BUS, client=aws.client("events"), settings=settings)

    assert len(sends) == 3 and peek(aws, fallback) == []
    (result,) = caught.value.failed
    assert "fallback failed: ThrottlingException: Rate exceeded" in str(result.error_message)
