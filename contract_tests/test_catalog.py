"""The example catalog's contracts: every schema version, its samples, producers and consumers.

The eventcontracts pytest plugin turns ``catalog`` into the tests; ``pytest contract_tests -v``
lists them, one per schema version and check.
"""

from __future__ import annotations

import string

from hypothesis import strategies as st

from contract_tests.services import checkout, ledger, payments, shipping
from eventcontracts.contract import ContractSuite

catalog = ContractSuite("..")

skus = st.text(string.ascii_uppercase + string.digits + "-", min_size=1, max_size=20)
carts = st.builds(
    checkout.Cart,
    order_number=st.integers(1, 10**9),
    customer_id=st.text(string.ascii_letters + string.digits, min_size=1, max_size=12),
    lines=st.lists(
        st.builds(
            checkout.CartLine,
            sku=skus,
            quantity=st.integers(1, 50),
            unit_price_cents=st.integers(0, 10**7),
        ),
        min_size=1,
        max_size=5,
    ),
    currency=st.sampled_from(["USD", "EUR", "GBP"]),
    country=st.sampled_from(["DE", "FR", "GB", "US"]),
    email=st.none() | st.emails(),
    coupon=st.none() | st.text(string.ascii_uppercase, min_size=1, max_size=10),
)
charges = st.builds(
    payments.Charge,
    reference=st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=16),
    order_number=st.integers(1, 10**9),
    amount_cents=st.integers(1, 10**8),
    currency=st.sampled_from(["USD", "EUR", "GBP"]),
    card_brand=st.sampled_from(["VISA", "MASTERCARD", "AMEX"]),
)

catalog.producer("com.mycompany.orders@OrderCreated", inputs=carts)(checkout.order_created)
catalog.producer("com.mycompany.payments@PaymentProcessed", inputs=charges)(
    payments.payment_processed_entry
)
catalog.consumer(shipping.consumer, name="shipping")
catalog.consumer(ledger.consumer, name="ledger")
