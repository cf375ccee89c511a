"""Benchmark: `eventcontracts catalog build` on the 1,000-schema x 5-version synthetic registry.

The registry of bench/lint_bench.py, with a bus rule per schema (as bench/check_bench.py writes
them: its source, detail-type and a field of its latest version). `python -m eventcontracts
catalog build` runs in a fresh process each time (start-up, loading, every version pair through
the compatibility engine, every page), bytecode caches allowed as a user's install has them,
three times into a fresh folder each; the figures are the wall times (best, median), the
phases of the best run (EVENTCONTRACTS_TIMINGS), and the site's file count and size.

Run it with `.venv/bin/python bench/catalog_bench.py` (`--schemas 200` for a quicker run).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import generate, table
from check_bench import _write_bus_rules as write_bus_rules

RUNS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--schemas", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--jobs", type=int, help="--jobs of the build (default: its own)")
    parser.add_argument("--keep", action="store_true", help="keep the registry and the site")
    args = parser.parse_args()

    out = Path(tempfile.mkdtemp(prefix="evc-catalog-bench-"))
    stats = generate(out, args.schemas, args.versions, 7)
    rules = write_bus_rules(out, [(p.source, p.detail_type, p.files[-1]) for p in stats.plans])

    runs: list[tuple[float, dict[str, float], str]] = []
    for _ in range(RUNS):
        shutil.rmtree(out / "site", ignore_errors=True)  # a CI job builds into a fresh folder
        runs.append(_build(out, args.jobs))
    best = min(runs, key=lambda run: run[0])
    files, size = _size(out / "site")

    print(
        f"registry: {args.schemas} schemas x {args.versions} versions, {rules} bus rules "
        f"at {out} ({os.cpu_count()} cores)"
    )
    print(f"  {best[2]}")
    rows = [
        ("catalog build, best s", f"{best[0]:.2f}"),
        ("catalog build, median s", f"{statistics.median(run[0] for run in runs):.2f}"),
    ]
    rows += [(f"  {phase} s (best run)", f"{seconds:.2f}") for phase, seconds in best[1].items()]
    rows += [
        ("site files", f"{files:,}"),
        ("site MB", f"{size / 1e6:.1f}"),
        ("average file KB", f"{size / max(files, 1) / 1e3:.1f}"),
    ]
    table(rows)
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)


def _build(cwd: Path, jobs: int | None) -> tuple[float, dict[str, float], str]:
    """One `catalog build` in a fresh process: its wall time, phases and summary line."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["EVENTCONTRACTS_TIMINGS"] = "1"
    command = [sys.executable, "-m", "eventcontracts", "catalog", "build"]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"catalog build exited {result.returncode}: {result.stdout}{result.stderr}")
    phases = {}
    for line in result.stderr.splitlines():  # "timing: <phase> <seconds>s"
        if line.startswith("timing: "):
            phase, _, seconds = line.removeprefix("timing: ").rpartition(" ")
            phases[phase] = float(seconds.rstrip("s"))
    return elapsed, phases, result.stdout.strip()


def _size(site: Path) -> tuple[int, int]:
    files = [path for path in site.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


if __name__ == "__main__":
    main()
