"""The TypeScript runtime (templates/typescript/runtime/) against a real moto server, from Node.

The runtime is compiled with ``tsc --strict`` together with a typed event module written by hand
(tests/ts_runtime/orders.ts) and a harness (tests/ts_runtime/harness.ts) that runs one scenario
per Node process and reports what happened as JSON. PutEvents calls go through
:class:`PutEventsProxy`, a small HTTP server in this process that records each request and
forwards it to moto, and can answer in the service's place (a partial failure, a throttled call)
the way EventBridge does: the AWS SDK talks real HTTP to both, nothing in it is mocked. Delivery
is observed as a subscriber sees it: a rule routes the events to an SQS queue.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import socket
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from eventcontracts.runtime import redrive
from eventcontracts.runtime._entries import encode_detail
from moto_server import REGION, Aws

pytest_plugins = ["moto_server"]

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ROOT / "src" / "eventcontracts" / "templates" / "typescript" / "runtime"
HARNESS = Path(__file__).resolve().parent / "ts_runtime"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

SOURCE = "shop.orders"
DETAIL_TYPE = "Order Placed"
BUS = "orders"
MARKER = "urn:eventcontracts:event:"


# --- building and running the harness ---------------------------------------------------------


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The compiled harness: the runtime copied as a generated package ships it, next to the
    hand-written event module, compiled by ``tsc --strict`` (its @ts-expect-error lines make the
    compilation fail if the runtime's types accept what they must refuse)."""
    modules = ROOT / "node_modules"
    if not (modules / "typescript").is_dir():
        pytest.fail("node_modules is missing: run `npm ci` in the repository root (make does)")
    work = tmp_path_factory.mktemp("ts-runtime")
    (work / "node_modules").symlink_to(modules)
    (work / "package.json").write_text('{"type": "module", "private": true}\n')
    src = work / "src"
    shutil.copytree(RUNTIME, src / "runtime")
    for module in HARNESS.glob("*.ts"):
        shutil.copy(module, src / module.name)
    compiled = subprocess.run(
        [
            str(modules / ".bin" / "tsc"),
            "--strict",
            "--noUncheckedIndexedAccess",
            "--exactOptionalPropertyTypes",
            "--target",
            "es2022",
            "--module",
            "nodenext",
            "--moduleResolution",
            "nodenext",
            "--types",
            "node,aws-lambda",
            "--rootDir",
            str(src),
            "--outDir",
            str(work / "dist"),
            *sorted(str(p) for p in src.rglob("*.ts")),
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    return work / "dist" / "harness.js"


def run(harness: Path, scenario: dict[str, Any]) -> Any:
    """Run one scenario in a Node process and return what it reported."""
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(harness)],
        input=json.dumps(scenario),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NODE_NO_WARNINGS": "1"},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def publish(
    harness: Path,
    details: list[dict[str, Any]],
    endpoint: str,
    *,
    type_: str = "v1",
    correlation_id: str | None = None,
    **options: Any,
) -> Any:
    scenario: dict[str, Any] = {
        "scenario": "publish",
        "type": type_,
        "details": details,
        "options": {"eventBusName": BUS, "endpoint": endpoint, "region": REGION, **options},
    }
    if correlation_id is not None:
        scenario["correlationId"] = correlation_id
    return run(harness, scenario)


# --- the recording proxy ----------------------------------------------------------------------


