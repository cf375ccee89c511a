"""publish() against a real moto EventBridge: batching, sizes, retries, correlation, validation.

Delivery is observed the way a subscriber would see it: a rule on the bus routes the events to an
SQS queue, and the test reads the queue.
"""

from __future__ import annotations

import json
import random
import socket
import uuid
from collections.abc import Iterator
from typing import Any, ClassVar, cast

import boto3
import pytest
from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eventcontracts.runtime import (
    EventModel,
    ProducerSettings,
    PublishError,
    PublishResult,
    correlation,
    correlation_id,
    publish,
)
from moto_server import NO_BOTOCORE_RETRIES, REGION, Aws

pytest_plugins = ["moto_server"]

SOURCE = "shop.orders"
DETAIL_TYPE = "OrderCreated"
BUS = "orders"


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
    metadata: Metadata = Field(default_factory=Metadata)


class NotAnEvent(EventModel):
    """An EventModel subclass that forgot its ClassVars."""

    name: str


def order(order_id: str, **extra: Any) -> OrderCreatedV1:
    return OrderCreatedV1(orderId=order_id, totalAmount=9.5, **extra)


def sent(results: list[PublishResult]) -> list[OrderCreatedV1]:
    """The events as published (validated, correlation filled), typed for the assertions."""
    events = [r.event for r in results]
    assert all(isinstance(e, OrderCreatedV1) for e in events)
    return cast("list[OrderCreatedV1]", events)


def instant(recorded: list[float]) -> ProducerSettings:
    """Settings whose backoff sleeps are recorded instead of slept, with a seeded jitter."""
    return ProducerSettings(sleep=recorded.append, rng=random.Random(7))


class PutEventsCalls:
    """Records the entries of every PutEvents request a client sends.

    A botocore event hook on the real client: it observes the serialized request, changes
    nothing.
    """

    def __init__(self, client: Any) -> None:
        self.requests: list[list[dict[str, Any]]] = []
        client.meta.events.register("before-call.events.PutEvents", self._record)

    def _record(self, params: dict[str, Any], **_: Any) -> None:
        self.requests.append(json.loads(params["body"])["Entries"])

    @property
    def sizes(self) -> list[int]:
        return [len(entries) for entries in self.requests]


class ScriptedEventBridge:
    """A real events client whose PutEvents answers can be made to fail, call by call.

    This stands in for the *service's* failures only: moto never fails an entry with a
    retryable code (it fails only malformed entries), nor throttles a call. Entries that are not
    scripted to fail go to the moto server through the real client; the response merges moto's
    EventIds with the scripted failures, in request order, exactly as PutEvents reports a
    partial failure. ``entry_failures`` maps an orderId to the ErrorCodes of its successive
    attempts; ``call_errors`` are raised, one per call, before anything is sent.
    """

    def __init__(
        self,
        client: Any,
        entry_failures: dict[str, list[str]] | None = None,
        call_errors: list[Exception] | None = None,
    ) -> None:
        self._client = client
        self._entry_failures = {k: list(v) for k, v in (entry_failures or {}).items()}
        self._call_errors = list(call_errors or [])
        self.requests: list[list[str]] = []  # orderIds of each call

    def put_events(self, *, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        order_ids = [json.loads(entry["Detail"])["orderId"] for entry in Entries]
        self.requests.append(order_ids)
        if self._call_errors:
            raise self._call_errors.pop(0)
        codes = [self._next_failure(order_id) for order_id in order_ids]
        passed = [entry for entry, code in zip(Entries, codes, strict=True) if code is None]
        real = iter(self._client.put_events(Entries=passed)["Entries"] if passed else [])
        answers = [
            next(real) if code is None else {"ErrorCode": code, "ErrorMessage": f"{code} (test)"}
            for code in codes
        ]
        failed = sum(1 for answer in answers if "ErrorCode" in answer)
        return {"FailedEntryCount": failed, "Entries": answers}

    def _next_failure(self, order_id: str) -> str | None:
        script = self._entry_failures.get(order_id)
        return script.pop(0) if script else None


def throttled_call() -> ClientError:
    response = {
        "Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"},
        "ResponseMetadata": {"HTTPStatusCode": 400},
    }
    return ClientError(response, "PutEvents")


@pytest.fixture
def queue(aws: Aws) -> str:
    return aws.routed_queue(BUS, SOURCE, DETAIL_TYPE)


@pytest.fixture
def events_client(aws: Aws) -> Any:
    return aws.client("events")


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    yield port


def order_ids(bodies: list[dict[str, Any]]) -> list[str]:
    return sorted(body["detail"]["orderId"] for body in bodies)


# --- batching ----------------------------------------------------------------------------------


