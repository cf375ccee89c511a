"""The clients the runtime makes itself are made once and reused, against a real moto server.

Without a client argument, publish, the fallback queue, Consumer.poll and redrive use the
runtime's own client for the service: made on first use, then kept (a new boto3 client costs
about 16 ms and new TLS connections on every warm Lambda invocation). A botocore event hook on
the kept client sees the later calls: they went through that same client object.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from eventcontracts.runtime import Consumer, ProducerSettings, publish, redrive
from eventcontracts.runtime._clients import shared_client
from eventcontracts.runtime._producer import default_events_client
from moto_server import Aws
from test_runtime_fallback import BUS, DETAIL_TYPE, SOURCE, OrderCreated

pytest_plugins = ["moto_server"]


class Calls:
    """Counts the calls of one operation a client sends (a botocore hook: it changes nothing)."""

    def __init__(self, client: Any, operation: str) -> None:
        self.count = 0
        service = client.meta.service_model.service_id.hyphenize()
        client.meta.events.register(f"before-call.{service}.{operation}", self._seen)

    def _seen(self, **_: Any) -> None:
        self.count += 1


def test_publishes_without_a_client_share_one_client(aws: Aws) -> None:
    queue = aws.routed_queue(BUS, SOURCE, DETAIL_TYPE)
    (first,) = publish(OrderCreated(orderId="o1"), bus=BUS)
    calls = Calls(default_events_client(), "PutEvents")

    (second,) = publish(OrderCreated(orderId="o2"), bus=BUS)
    (third,) = publish(OrderCreated(orderId="o3"), bus=BUS)

    # the client the first publish made took the later PutEvents calls
    assert calls.count == 2
    assert first.ok and second.ok and third.ok
    assert sorted(body["detail"]["orderId"] for body in aws.drain(queue)) == ["o1", "o2", "o3"]


def test_the_fallback_queue_is_written_with_one_kept_client(aws: Aws) -> None:
    fallback = aws.client("sqs").create_queue(QueueName="orders-fallback")["QueueUrl"]
    # The bus does not exist: moto fails every entry, so each goes to the fallback queue.
    settings = ProducerSettings(fallback_queue_url=fallback, sleep=lambda _: None)
    (first,) = publish(OrderCreated(orderId="o1"), bus=BUS, settings=settings)
    calls = Calls(shared_client("sqs"), "SendMessageBatch")

    (second,) = publish(OrderCreated(orderId="o2"), bus=BUS, settings=settings)

    assert first.sent_to_fallback and second.sent_to_fallback
    assert calls.count == 1
    assert aws.queue_counts(fallback) == (2, 0)


def test_polls_and_redrives_without_a_client_share_the_sqs_client(aws: Aws) -> None:
    queue = aws.client("sqs").create_queue(QueueName="empty")["QueueUrl"]
    consumer = Consumer()
    assert consumer.poll(queue) == 0
    calls = Calls(shared_client("sqs"), "ReceiveMessage")

    assert consumer.poll(queue) == 0
    assert redrive(queue, bus=BUS).received == 0

    assert calls.count == 2


def test_a_client_is_kept_per_region_and_endpoint(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = shared_client("sqs")
    assert shared_client("sqs") is here
    assert shared_client("events") is not here

    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    elsewhere = shared_client("sqs")
    assert elsewhere is not here and elsewhere.meta.region_name == "eu-west-1"

    monkeypatch.setenv("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9")
    other_endpoint = shared_client("sqs")
    assert other_endpoint is not elsewhere
    assert other_endpoint.meta.endpoint_url == "http://127.0.0.1:9"

    monkeypatch.delenv("AWS_ENDPOINT_URL_SQS")
    monkeypatch.setenv("AWS_DEFAULT_REGION", here.meta.region_name)
    assert shared_client("sqs") is here  # back where it started: the kept one again


def test_threads_asking_at_once_get_one_client(aws: Aws) -> None:
    start = threading.Barrier(8)
    got: list[Any] = []

    def ask() -> None:
        start.wait()
        got.append(shared_client("dynamodb"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(got) == 8 and all(client is got[0] for client in got)
