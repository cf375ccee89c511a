"""Consumer: version selection, invalid events, idempotency, and the Lambda and SQS entry points.

Dispatch tests feed EventBridge-shaped dicts directly; the poll test runs the whole path through
moto: publish() to a bus, a rule routing to an SQS queue, and Consumer.poll() draining it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, ConfigDict, Field

from conftest import delivered_event
from eventcontracts.runtime import (
    ClaimStatus,
    Consumer,
    DispatchOutcome,
    EventEnvelope,
    EventModel,
    InMemoryIdempotencyStore,
    InvalidEvent,
    correlation_id,
    publish,
)
from moto_server import Aws

pytest_plugins = ["moto_server"]

SOURCE = "shop.orders"
DETAIL_TYPE = "OrderCreated"


class Metadata(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    correlation_id: str | None = Field(default=None, alias="correlationId")
    version: int = 1


class OrderCreatedV1(EventModel):
    SOURCE: ClassVar[str] = SOURCE
    DETAIL_TYPE: ClassVar[str] = DETAIL_TYPE
    SCHEMA_NAME: ClassVar[str] = "OrderCreated"
    SCHEMA_VERSION: ClassVar[int] = 1

    order_id: str = Field(alias="orderId")
    total_amount: float = Field(alias="totalAmount")
    metadata: Metadata


class OrderCreatedV2(OrderCreatedV1):
    SCHEMA_VERSION: ClassVar[int] = 2

    channel: str | None = None


class OrderShipped(EventModel):
    SOURCE: ClassVar[str] = SOURCE
    DETAIL_TYPE: ClassVar[str] = "OrderShipped"
    SCHEMA_NAME: ClassVar[str] = "OrderShipped"
    SCHEMA_VERSION: ClassVar[int] = 1

    order_id: str = Field(alias="orderId")


def raw_event(detail: dict[str, Any], event_id: str = "e-1", **envelope: Any) -> dict[str, Any]:
    """An event as EventBridge delivers it to a target."""
    return delivered_event(SOURCE, DETAIL_TYPE, detail, event_id, **envelope)


def v1_detail(order_id: str = "o1", **more: Any) -> dict[str, Any]:
    return {
        "orderId": order_id,
        "totalAmount": 12.5,
        "metadata": {"correlationId": "c-1", "version": 1},
        **more,
    }


class Recorder:
    """Handlers and a dead-letter callback that remember what they were given."""

    def __init__(self) -> None:
        self.handled: list[tuple[str, EventEnvelope[Any]]] = []
        self.dead: list[tuple[dict[str, Any], str]] = []

    def dead_letter(self, raw: dict[str, Any], reason: str) -> None:
        self.dead.append((raw, reason))

    def handler(self, name: str) -> Callable[[EventEnvelope[Any]], None]:
        def handle(event: EventEnvelope[Any]) -> None:
            if event.detail.order_id == "boom":
                raise RuntimeError("handler failed")
            self.handled.append((name, event))

        return handle

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.handled]


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


def both_versions(rec: Recorder, **options: Any) -> Consumer:
    consumer = Consumer(dead_letter=rec.dead_letter, **options)
    # registered newest first on purpose: the order of registration must not matter
    consumer.handler(OrderCreatedV2)(rec.handler("v2"))
    consumer.handler(OrderCreatedV1)(rec.handler("v1"))
    return consumer


# --- version selection -------------------------------------------------------------------------


def test_a_v1_event_goes_to_the_v1_handler_with_a_typed_envelope(rec: Recorder) -> None:
    consumer = both_versions(rec)

    assert consumer.dispatch(raw_event(v1_detail())) is DispatchOutcome.HANDLED

    ((name, envelope),) = rec.handled
    assert name == "v1"
    assert type(envelope.detail) is OrderCreatedV1
    assert envelope.detail.order_id == "o1" and envelope.detail.metadata.correlation_id == "c-1"
    assert (envelope.id, envelope.source, envelope.detail_type) == ("e-1", SOURCE, DETAIL_TYPE)
    assert envelope.time == datetime(2026, 2, 1, 12, tzinfo=timezone.utc)


def test_a_v2_event_with_a_v2_field_goes_to_the_v2_handler(rec: Recorder) -> None:
    consumer = both_versions(rec)

    consumer.dispatch(raw_event(v1_detail(channel="web")))

    ((name, envelope),) = rec.handled
    assert name == "v2"
    assert type(envelope.detail) is OrderCreatedV2 and envelope.detail.channel == "web"


def test_an_unknown_field_goes_to_the_newest_version_that_reads_it(rec: Recorder) -> None:
    consumer = both_versions(rec)

    consumer.dispatch(raw_event(v1_detail(giftWrap=True), event_id="e-1"))
    consumer.dispatch(raw_event(v1_detail(channel="app", giftWrap=True), event_id="e-2"))

    assert rec.names == ["v2", "v2"]
    assert rec.handled[0][1].detail.model_extra == {"giftWrap": True}


def test_a_consumer_of_v1_only_still_reads_a_v2_event(rec: Recorder) -> None:
    consumer = Consumer(dead_letter=rec.dead_letter)
    consumer.handler(OrderCreatedV1)(rec.handler("v1"))

    consumer.dispatch(raw_event(v1_detail(channel="web")))

    ((name, envelope),) = rec.handled
    assert name == "v1" and envelope.detail.model_extra == {"channel": "web"}


def test_models_that_drop_unknown_properties_are_told_apart_by_their_strict_copy(
    rec: Recorder,
) -> None:
    # With extra="ignore" a v1 model reads a v2 detail without a trace of the v2 field: only the
    # reading with extra="forbid" shows that v1 does not read it exactly.
    class RefundV1(EventModel):
        model_config = ConfigDict(extra="ignore")
        SOURCE: ClassVar[str] = "shop.payments"
        DETAIL_TYPE: ClassVar[str] = "RefundIssued"
        SCHEMA_NAME: ClassVar[str] = "RefundIssued"
        SCHEMA_VERSION: ClassVar[int] = 1
        amount: int

    class RefundV2(RefundV1):
        SCHEMA_VERSION: ClassVar[int] = 2
        reason: str | None = None

    seen: list[int] = []
    consumer = Consumer(dead_letter=rec.dead_letter)
    consumer.handler(RefundV1)(lambda event: seen.append(1))
    consumer.handler(RefundV2)(lambda event: seen.append(2))
    envelope = {"source": "shop.payments", "detail-type": "RefundIssued"}

    consumer.dispatch(raw_event({"amount": 5}, event_id="e-1", **envelope))
    consumer.dispatch(raw_event({"amount": 5, "reason": "late"}, event_id="e-2", **envelope))

    assert seen == [1, 2]


def test_an_unknown_property_in_a_nested_model_counts_as_unknown(rec: Recorder) -> None:
    class Line(BaseModel):
        model_config = ConfigDict(extra="allow")
        sku: str

    class BasketV1(EventModel):
        SOURCE: ClassVar[str] = "shop.basket"
        DETAIL_TYPE: ClassVar[str] = "BasketChanged"
        SCHEMA_NAME: ClassVar[str] = "BasketChanged"
        SCHEMA_VERSION: ClassVar[int] = 1
        lines: list[Line]

    class BasketV2(BasketV1):
        SCHEMA_VERSION: ClassVar[int] = 2
        currency: str = "EUR"

    seen: list[int] = []
    consumer = Consumer(dead_letter=rec.dead_letter)
    consumer.handler(BasketV1)(lambda event: seen.append(1))
    consumer.handler(BasketV2)(lambda event: seen.append(2))
    envelope = {"source": "shop.basket", "detail-type": "BasketChanged"}

    consumer.dispatch(raw_event({"lines": [{"sku": "a"}]}, event_id="e-1", **envelope))
    consumer.dispatch(raw_event({"lines": [{"sku": "a", "qty": 2}]}, event_id="e-2", **envelope))

    assert seen == [1, 2]


def test_an_unknown_property_in_a_nested_model_that_drops_it_counts_as_unknown(
    rec: Recorder,
) -> None:
    # A nested model with extra="ignore" reads {"sku", "qty"} without a trace of qty; v1 still
    # does not read that line exactly, so the version that knows qty gets the event.
    class Line(BaseModel):
        model_config = ConfigDict(extra="ignore")
        sku: str

    class LineV2(Line):
        qty: int = 1

    class BasketV1(EventModel):
        SOURCE: ClassVar[str] = "shop.basket"
        DETAIL_TYPE: ClassVar[str] = "BasketChanged"
        SCHEMA_NAME: ClassVar[str] = "BasketChanged"
        SCHEMA_VERSION: ClassVar[int] = 1
        lines: list[Line]

    class BasketV2(EventModel):
        SOURCE: ClassVar[str] = "shop.basket"
        DETAIL_TYPE: ClassVar[str] = "BasketChanged"
        SCHEMA_NAME: ClassVar[str] = "BasketChanged"
        SCHEMA_VERSION: ClassVar[int] = 2
        lines: list[LineV2]

    seen: list[int] = []
    consumer = Consumer(dead_letter=rec.dead_letter)
    consumer.handler(BasketV1)(lambda event: seen.append(1))
    consumer.handler(BasketV2)(lambda event: seen.append(2))
    envelope = {"source": "shop.basket", "detail-type": "BasketChanged"}

    consumer.dispatch(raw_event({"lines": [{"sku": "a"}]}, event_id="e-1", **envelope))
    consumer.dispatch(raw_event({"lines": [{"sku": "a", "qty": 2}]}, event_id="e-2", **envelope))

    assert seen == [1, 2]


def test_a_subclass_of_a_model_reads_the_detail_with_its_own_fields(rec: Recorder) -> None:
    # A hand-made subclass shares its parent's envelope class; the detail is still read with
    # the subclass, so what it adds (a required field here) is checked.
    class StrictOrder(OrderCreatedV1):
        channel: str

    class StrictEnvelope(EventEnvelope[OrderCreatedV1]):
        pass

    StrictOrder.ENVELOPE = StrictEnvelope  # type: ignore[attr-defined]
    consumer = Consumer(dead_letter=rec.dead_letter)
    consumer.handler(StrictOrder)(rec.handler("strict"))

    consumer.dispatch(raw_event(v1_detail("o1"), event_id="e-1"))
    consumer.dispatch(raw_event(v1_detail("o2", channel="web"), event_id="e-2"))

    assert [reason.split(":")[0] for _, reason in rec.dead] == [
        "the detail of shop.orders/OrderCreated is valid for none of its versions"
    ]
    ((name, envelope),) = rec.handled
    assert name == "strict" and type(envelope) is StrictEnvelope
    assert isinstance(envelope.detail, StrictOrder) and envelope.detail.channel == "web"


# --- invalid events ----------------------------------------------------------------------------


def test_a_detail_no_version_reads_is_dead_lettered(rec: Recorder) -> None:
    consumer = both_versions(rec)
    raw = raw_event({"orderId": "o1", "metadata": {}})  # totalAmount missing

    assert consumer.dispatch(raw) is DispatchOutcome.DEAD_LETTERED

    assert rec.handled == []
    ((dead_raw, reason),) = rec.dead
    assert dead_raw is raw
    assert "shop.orders/OrderCreated" in reason
    assert "version 1 fails at totalAmount" in reason and "version 2" in reason


def test_an_event_without_a_handler_is_dead_lettered(rec: Recorder) -> None:
    consumer = both_versions(rec)

    outcome = consumer.dispatch(raw_event({"orderId": "o1"}, **{"detail-type": "OrderShipped"}))

    assert outcome is DispatchOutcome.DEAD_LETTERED
    assert rec.dead[0][1] == "no handler is registered for shop.orders/OrderShipped"


def test_an_envelope_that_does_not_parse_is_dead_lettered(rec: Recorder) -> None:
    consumer = both_versions(rec)
    raw = raw_event(v1_detail())
    del raw["id"]

    assert consumer.dispatch(raw) is DispatchOutcome.DEAD_LETTERED
    assert rec.dead[0][1].startswith("the event envelope does not parse, at id:")


def test_on_invalid_raise_raises_invalid_event(rec: Recorder) -> None:
    consumer = both_versions(rec, on_invalid="raise")
    raw = raw_event({"orderId": 7})

    with pytest.raises(InvalidEvent) as caught:
        consumer.dispatch(raw)

    assert caught.value.raw is raw and "version 1 fails at" in caught.value.reason
    assert rec.dead == [] and rec.handled == []


def test_dead_letter_mode_without_a_callback_raises_rather_than_drop() -> None:
    consumer = Consumer()
    consumer.handler(OrderCreatedV1)(lambda event: None)

    with pytest.raises(InvalidEvent, match="no dead_letter callback"):
        consumer.dispatch(raw_event({"unexpected": True}))


def test_a_raising_handler_propagates(rec: Recorder) -> None:
    consumer = both_versions(rec)
    with pytest.raises(RuntimeError, match="handler failed"):
        consumer.dispatch(raw_event(v1_detail("boom")))
    assert rec.dead == []


# --- idempotency, correlation, registration ----------------------------------------------------


def test_a_duplicate_delivery_is_skipped(rec: Recorder) -> None:
    store = InMemoryIdempotencyStore()
    consumer = both_versions(rec, idempotency=store)

    first = consumer.dispatch(raw_event(v1_detail(), event_id="same"))
    second = consumer.dispatch(raw_event(v1_detail(), event_id="same"))

    assert (first, second) == (DispatchOutcome.HANDLED, DispatchOutcome.DUPLICATE)
    assert rec.names == ["v1"]
    assert consumer.dispatch(raw_event(v1_detail(), event_id="other")) is DispatchOutcome.HANDLED


def test_an_event_whose_handler_failed_is_not_marked(rec: Recorder) -> None:
    store = InMemoryIdempotencyStore()
    attempts: list[str] = []
    consumer = Consumer(dead_letter=rec.dead_letter, idempotency=store)

    @consumer.handler(OrderCreatedV1)
    def flaky(event: EventEnvelope[OrderCreatedV1]) -> None:
        attempts.append(event.id)
        if len(attempts) == 1:
            raise RuntimeError("transient")

    with pytest.raises(RuntimeError):
        consumer.dispatch(raw_event(v1_detail(), event_id="e-9"))
    assert len(store) == 0  # the claim was released: the retry runs at once
    assert consumer.dispatch(raw_event(v1_detail(), event_id="e-9")) is DispatchOutcome.HANDLED
    assert consumer.dispatch(raw_event(v1_detail(), event_id="e-9")) is DispatchOutcome.DUPLICATE
    assert attempts == ["e-9", "e-9"]


def test_the_in_memory_store_forgets_the_oldest_ids_past_its_size() -> None:
    store = InMemoryIdempotencyStore(max_size=2)
    for event_id in ("a", "b", "c"):
        store.complete(store.claim(event_id))
    # newest first: claiming "a" again (forgotten, so claimed) makes room by forgetting "b"
    assert [store.claim(i).status for i in ("c", "b", "a")] == [
        ClaimStatus.COMPLETED,
        ClaimStatus.COMPLETED,
        ClaimStatus.CLAIMED,
    ]


def test_the_handler_runs_with_the_events_correlation_id(rec: Recorder) -> None:
    consumer = Consumer(dead_letter=rec.dead_letter)
    seen: list[str | None] = []
    consumer.handler(OrderCreatedV1)(lambda event: seen.append(correlation_id.get()))

    consumer.dispatch(raw_event(v1_detail()))

    assert seen == ["c-1"] and correlation_id.get() is None


def test_registration_errors() -> None:
    consumer = Consumer()
    consumer.handler(OrderCreatedV1)(lambda event: None)
    with pytest.raises(ValueError, match="already registered"):
        consumer.handler(OrderCreatedV1)(lambda event: None)

    class NoSource(EventModel):
        SCHEMA_VERSION: ClassVar[int] = 1

    with pytest.raises(TypeError, match="SOURCE"):
        consumer.handler(NoSource)
    with pytest.raises(ValueError, match="on_invalid"):
        Consumer(on_invalid="ignore")  # type: ignore[arg-type]


# --- Lambda and SQS entry points ---------------------------------------------------------------


def test_lambda_handler_dispatches_one_event(rec: Recorder) -> None:
    consumer = both_versions(rec)
    consumer.lambda_handler(raw_event(v1_detail()), None)
    assert rec.names == ["v1"]


def sqs_record(message_id: str, body: str) -> dict[str, Any]:
    return {"messageId": message_id, "receiptHandle": f"rh-{message_id}", "body": body}


def test_sqs_handler_reports_only_the_raising_records(rec: Recorder) -> None:
    consumer = both_versions(rec)
    records = [
        sqs_record("m1", json.dumps(raw_event(v1_detail("o1"), event_id="e-1"))),
        sqs_record("m2", json.dumps(raw_event(v1_detail("boom"), event_id="e-2"))),
        sqs_record("m3", json.dumps(raw_event({"orderId": None}, event_id="e-3"))),
        sqs_record("m4", "not json"),
        sqs_record("m5", json.dumps(raw_event(v1_detail("o5", channel="x"), event_id="e-5"))),
    ]

    response = consumer.sqs_handler({"Records": records}, None)

    assert response == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    assert rec.names == ["v1", "v2"]
    assert [reason.split(":")[0] for _, reason in rec.dead] == [
        "the detail of shop.orders/OrderCreated is valid for none of its versions",
        "the message body is not JSON this consumer reads",
    ]
    assert rec.dead[1][0] == {"body": "not json"}


def test_poll_drains_a_queue_fed_by_eventbridge_and_keeps_the_failure(
    aws: Aws, rec: Recorder
) -> None:
    queue = aws.routed_queue("orders", SOURCE, DETAIL_TYPE)
    publish(
        OrderCreatedV1(orderId="o1", totalAmount=1, metadata=Metadata()),
        OrderCreatedV2(orderId="o2", totalAmount=2, metadata=Metadata(), channel="web"),
        OrderCreatedV1(orderId="boom", totalAmount=3, metadata=Metadata()),
        bus="orders",
    )
    # An event no version reads, sent around publish()'s validation as another producer might.
    aws.client("events").put_events(
        Entries=[
            {
                "Source": SOURCE,
                "DetailType": DETAIL_TYPE,
                "Detail": json.dumps({"orderId": "o4"}),
                "EventBusName": "orders",
            }
        ]
    )
    consumer = both_versions(rec, idempotency=InMemoryIdempotencyStore())
    sqs = aws.client("sqs")

    processed = []
    while count := consumer.poll(queue, client=sqs, max_messages=2):
        processed.append(count)

    assert sum(processed) == 4
    assert sorted(rec.names) == ["v1", "v2"]
    assert [raw["detail"]["orderId"] for raw, _ in rec.dead] == ["o4"]
    # the failed message is still in the queue (in flight until its visibility timeout ends)
    assert aws.queue_counts(queue) == (0, 1)


def test_poll_with_the_default_client_and_an_empty_queue(aws: Aws, rec: Recorder) -> None:
    queue = aws.client("sqs").create_queue(QueueName="empty")["QueueUrl"]
    assert both_versions(rec).poll(queue) == 0
    with pytest.raises(ValueError, match="max_messages"):
        both_versions(rec).poll(queue, max_messages=11)