class PutEventsProxy:
    """An HTTP endpoint in front of moto that records every PutEvents request's entries.

    It stands in for the *service's* failures only, as the Python runtime's tests do: moto never
    fails an entry with a retryable code nor throttles a call. ``entry_failures`` maps an orderId
    to the ErrorCodes of its successive attempts; entries not scripted to fail go on to moto, and
    the answer merges moto's EventIds with the scripted failures in request order, exactly as
    PutEvents reports a partial failure. ``call_failures`` are (HTTP status, error code) answers
    for whole calls, used first.
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.requests: list[list[dict[str, Any]]] = []
        self.entry_failures: dict[str, list[str]] = {}
        self.call_failures: list[tuple[int, str]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in ("host", "content-length")
                }
                status, answer = proxy.answer(headers, body)
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                if status >= 400:
                    self.send_header("x-amzn-ErrorType", json.loads(answer)["__type"])
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def sizes(self) -> list[int]:
        return [len(entries) for entries in self.requests]

    def answer(self, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        target = next((v for k, v in headers.items() if k.lower() == "x-amz-target"), None)
        if target != "AWSEvents.PutEvents":
            return self.forward(headers, body)
        entries: list[dict[str, Any]] = json.loads(body)["Entries"]
        self.requests.append(entries)
        if self.call_failures:
            status, code = self.call_failures.pop(0)
            return status, json.dumps({"__type": code, "message": "scripted"}).encode()
        codes = [self.next_failure(json.loads(e["Detail"]).get("orderId")) for e in entries]
        forward = [e for e, code in zip(entries, codes, strict=True) if code is None]
        accepted: Iterator[dict[str, Any]] = iter(())
        if forward:
            status, text = self.forward(headers, json.dumps({"Entries": forward}).encode())
            if status != 200:
                return status, text  # moto refused the whole call (no such bus...): say so
            accepted = iter(json.loads(text)["Entries"])
        answers = [
            {"ErrorCode": code, "ErrorMessage": "scripted"} if code else next(accepted)
            for code in codes
        ]
        failed = sum(1 for a in answers if "ErrorCode" in a)
        return 200, json.dumps({"FailedEntryCount": failed, "Entries": answers}).encode()

    def next_failure(self, order_id: str | None) -> str | None:
        script = self.entry_failures.get(order_id or "")
        return script.pop(0) if script else None

    def forward(self, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(self.upstream, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy(aws: Aws) -> Iterator[PutEventsProxy]:
    recording = PutEventsProxy(aws.endpoint)
    yield recording
    recording.close()


@pytest.fixture
def queue(aws: Aws) -> str:
    return aws.routed_queue(BUS, SOURCE, DETAIL_TYPE)


def order(n: int, **extra: Any) -> dict[str, Any]:
    return {"orderId": f"ORD-{n}", "total": 9.5, **extra}


def entry_size(entry: dict[str, Any]) -> int:
    """EventBridge's documented entry size, computed here independently of the runtime."""
    texts = [entry["Source"], entry["DetailType"], entry["Detail"], *entry.get("Resources", [])]
    return sum(len(text.encode("utf-8")) for text in texts) + (14 if "Time" in entry else 0)


# --- publish: batching and sizes --------------------------------------------------------------


def test_25_details_go_out_as_10_10_5_and_all_arrive(
    harness: Path, aws: Aws, queue: str, proxy: PutEventsProxy
) -> None:
    out = publish(harness, [order(i) for i in range(25)], proxy.url)

    assert proxy.sizes == [10, 10, 5]
    entries = out["result"]["entries"]
    assert [e["detail"]["orderId"] for e in entries] == [f"ORD-{i}" for i in range(25)]
    assert all(e["ok"] and e["eventId"] and e["attempts"] == 1 for e in entries)
    bodies = aws.drain(queue)
    assert sorted(b["detail"]["orderId"] for b in bodies) == sorted(f"ORD-{i}" for i in range(25))
    assert {b["id"] for b in bodies} == {e["eventId"] for e in entries}
    # Each entry carries the producer's own id, and the Detail is sorted compact JSON.
    sent = [entry for request in proxy.requests for entry in request]
    assert [s["Resources"] for s in sent] == [[MARKER + e["producerEventId"]] for e in entries]
    assert sent[0]["Detail"] == '{"orderId":"ORD-0","total":9.5}'
    assert {(s["Source"], s["DetailType"], s["EventBusName"]) for s in sent} == {
        (SOURCE, DETAIL_TYPE, BUS)
    }


def test_requests_are_packed_by_the_documented_entry_size(
    harness: Path, aws: Aws, queue: str, proxy: PutEventsProxy
) -> None:
    # Multi-byte text: the limit counts UTF-8 bytes, not characters.
    details = [order(i, note="é" * (40 * (i % 4))) for i in range(12)]
    limit = 900

    out = publish(harness, details, proxy.url, maxRequestBytes=limit)

    assert all(e["ok"] for e in out["result"]["entries"])
    sizes = [[entry_size(e) for e in request] for request in proxy.requests]
    assert all(sum(request) <= limit for request in sizes)
    # Greedy packing in order: each request would have overflowed with the next entry.
    assert len(sizes) > 2
    for request, following in itertools.pairwise(sizes):
        assert sum(request) + following[0] > limit
    assert len(aws.drain(queue)) == 12


