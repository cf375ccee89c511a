"""The finance ledger: books order totals and captured payments, per currency."""

from __future__ import annotations

from collections import defaultdict

from mycompany_events.orders import (
    OrderCreatedEventV1,
    OrderCreatedEventV2,
    OrderCreatedV1,
    OrderCreatedV2,
)
from mycompany_events.payments import PaymentProcessed, PaymentProcessedEvent

from eventcontracts.runtime import Consumer

consumer = Consumer()
receivable: defaultdict[str, float] = defaultdict(float)
received: defaultdict[str, float] = defaultdict(float)


@consumer.handler(OrderCreatedV1)
def book_order_v1(event: OrderCreatedEventV1) -> None:
    receivable[event.detail.currency] += event.detail.total_amount


@consumer.handler(OrderCreatedV2)
def book_order_v2(event: OrderCreatedEventV2) -> None:
    receivable[event.detail.currency] += event.detail.total_amount


@consumer.handler(PaymentProcessed)
def book_payment(event: PaymentProcessedEvent) -> None:
    if event.detail.amount <= 0:
        raise ValueError(f"payment {event.detail.payment_id} captured nothing")
    received[event.detail.currency] += event.detail.amount
