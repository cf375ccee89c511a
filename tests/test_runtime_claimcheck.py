"""Claim check end to end, against a real moto server (S3, EventBridge and SQS on 127.0.0.1).

A 2 MB Order Created event, far over the PutEvents limit, is published by the generated producer
with a claim-check setting: its detail goes to S3, a small reference goes through the bus and the
queue, and the consumer hands the handler the whole typed event. A tampered, missing or malformed
claim check is dead-lettered with a reason saying which. No boto3 call is mocked.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from conftest import EXAMPLE_REGISTRY, REPO_ROOT
from eventcontracts.registry import load_registry
from eventcontracts.registry.resolver import Resolver
from eventcontracts.runtime import (
    ClaimCheckLocation,
    ClaimCheckReference,
    ClaimCheckSettings,
    Consumer,
    DispatchOutcome,
    EventEnvelope,
    InMemoryMetrics,
    ProducerSettings,
    PublishError,
    publish,
)
from eventcontracts.runtime._entries import detail_json
from moto_server import NO_BOTOCORE_RETRIES, REGION, Aws

pytest_plugins = ["moto_server"]

EXAMPLES = REPO_ROOT / "registry" / "com.mycompany.orders" / "OrderCreated" / "examples"
REFERENCE_SCHEMA = "eventcontracts.claimcheck@ClaimCheckReference"
BUS = "orders"
TWO_MB = 2 * 1024 * 1024
# Where the producer in these tests stores details (aws.bucket()'s default name and prefix).
PAYLOADS = ClaimCheckLocation("event-payloads", "claim-checks/")


def _order(orders: Any, lines: int = 1, order_id: str = "ORD-7001") -> Any:
    """An Order Created v2 event with ``lines`` line items of about 240 bytes each."""
    sample = sorted((EXAMPLES / "v2").glob("*.json"))[0]
    detail: dict[str, Any] = json.loads(sample.read_text())["detail"]
    items = [
        {"productId": f"SKU-{n:06d}-" + "X" * 200, "quantity": 1 + n % 7, "price": 9.5}
        for n in range(lines)
    ]
    return orders.OrderCreatedV2.model_validate({**detail, "orderId": order_id, "items": items})


def _big_order(orders: Any, order_id: str = "ORD-7001") -> Any:
    event = _order(orders, lines=TWO_MB // 240 + 1, order_id=order_id)
    assert len(detail_json(event).encode()) > TWO_MB
    return event


def _settings(bucket: str, aws: Aws, **options: Any) -> ProducerSettings:
    return ProducerSettings(
        claim_check=ClaimCheckSettings(bucket, client=aws.client("s3"), **options)
    )


def _consumer(
    orders: Any, aws: Aws
) -> tuple[Consumer, list[Any], list[tuple[dict[str, Any], str]]]:
    handled: list[Any] = []
    dead: list[tuple[dict[str, Any], str]] = []
    consumer = Consumer(
        dead_letter=lambda raw, reason: dead.append((raw, reason)),
        s3_client=aws.client("s3"),
        claim_check_locations=[PAYLOADS],
    )

    @consumer.handler(orders.OrderCreatedV2)
    def on_order(event: EventEnvelope[Any]) -> None:
        handled.append(event)

    return consumer, handled, dead


def _published_reference(orders: Any, aws: Aws, bucket: str) -> tuple[Any, str, dict[str, Any]]:
    """Publish a 2 MB order by claim check; (the order, the queue, the event as queued)."""
    queue_url = aws.routed_queue(BUS, orders.SOURCE, orders.OrderCreated.DETAIL_TYPE)
    order = _big_order(orders)
    orders.publish(order, bus=BUS, client=aws.client("events"), settings=_settings(bucket, aws))
    sqs = aws.client("sqs")
    (message,) = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=0)["Messages"]
    return order, queue_url, json.loads(message["Body"])


def test_a_2mb_order_goes_by_claim_check_and_arrives_whole_and_typed(aws: Aws, orders: Any) -> None:
    bucket = aws.bucket()
    order, queue_url, queued = _published_reference(orders, aws, bucket)

    # What crossed the bus is small and still routable by source and detail-type.
    assert len(json.dumps(queued)) < 2_000
    assert (queued["source"], queued["detail-type"]) == ("com.mycompany.orders", "Order Created")
    reference = queued["detail"]["claimCheck"]
    body = detail_json(order).encode()
    assert reference == {
        "version": 1,
        "bucket": bucket,
        "key": f"claim-checks/{hashlib.sha256(body).hexdigest()}",
        "size": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
        "schema": "com.mycompany.orders@OrderCreated",
        "schemaVersion": 2,
    }

    consumer, handled, dead = _consumer(orders, aws)
    assert consumer.poll(queue_url, client=aws.client("sqs")) == 1
    assert dead == []
    (envelope,) = handled
    assert isinstance(envelope.detail, orders.OrderCreatedV2)
    assert envelope.id == queued["id"]
    assert detail_json(envelope.detail) == detail_json(order)
    assert len(envelope.detail.items) == len(order.items)
    assert aws.queue_counts(queue_url) == (0, 0)


def test_without_claim_check_the_2mb_order_is_refused_unsent(aws: Aws, orders: Any) -> None:
    queue_url = aws.routed_queue(BUS, orders.SOURCE, orders.OrderCreated.DETAIL_TYPE)
    with pytest.raises(PublishError) as caught:
        orders.publish(_big_order(orders), bus=BUS, client=aws.client("events"))
    assert caught.value.results[0].error_code == "EntryTooLarge"
    assert aws.drain(queue_url) == []


def test_small_events_stay_inline_and_the_threshold_is_a_setting(aws: Aws, orders: Any) -> None:
    bucket = aws.bucket()
    queue_url = aws.routed_queue(BUS, orders.SOURCE, orders.OrderCreated.DETAIL_TYPE)
    small = _order(orders, lines=3, order_id="ORD-1")
    orders.publish(small, bus=BUS, client=aws.client("events"), settings=_settings(bucket, aws))
    (inline,) = aws.drain(queue_url)
    assert inline["detail"]["orderId"] == "ORD-1"
    assert aws.client("s3").list_objects_v2(Bucket=bucket).get("KeyCount") == 0

    low = _settings(bucket, aws, threshold_bytes=500, key_prefix="big/")
    orders.publish(small, bus=BUS, client=aws.client("events"), settings=low)
    (checked,) = aws.drain(queue_url)
    assert checked["detail"]["claimCheck"]["key"].startswith("big/")


def test_the_same_detail_is_stored_once_under_its_content_address(aws: Aws, orders: Any) -> None:
    bucket = aws.bucket()
    s3 = aws.client("s3")
    order = _order(orders, lines=10)
    settings = _settings(bucket, aws, threshold_bytes=100)
    first = orders.publish(
        order, order, bus="default", client=aws.client("events"), settings=settings
    )
    assert all(result.ok for result in first)
    listing = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert len(listing) == 1
    stored = s3.get_object(Bucket=bucket, Key=listing[0]["Key"])["Body"].read()
    assert stored == detail_json(order).encode()
    assert listing[0]["Key"] == f"claim-checks/{hashlib.sha256(stored).hexdigest()}"


def test_a_tampered_object_is_dead_lettered(aws: Aws, orders: Any) -> None:
    bucket = aws.bucket()
    _, queue_url, queued = _published_reference(orders, aws, bucket)
    key = queued["detail"]["claimCheck"]["key"]
    s3 = aws.client("s3")
    original = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    # Same length, one digit changed: only the hash can tell.
    tampered = original.replace(b'"quantity":1', b'"quantity":9', 1)
    assert tampered != original and len(tampered) == len(original)
    s3.put_object(Bucket=bucket, Key=key, Body=tampered)

    consumer, handled, dead = _consumer(orders, aws)
    assert consumer.poll(queue_url, client=aws.client("sqs")) == 1
    assert handled == []
    ((raw, reason),) = dead
    assert raw["id"] == queued["id"]
    assert f"s3://{bucket}/{key} is not the one referenced: its sha256 is" in reason
    assert aws.queue_counts(queue_url) == (0, 0)


def test_a_shortened_object_is_dead_lettered(aws: Aws, orders: Any) -> None:
    bucket = aws.bucket()
    _, _, queued = _published_reference(orders, aws, bucket)
    key = queued["detail"]["claimCheck"]["key"]
    aws.client("s3").put_object(Bucket=bucket, Key=key, Body=b'{"orderId":"ORD-1"}')
    consumer, handled, dead = _consumer(orders, aws)
    assert consumer.dispatch(queued) is DispatchOutcome.DEAD_LETTERED
    assert handled == []
    assert "the reference says" in dead[0][1]
    assert "19 bytes or more" in dead[0][1]


def test_a_missing_object_is_dead_lettered(aws: Aws, orders: Any) -> None:
    bucket = aws.bucket()
    _, _, queued = _published_reference(orders, aws, bucket)
    key = queued["detail"]["claimCheck"]["key"]
    aws.client("s3").delete_object(Bucket=bucket, Key=key)
    consumer, handled, dead = _consumer(orders, aws)
    assert consumer.dispatch(queued) is DispatchOutcome.DEAD_LETTERED
    assert handled == []
    assert (
        dead[0][1] == f"the claim-checked detail at s3://{bucket}/{key} does not exist (NoSuchKey)"
    )


def _reference_event(**claim: Any) -> dict[str, Any]:
    good = {
        "version": 1,
        "bucket": "event-payloads",
        "key": "claim-checks/" + "a" * 64,
        "size": 10,
        "sha256": "a" * 64,
        "schema": "com.mycompany.orders@OrderCreated",
        "schemaVersion": 2,
    }
    return {
        "version": "0",
        "id": "c1a1m-0001",
        "detail-type": "Order Created",
        "source": "com.mycompany.orders",
        "account": "123456789012",
        "time": "2026-11-03T08:04:10Z",
        "region": REGION,
        "resources": [],
        "detail": {"claimCheck": {**good, **claim}},
    }


@pytest.mark.parametrize(
    ("claim", "reason"),
    [
        ({"sha256": "not-hex"}, "the claim check reference is malformed, at sha256:"),
        ({"size": -1}, "the claim check reference is malformed, at size:"),
        ({"version": 2}, "claim check version 2 is not supported (this runtime reads version 1)"),
        (
            {"schema": "com.mycompany.payments@PaymentProcessed"},
            "refers to schema 'com.mycompany.payments@PaymentProcessed', not one of the event's",
        ),
    ],
)
def test_a_bad_reference_is_dead_lettered_without_touching_s3(
    aws: Aws, orders: Any, claim: dict[str, Any], reason: str
) -> None:
    consumer, handled, dead = _consumer(orders, aws)
    assert consumer.dispatch(_reference_event(**claim)) is DispatchOutcome.DEAD_LETTERED
    assert handled == []
    assert reason in dead[0][1]


def test_an_unreachable_s3_is_retried_not_dead_lettered(orders: Any) -> None:
    """S3 down is not the event's fault: dispatch raises so the delivery comes again."""
    import boto3
    from botocore.exceptions import EndpointConnectionError

    unreachable = boto3.client(
        "s3",
        region_name=REGION,
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=NO_BOTOCORE_RETRIES,
    )
    dead: list[str] = []
    consumer = Consumer(
        dead_letter=lambda raw, reason: dead.append(reason),
        s3_client=unreachable,
        claim_check_locations=[PAYLOADS],
    )
    consumer.handler(orders.OrderCreatedV2)(lambda event: None)
    with pytest.raises(EndpointConnectionError):
        consumer.dispatch(_reference_event())
    assert dead == []


