"""Write docs/observability.md: the log lines and metrics of one event, from running the code.

The generated ``mycompany_events.orders`` producer publishes one Order Created event to a bus on
a moto server (EventBridge and SQS on 127.0.0.1, started here); a rule sends it to a queue; a
runtime Consumer receives it as an SQS-triggered Lambda would, and then receives it again (a
redelivery, skipped by the idempotency store). Every line the runtime logged, through
JsonFormatter, and every Embedded Metric Format line it wrote is captured and put in the page.

What changes from run to run is replaced by fixed values: the event id moto assigns and the
log timestamps; the EMF clock is fixed. Run it with ``make docs``; a test regenerates the page
and fails when the file is stale.
"""

from __future__ import annotations

import importlib
import io
import json
import logging
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
PAGE = REPO_ROOT / "docs" / "observability.md"
EXAMPLE = REPO_ROOT / "registry/com.mycompany.orders/OrderCreated/examples/v2/mobile-app-order.json"
BUS = "orders"
REGION = "us-east-1"
# What the page shows instead of the values that differ on every run.
SHOWN_EVENT_ID = "0d4b7c59-8f1e-4a63-9b2d-5e7a1c3f9e80"
SHOWN_PRODUCER_EVENT_ID = "7a1e3c5b-2d4f-4e6a-8b0c-9d1f2e3a4b5c"
SHOWN_TIMESTAMP = "2026-11-03T15:27:14.512+00:00"
SHOWN_CLOCK = 1_793_719_634.512  # the same instant, in seconds since the epoch


@contextmanager
def moto_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the server's access log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # moto keeps its state per process: start from an empty account even when a test suite's
    # own moto server ran in this process before.
    reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    try:
        with urllib.request.urlopen(reset, timeout=10):
            pass
        yield endpoint
    finally:
        server.stop()


def clients(endpoint: str) -> tuple[Any, Any]:
    """Events and SQS clients for the moto server, with dummy credentials: nothing can reach
    AWS, and the machine's own AWS configuration is not read."""
    import boto3
    from botocore.config import Config

    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )
    config = Config(retries={"total_max_attempts": 1})
    return (
        session.client("events", endpoint_url=endpoint, config=config),
        session.client("sqs", endpoint_url=endpoint, config=config),
    )


def routed_queue(events: Any, sqs: Any, source: str, detail_type: str) -> str:
    """A bus, a queue and a rule sending the bus's Order Created events to the queue."""
    events.create_event_bus(Name=BUS)
    queue_url: str = sqs.create_queue(QueueName="fulfilment")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    pattern = {"source": [source], "detail-type": [detail_type]}
    events.put_rule(Name="to-fulfilment", EventBusName=BUS, EventPattern=json.dumps(pattern))
    events.put_targets(
        Rule="to-fulfilment",
        EventBusName=BUS,
        Targets=[
            {
                "Id": "queue",
                "Arn": arn["Attributes"]["QueueArn"],
                # the whole event, as real EventBridge delivers it (moto's default omits account)
                "InputTransformer": {"InputTemplate": "<aws.events.event.json>"},
            }
        ],
    )
    return queue_url


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    """The runtime's log records, formatted by JsonFormatter as an application would."""
    from eventcontracts.runtime import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    runtime = logging.getLogger("eventcontracts.runtime")
    saved = (runtime.level, runtime.propagate)
    runtime.addHandler(handler)
    runtime.setLevel(logging.INFO)
    runtime.propagate = False
    try:
        yield stream
    finally:
        runtime.removeHandler(handler)
        runtime.setLevel(saved[0])
        runtime.propagate = saved[1]


def run_one_event() -> tuple[list[str], list[str]]:
    """Publish one event, consume it, consume its redelivery; return (log lines, EMF lines)."""
    from eventcontracts.runtime import (
        Consumer,
        EmfMetrics,
        InMemoryIdempotencyStore,
        set_metrics_sink,
    )

    sys.path.insert(0, str(REPO_ROOT / "generated"))
    emf = io.StringIO()
    try:
        orders = importlib.import_module("mycompany_events.orders")
        set_metrics_sink(
            EmfMetrics(namespace="EventContracts", stream=emf, clock=lambda: SHOWN_CLOCK)
        )
        with moto_server() as endpoint, captured_logs() as logs:
            events, sqs = clients(endpoint)
            queue_url = routed_queue(events, sqs, orders.SOURCE, orders.OrderCreated.DETAIL_TYPE)
            detail = json.loads(EXAMPLE.read_text())["detail"]
            (result,) = orders.publish(
                orders.OrderCreated.model_validate(detail), bus=BUS, client=events
            )

            consumer = Consumer(idempotency=InMemoryIdempotencyStore())
            consumer.handler(orders.OrderCreated)(lambda event: None)
            # What the SQS event source mapping hands the Lambda function, delivered twice.
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1)["Messages"]
            records = [{"messageId": m["MessageId"], "body": m["Body"]} for m in messages]
            consumer.sqs_handler({"Records": records})
            consumer.sqs_handler({"Records": records})
    finally:
        set_metrics_sink(None)
        sys.path.remove(str(REPO_ROOT / "generated"))
    log_lines = [
        normalised(line, result.event_id, result.producer_event_id)
        for line in logs.getvalue().splitlines()
    ]
    return log_lines, emf.getvalue().splitlines()


