"""Benchmark: `sync plan` over the 1,000-schema x 5-version synthetic registry, unchanged.

Syncs the registry to an emulator once (timed too), then plans again with nothing to do and
prints how many calls the plan made and how long it took. An unchanged schema costs no read of
its own: one paginated ListSchemas tells the plan everything (a digest tag per schema).
Run it with `.venv/bin/python bench/sync_bench.py` (`--schemas 100` to try).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchlib import generate, table
from eventcontracts.emulator import Emulator
from eventcontracts.registry import load_registry
from eventcontracts.sync.apply import apply
from eventcontracts.sync.client import schemas_client
from eventcontracts.sync.plan import plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--schemas", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=5)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="evc-sync-bench-"))
    generate(out, args.schemas, args.versions, 7)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    with Emulator() as emulator:
        client = schemas_client(region="us-east-1", endpoint_url=emulator.endpoint_url)
        registry = load_registry(out / "registry")
        started = time.perf_counter()
        apply(plan(registry, "bench", client), client)
        first = time.perf_counter() - started

        calls: Counter[str] = Counter()
        client.meta.events.register(
            "before-call.schemas.*", lambda model, **_: calls.update([model.name])
        )
        started = time.perf_counter()
        again = plan(load_registry(out / "registry"), "bench", client)
        planned = time.perf_counter() - started
    print(f"registry: {args.schemas} schemas x {args.versions} versions")
    rows: list[tuple[str, str]] = [
        ("first sync (plan + apply), s", f"{first:.1f}"),
        ("plan with nothing to do, s (load included)", f"{planned:.2f}"),
        ("  writes planned", str(len(again.writes))),
        ("  schemas unchanged", str(again.unchanged)),
    ]
    rows += [(f"  {name} calls", str(count)) for name, count in sorted(calls.items())]
    table(rows)


if __name__ == "__main__":
    main()