def test_a_failed_upload_is_reported_and_nothing_is_sent(aws: Aws, orders: Any) -> None:
    queue_url = aws.routed_queue(BUS, orders.SOURCE, orders.OrderCreated.DETAIL_TYPE)
    settings = _settings("no-such-bucket", aws, threshold_bytes=100)
    with pytest.raises(PublishError) as caught:
        publish(_order(orders), bus=BUS, client=aws.client("events"), settings=settings)
    (result,) = caught.value.results
    assert result.error_code == "ClaimCheckFailed"
    assert "s3://no-such-bucket/claim-checks/" in str(result.error_message)
    assert "NoSuchBucket" in str(result.error_message)
    assert aws.drain(queue_url) == []


def test_the_reference_shape_is_the_registry_schema(aws: Aws, orders: Any) -> None:
    """What the runtime publishes validates against the registry's schema of the reference, and
    the registry's examples are references the runtime reads."""
    registry = load_registry(EXAMPLE_REGISTRY)
    schema = registry.schemas[REFERENCE_SCHEMA]
    validator = Resolver(registry).detail_validator(schema.latest)
    assert schema.latest.version == 1
    assert schema.latest.examples

    bucket = aws.bucket()
    _, _, queued = _published_reference(orders, aws, bucket)
    assert list(validator.iter_errors(queued["detail"])) == []
    assert list(validator.iter_errors({"claimCheck": {"version": 1}})) != []

    for example in schema.latest.examples:
        detail = example.content["detail"]
        ClaimCheckReference.model_validate(detail["claimCheck"])


def test_a_failed_claim_check_is_counted_as_a_dead_lettered_validation_failure(
    aws: Aws, orders: Any
) -> None:
    metrics = InMemoryMetrics()
    consumer = Consumer(
        dead_letter=lambda raw, reason: None,
        metrics=metrics,
        s3_client=aws.client("s3"),
        claim_check_locations=[PAYLOADS],
    )
    consumer.handler(orders.OrderCreatedV2)(lambda event: None)
    aws.bucket()
    assert consumer.dispatch(_reference_event()) is DispatchOutcome.DEAD_LETTERED
    assert metrics.totals() == {"dead_lettered": 1, "validation_failures": 1}
