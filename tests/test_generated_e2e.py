"""The generated package end to end, against a real moto server (EventBridge and SQS).

The producer of the generated ``mycompany_events.orders`` publishes 25 typed Order Created
events (v1 and v2) to a bus; a rule on source and detail-type sends them to a queue; the
generated types dispatched by the runtime consumer drain it: v1 and v2 events reach their
handlers, a malformed event goes to the dead-letter path, a redelivered duplicate is skipped.
No boto3 call is mocked: clients talk HTTP to moto.
"""

from __future__ import annotations

import json
from typing import Any

from conftest import REPO_ROOT
from eventcontracts.runtime import Consumer, DispatchOutcome, InMemoryIdempotencyStore
from eventcontracts.runtime._eventid import marker

pytest_plugins = ["moto_server"]

EXAMPLES = REPO_ROOT / "registry" / "com.mycompany.orders" / "OrderCreated" / "examples"
BUS = "orders"


def _detail(version: int, number: int) -> dict[str, Any]:
    sample = sorted((EXAMPLES / f"v{version}").glob("*.json"))[0]
    detail: dict[str, Any] = json.loads(sample.read_text())["detail"]
    return {**detail, "orderId": f"ORD-{version}{number:04d}"}


def test_publish_batch_route_consume_dispatch_dead_letter_and_skip_duplicates(
    aws: Any, orders: Any
) -> None:
    queue_url = aws.routed_queue(BUS, orders.SOURCE, orders.OrderCreated.DETAIL_TYPE)
    events_client = aws.client("events")
    batches: list[int] = []
    events_client.meta.events.register(
        "before-call.events.PutEvents",
        lambda params, **_: batches.append(len(json.loads(params["body"])["Entries"])),
    )

    v1 = [orders.OrderCreatedV1.model_validate(_detail(1, n)) for n in range(12)]
    v2 = [
        orders.OrderCreatedV2.model_validate({**_detail(2, n), "channel": "web"}) for n in range(13)
    ]
    results = orders.publish(*v1, *v2, bus=BUS, client=events_client)
    assert batches == [10, 10, 5]
    assert all(result.ok for result in results) and len(results) == 25

    # A producer that does not use the generated code sends a detail the schema rejects.
    events_client.put_events(
        Entries=[
            {
                "Source": orders.SOURCE,
                "DetailType": orders.OrderCreated.DETAIL_TYPE,
                "Detail": json.dumps({**_detail(1, 99), "orderId": "not-an-order"}),
                "EventBusName": BUS,
            }
        ]
    )

    handled: dict[int, list[str]] = {1: [], 2: []}
    dead: list[str] = []
    consumer = Consumer(
        dead_letter=lambda raw, reason: dead.append(reason),
        idempotency=InMemoryIdempotencyStore(),
    )

    @consumer.handler(orders.OrderCreatedV1)
    def on_v1(event: Any) -> None:
        assert isinstance(event.detail, orders.OrderCreatedV1)
        handled[1].append(event.detail.order_id)

    @consumer.handler(orders.OrderCreatedV2)
    def on_v2(event: Any) -> None:
        assert isinstance(event.detail, orders.OrderCreatedV2)
        assert event.detail.channel == "web"
        handled[2].append(event.detail.order_id)

    sqs = aws.client("sqs")
    while consumer.poll(queue_url, client=sqs):
        pass
    assert sorted(handled[1]) == sorted(event.order_id for event in v1)
    assert sorted(handled[2]) == sorted(event.order_id for event in v2)
    assert len(dead) == 1 and "orderId" in dead[0]

    # EventBridge and SQS deliver at least once: the same event again changes nothing.
    redelivered = json.dumps(
        {
            "version": "0",
            "id": results[0].event_id,
            "detail-type": orders.OrderCreated.DETAIL_TYPE,
            "source": orders.SOURCE,
            "account": "123456789012",
            "time": "2026-11-23T10:15:30Z",
            "region": "us-east-1",
            # a redelivery carries the resources of the put, the producer's marker among them
            "resources": [marker(str(results[0].producer_event_id))],
            "detail": json.loads(v1[0].model_dump_json(by_alias=True)),
        }
    )
    sqs.send_message(QueueUrl=queue_url, MessageBody=redelivered)
    outcomes: list[DispatchOutcome] = []
    original_dispatch = consumer.dispatch

    def counting(raw: dict[str, Any]) -> DispatchOutcome:
        outcome = original_dispatch(raw)
        outcomes.append(outcome)
        return outcome

    consumer.dispatch = counting  # type: ignore[method-assign]
    while consumer.poll(queue_url, client=sqs):
        pass
    assert outcomes == [DispatchOutcome.DUPLICATE]
    assert len(handled[1]) == 12
    assert aws.queue_counts(queue_url) == (0, 0)
