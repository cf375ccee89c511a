"""The shipping service: books a parcel for every new order, cancels it with the order.

Its handler is written against Order Created v2, the latest; the catalog's FULL mode promises
that v2 readers read v1 events too, and the contract tests hold it to that.
"""

from __future__ import annotations

from mycompany_events.orders import (
    OrderCancelledEvent,
    OrderCreated,
    OrderCreatedEvent,
)

from eventcontracts.runtime import Consumer

consumer = Consumer()
parcels: dict[str, str] = {}


@consumer.handler(OrderCreated)
def book_parcel(event: OrderCreatedEvent) -> None:
    order = event.detail
    address = order.shipping_address
    parcels[order.order_id] = f"{address.city}, {address.country} ({len(order.items)} items)"


# The envelope class works as well as the detail class: either way mypy checks the handler.
@consumer.handler(OrderCancelledEvent)
def cancel_parcel(event: OrderCancelledEvent) -> None:
    parcels.pop(event.detail.order_id, None)
