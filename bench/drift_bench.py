"""Benchmark: `eventcontracts drift` over 100,000 captured events of the example catalog.

The events are made from the example catalog's own sample events (registry/*/*/examples), as
an archive replay would hold them: every one with its own id and time, and its detail's
digits, timestamps and amounts drawn anew (so no two events are alike and no cache could
help); 5% have one detail field of the wrong type (they fit no version), 1% come from a
source no schema has. Schemas with two versions (OrderCreated, OrderPlaced) get events of
both. They are written as JSON Lines, gzipped, as a CloudWatch Logs export or a Firehose
object would be.

`python -m eventcontracts drift` then runs in a fresh process (start-up, loading the registry,
reading, checking every event against every version of its schema, the report), three
times; the figures are the wall times and the counts of the JSON report.

Run it with `.venv/bin/python bench/drift_bench.py` (`--events 20000` for a quicker run).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from benchlib import table

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3
INVALID_SHARE = 0.05
UNKNOWN_SHARE = 0.01
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, help="--jobs of drift (default: one per core)")
    parser.add_argument("--keep", action="store_true", help="keep the events file")
    args = parser.parse_args()

    out = Path(tempfile.mkdtemp(prefix="evc-drift-bench-"))
    events = out / "archive-replay.jsonl.gz"
    samples = _samples()
    _write(events, samples, args.events, random.Random(7))

    runs = [_run(events, args.jobs) for _ in range(RUNS)]
    best = min(runs, key=lambda run: run[0])
    report = best[1]
    print(
        f"{args.events:,} events ({events.stat().st_size / 1e6:.1f} MB gzipped) of "
        f"{len(samples)} sample events, {os.cpu_count()} cores"
    )
    rows = [
        ("drift, best s", f"{best[0]:.2f}"),
        ("drift, median s", f"{statistics.median(run[0] for run in runs):.2f}"),
        ("events fitting no version", f"{report['fits_none']:,}"),
        ("events with no schema", f"{report['unknown_events']:,}"),
    ]
    for schema in report["schemas"]:
        fits = ", ".join(f"v{v['version']} {v['fits']:,}" for v in schema["versions"])
        rows.append((f"  {schema['schema']}", f"{schema['events']:,}: {fits}"))
    table(rows)
    if not args.keep:
        events.unlink()
        out.rmdir()


def _samples() -> list[dict[str, Any]]:
    files = sorted((ROOT / "registry").glob("*/*/examples/v*/*.json"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in files]


def _write(path: Path, samples: list[dict[str, Any]], count: int, rng: random.Random) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        for _ in range(count):
            event = _varied(rng.choice(samples), rng)
            draw = rng.random()
            if draw < INVALID_SHARE:
                _break_one_field(event["detail"], rng)
            elif draw < INVALID_SHARE + UNKNOWN_SHARE:
                event["source"] = "com.mycompany.legacy"
            stream.write(json.dumps(event) + "\n")


def _varied(sample: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    event = json.loads(json.dumps(sample))
    event["id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    event["time"] = _timestamp(rng)
    event["detail"] = _vary(event["detail"], rng)
    return event


def _vary(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        return {key: _vary(inner, rng) for key, inner in value.items()}
    if isinstance(value, list):
        return [_vary(inner, rng) for inner in value]
    if isinstance(value, float):
        return round(value * rng.uniform(0.5, 1.5), 2)
    if isinstance(value, str):
        if _DATE_TIME.fullmatch(value):
            return _timestamp(rng)
        if _DATE.fullmatch(value):
            return _timestamp(rng)[:10]
        return re.sub(r"\d", lambda _: str(rng.randrange(10)), value)
    return value


def _break_one_field(detail: dict[str, Any], rng: random.Random) -> None:
    strings = [key for key, value in detail.items() if isinstance(value, str)]
    if strings:
        detail[rng.choice(strings)] = 12345
    else:
        detail[rng.choice(list(detail))] = "not what the schema says"


def _timestamp(rng: random.Random) -> str:
    seconds = rng.randrange(1_700_000_000, 1_800_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _run(events: Path, jobs: int | None) -> tuple[float, dict[str, Any]]:
    command = [sys.executable, "-m", "eventcontracts", "drift", str(events), "--format", "json"]
    if jobs:
        command += ["--jobs", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"drift failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, json.loads(done.stdout)


if __name__ == "__main__":
    main()
