"""The example services, deployed: they publish through an EventBridge bus and consume from SQS.

Checkout publishes two Order Created events with the generated producer and cancels one of them;
payments puts a Payment Processed event it builds by hand. Rules route them to the shipping and
the ledger queues, and each consumer handles its queue's messages the way Lambda hands them over
(an SQS event, answered with a partial batch response).

It needs what a service's environment has and nothing more: the generated package and the
runtime, not the eventcontracts tool. tests/test_runtime_distribution.py runs it in a virtualenv
holding only those, against a moto server:

    AWS_ENDPOINT_URL=http://127.0.0.1:5000 python -m contract_tests.publish_and_consume

It prints one JSON object: what each service ended with, the batch items that failed, and which
modules of ``eventcontracts`` and of the tool's dependencies were loaded.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import uuid
from typing import Any

import boto3  # type: ignore[import-untyped, unused-ignore]
from mycompany_events import orders, payments
from mycompany_events.orders.order_cancelled_v1 import Metadata as CancellationMetadata

from contract_tests.services import checkout, ledger, shipping
from contract_tests.services import payments as payments_service

BUS = "example-services"
# The tool's own dependencies: a service's environment must never load them.
TOOL_ONLY_MODULES = ("click", "jinja2", "jsonschema", "referencing", "yaml", "hypothesis")


def routed_queue(events: Any, sqs: Any, name: str, pattern: dict[str, list[str]]) -> str:
    """A queue that a rule on the bus fills with the events ``pattern`` matches."""
    queue_url: str = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    events.put_rule(Name=name, EventBusName=BUS, EventPattern=json.dumps(pattern))
    events.put_targets(
        Rule=name,
        EventBusName=BUS,
        Targets=[
            {
                "Id": name,
                "Arn": arn["Attributes"]["QueueArn"],
                # The whole event, as EventBridge delivers it (moto's default leaves out
                # "account"; this reserved variable is read by both).
                "InputTransformer": {"InputTemplate": "<aws.events.event.json>"},
            }
        ],
    )
    return queue_url


def consume(handler: Any, sqs: Any, queue_url: str) -> list[str]:
    """Hand the queue's messages to ``handler`` as Lambda's SQS event source mapping would, in
    batches of up to 10, deleting those done; return the ids of the messages that failed."""
    failed: list[str] = []
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        )
        if not messages:
            return failed
        records = [
            {"messageId": message["MessageId"], "body": message["Body"]} for message in messages
        ]
        response = handler({"Records": records})
        failures = {item["itemIdentifier"] for item in response["batchItemFailures"]}
        failed.extend(sorted(failures))
        for message in messages:
            if message["MessageId"] not in failures:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if failures:
            return failed  # they would be retried; once is enough to report them


def cancellation(order_id: str) -> orders.OrderCancelled:
    return orders.OrderCancelled(
        order_id=order_id,
        reason="CUSTOMER_REQUEST",
        cancelled_at=dt.datetime.now(dt.timezone.utc).isoformat(),
        refund_id=None,
        metadata=CancellationMetadata(correlation_id=str(uuid.uuid4()), version="1.0"),
    )


def main() -> None:
    if not os.environ.get("AWS_ENDPOINT_URL"):
        # It creates a bus, queues and rules: never in an account by accident.
        sys.exit("publish_and_consume: set AWS_ENDPOINT_URL to a local endpoint (moto server)")
    events, sqs = boto3.client("events"), boto3.client("sqs")
    events.create_event_bus(Name=BUS)
    shipping_queue = routed_queue(
        events,
        sqs,
        "shipping",
        {
            "source": [orders.SOURCE],
            "detail-type": [orders.OrderCreated.DETAIL_TYPE, orders.OrderCancelled.DETAIL_TYPE],
        },
    )
    ledger_queue = routed_queue(
        events,
        sqs,
        "ledger",
        {
            "source": [orders.SOURCE, payments.SOURCE],
            "detail-type": [orders.OrderCreated.DETAIL_TYPE, payments.PaymentProcessed.DETAIL_TYPE],
        },
    )

    carts = [
        checkout.Cart(
            order_number=1001,
            customer_id="C42",
            lines=[checkout.CartLine("SKU-1", 2, 1250), checkout.CartLine("SKU-2", 1, 499)],
            currency="EUR",
            country="DE",
            email="ada@example.com",
        ),
        checkout.Cart(
            order_number=1002,
            customer_id="C43",
            lines=[checkout.CartLine("SKU-3", 1, 10000)],
            currency="EUR",
            country="FR",
        ),
    ]
    published = orders.publish(*(checkout.order_created(cart) for cart in carts), bus=BUS)
    published += orders.publish(cancellation("ORD-1002"), bus=BUS)
    charge = payments_service.Charge("R1", 1001, 2999, "EUR", "VISA")
    put = events.put_events(
        Entries=[{**payments_service.payment_processed_entry(charge), "EventBusName": BUS}]
    )

    failed = consume(shipping.consumer.sqs_handler, sqs, shipping_queue)
    failed += consume(ledger.consumer.sqs_handler, sqs, ledger_queue)
    report = {
        "published": [result.ok for result in published],
        "put_failed": put["FailedEntryCount"],
        "failed": failed,
        "parcels": shipping.parcels,
        "receivable": dict(ledger.receivable),
        "received": dict(ledger.received),
        "eventcontracts_modules": sorted(
            name for name in sys.modules if name.partition(".")[0] == "eventcontracts"
        ),
        "tool_only_modules": sorted(
            name for name in sys.modules if name.partition(".")[0] in TOOL_ONLY_MODULES
        ),
    }
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
