"""Benchmark: the compatibility engine on Confluent's conformance suites and a large registry.

What it prints:

1. The conformance suites (../shared/conformance/confluent-json-schema/, when present): for
   each case, BACKWARD under strict and lenient, verdicts matched, cases whose change types
   equal Confluent's, time per comparison; then the same with counterexamples, how many breaks
   got one and that every one is confirmed by jsonschema, and per breaking pair (a case under
   one policy whose verdict is breaking) the median and p99 time of the verdict alone and of
   the verdict with its counterexamples (best of three runs each, after a warm-up that imports
   hypothesis: a process pays that once).
2. The synthetic registry of bench/lint_bench.py (1,000 schemas x 5 versions by default):
   every pair of consecutive versions compared FULL + lenient, the median and p95 time of one
   pair in one process, and with one process per core (each loading its shard of the
   registry, as lint does) the median per pair and the wall time per pair. Documents are read
   and their views built before the timing, and each figure is the best of three passes
   (noise on a shared machine only ever adds time): the figures are the engine's.

Run it with `.venv/bin/python bench/compat_bench.py` (`--schemas 200` for a quicker run).
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import jsonschema

from benchlib import generate, p95, table
from eventcontracts.compat import compare, compare_inputs
from eventcontracts.compat.inputs import from_version
from eventcontracts.registry import Resolver, load_registry
from eventcontracts.registry.loader import Shard

ROOT = Path(__file__).resolve().parents[1]
SUITES = ROOT.parent / "shared" / "conformance" / "confluent-json-schema"


def conformance() -> None:
    cases = [
        case
        for path in sorted(SUITES.glob("*.json"))
        for case in json.loads(path.read_text(encoding="utf-8"))
    ]
    if not cases:
        print(f"conformance suites: not found at {SUITES}")
        return
    times: list[float] = []
    matched = same_types = 0
    for case in cases:
        original, update = case["original_schema"], case["update_schema"]
        started = time.perf_counter()
        strict = compare(original, update, "BACKWARD", "strict", counterexamples=False)
        times.append(time.perf_counter() - started)
        lenient = compare(original, update, "BACKWARD", "lenient", counterexamples=False)
        expected_lenient = case.get("compatible_lenient", case["compatible"])
        matched += strict.compatible == case["compatible"] and lenient.compatible == (
            expected_lenient
        )
        ours = {
            rule.confluent
            for difference in strict.found["BACKWARD"]
            if (rule := _rule(difference.rule)).confluent
        }
        theirs = {change.split()[0] for change in case["changes"]}
        same_types += ours == theirs
    print("conformance suites (Confluent json-schema-provider, 4 files)")
    table(
        [
            ("cases", str(len(cases))),
            ("verdicts matched", f"{matched}/{len(cases)}"),
            ("same change types as Confluent", f"{same_types}/{len(cases)}"),
            ("median ms per comparison", f"{statistics.median(times) * 1000:.3f}"),
            ("p95 ms per comparison", f"{p95(times) * 1000:.3f}"),
        ]
    )
    started = time.perf_counter()
    breaks = proven = confirmed = 0
    verdicts: list[float] = []
    proofs: list[float] = []
    _warm_up()
    for case in cases:
        original, update = case["original_schema"], case["update_schema"]
        for policy in ("strict", "lenient"):
            report = compare(original, update, "BACKWARD", policy)
            if not report.compatible:
                pair = functools.partial(compare, original, update, "BACKWARD", policy)
                verdicts.append(_best(functools.partial(pair, counterexamples=False)))
                proofs.append(_best(pair))
            for change in report.breaking_changes:
                breaks += 1
                if change.counterexample is None:
                    continue
                proven += 1
                event = change.counterexample["event"]
                confirmed += _validator(original).is_valid(event) and not _validator(
                    update
                ).is_valid(event)
    table(
        [
            ("breaking changes (strict + lenient)", str(breaks)),
            ("with a counterexample", str(proven)),
            ("counterexamples confirmed by jsonschema", str(confirmed)),
            ("seconds, with counterexamples", f"{time.perf_counter() - started:.2f}"),
            ("breaking pairs (case x policy)", str(len(proofs))),
            (
                "median ms per breaking pair, verdict only",
                f"{statistics.median(verdicts) * 1000:.3f}",
            ),
            ("p99 ms per breaking pair, verdict only", f"{p99(verdicts) * 1000:.3f}"),
            (
                "median ms per breaking pair, with counterexamples",
                f"{statistics.median(proofs) * 1000:.3f}",
            ),
            ("p99 ms per breaking pair, with counterexamples", f"{p99(proofs) * 1000:.3f}"),
            ("max ms per breaking pair, with counterexamples", f"{max(proofs) * 1000:.3f}"),
        ]
    )


def _warm_up() -> None:
    """Import hypothesis and hypothesis-jsonschema (a second or so, once per process)."""
    compare(
        {"type": "object"},
        {"type": "object", "dependencies": {"a": {"type": "string"}}},
        "BACKWARD",
    )


def _best(run: Any, times: int = 3) -> float:
    """The best of ``times`` runs: noise on a shared machine only ever adds time."""
    best = float("inf")
    for _ in range(times):
        begun = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - begun)
    return best


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def registry(schemas: int, versions: int, jobs: int) -> None:
    out = Path(tempfile.mkdtemp(prefix="evc-compat-bench-"))
    generate(out, schemas, versions, 7)
    root = out / "registry"
    single = _compare_shard((root, 0, 1))
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        shards = pool.map(_compare_shard, [(root, index, jobs) for index in range(jobs)])
    pairs = sum(len(shard["times"]) for shard in shards)
    busiest = max(shard["seconds"] for shard in shards)
    times = [t for shard in shards for t in shard["times"]]
    print(f"synthetic registry: {schemas} schemas x {versions} versions (FULL, lenient)")
    table(
        [
            ("version pairs", str(pairs)),
            ("incompatible pairs", str(sum(shard["incompatible"] for shard in shards))),
            ("median ms per pair, one process", f"{statistics.median(single['times']) * 1000:.3f}"),
            ("p95 ms per pair, one process", f"{p95(single['times']) * 1000:.3f}"),
            (f"median ms per pair, {jobs} processes", f"{statistics.median(times) * 1000:.3f}"),
            (f"ms per pair on {jobs} cores (wall)", f"{busiest / pairs * 1000:.3f}"),
        ]
    )


def _compare_shard(job: tuple[Path, int, int]) -> dict[str, Any]:
    """Load one shard of the registry and compare its version pairs, as `check` will."""
    root, index, count = job
    loaded = load_registry(root, shard=Shard(index, count))
    resolver = Resolver(loaded)
    pairs = [
        (old, new)
        for schema in loaded.schemas.values()
        for old, new in zip(schema.versions, schema.versions[1:], strict=False)
    ]
    for old, new in pairs:  # warm up: the first pass also builds the documents' views
        compare_inputs(from_version(old, resolver), from_version(new, resolver))
    # Best of three passes, per pair and for the whole: the machine's noise only adds time.
    times = [float("inf")] * len(pairs)
    seconds = float("inf")
    incompatible = 0
    for _ in range(PASSES):
        incompatible = 0
        started = time.perf_counter()
        for index, (old, new) in enumerate(pairs):
            begun = time.perf_counter()
            report = compare_inputs(from_version(old, resolver), from_version(new, resolver))
            times[index] = min(times[index], time.perf_counter() - begun)
            incompatible += not report.compatible
        seconds = min(seconds, time.perf_counter() - started)
    return {"times": times, "seconds": seconds, "incompatible": incompatible}


PASSES = 3


def _rule(rule_id: str) -> Any:
    from eventcontracts.compat.rules import BY_NAME

    return BY_NAME[rule_id]


def _validator(schema: Any) -> Any:
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
    return cls(schema, format_checker=jsonschema.FormatChecker())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--schemas", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--conformance-only", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    conformance()
    if not args.conformance_only:
        registry(args.schemas, args.versions, args.jobs)


if __name__ == "__main__":
    main()