def test_an_oversized_entry_is_refused_before_sending_and_the_rest_arrive(
    harness: Path, aws: Aws, queue: str, proxy: PutEventsProxy
) -> None:
    huge = "x" * 1_048_576  # over the 1 MB request limit by itself
    out = publish(
        harness, [order(1), order(2, note=huge), order(3)], proxy.url, throwOnFailure=False
    )

    first, too_large, third = out["result"]["entries"]
    assert (too_large["errorCode"], too_large["attempts"], too_large["ok"]) == (
        "EntryTooLarge",
        0,
        False,
    )
    assert "over the 1048576-byte request limit" in too_large["errorMessage"]
    assert first["ok"] and third["ok"]
    assert [[json.loads(e["Detail"])["orderId"] for e in r] for r in proxy.requests] == [
        ["ORD-1", "ORD-3"]
    ]
    assert sorted(b["detail"]["orderId"] for b in aws.drain(queue)) == ["ORD-1", "ORD-3"]
    assert [e["index"] for e in out["result"]["failed"]] == [1]


def test_the_size_counts_utf8_bytes_and_the_legacy_limit_is_a_setting(
    harness: Path, proxy: PutEventsProxy
) -> None:
    # 200,000 characters of 2 bytes: under 262,144 characters, over 262,144 bytes.
    out = publish(
        harness,
        [order(1, note="é" * 200_000)],
        proxy.url,
        maxRequestBytes=262_144,
        throwOnFailure=False,
    )

    (entry,) = out["result"]["entries"]
    assert entry["errorCode"] == "EntryTooLarge"
    assert proxy.requests == []


def test_a_failure_throws_publish_error_carrying_every_outcome(
    harness: Path, proxy: PutEventsProxy, queue: str
) -> None:
    out = publish(harness, [order(1), order(2, note="x" * 2_000)], proxy.url, maxRequestBytes=1_000)

    error = out["error"]
    assert error["name"] == "PublishError"
    assert error["message"].startswith("1 of 2 events were not published; first: EntryTooLarge")
    assert [(e["ok"], e.get("errorCode")) for e in error["result"]["entries"]] == [
        (True, None),
        (False, "EntryTooLarge"),
    ]


def test_the_detail_string_is_the_python_runtimes_byte_for_byte(harness: Path) -> None:
    """Keys sorted by code point at every level (JavaScript's own sort puts U+1F600 before
    U+FFFF), compact, non-ASCII kept as UTF-8: the same detail has the same bytes and size from
    either producer. Numbers are the exception: JavaScript writes 1e-7 where Python writes 1e-07
    (and cannot tell 1.0 from 1); the values read back are the same."""
    details: list[Any] = [
        {"b": 1, "a": [{"d": None, "c": "é"}], "\uffff": True, "\U0001f600": False, "": -7},
        {"text": 'quote " backslash \\ tab \t nul \x00 line \u2028 emoji \U0001f600'},
        {"n": [0, 9.5, -0.25, 123456789012345, 0.001], "nested": {"z": {"y": {"x": []}}}},
    ]
    exponents = {"n": [1e-7, 2.5e21, 1e300]}

    out = run(harness, {"scenario": "encode", "details": [*details, exponents]})

    assert out[:-1] == [encode_detail(detail) for detail in details]
    assert json.loads(out[-1]) == exponents


# --- publish: validation ----------------------------------------------------------------------


def test_invalid_details_are_refused_before_anything_is_sent(
    harness: Path, aws: Aws, queue: str, proxy: PutEventsProxy
) -> None:
    details = [
        order(1),
        {"orderId": "not-an-order", "total": 1},
        {"orderId": "ORD-3", "total": "9"},
    ]

    out = publish(harness, details, proxy.url)

    error = out["error"]
    assert error["name"] == "InvalidDetailError"
    assert [(i["index"], i["reason"]) for i in error["invalid"]] == [
        (1, '/orderId: must match pattern "^ORD-[0-9]+$"'),
        (2, "/total: must be a number >= 0"),
    ]
    assert "nothing was sent" in error["message"]
    assert proxy.requests == []
    assert aws.drain(queue) == []


