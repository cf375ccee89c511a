"""Benchmark: the compatibility engine on Confluent's conformance suites and a large registry.

What it prints:

1. The conformance suites (../shared/conformance/confluent-json-schema/, when present): for
   each case, BACKWARD under strict and lenient, verdicts matched, cases whose change types
   equal Confluent's, time per comparison; then the same with counterexamples, how many breaks
   got one and that every one is confirmed by jsonschema.
2. The synthetic registry of bench/lint_bench.py (1,000 schemas x 5 versions by default):
   every pair of consecutive versions compared FULL + lenient, the median and p95 time of one
   pair in one process, and the time per pair when every core compares pairs.

Run it with `.venv/bin/python bench/compat_bench.py` (`--schemas 200` for a quicker run).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import jsonschema

from eventcontracts.compat import compare, compare_inputs
from eventcontracts.compat.inputs import from_version
from eventcontracts.registry import Resolver, load_registry

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
    _table(
        [
            ("cases", str(len(cases))),
            ("verdicts matched", f"{matched}/{len(cases)}"),
            ("same change types as Confluent", f"{same_types}/{len(cases)}"),
            ("median ms per comparison", f"{statistics.median(times) * 1000:.3f}"),
            ("p95 ms per comparison", f"{_p95(times) * 1000:.3f}"),
        ]
    )
    started = time.perf_counter()
    breaks = proven = confirmed = 0
    for case in cases:
        original, update = case["original_schema"], case["update_schema"]
        for policy in ("strict", "lenient"):
            report = compare(original, update, "BACKWARD", policy)
            for change in report.breaking_changes:
                breaks += 1
                if change.counterexample is None:
                    continue
                proven += 1
                event = change.counterexample["event"]
                confirmed += _validator(original).is_valid(event) and not _validator(
                    update
                ).is_valid(event)
    _table(
        [
            ("breaking changes (strict + lenient)", str(breaks)),
            ("with a counterexample", str(proven)),
            ("counterexamples confirmed by jsonschema", str(confirmed)),
            ("seconds, with counterexamples", f"{time.perf_counter() - started:.2f}"),
        ]
    )


def registry(schemas: int, versions: int, jobs: int) -> None:
    lint_bench = _load_lint_bench()
    out = Path(tempfile.mkdtemp(prefix="evc-compat-bench-"))
    lint_bench.generate(out, schemas, versions, 7)
    loaded = load_registry(out / "registry")
    resolver = Resolver(loaded)
    pairs = [
        (old, new)
        for schema in loaded.schemas.values()
        for old, new in zip(schema.versions, schema.versions[1:], strict=False)
    ]
    times = _time_pairs(resolver, pairs)
    times = _time_pairs(resolver, pairs)  # warm: the first pass also reads the documents
    _SHARED.update(resolver=resolver, pairs=pairs)  # before the fork: workers inherit it
    gc.freeze()  # keep the collector from touching (and so copying) the inherited heap
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        chunks = [list(range(i, len(pairs), jobs)) for i in range(jobs)]
        incompatible = sum(pool.map(_compare_chunk, chunks))
    parallel = time.perf_counter() - started
    print(f"synthetic registry: {schemas} schemas x {versions} versions (FULL, lenient)")
    _table(
        [
            ("version pairs", str(len(pairs))),
            ("incompatible pairs", str(incompatible)),
            ("median ms per pair, one process", f"{statistics.median(times) * 1000:.3f}"),
            ("p95 ms per pair, one process", f"{_p95(times) * 1000:.3f}"),
            (f"ms per pair, {jobs} processes", f"{parallel / len(pairs) * 1000:.3f}"),
        ]
    )


_SHARED: dict[str, Any] = {}


def _compare_chunk(indexes: list[int]) -> int:
    resolver, pairs = _SHARED["resolver"], _SHARED["pairs"]
    incompatible = 0
    for index in indexes:
        old, new = pairs[index]
        report = compare_inputs(from_version(old, resolver), from_version(new, resolver))
        incompatible += not report.compatible
    return incompatible


def _time_pairs(resolver: Resolver, pairs: list[tuple[Any, Any]]) -> list[float]:
    times = []
    for old, new in pairs:
        started = time.perf_counter()
        compare_inputs(from_version(old, resolver), from_version(new, resolver))
        times.append(time.perf_counter() - started)
    return times


def _rule(rule_id: str) -> Any:
    from eventcontracts.compat.rules import BY_NAME

    return BY_NAME[rule_id]


def _validator(schema: Any) -> Any:
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
    return cls(schema, format_checker=jsonschema.FormatChecker())


def _load_lint_bench() -> Any:
    spec = importlib.util.spec_from_file_location("lint_bench", ROOT / "bench" / "lint_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["lint_bench"] = module
    spec.loader.exec_module(module)
    return module


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95)]


def _table(rows: list[tuple[str, str]]) -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value:>10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--schemas", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    conformance()
    registry(args.schemas, args.versions, args.jobs)


if __name__ == "__main__":
    main()
