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
    optional = {"customerEmail": cart.email} if cart.email else {}
    if cart.coupon:
        optional["discountCode"] = cart.coupon
    return OrderCreated(
        orderId=f"ORD-{cart.order_number}",
        customerId=cart.customer_id,
        items=[
            LineItem(productId=line.sku, quantity=line.quantity, price=line.unit_price_cents / 100)
            for line in cart.lines
        ],
        totalAmount=total_cents / 100,
        currency=cart.currency,  # type: ignore[arg-type]  # checked by the contract test
        shippingAddress=Address(
            street="Torstraße 112", city="Berlin", postalCode="10119", country=cart.country
        ),
        createdAt=cart.placed_at,
        metadata=Metadata(correlationId=uuid.uuid4(), version="2.0"),
        channel="web",
        **optional,
    )