def test_nothing_to_publish_sends_nothing(harness: Path, proxy: PutEventsProxy) -> None:
    out = publish(harness, [], proxy.url)

    assert out["result"] == {"entries": [], "failed": [], "ok": True}
    assert proxy.requests == []


def test_the_default_client_is_made_once_with_the_sdks_retries_off(harness: Path) -> None:
    assert run(harness, {"scenario": "clients"}) == {
        "sameForSameSettings": True,
        "otherForOtherEndpoint": True,
        "sdkMaxAttempts": 1,
    }


def test_without_an_endpoint_option_the_client_reads_the_environment(
    harness: Path, aws: Aws, queue: str
) -> None:
    # The aws fixture sets AWS_ENDPOINT_URL and AWS_DEFAULT_REGION, as a deployment would.
    out = run(
        harness,
        {
            "scenario": "publish",
            "type": "v1",
            "details": [order(1)],
            "options": {"eventBusName": BUS, "region": REGION},
        },
    )

    assert out["result"]["ok"]
    assert [b["detail"]["orderId"] for b in aws.drain(queue)] == ["ORD-1"]


# --- publish: retries -------------------------------------------------------------------------


def test_only_the_failed_entries_are_retried(
    harness: Path, aws: Aws, queue: str, proxy: PutEventsProxy
) -> None:
    proxy.entry_failures = {
        "ORD-1": ["ThrottlingException"],
        "ORD-3": ["InternalFailure"],
        "ORD-4": ["MalformedDetail"],
    }

    out = publish(harness, [order(i) for i in range(6)], proxy.url, throwOnFailure=False)

    assert [[json.loads(e["Detail"])["orderId"] for e in r] for r in proxy.requests] == [
        [f"ORD-{i}" for i in range(6)],
        ["ORD-1", "ORD-3"],
    ]
    outcomes = [(e["ok"], e["attempts"], e.get("errorCode")) for e in out["result"]["entries"]]
    assert outcomes == [
        (True, 1, None),
        (True, 2, None),
        (True, 1, None),
        (True, 2, None),
        (False, 1, "MalformedDetail"),
        (True, 1, None),
    ]
    # One backoff, full jitter drawn at 0.5 of the 50 ms base.
    assert out["sleeps"] == [25]
    # Every accepted event arrives exactly once: nothing resent that had been accepted.
    delivered = sorted(b["detail"]["orderId"] for b in aws.drain(queue))
    assert delivered == ["ORD-0", "ORD-1", "ORD-2", "ORD-3", "ORD-5"]


def test_retries_stop_after_max_attempts_with_growing_jittered_backoff(
    harness: Path, proxy: PutEventsProxy, queue: str
) -> None:
    proxy.entry_failures = {"ORD-0": ["ThrottlingException"] * 10}

    out = publish(harness, [order(0), order(1)], proxy.url, maxAttempts=4)

    failed = out["error"]["result"]["failed"]
    assert [(e["index"], e["attempts"], e["errorCode"]) for e in failed] == [
        (0, 4, "ThrottlingException")
    ]
    assert proxy.sizes == [2, 1, 1, 1]
    assert out["sleeps"] == [25, 50, 100]


def test_a_throttled_call_is_retried_whole(
    harness: Path, aws: Aws, queue: str, proxy: PutEventsProxy
) -> None:
    proxy.call_failures = [(400, "ThrottlingException"), (503, "ServiceUnavailable")]

    out = publish(harness, [order(1), order(2)], proxy.url)

    assert proxy.sizes == [2, 2, 2]
    assert [(e["ok"], e["attempts"]) for e in out["result"]["entries"]] == [(True, 3), (True, 3)]
    assert sorted(b["detail"]["orderId"] for b in aws.drain(queue)) == ["ORD-1", "ORD-2"]


def test_a_call_refused_for_good_is_not_retried(harness: Path, proxy: PutEventsProxy) -> None:
    proxy.call_failures = [(400, "AccessDeniedException")]

    out = publish(harness, [order(1)], proxy.url, throwOnFailure=False)

    (entry,) = out["result"]["entries"]
    assert (entry["errorCode"], entry["attempts"]) == ("AccessDeniedException", 1)
    assert proxy.sizes == [1]


