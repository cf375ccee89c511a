"""The EventBridge envelope: the fields EventBridge itself fills in, as it fills them in.

A version's envelope schema usually says no more than ``"id": {"type": "string"}``; the events
a consumer really receives carry a UUID there, a 12-digit account, a real region, a ``time`` in
UTC with ``Z``. Each field's strategy is used only where the version's own schema for that
field accepts a typical value (checked when the strategy is built); otherwise the field is
drawn from the schema like any other property, and the validation guard keeps events valid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from eventcontracts.contract.strategies.formats import envelope_time, scrambled, uuids
from eventcontracts.registry import SchemaVersion
from eventcontracts.samples.vocabulary import REGIONS  # every region EventBridge runs in


def accounts(realistic: bool) -> st.SearchStrategy[str]:
    """12 digits; tests meet the edges (leading zeros), samples look like real accounts."""
    if realistic:
        return st.integers(0, 10**12 - 1).map(lambda n: f"{scrambled(n, 10**12):012d}")
    return st.integers(0, 10**12 - 1).map(lambda number: f"{number:012d}")


# ARNs of the things events are about, one choice each.
_ARNS = (
    *(
    f"arn:aws:{service}:{region}:123456789012:{name}"
    for service, name in (
        ("dynamodb", "table/orders"), ("lambda", "function:checkout"), ("sqs", "orders-queue"),
        ("states", "stateMachine:fulfilment"), ("ecs", "task/cluster-1/8f2b"),
    )
    for region in ("us-east-1", "eu-west-1", "ap-southeast-2")
    ),
    "arn:aws:s3:::my-bucket",
    "arn:aws:s3:::my-bucket/orders/2026/01/15.json",
)  # fmt: skip


def resources() -> st.SearchStrategy[list[str]]:
    """``resources``: usually empty, sometimes an ARN or two of what the event is about."""
    return st.lists(st.sampled_from(_ARNS), max_size=2)


def fields(
    version: SchemaVersion, realistic: bool
) -> dict[str, tuple[Any, Callable[[], st.SearchStrategy[Any]]]]:
    """Each envelope field EventBridge fills: a typical value, and how to draw it."""
    return {
        "version": ("0", lambda: st.just("0")),
        "id": (
            "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
            lambda: uuids(realistic, version=4),
        ),
        "detail-type": (version.detail_type, lambda: st.just(version.detail_type)),
        "source": (version.source, lambda: st.just(version.source)),
        "account": ("123456789012", lambda: accounts(realistic)),
        "time": ("2026-01-15T09:30:00Z", envelope_time),
        "region": ("us-east-1", lambda: st.sampled_from(REGIONS)),
        "resources": ([], resources),
    }