def test_25_events_go_out_as_10_10_5_and_all_arrive(
    aws: Aws, queue: str, events_client: Any
) -> None:
    calls = PutEventsCalls(events_client)
    events = [order(f"o{i:02d}") for i in range(25)]

    results = publish(*events, bus=BUS, client=events_client)

    assert calls.sizes == [10, 10, 5]
    assert [e.order_id for e in sent(results)] == [e.order_id for e in events]
    assert all(r.ok and r.event_id and r.attempts == 1 for r in results)
    assert len({r.event_id for r in results}) == 25
    bodies = aws.drain(queue)
    assert order_ids(bodies) == [f"o{i:02d}" for i in range(25)]
    assert {(b["source"], b["detail-type"]) for b in bodies} == {(SOURCE, DETAIL_TYPE)}
    assert {b["id"] for b in bodies} == {r.event_id for r in results}


def test_entries_take_source_and_detail_type_from_the_class_and_sort_detail_keys(
    events_client: Any, queue: str
) -> None:
    calls = PutEventsCalls(events_client)
    publish(order("o1", zeta="last", alpha="first"), bus=BUS, client=events_client)

    (entry,) = calls.requests[0]
    assert (entry["Source"], entry["DetailType"], entry["EventBusName"]) == (
        SOURCE,
        DETAIL_TYPE,
        BUS,
    )
    detail = json.loads(entry["Detail"])
    assert list(detail) == sorted(detail)
    # by alias, unknown (extra) properties passed on, a field the producer never set left out
    # (a schema without `nullable` rejects null there), and defaults not sent: a schema's
    # default tells readers what to assume, the producer did not say it
    assert "metadata" not in detail
    assert detail["orderId"] == "o1" and detail["alpha"] == "first"


def test_the_detail_is_the_sorted_compact_json_of_what_was_set(
    events_client: Any, queue: str
) -> None:
    calls = PutEventsCalls(events_client)
    event = order(
        "ö1",
        note="Torstraße € \u2028 \x7f",
        big=2**70,
        tiny=1e-7,
        huge=1e16,
        nested={"b": [{"z": 1, "y": 0.1}], "a": None},
    )
    publish(event, bus=BUS, client=events_client)

    expected = {
        "orderId": "ö1",
        "totalAmount": 9.5,
        "note": "Torstraße € \u2028 \x7f",
        "big": 2**70,
        "tiny": 1e-7,
        "huge": 1e16,
        "nested": {"b": [{"z": 1, "y": 0.1}], "a": None},
    }
    (entry,) = calls.requests[0]
    # byte for byte what the standard library writes: Python's float spellings (1e-07, 1e+16),
    # UTF-8 rather than escapes, keys sorted at every level, no spaces
    assert entry["Detail"] == json.dumps(
        expected, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def test_a_number_that_is_not_json_is_refused_before_anything_is_sent(
    events_client: Any, queue: str
) -> None:
    calls = PutEventsCalls(events_client)
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError):
            publish(OrderCreatedV1(orderId="o1", totalAmount=bad), bus=BUS, client=events_client)
    assert calls.requests == []


def test_each_entry_carries_its_own_random_uuid_as_the_producer_id(
    events_client: Any, queue: str
) -> None:
    calls = PutEventsCalls(events_client)
    results = publish(*[order(f"o{i}") for i in range(25)], bus=BUS, client=events_client)

    ids = [str(result.producer_event_id) for result in results]
    sent = [entry["Resources"] for entries in calls.requests for entry in entries]
    assert sent == [[f"urn:eventcontracts:event:{id_}"] for id_ in ids]
    assert len(set(ids)) == 25
    for id_ in ids:
        parsed = uuid.UUID(id_)
        assert str(parsed) == id_ and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_a_null_the_producer_set_is_sent(events_client: Any, queue: str) -> None:
    calls = PutEventsCalls(events_client)
    event = order("o1")
    event.metadata = Metadata(correlationId=None, version=2)
    publish(event, bus=BUS, client=events_client)

    detail = json.loads(calls.requests[0][0]["Detail"])
    assert detail["metadata"] == {"correlationId": None, "version": 2}


def test_requests_are_packed_by_the_documented_entry_size(events_client: Any, queue: str) -> None:
    calls = PutEventsCalls(events_client)
    # Multi-byte characters: the limit counts UTF-8 bytes, not characters.
    events = [order(f"ü{i}", note="€" * 40) for i in range(5)]
    detail = events[0].model_dump_json(by_alias=True)  # same length as what is sent
    entry_bytes = len(SOURCE.encode()) + len(DETAIL_TYPE.encode()) + len(detail.encode())
    settings = ProducerSettings(max_request_bytes=int(entry_bytes * 2.5))

    results = publish(*events, bus=BUS, client=events_client, settings=settings)

    assert calls.sizes == [2, 2, 1]
    for entries in calls.requests:
        sent = sum(len((e["Source"] + e["DetailType"] + e["Detail"]).encode()) for e in entries)
        assert sent <= settings.max_request_bytes
    assert all(r.ok for r in results)