def test_a_refused_connection_is_retried_then_reported(harness: Path, aws: Aws) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"

    out = publish(harness, [order(1)], closed, maxAttempts=3, throwOnFailure=False)

    (entry,) = out["result"]["entries"]
    assert (entry["errorCode"], entry["attempts"], entry["ok"]) == ("ECONNREFUSED", 3, False)
    assert out["sleeps"] == [25, 50]


# --- publish: correlation id ------------------------------------------------------------------


def test_the_correlation_id_is_filled_from_the_context(
    harness: Path, aws: Aws, queue: str, proxy: PutEventsProxy
) -> None:
    details = [
        order(1, metadata={"version": 1}),
        order(2, metadata={"correlationId": "its-own"}),
        order(3),  # no metadata: not invented
    ]

    out = publish(harness, details, proxy.url, correlation_id="chain-7")

    sent = [e["detail"] for e in out["result"]["entries"]]
    assert [d.get("metadata") for d in sent] == [
        {"correlationId": "chain-7", "version": 1},
        {"correlationId": "its-own"},
        None,
    ]
    delivered = {b["detail"]["orderId"]: b["detail"].get("metadata") for b in aws.drain(queue)}
    assert delivered == {d["orderId"]: d.get("metadata") for d in sent}
    # The caller's objects are not changed: the harness sent what it was given for ORD-1.
    assert details[0]["metadata"] == {"version": 1}


def test_a_schema_without_a_correlation_id_gets_none(
    harness: Path, proxy: PutEventsProxy, queue: str
) -> None:
    # Audited's metadata refuses unknown properties: the detail goes out as given, not refused.
    detail = {"action": "login", "metadata": {"actor": "u-1"}}

    out = publish(harness, [detail], proxy.url, type_="audited", correlation_id="chain-7")

    assert out["result"]["entries"][0]["detail"] == detail


def test_without_a_context_the_correlation_id_stays_empty(
    harness: Path, proxy: PutEventsProxy, queue: str
) -> None:
    out = publish(harness, [order(1, metadata={})], proxy.url)

    assert out["result"]["entries"][0]["detail"]["metadata"] == {}


# --- consumer ---------------------------------------------------------------------------------


def delivered_events(
    harness: Path, aws: Aws, queue: str, details: list[dict[str, Any]]
) -> list[Any]:
    """EventBridge events as a rule target receives them: published by the TypeScript producer to
    moto, read back from the queue a rule sends them to, in the order given."""
    v1 = [d for d in details if "currency" not in d]
    v2 = [d for d in details if "currency" in d]
    for type_, batch in (("v1", v1), ("v2", v2)):
        if batch:
            out = publish(harness, batch, aws.endpoint, type_=type_)
            assert out["result"]["ok"], out
    by_id = {b["detail"]["orderId"]: b for b in aws.drain(queue)}
    return [by_id[d["orderId"]] for d in details]


def consume(harness: Path, **scenario: Any) -> Any:
    return run(
        harness, {"scenario": "consume", "versions": "exact", "deadLetter": False, **scenario}
    )


def sqs_event(bodies: list[str]) -> dict[str, Any]:
    return {"Records": [{"messageId": f"m{i}", "body": body} for i, body in enumerate(bodies)]}


def test_an_sqs_batch_reports_only_the_invalid_and_failed_messages(
    harness: Path, aws: Aws, queue: str
) -> None:
    good = delivered_events(harness, aws, queue, [order(1), order(2), order(3)])
    invalid = {**good[0], "detail": {"orderId": "ORD-9", "total": -1}}
    unknown = {**good[0], "detail-type": "Order Lost"}
    bodies = [json.dumps(e) for e in [good[0], invalid, good[1], unknown, good[2]]]
    bodies.append('card 4111-1111 {"')

    out = consume(harness, mode="sqs", sqs=sqs_event(bodies), failOn="ORD-2")

    assert out["outcome"] == {
        "batchItemFailures": [{"itemIdentifier": m} for m in ("m1", "m2", "m3", "m5")]
    }
    assert [h["orderId"] for h in out["handled"]] == ["ORD-1", "ORD-2", "ORD-3"]
    reasons = {log.get("messageId"): log.get("reason") for log in out["logs"]}
    assert "valid for none of its versions" in reasons["m1"]
    assert "version 1 fails at /total" in reasons["m1"]
    assert "no handler is registered for shop.orders/Order Lost" in reasons["m3"]
    assert reasons["m5"].startswith("the message body is not JSON")
    assert "4111" not in json.dumps(out["logs"])  # a log never quotes the payload
    # A handler's error is logged by name only: its message may quote the payload.
    failed = [log for log in out["logs"] if log.get("messageId") == "m2"]
    assert failed == [
        {
            "level": "ERROR",
            "message": "handling an SQS message failed; it will be redelivered",
            "messageId": "m2",
            "errorType": "TypeError",
        }
    ]


