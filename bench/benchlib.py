"""What the benchmark scripts share: the synthetic registry and a table printer."""

from __future__ import annotations

from lint_bench import generate  # the synthetic registry of bench/lint_bench.py

__all__ = ["generate", "p95", "table"]


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95)]


def table(rows: list[tuple[str, str]]) -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value:>10}")
