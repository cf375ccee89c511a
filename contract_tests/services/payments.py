"""The payments service: reports a captured charge as a Payment Processed event."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from mycompany_events.payments import PaymentProcessed


@dataclass(frozen=True)
class Charge:
    reference: str
    order_number: int
    amount_cents: int
    currency: str
    card_brand: str


def payment_processed_entry(charge: Charge) -> dict[str, Any]:
    """The PutEvents entry, built by hand (this service does not use the generated producer)."""
    detail = {
        "paymentId": f"PAY-{charge.reference}",
        "orderId": f"ORD-{charge.order_number}",
        "amount": charge.amount_cents / 100,
        "currency": charge.currency,
        "paymentMethod": {"type": "CARD", "cardBrand": charge.card_brand},
        "processedAt": dt.datetime.now(dt.timezone.utc).isoformat(),
        "metadata": {"correlationId": str(uuid.uuid4()), "version": "1.0"},
    }
    return {
        "Source": PaymentProcessed.SOURCE,
        "DetailType": PaymentProcessed.DETAIL_TYPE,
        "Detail": json.dumps(detail),
    }