def test_invalid_messages_go_to_the_dead_letter_callback(
    harness: Path, aws: Aws, queue: str
) -> None:
    (good,) = delivered_events(harness, aws, queue, [order(1)])
    invalid = {**good, "detail": {"orderId": "ORD-9"}}
    bodies = [json.dumps(good), json.dumps(invalid), "[1, 2]", "[" * 100 + "]" * 100]

    out = consume(harness, mode="sqs", sqs=sqs_event(bodies), deadLetter=True)

    assert out["outcome"] == {"batchItemFailures": []}
    assert [h["orderId"] for h in out["handled"]] == ["ORD-1"]
    raws = [d["raw"] for d in out["deadLettered"]]
    assert raws == [invalid, {"body": "[1, 2]"}, {"body": "[" * 100 + "]" * 100}]
    reasons = [d["reason"] for d in out["deadLettered"]]
    assert "/total" in reasons[0]
    assert reasons[1] == "the message body is not a JSON object"
    assert "nests 100 levels deep, more than the 64 allowed" in reasons[2]


def test_on_invalid_raise_leaves_invalid_events_to_the_queues_own_dlq(
    harness: Path, aws: Aws, queue: str
) -> None:
    (good,) = delivered_events(harness, aws, queue, [order(1)])
    bodies = [json.dumps(good), json.dumps({**good, "detail": {}})]

    out = consume(harness, mode="sqs", sqs=sqs_event(bodies), deadLetter=True, onInvalid="raise")

    assert out["outcome"] == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert out["deadLettered"] == []


def test_each_event_goes_to_the_version_that_reads_it(harness: Path, aws: Aws, queue: str) -> None:
    details = [
        order(1),  # a v1 detail: v2 reads it too, v1 reads it exactly
        order(2, currency="EUR"),  # v2's field: only v2 reads it exactly
        order(3, gift=True),  # a field no version knows: the newest that reads it
        order(4, currency="EUR", gift=True),
    ]
    events = delivered_events(harness, aws, queue, details)
    bodies = [json.dumps(e) for e in events]

    exact = consume(harness, mode="sqs", sqs=sqs_event(bodies))
    loose = consume(harness, mode="sqs", sqs=sqs_event(bodies), versions="loose")

    assert [(h["orderId"], h["version"]) for h in exact["handled"]] == [
        ("ORD-1", 1),
        ("ORD-2", 2),
        ("ORD-3", 2),
        ("ORD-4", 2),
    ]
    # Without exact validators, the newest version whose validator accepts the detail.
    assert [h["version"] for h in loose["handled"]] == [2, 2, 2, 2]
    assert exact["outcome"] == loose["outcome"] == {"batchItemFailures": []}


def test_the_lambda_handler_throws_invalid_events_unless_dead_lettered(
    harness: Path, aws: Aws, queue: str
) -> None:
    (good,) = delivered_events(harness, aws, queue, [order(1)])
    no_envelope = {k: v for k, v in good.items() if k != "time"}
    events = [good, no_envelope, [good], {**good, "detail": {"orderId": "ORD-1", "total": "x"}}]

    thrown = consume(harness, mode="lambda", events=events)
    kept = consume(harness, mode="lambda", events=events, deadLetter=True)

    assert thrown["outcome"][0] == "ok"
    assert [o["name"] for o in thrown["outcome"][1:]] == ["InvalidEvent"] * 3
    assert "time: Field required" in thrown["outcome"][1]["message"]
    assert "not one EventBridge event object" in thrown["outcome"][2]["message"]
    assert thrown["outcome"][3]["message"].endswith("(and no deadLetter callback was given)")
    assert kept["outcome"] == ["ok"] * 4
    assert [d["raw"] for d in kept["deadLettered"]] == [no_envelope, {"event": [good]}, events[3]]
    assert [h["orderId"] for h in kept["handled"]] == ["ORD-1"]


