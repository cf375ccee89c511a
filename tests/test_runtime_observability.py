"""Logs, metrics and the X-Ray trace header of publish() and Consumer, against a real moto server.

Every outcome of an event is one JSON log line (through the runtime's JsonFormatter, as an
application would configure it) and one count in the metrics sink; the events travel through
moto's EventBridge and SQS, and the generated ``mycompany_events.orders`` types are used as a
service would use them. Only the service's transient failures are injected, by a botocore hook on
a real client (moto never throttles).
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from conftest import REPO_ROOT
from eventcontracts.runtime import (
    Consumer,
    DispatchOutcome,
    EmfMetrics,
    InMemoryIdempotencyStore,
    InMemoryMetrics,
    InvalidEvent,
    JsonFormatter,
    ProducerSettings,
    PublishError,
    publish,
    set_metrics_sink,
)
from eventcontracts.runtime._entries import entry_size
from eventcontracts.runtime._eventid import marker
from moto_server import Aws

pytest_plugins = ["moto_server"]

BUS = "orders"
EXAMPLE = REPO_ROOT / "registry/com.mycompany.orders/OrderCreated/examples/v2/mobile-app-order.json"
CORRELATION = "5c9e1b3a-4d7f-4a2c-b6e8-1f0d9a3c7e25"
TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
EVENT_KEYS = {"event_id", "source", "detail_type", "schema_version", "correlation_id", "outcome"}
LogLines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def log_lines() -> Iterator[LogLines]:
    """The runtime's log output as an application would see it: a handler with JsonFormatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    runtime = logging.getLogger("eventcontracts.runtime")
    level = runtime.level
    runtime.addHandler(handler)
    runtime.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        runtime.removeHandler(handler)
        runtime.setLevel(level)


@pytest.fixture
def queue(aws: Aws, orders: Any) -> str:
    return aws.routed_queue(BUS, orders.SOURCE, orders.OrderCreated.DETAIL_TYPE)


def order(orders: Any, order_id: str = "ORD-100240") -> Any:
    detail = json.loads(EXAMPLE.read_text())["detail"]
    return orders.OrderCreated.model_validate({**detail, "orderId": order_id})


