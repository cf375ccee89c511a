"""Counters of event outcomes, through a hook an application plugs its metrics system into.

The runtime calls :meth:`MetricsSink.count` once per outcome of one event (published, retried,
handled, dead-lettered, ...) with the event's source and detail-type as dimensions. A sink is
given per producer (``ProducerSettings(metrics=...)``) or consumer (``Consumer(metrics=...)``),
or once for the whole process with :func:`set_metrics_sink`; without one, nothing is counted.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Protocol, TextIO

# The counter names, stable: dashboards and alarms are built on them.
PUBLISHED = "published"
FAILED = "failed"
SENT_TO_FALLBACK = "sent_to_fallback"
RETRIED = "retried"
HANDLED = "handled"
DUPLICATES_SKIPPED = "duplicates_skipped"
DUPLICATES_IN_PROGRESS = "duplicates_in_progress"
DEAD_LETTERED = "dead_lettered"
REJECTED = "rejected"
VALIDATION_FAILURES = "validation_failures"
HANDLER_ERRORS = "handler_errors"

Dimensions = Mapping[str, str]


class MetricsSink(Protocol):
    """Where the runtime sends its counters: any object with this one method.

    ``name`` is one of the counter names above, ``value`` how many events (1 today), and
    ``dimensions`` says which events: ``{"Source": ..., "DetailType": ...}``. It is called on the
    thread that published or handled the event, so it should not block for long.
    """

    def count(self, name: str, value: int, dimensions: Dimensions) -> None: ...


_default_sink: MetricsSink | None = None


def set_metrics_sink(sink: MetricsSink | None) -> None:
    """Send the counters of every producer and consumer without a sink of its own to ``sink``
    (None stops counting)."""
    global _default_sink
    _default_sink = sink


def sink_for(explicit: MetricsSink | None) -> MetricsSink | None:
    """The sink a producer or consumer uses: its own, else the process-wide one."""
    return explicit if explicit is not None else _default_sink


class InMemoryMetrics:
    """Keeps every count in memory: for tests, and for reading the totals at the end of a job."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, dict[str, str]]] = []
        self._lock = threading.Lock()

    def count(self, name: str, value: int, dimensions: Dimensions) -> None:
        with self._lock:
            self.calls.append((name, value, dict(dimensions)))

    def totals(self) -> dict[str, int]:
        """Each counter's total over all dimensions; counters never incremented are absent."""
        totals: Counter[str] = Counter()
        with self._lock:
            for name, value, _ in self.calls:
                totals[name] += value
        return dict(totals)


class EmfMetrics:
    """Writes each count as one CloudWatch Embedded Metric Format line.

    In Lambda (or with the CloudWatch agent) a log line of this shape becomes a metric, without
    any PutMetricData call: ``_aws`` names the namespace, the dimension set and the metric, and
    the root holds the dimension values and the metric's value. One line per count keeps a crash
    from losing counts buffered in memory; CloudWatch sums them.

    ``dimensions`` are added to every line (a ``Service`` name, say); ``stream`` defaults to
    standard output, which Lambda sends to CloudWatch Logs. ``clock`` (seconds since the epoch)
    is here so documentation and tests can fix the timestamp.
    """

    def __init__(
        self,
        namespace: str = "EventContracts",
        dimensions: Dimensions | None = None,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not namespace:
            raise ValueError("namespace must not be empty")
        self.namespace = namespace
        self.dimensions = dict(dimensions or {})
        self._stream = stream
        self._clock = clock
        self._lock = threading.Lock()

    def count(self, name: str, value: int, dimensions: Dimensions) -> None:
        line = json.dumps(self.document(name, value, dimensions), separators=(",", ":"))
        stream = self._stream if self._stream is not None else sys.stdout
        with self._lock:  # one whole line at a time, even from several threads
            stream.write(line + "\n")
            stream.flush()

    def document(self, name: str, value: int, dimensions: Dimensions) -> dict[str, object]:
        """The EMF document for one count: metadata under ``_aws``, values at the root."""
        values = {**self.dimensions, **dimensions}
        return {
            "_aws": {
                "Timestamp": int(self._clock() * 1000),
                "CloudWatchMetrics": [
                    {
                        "Namespace": self.namespace,
                        "Dimensions": [list(values)],
                        "Metrics": [{"Name": name, "Unit": "Count"}],
                    }
                ],
            },
            **values,
            name: value,
        }