def test_events_published_by_a_handler_carry_the_correlation_id_on(
    harness: Path, aws: Aws, queue: str
) -> None:
    (good,) = delivered_events(
        harness, aws, queue, [order(1, metadata={"correlationId": "flow-1"})]
    )

    out = consume(
        harness,
        mode="lambda",
        events=[good],
        republish={"eventBusName": BUS, "endpoint": aws.endpoint, "region": REGION},
    )

    assert out["outcome"] == ["ok"]
    assert out["handled"] == [{"version": 1, "orderId": "ORD-1", "correlationId": "flow-1"}]
    assert out["republished"] == [
        {"orderId": "ORD-10", "total": 0, "metadata": {"correlationId": "flow-1"}}
    ]
    (follow,) = aws.drain(queue)
    assert follow["detail"]["metadata"] == {"correlationId": "flow-1"}


def test_a_dead_letter_queue_gets_the_event_itself_and_redrive_reads_it_back(
    harness: Path, aws: Aws, queue: str
) -> None:
    sqs = aws.client("sqs")
    dlq = sqs.create_queue(QueueName="consumer-dlq")["QueueUrl"]
    (good,) = delivered_events(harness, aws, queue, [order(1)])
    unknown = {**good, "detail-type": "Order Lost", "detail": {"orderId": "ORD-2", "total": 1}}
    bodies = [json.dumps(unknown), "{broken"]

    out = consume(
        harness,
        mode="sqs",
        sqs=sqs_event(bodies),
        deadLetterQueue={"queueUrl": dlq, "endpoint": aws.endpoint, "region": REGION},
    )

    assert out["outcome"] == {"batchItemFailures": []}
    messages = sqs.receive_message(
        QueueUrl=dlq, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
    )["Messages"]
    by_body = {m["Body"]: m["MessageAttributes"]["eventcontracts-reason"] for m in messages}
    assert set(by_body) == {json.dumps(unknown, separators=(",", ":")), "{broken"}
    assert by_body["{broken"]["StringValue"] == "the message body is not JSON"
    assert "no handler is registered for shop.orders/Order Lost" in next(
        a["StringValue"] for body, a in by_body.items() if body != "{broken"
    )
    for m in messages:  # received above: visible again for the redrive
        sqs.change_message_visibility(
            QueueUrl=dlq, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0
        )

    # The Python runtime's redrive puts the event back on the bus; the unreadable body stays.
    events = aws.client("events")
    events.put_rule(
        Name="lost", EventBusName=BUS, EventPattern=json.dumps({"detail-type": ["Order Lost"]})
    )
    lost_queue = sqs.create_queue(QueueName="lost")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=lost_queue, AttributeNames=["QueueArn"])
    events.put_targets(
        Rule="lost",
        EventBusName=BUS,
        Targets=[{"Id": "q", "Arn": arn["Attributes"]["QueueArn"]}],
    )
    summary = redrive(dlq, bus=BUS, sqs_client=sqs, events_client=events)

    assert (summary.received, len(summary.redriven), len(summary.unreadable)) == (2, 1, 1)
    (back,) = aws.drain(lost_queue)
    assert back["detail"] == unknown["detail"]


def test_a_handlers_error_reaches_lambda_without_its_message(
    harness: Path, aws: Aws, queue: str
) -> None:
    (good,) = delivered_events(harness, aws, queue, [order(1)])

    scrubbed = consume(harness, mode="lambda", events=[good], failOn="ORD-1")
    revealed = consume(
        harness, mode="lambda", events=[good], failOn="ORD-1", logExceptionMessages=True
    )

    (error,) = scrubbed["outcome"]
    assert (error["name"], error["message"]) == (
        "HandlerFailed",
        "the event handler threw TypeError",
    )
    assert "ORD-1" not in error["stack"]
    assert "harness.js" in error["stack"]  # where it was thrown is kept
    (original,) = revealed["outcome"]
    assert (original["name"], original["message"]) == ("TypeError", "cannot handle ORD-1")