def test_an_oversized_entry_is_reported_and_the_rest_are_sent(
    aws: Aws, queue: str, events_client: Any
) -> None:
    calls = PutEventsCalls(events_client)
    settings = ProducerSettings(max_request_bytes=1_000, raise_on_failure=False)
    events = [order("small-1"), order("huge", blob="x" * 2_000), order("small-2")]

    results = publish(*events, bus=BUS, client=events_client, settings=settings)

    assert [r.ok for r in results] == [True, False, True]
    too_large = results[1]
    assert (too_large.error_code, too_large.event_id, too_large.attempts) == (
        "EntryTooLarge",
        None,
        0,
    )
    assert "1000" in (too_large.error_message or "")
    assert calls.sizes == [2]
    assert order_ids(aws.drain(queue)) == ["small-1", "small-2"]


def test_publish_error_carries_every_result(events_client: Any, queue: str) -> None:
    settings = ProducerSettings(max_request_bytes=1_000)
    events = [order("small-1"), order("huge", blob="x" * 2_000), order("small-2")]

    with pytest.raises(PublishError) as caught:
        publish(*events, bus=BUS, client=events_client, settings=settings)

    results = caught.value.results
    assert [e.order_id for e in sent(results)] == ["small-1", "huge", "small-2"]
    assert [r.ok for r in results] == [True, False, True]
    assert results[0].event_id and results[2].event_id
    assert [r.error_code for r in caught.value.failed] == ["EntryTooLarge"]
    assert "1 of 3 events were not published" in str(caught.value)


# --- retries -----------------------------------------------------------------------------------


def test_only_the_failed_entries_are_retried(aws: Aws, queue: str, events_client: Any) -> None:
    scripted = ScriptedEventBridge(
        events_client,
        entry_failures={"o1": ["ThrottlingException"], "o3": ["InternalFailure"]},
    )
    slept: list[float] = []

    results = publish(
        *[order(f"o{i}") for i in range(5)], bus=BUS, client=scripted, settings=instant(slept)
    )

    assert scripted.requests == [["o0", "o1", "o2", "o3", "o4"], ["o1", "o3"]]
    assert [r.attempts for r in results] == [1, 2, 1, 2, 1]
    assert all(r.ok for r in results)
    assert len(slept) == 1 and 0 <= slept[0] <= 0.05
    # each event reached the bus exactly once
    assert order_ids(aws.drain(queue)) == ["o0", "o1", "o2", "o3", "o4"]


def test_a_non_retryable_entry_error_is_not_retried(events_client: Any, queue: str) -> None:
    scripted = ScriptedEventBridge(events_client, entry_failures={"o1": ["MalformedDetail"]})
    slept: list[float] = []

    with pytest.raises(PublishError) as caught:
        publish(order("o0"), order("o1"), bus=BUS, client=scripted, settings=instant(slept))

    assert scripted.requests == [["o0", "o1"]]
    assert slept == []
    ok, failed = caught.value.results
    assert ok.ok and ok.attempts == 1
    assert (failed.error_code, failed.attempts, failed.event_id) == ("MalformedDetail", 1, None)


def test_retries_stop_after_max_attempts_with_growing_jittered_backoff(
    events_client: Any, queue: str
) -> None:
    scripted = ScriptedEventBridge(
        events_client, entry_failures={"o0": ["ThrottlingException"] * 10}
    )
    slept: list[float] = []
    settings = ProducerSettings(
        max_attempts=4, base_delay=0.1, max_delay=0.25, sleep=slept.append, rng=random.Random(1)
    )

    with pytest.raises(PublishError) as caught:
        publish(order("o0"), bus=BUS, client=scripted, settings=settings)

    (result,) = caught.value.results
    assert (result.error_code, result.attempts) == ("ThrottlingException", 4)
    assert len(scripted.requests) == 4
    # full jitter: each wait is drawn from [0, min(max_delay, base * 2**n)]
    assert len(slept) == 3
    for n, delay in enumerate(slept):
        assert 0 <= delay <= min(0.25, 0.1 * 2**n)
    # a seeded Random makes the waits reproducible
    again: list[float] = []
    replay = ScriptedEventBridge(events_client, entry_failures={"o0": ["ThrottlingException"] * 10})
    settings_again = ProducerSettings(
        max_attempts=4, base_delay=0.1, max_delay=0.25, sleep=again.append, rng=random.Random(1)
    )
    with pytest.raises(PublishError):
        publish(order("o0"), bus=BUS, client=replay, settings=settings_again)
    assert again == slept


