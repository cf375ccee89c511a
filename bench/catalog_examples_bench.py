"""Benchmark: the catalog's generated event per version, built directly (no hypothesis).

On the synthetic registry of bench/lint_bench.py (1,000 schemas x 5 versions by default) it
calls ``eventcontracts.catalog.examples.generated_event`` once per version, in one process, the
way the catalog build does, and prints the versions given an event, the mean and p95 time per
version (cold: the first and only pass over each version, the version's validation included;
wall and CPU time),
and the same time split into phases on a second pass: reading the refs, inlining, building,
validating. Loading the registry is not counted.

Run it with `.venv/bin/python bench/catalog_examples_bench.py` (`--schemas 200` for a quicker
run, `--project DIR` for an existing project such as `--out` of lint_bench.py).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from benchlib import generate, p95, table
from eventcontracts.config import load_config
from eventcontracts.registry.loader import load_project_registry
from eventcontracts.registry.refs import VersionRefs
from eventcontracts.registry.resolver import Resolver, validator_class
from eventcontracts.samples.builder import Realistic
from eventcontracts.samples.event import (
    acceptor,
    envelope_values,
    generated_event,
    inline_event_schema,
)


def run(project: Path) -> None:
    registry = load_project_registry(load_config(start=project))
    resolver = Resolver(registry, allow_remote_refs=False)
    versions = registry.all_versions()
    times: list[float] = []
    given = 0
    cpu_started = time.process_time()
    for version in versions:
        started = time.perf_counter()
        event = generated_event(version, resolver)
        times.append(time.perf_counter() - started)
        given += event is not None
    cpu = time.process_time() - cpu_started
    phases = dict.fromkeys(("refs", "inline", "build", "validate"), 0.0)
    for version in versions:
        t0 = time.perf_counter()
        refs = VersionRefs(resolver, version)
        t1 = time.perf_counter()
        schema = inline_event_schema(refs)
        t2 = time.perf_counter()
        accepts = acceptor(validator_class(version))
        build = Realistic(seed="", accepts=accepts, given=envelope_values(version, schema))
        event = build.build(schema)
        t3 = time.perf_counter()
        resolver.event_validator(version).is_valid(event)
        t4 = time.perf_counter()
        for phase, seconds in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            phases[phase] += seconds
    count = len(versions)
    print(f"{project}: {count} versions")
    table(
        [
            ("with an event", f"{given}/{count}"),
            ("total s", f"{sum(times):.2f}"),
            ("mean ms/version", f"{statistics.fmean(times) * 1000:.3f}"),
            ("p95 ms/version", f"{p95(times) * 1000:.3f}"),
            # CPU time: what a busy shared machine does not add to.
            ("mean CPU ms/version", f"{cpu / count * 1000:.3f}"),
            *((f"  {name} ms (2nd pass)", f"{s / count * 1000:.3f}") for name, s in phases.items()),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemas", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--project", type=Path, help="an existing project (eventcontracts.toml)")
    args = parser.parse_args()
    if args.project:
        run(args.project)
        return
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder), args.schemas, args.versions, 7)
        run(Path(folder))


if __name__ == "__main__":
    main()
