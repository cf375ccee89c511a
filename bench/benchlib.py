"""What the benchmark scripts share: the synthetic registry and a table printer."""

from __future__ import annotations

# the synthetic registry of bench/lint_bench.py, and the envelope fields EventBridge requires
from lint_bench import ENVELOPE_REQUIRED, generate

__all__ = ["ENVELOPE_REQUIRED", "generate", "p95", "table"]


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95)]


def table(rows: list[tuple[str, str]]) -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value:>10}")
