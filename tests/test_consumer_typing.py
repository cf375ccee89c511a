"""Handlers are typed with the generated ``*Event`` classes and receive them: at runtime (the
handler gets an instance of the generated envelope class) and under ``mypy --strict``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO_ROOT
from eventcontracts.runtime import Consumer, DispatchOutcome

EXAMPLES = REPO_ROOT / "registry" / "com.mycompany.orders" / "OrderCreated" / "examples"


def _example(version: int) -> dict[str, Any]:
    sample = sorted((EXAMPLES / f"v{version}").glob("*.json"))[0]
    event: dict[str, Any] = json.loads(sample.read_text())
    return event


def test_handlers_receive_the_generated_envelope_class_in_both_forms(orders: Any) -> None:
    consumer = Consumer(on_invalid="raise")
    received: list[Any] = []

    @consumer.handler(orders.OrderCreatedV1)  # the detail class, as documented
    def on_v1(event: Any) -> None:
        received.append(event)

    @consumer.handler(orders.OrderCreatedEventV2)  # the envelope class
    def on_v2(event: Any) -> None:
        received.append(event)

    assert consumer.dispatch(_example(1)) is DispatchOutcome.HANDLED
    assert consumer.dispatch(_example(2)) is DispatchOutcome.HANDLED
    assert [type(event) for event in received] == [
        orders.OrderCreatedEventV1,
        orders.OrderCreatedEventV2,
    ]
    assert isinstance(received[0].detail, orders.OrderCreatedV1)
    assert consumer.handled() == {("com.mycompany.orders", "Order Created"): [1, 2]}


def test_a_class_that_is_no_event_is_refused(orders: Any) -> None:
    consumer = Consumer()
    with pytest.raises(TypeError, match="neither a generated event model nor its envelope"):
        consumer.handler(dict)  # type: ignore[call-overload]


SERVICE = """
from mycompany_events.orders import (
    OrderCreated,
    OrderCreatedEvent,
    OrderCreatedEventV1,
    OrderCreatedV1,
)

from eventcontracts.runtime import Consumer

consumer = Consumer()
totals: list[float] = []


@consumer.handler(OrderCreatedV1)
def on_v1(event: OrderCreatedEventV1) -> None:
    totals.append(event.detail.total_amount)


@consumer.handler(OrderCreatedEvent)
def on_latest(event: OrderCreatedEvent) -> None:
    detail: OrderCreated = event.detail
    totals.append(detail.total_amount)
"""

MISMATCH = """
from mycompany_events.orders import OrderCreatedEventV2, OrderCreatedV1

from eventcontracts.runtime import Consumer

consumer = Consumer()


@consumer.handler(OrderCreatedV1)
def on_v1(event: OrderCreatedEventV2) -> None:
    print(event.detail.channel)
"""


def _mypy(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    service = tmp_path / "service.py"
    service.write_text(code, encoding="utf-8")
    environment = {**os.environ, "MYPYPATH": str(REPO_ROOT / "generated")}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(service)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=False,
    )


def test_a_service_typed_with_the_generated_classes_passes_mypy_strict(tmp_path: Path) -> None:
    result = _mypy(tmp_path, SERVICE)
    assert result.returncode == 0, result.stdout


def test_mypy_finds_a_handler_typed_with_another_versions_envelope(tmp_path: Path) -> None:
    result = _mypy(tmp_path, MISMATCH)
    assert result.returncode == 1
    assert "service.py:9: error" in result.stdout
    assert "order_created_v2.OrderCreatedEvent" in result.stdout