def event_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The outcome lines (the runtime logs nothing else, but a library may)."""
    return [line for line in lines if "outcome" in line]


class FailFirstPutEvents:
    """A botocore hook on a real events client: the first PutEvents call is answered with the
    given per-entry error codes (None = accepted) without reaching moto; later calls go through.
    """

    def __init__(self, client: Any, codes: list[str | None]) -> None:
        self._codes: list[str | None] | None = codes
        client.meta.events.register("before-call.events.PutEvents", self._answer)

    def _answer(self, **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if self._codes is None:
            return None
        codes, self._codes = self._codes, None
        entries = [
            {"EventId": f"fake-{n}"} if code is None else {"ErrorCode": code, "ErrorMessage": code}
            for n, code in enumerate(codes)
        ]
        failed = sum(1 for code in codes if code is not None)
        return AWSResponse("", 200, {}, None), {"FailedEntryCount": failed, "Entries": entries}


# --- producer ----------------------------------------------------------------------------------


def test_a_published_event_is_one_info_line_and_one_count(
    aws: Aws, queue: str, orders: Any, log_lines: LogLines
) -> None:
    metrics = InMemoryMetrics()
    (result,) = orders.publish(
        order(orders),
        bus=BUS,
        client=aws.client("events"),
        settings=ProducerSettings(metrics=metrics),
    )

    (line,) = event_lines(log_lines())
    assert line["level"] == "INFO" and line["logger"] == "eventcontracts.runtime.producer"
    assert {key: line[key] for key in EVENT_KEYS} == {
        "event_id": result.event_id,
        "source": "com.mycompany.orders",
        "detail_type": "Order Created",
        "schema_version": 2,
        "correlation_id": CORRELATION,
        "outcome": "published",
    }
    assert line["attempts"] == 1
    assert metrics.calls == [
        ("published", 1, {"Source": "com.mycompany.orders", "DetailType": "Order Created"})
    ]
    # the one event really arrived, with the id the log line names
    (body,) = aws.drain(queue)
    assert body["id"] == result.event_id


def test_the_detail_is_never_logged(aws: Aws, queue: str, orders: Any, log_lines: LogLines) -> None:
    consumer = Consumer(idempotency=InMemoryIdempotencyStore(), dead_letter=lambda raw, why: None)
    consumer.handler(orders.OrderCreatedV2)(lambda event: None)
    orders.publish(order(orders), bus=BUS, client=aws.client("events"))
    while consumer.poll(queue, client=aws.client("sqs")):
        pass

    text = json.dumps(log_lines())
    assert '"handled"' in text and '"published"' in text
    for personal in ("jordan.lee@example.com", "CUST-30551", "500 Congress Ave"):
        assert personal not in text


def test_a_retried_entry_logs_the_retry_then_the_publish(
    aws: Aws, queue: str, orders: Any, log_lines: LogLines
) -> None:
    client = aws.client("events")
    FailFirstPutEvents(client, [None, "ThrottlingException"])
    metrics = InMemoryMetrics()
    settings = ProducerSettings(metrics=metrics, sleep=lambda _: None)

    results = orders.publish(
        order(orders, "ORD-1"), order(orders, "ORD-2"), bus=BUS, client=client, settings=settings
    )

    assert [r.attempts for r in results] == [1, 2]
    lines = event_lines(log_lines())
    assert [(line["outcome"], line["level"]) for line in lines] == [
        ("retried", "WARNING"),
        ("published", "INFO"),
        ("published", "INFO"),
    ]
    retry = lines[0]
    assert (retry["attempt"], retry["error"], retry["event_id"]) == (1, "ThrottlingException", None)
    assert [line["attempts"] for line in lines[1:]] == [1, 2]
    assert metrics.totals() == {"retried": 1, "published": 2}


def test_a_failed_event_logs_an_error_with_the_code_and_counts_failed(
    aws: Aws, orders: Any, log_lines: LogLines
) -> None:
    metrics = InMemoryMetrics()
    with pytest.raises(PublishError):
        orders.publish(
            order(orders),
            bus="no-such-bus",
            client=aws.client("events"),
            settings=ProducerSettings(metrics=metrics),
        )

    (line,) = event_lines(log_lines())
    assert (line["outcome"], line["level"], line["event_id"]) == ("failed", "ERROR", None)
    assert line["error"] == "ResourceNotFoundException" and line["reason"]
    assert line["correlation_id"] == CORRELATION
    assert metrics.totals() == {"failed": 1}


def test_the_process_wide_sink_counts_when_none_is_given(aws: Aws, queue: str, orders: Any) -> None:
    everywhere, own = InMemoryMetrics(), InMemoryMetrics()
    set_metrics_sink(everywhere)
    try:
        orders.publish(order(orders, "ORD-1"), bus=BUS, client=aws.client("events"))
        settings = ProducerSettings(metrics=own)
        orders.publish(
            order(orders, "ORD-2"), bus=BUS, client=aws.client("events"), settings=settings
        )
    finally:
        set_metrics_sink(None)
    assert (everywhere.totals(), own.totals()) == ({"published": 1}, {"published": 1})


def test_a_broken_sink_does_not_fail_the_publish(aws: Aws, queue: str, orders: Any) -> None:
    class Broken:
        def count(self, name: str, value: int, dimensions: Any) -> None:
            raise RuntimeError("exporter down")

    settings = ProducerSettings(metrics=Broken())
    (result,) = orders.publish(
        order(orders), bus=BUS, client=aws.client("events"), settings=settings
    )
    assert result.ok
    assert len(aws.drain(queue)) == 1


# --- consumer ----------------------------------------------------------------------------------


def consume(aws: Aws, queue: str, consumer: Consumer) -> None:
    sqs = aws.client("sqs")
    while consumer.poll(queue, client=sqs):
        pass


def test_handled_and_duplicate_skipped(
    aws: Aws, queue: str, orders: Any, log_lines: LogLines
) -> None:
    metrics = InMemoryMetrics()
    consumer = Consumer(idempotency=InMemoryIdempotencyStore(), metrics=metrics)
    consumer.handler(orders.OrderCreatedV1)(lambda event: None)
    consumer.handler(orders.OrderCreatedV2)(lambda event: None)
    (result,) = orders.publish(order(orders), bus=BUS, client=aws.client("events"))

    consume(aws, queue, consumer)
    delivered = {
        "version": "0",
        "id": result.event_id,
        "detail-type": "Order Created",
        "source": "com.mycompany.orders",
        "account": "123456789012",
        "time": "2026-11-03T15:27:14Z",
        "region": "us-east-1",
        "resources": [marker(str(result.producer_event_id))],
        "detail": json.loads(order(orders).model_dump_json(by_alias=True)),
    }
    assert consumer.dispatch(delivered) is DispatchOutcome.DUPLICATE

    lines = [line for line in event_lines(log_lines()) if line["logger"].endswith("consumer")]
    assert [(line["outcome"], line["level"]) for line in lines] == [
        ("handled", "INFO"),
        ("duplicate_skipped", "INFO"),
    ]
    handled, duplicate = lines
    assert {key: handled[key] for key in EVENT_KEYS} == {
        "event_id": result.event_id,
        "source": "com.mycompany.orders",
        "detail_type": "Order Created",
        "schema_version": 2,
        "correlation_id": CORRELATION,
        "outcome": "handled",
    }
    # before routing, the version is not known
    assert (duplicate["event_id"], duplicate["schema_version"]) == (result.event_id, None)
    assert metrics.totals() == {"handled": 1, "duplicates_skipped": 1}
    # the producer's id links its line to the consumer's (it would survive a redrive too)
    (published,) = [line for line in event_lines(log_lines()) if line["outcome"] == "published"]
    assert result.producer_event_id
    assert (
        published["producer_event_id"] == handled["producer_event_id"] == result.producer_event_id
    )


def test_an_invalid_detail_is_dead_lettered_and_counted_as_a_validation_failure(
    aws: Aws, queue: str, orders: Any, log_lines: LogLines
) -> None:
    metrics = InMemoryMetrics()
    dead: list[str] = []
    consumer = Consumer(dead_letter=lambda raw, reason: dead.append(reason), metrics=metrics)
    consumer.handler(orders.OrderCreatedV2)(lambda event: None)
    detail = json.loads(order(orders).model_dump_json(by_alias=True))
    aws.client("events").put_events(
        Entries=[
            {
                "Source": orders.SOURCE,
                "DetailType": "Order Created",
                "Detail": json.dumps({**detail, "orderId": "not-an-order"}),
                "EventBusName": BUS,
            }
        ]
    )

    consume(aws, queue, consumer)

    (line,) = event_lines(log_lines())
    assert (line["outcome"], line["level"], line["problem"]) == (
        "dead_lettered",
        "WARNING",
        "invalid_detail",
    )
    assert line["reason"] == dead[0] and "orderId" in line["reason"]
    assert line["event_id"] and line["correlation_id"] == CORRELATION
    assert "not-an-order" not in json.dumps(line)
    assert metrics.totals() == {"dead_lettered": 1, "validation_failures": 1}


def test_an_event_without_handler_is_dead_lettered_but_not_a_validation_failure(
    orders: Any, log_lines: LogLines
) -> None:
    metrics = InMemoryMetrics()
    consumer = Consumer(dead_letter=lambda raw, reason: None, metrics=metrics)
    raw = json.loads(EXAMPLE.read_text())

    assert consumer.dispatch(raw) is DispatchOutcome.DEAD_LETTERED

    (line,) = event_lines(log_lines())
    assert (line["outcome"], line["problem"]) == ("dead_lettered", "no_handler")
    assert metrics.totals() == {"dead_lettered": 1}


def test_a_rejected_unparseable_message_is_logged_and_counted(
    log_lines: LogLines,
) -> None:
    metrics = InMemoryMetrics()
    consumer = Consumer(on_invalid="raise", metrics=metrics)
    records = [{"messageId": "m1", "body": "{not json"}]

    response = consumer.sqs_handler({"Records": records})

    assert response == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    (line,) = event_lines(log_lines())
    assert (line["outcome"], line["problem"], line["event_id"]) == (
        "rejected",
        "invalid_body",
        None,
    )
    assert metrics.totals() == {"rejected": 1, "validation_failures": 1}
    with pytest.raises(InvalidEvent):
        consumer.dispatch({"id": "x"})


def test_a_handler_error_is_logged_and_the_event_is_not_marked(
    aws: Aws, queue: str, orders: Any, log_lines: LogLines
) -> None:
    metrics = InMemoryMetrics()
    store = InMemoryIdempotencyStore()
    consumer = Consumer(idempotency=store, metrics=metrics)

    @consumer.handler(orders.OrderCreatedV2)
    def fail(event: Any) -> None:
        raise ValueError("stock service unavailable")

    orders.publish(order(orders), bus=BUS, client=aws.client("events"))
    assert consumer.poll(queue, client=aws.client("sqs")) == 1

    (line,) = [line for line in event_lines(log_lines()) if line["outcome"] == "handler_error"]
    assert line["level"] == "ERROR" and line["schema_version"] == 2
    assert (line["error"], line["error_message"]) == ("ValueError", "stock service unavailable")
    assert line["error_location"].endswith(" in fail")
    assert metrics.totals() == {"handler_errors": 1}
    assert len(store) == 0
    assert aws.queue_counts(queue) == (0, 1)  # left in flight, for redelivery


# --- EMF and the formatter ---------------------------------------------------------------------


def test_emf_lines_have_the_documented_shape(aws: Aws, queue: str, orders: Any) -> None:
    out = io.StringIO()
    emf = EmfMetrics(
        namespace="Shop",
        dimensions={"Service": "checkout"},
        stream=out,
        clock=lambda: 1_767_225_600.5,
    )
    orders.publish(
        order(orders), bus=BUS, client=aws.client("events"), settings=ProducerSettings(metrics=emf)
    )

    (text,) = out.getvalue().splitlines()
    document = json.loads(text)
    assert document == {
        "_aws": {
            "Timestamp": 1_767_225_600_500,
            "CloudWatchMetrics": [
                {
                    "Namespace": "Shop",
                    "Dimensions": [["Service", "Source", "DetailType"]],
                    "Metrics": [{"Name": "published", "Unit": "Count"}],
                }
            ],
        },
        "Service": "checkout",
        "Source": "com.mycompany.orders",
        "DetailType": "Order Created",
        "published": 1,
    }
    # what the spec requires: every dimension and metric named in _aws is a root member, the
    # dimension values strings, the metric value a number
    (directive,) = document["_aws"]["CloudWatchMetrics"]
    assert all(isinstance(document[name], str) for name in directive["Dimensions"][0])
    assert all(isinstance(document[m["Name"]], int) for m in directive["Metrics"])


def test_json_formatter_writes_one_object_per_line_with_extra_fields() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    app = logging.getLogger("test.app")
    app.addHandler(handler)
    app.propagate = False
    try:
        app.warning("order %s\nslow", "ORD-1", extra={"took_ms": 1200, "tags": {"a"}})
        try:
            raise KeyError("k")
        except KeyError:
            app.exception("failed")
    finally:
        app.removeHandler(handler)
        app.propagate = True

    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "order ORD-1\nslow" and first["level"] == "WARNING"
    assert first["took_ms"] == 1200 and first["tags"] == "{'a'}"
    assert first["timestamp"].endswith("+00:00") and "lineno" not in first
    assert second["exception"].startswith("Traceback") and "KeyError" in second["exception"]


# --- X-Ray -------------------------------------------------------------------------------------


class RecordedEntries:
    def __init__(self, client: Any) -> None:
        self.entries: list[dict[str, Any]] = []
        client.meta.events.register("before-call.events.PutEvents", self._record)

    def _record(self, params: dict[str, Any], **_: Any) -> None:
        self.entries.extend(json.loads(params["body"])["Entries"])


def test_the_lambda_trace_header_goes_with_every_entry(
    aws: Aws, queue: str, orders: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = aws.client("events")
    calls = RecordedEntries(client)
    monkeypatch.setenv("_X_AMZN_TRACE_ID", TRACE)

    results = orders.publish(order(orders, "ORD-1"), order(orders, "ORD-2"), bus=BUS, client=client)

    assert all(r.ok for r in results)
    assert [entry["TraceHeader"] for entry in calls.entries] == [TRACE, TRACE]
    assert len(aws.drain(queue)) == 2
    # EventBridge does not count the header toward the entry size
    assert entry_size(calls.entries[0]) == entry_size(
        {k: v for k, v in calls.entries[0].items() if k != "TraceHeader"}
    )


@pytest.mark.parametrize("value", [None, "", "x" * 501])
def test_no_usable_trace_means_no_trace_header(
    aws: Aws, queue: str, orders: Any, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    client = aws.client("events")
    calls = RecordedEntries(client)
    if value is None:
        monkeypatch.delenv("_X_AMZN_TRACE_ID", raising=False)
    else:
        monkeypatch.setenv("_X_AMZN_TRACE_ID", value)

    (result,) = publish(order(orders), bus=BUS, client=client)

    assert result.ok and "TraceHeader" not in calls.entries[0]


# --- the docs page -----------------------------------------------------------------------------


def test_observability_page_is_up_to_date() -> None:
    path = REPO_ROOT / "scripts" / "observability_docs.py"
    spec = importlib.util.spec_from_file_location("observability_docs", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    page = REPO_ROOT / "docs" / "observability.md"
    assert page.is_file(), "docs/observability.md is missing; run `make docs`"
    assert page.read_text(encoding="utf-8") == script.render(), (
        "docs/observability.md is stale; run `make docs`"
    )