def normalised(line: str, event_id: str, producer_event_id: str | None) -> str:
    """A log line with the run's ids and timestamp replaced by the page's fixed ones, and
    otherwise exactly as JsonFormatter wrote it (same key order, same separators)."""
    entry = json.loads(line)
    entry["timestamp"] = SHOWN_TIMESTAMP
    if entry.get("event_id") == event_id:
        entry["event_id"] = SHOWN_EVENT_ID
    if producer_event_id is not None and entry.get("producer_event_id") == producer_event_id:
        entry["producer_event_id"] = SHOWN_PRODUCER_EVENT_ID
    return json.dumps(entry, ensure_ascii=False)


INTRO = """\
# Observability: logs, metrics and traces of the runtime

<!-- Generated by scripts/observability_docs.py (`make docs`); do not edit. -->

The runtime that generated producers and consumers call reports **every outcome of every event**
twice: as one structured log record and as one count in a metrics sink. When the producer runs in
a traced Lambda function, it also passes the X-Ray trace on to EventBridge.

## What one event looks like

The lines below are not written by hand: `scripts/observability_docs.py` starts a moto server
(EventBridge and SQS on 127.0.0.1), publishes one Order Created event with the generated
`mycompany_events.orders` package, and consumes it with a runtime `Consumer` as an
SQS-triggered Lambda function would, then once more as a redelivery. Only the event id and
the log timestamps are replaced by fixed values, so the page is the same on every run (a test
regenerates it and fails when it is stale).

The application configured this, and nothing else:

```python
import logging
from eventcontracts.runtime import EmfMetrics, JsonFormatter, set_metrics_sink

handler = logging.StreamHandler()
handler.setFormatter(JsonFormatter())
logging.getLogger("eventcontracts.runtime").addHandler(handler)
logging.getLogger("eventcontracts.runtime").setLevel(logging.INFO)
set_metrics_sink(EmfMetrics(namespace="EventContracts"))  # one EMF line per count, to stdout
```

### Log lines (JsonFormatter)

Published by the producer, handled by the consumer, and skipped when delivered again:

"""

MIDDLE = """
### Metric lines (CloudWatch Embedded Metric Format)

CloudWatch Logs turns each of these lines into a data point of the metric it names (namespace
`EventContracts`, dimensions `Source` and `DetailType`), with no `PutMetricData` call:

"""