def test_a_throttled_call_is_retried_whole(aws: Aws, queue: str, events_client: Any) -> None:
    scripted = ScriptedEventBridge(events_client, call_errors=[throttled_call()])
    slept: list[float] = []

    results = publish(order("o0"), order("o1"), bus=BUS, client=scripted, settings=instant(slept))

    assert scripted.requests == [["o0", "o1"], ["o0", "o1"]]
    assert [r.attempts for r in results] == [2, 2]
    assert all(r.ok for r in results) and len(slept) == 1
    assert order_ids(aws.drain(queue)) == ["o0", "o1"]


def test_a_refused_connection_is_retried_then_reported(aws: Aws, closed_port: int) -> None:
    unreachable = boto3.client(
        "events",
        region_name=REGION,
        endpoint_url=f"http://127.0.0.1:{closed_port}",
        config=NO_BOTOCORE_RETRIES,
    )
    slept: list[float] = []
    settings = ProducerSettings(max_attempts=3, sleep=slept.append, raise_on_failure=False)

    (result,) = publish(order("o0"), bus=BUS, client=unreachable, settings=settings)

    assert (result.error_code, result.attempts, result.ok) == ("EndpointConnectionError", 3, False)
    assert len(slept) == 2


def test_a_missing_bus_is_not_retried(events_client: Any) -> None:
    slept: list[float] = []

    with pytest.raises(PublishError) as caught:
        publish(order("o0"), bus="no-such-bus", client=events_client, settings=instant(slept))

    (result,) = caught.value.results
    assert (result.error_code, result.attempts) == ("ResourceNotFoundException", 1)
    assert slept == []


# --- correlation, validation, defaults ---------------------------------------------------------


def test_correlation_id_is_filled_from_the_context(
    aws: Aws, queue: str, events_client: Any
) -> None:
    mine = order("explicit", metadata=Metadata(correlationId="already-set"))
    unset = order("from-context")

    with correlation("corr-42"):
        assert correlation_id.get() == "corr-42"
        results = publish(unset, mine, bus=BUS, client=events_client)
    assert correlation_id.get() is None

    assert unset.metadata.correlation_id is None  # the caller's object is not changed
    assert [e.metadata.correlation_id for e in sent(results)] == ["corr-42", "already-set"]
    received = {b["detail"]["orderId"]: b["detail"]["metadata"] for b in aws.drain(queue)}
    assert received["from-context"]["correlationId"] == "corr-42"
    assert received["explicit"]["correlationId"] == "already-set"


def test_without_a_context_the_correlation_id_stays_empty(events_client: Any, queue: str) -> None:
    calls = PutEventsCalls(events_client)
    publish(order("o0", metadata=Metadata(version=1)), bus=BUS, client=events_client)
    # stays empty: not invented, and not sent as null either
    assert "correlationId" not in json.loads(calls.requests[0][0]["Detail"])["metadata"]


def test_invalid_events_are_refused_before_anything_is_sent(events_client: Any, queue: str) -> None:
    calls = PutEventsCalls(events_client)
    constructed = OrderCreatedV1.model_construct(order_id="o1", total_amount="lots")
    mutated = order("o2")
    mutated.total_amount = "nothing"  # type: ignore[assignment]  # assignment is not validated

    for bad in (constructed, mutated):
        with pytest.raises(ValidationError):
            publish(order("fine"), bad, bus=BUS, client=events_client)
    assert calls.requests == []


def test_a_model_without_source_is_a_type_error(events_client: Any) -> None:
    with pytest.raises(TypeError, match="SOURCE"):
        publish(NotAnEvent(name="x"), client=events_client)


def test_only_event_models_can_be_published(events_client: Any) -> None:
    with pytest.raises(TypeError, match="EventModel"):
        publish({"orderId": "o1"}, client=events_client)  # type: ignore[arg-type]


def test_the_default_client_comes_from_the_environment(aws: Aws, queue: str) -> None:
    (result,) = publish(order("o0"), bus=BUS)  # boto3.client("events") via AWS_ENDPOINT_URL
    assert result.ok
    assert order_ids(aws.drain(queue)) == ["o0"]


def test_nothing_to_publish_sends_nothing() -> None:
    assert publish() == []


@pytest.mark.parametrize(
    "bad",
    [
        {"max_entries": 11},
        {"max_entries": 0},
        {"max_request_bytes": 0},
        {"max_attempts": 0},
        {"base_delay": -1},
    ],
)
def test_settings_out_of_range_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        ProducerSettings(**bad)


def test_publish_result_ok() -> None:
    event = order("o0")
    assert PublishResult(event, "id-1", attempts=1).ok
    assert not PublishResult(event, None, "ThrottlingException", "slow down", 5).ok
