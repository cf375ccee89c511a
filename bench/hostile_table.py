"""The hostile-input table: every command on every item of tests/hostile/, timed and weighed.

Prints one row per item and one column per command, each cell ``seconds/exit/peak MB`` (exit
-9: killed after tests/hostile_corpus.py's KILL_AFTER_S). Run it with
``.venv/bin/python bench/hostile_table.py`` (``--workers N``, ``--items a,b`` narrow it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

# tests/ holds the runner the test suite uses.
import hostile_corpus as corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--items", help="comma-separated item names (default: all)")
    args = parser.parse_args()
    items = args.items.split(",") if args.items else corpus.item_names()
    runs = {(run.item, run.command): run for run in corpus.run_all(items, workers=args.workers)}
    commands = list(corpus.COMMANDS)
    print("| item | " + " | ".join(commands) + " |")
    print("|---" * (len(commands) + 1) + "|")
    for item in items:
        cells = []
        for command in commands:
            run = runs.get((item, command))
            cells.append(
                "-" if run is None else f"{run.seconds:.1f}s/{run.exit_code}/{run.peak_mb:.0f}MB"
            )
        print(f"| {item} | " + " | ".join(cells) + " |")
    slowest = max(runs.values(), key=lambda run: run.seconds)
    heaviest = max(runs.values(), key=lambda run: run.peak_mb)
    print(
        f"\n{len(runs)} runs; slowest {slowest.item} / {slowest.command} "
        f"{slowest.seconds:.1f} s; heaviest {heaviest.item} / {heaviest.command} "
        f"{heaviest.peak_mb:.0f} MB (cell: seconds/exit code/peak MB; '-': not read by it)"
    )


if __name__ == "__main__":
    main()