REFERENCE = """
## Log records

Loggers: `eventcontracts.runtime.producer` and `eventcontracts.runtime.consumer` (both under
`eventcontracts.runtime`). Each record's fields are in `extra`, so any formatter can use them;
`JsonFormatter` writes them as top-level keys after `timestamp` (UTC), `level`, `logger` and
`message`, one JSON object per line, with an `exception` key when the record has one. It needs
no other setup, and formats the application's own records the same way.

Every outcome line has these fields (`null` when not known):

| field | what |
|---|---|
| `event_id` | EventBridge's event id (a producer knows it only once the event is accepted) |
| `producer_event_id` | the producer's own id: the same on every line of one event, redrives too |
| `source`, `detail_type` | the event's source and detail-type |
| `schema_version` | the version of the detail model published, or the one the consumer routed to |
| `correlation_id` | `detail.metadata.correlationId` |
| `outcome` | what happened, below |

| logger | `outcome` | level | extra fields | counter |
|---|---|---|---|---|
| producer | `published` | INFO | `attempts` | `published` |
| producer | `retried` | WARNING | `attempt` (the one that failed), `error` (code) | `retried` |
| producer | `sent_to_fallback` | WARNING | `attempts`, `error` (code) | `sent_to_fallback` |
| producer | `failed` | ERROR | `attempts`, `error` (code), `reason` | `failed` |
| consumer | `handled` | INFO | | `handled` |
| consumer | `duplicate_skipped` | INFO | | `duplicates_skipped` |
| consumer | `in_progress_retried` | INFO | | `duplicates_in_progress` |
| consumer | `handler_error` | ERROR | `error` (exception type), `error_message`, `error_location` | `handler_errors` |
| consumer | `dead_lettered` | WARNING | `problem`, `reason` | `dead_lettered` |
| consumer | `rejected` | WARNING | `problem`, `reason` | `rejected` |

`dead_lettered` means the event went to the consumer's `dead_letter` callback; `rejected` means
`InvalidEvent` was raised instead (`on_invalid="raise"`, or no callback), so the platform's
retries and dead-letter queue take over. `problem` is `invalid_body` (an SQS message that is
not a JSON object), `invalid_envelope`, `invalid_detail` (no registered version validates the
detail), `invalid_claim_check` (a claim-checked detail missing, tampered with or badly referred
to) or `no_handler`; all but `no_handler` also count one `validation_failures`.
`in_progress_retried` means another delivery of the event held its idempotency claim: this one
was not handled and is retried later (an SQS batch item failure, `EventInProgress` raised).

**The detail is never logged.** Events carry personal data (the example above has a customer's
e-mail and address); the lines name the event by id, source, detail-type, version and
correlation id, which is enough to find it in the bus's archive or the dead-letter queue. A
`reason` says where validation failed (a field's path and pydantic's message), never the value.
A handler's exception is logged as its type (`error`), where it was raised (`error_location`,
file, line and function) and its message with what looks like a value masked
(`error_message`: `customer CUST-58213 has no address at 12 Baker Street` becomes
`customer *** has no address at *** *** ***`; quoted text, words with digits, `@`, `/`, `=`
or `_`, and capitalised words after the first are masked). The masking is a heuristic (a
lowercase value survives), so keep values out of exception messages anyway;
`Consumer(log_exception_messages=True)` logs messages whole. The same applies to the line an
SQS entry point logs for a message left for redelivery and to what `lambda_handler` raises
(`HandlerFailed`, with the handler's traceback). An error that is not the handler's (the
idempotency store's or a claim check's AWS call failing) is not masked: it is its error code and
message (`AccessDeniedException: User: ... is not authorized to perform: dynamodb:PutItem ...`),
which name the operation and resource, never the event. Text from the event (a detail-type, a field
name in a `reason`) has its control characters escaped, so a line break in it cannot start a
forged line in a plain-text log.

## Metrics

`MetricsSink` is a protocol with one method, `count(name, value, dimensions)`; the runtime
calls it once per outcome with `value` 1 and the dimensions `{"Source": ..., "DetailType": ...}`.
A sink is given per producer (`ProducerSettings(metrics=sink)`, which the generated `publish`
passes on), per consumer (`Consumer(metrics=sink)`), or for the whole process with
`set_metrics_sink(sink)`; without one nothing is counted. A sink that raises is logged and
ignored: metrics never fail a publish or a handler.

Counters: `published`, `sent_to_fallback`, `failed`, `retried` (one per event per retry), `handled`,
`duplicates_skipped`, `duplicates_in_progress`, `dead_lettered`, `rejected`,
`validation_failures`, `handler_errors`.

Ready sinks:

- `EmfMetrics(namespace="EventContracts", dimensions=None, stream=None)` writes each count as
  one [Embedded Metric Format](https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)
  line to standard output (in Lambda, that is CloudWatch Logs): `_aws` holds `Timestamp` (ms),
  and `CloudWatchMetrics` with the `Namespace`, one dimension set and the metric (unit
  `Count`); the root holds the dimension values and the count. `dimensions` are added to every
  line, e.g. `{"Service": "fulfilment"}`. One line per count, not one per invocation, so a
  crash loses nothing.
- `InMemoryMetrics()` keeps every call (`calls`) and sums them (`totals()`), for tests.

Anything else (Prometheus, StatsD, OpenTelemetry, Powertools' `Metrics`) is a class with a
`count` method calling it.

## X-Ray

When `_X_AMZN_TRACE_ID` is set (Lambda sets it for each invocation of a traced function),
`publish` copies it into every PutEvents entry's `TraceHeader`, so X-Ray links the producer to
the rule targets. It is read at each call, because it changes between invocations, and left out
when absent or longer than the 500 characters the field allows. EventBridge does not count the
trace header toward an entry's size (the documented size is Source, DetailType, Detail,
Resources and 14 bytes for Time), so packing is unchanged. EventBridge does not put the header
in the event a target receives.
"""


def render() -> str:
    log_lines, emf_lines = run_one_event()
    return (
        INTRO
        + "```json\n"
        + "\n".join(log_lines)
        + "\n```\n"
        + MIDDLE
        + "```json\n"
        + "\n".join(emf_lines)
        + "\n```\n"
        + REFERENCE
    )


def main() -> None:
    PAGE.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
