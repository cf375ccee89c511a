"""``eventcontracts rules test``: which bus rules each event version reaches.

For every version of every schema, ``count`` sample events are run through the matcher
against every (checkable) rule; a row counts the events each rule matches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventcontracts.patterns.matcher import flatten, match_flat
from eventcontracts.patterns.sources import BusRule
from eventcontracts.patterns.syntax import pattern_problems
from eventcontracts.registry.model import Registry, SchemaVersion

# Where the sample events come from: ``samples(version, count, seed)`` -> events. The CLI hands
# in the contract strategies' (eventcontracts.contract.rule_samples), which sit above patterns.
Samples = Callable[[SchemaVersion, int, int], list[dict[str, Any]]]


@dataclass
class MatrixRow:
    schema: str
    version: int
    events: int
    hits: dict[str, int] = field(default_factory=dict)  # rule display name -> events matched


@dataclass
class RoutingMatrix:
    rules: list[str]
    seed: int
    count: int
    rows: list[MatrixRow] = field(default_factory=list)
    # Rules left out: malformed, or built by template functions (``rules check`` says which).
    skipped: list[str] = field(default_factory=list)

    @property
    def unreached(self) -> list[str]:
        return [rule for rule in self.rules if not any(row.hits.get(rule) for row in self.rows)]


def routing_matrix(
    registry: Registry, rules: list[BusRule], samples: Samples, *, count: int, seed: int
) -> RoutingMatrix:
    usable = [r for r in rules if not r.unresolved and not pattern_problems(r.pattern)]
    label = _labels(rules)
    matrix = RoutingMatrix([label[id(r)] for r in usable], seed, count)
    matrix.skipped = [label[id(r)] for r in rules if r not in usable]
    for schema in sorted(registry.schemas.values(), key=lambda s: s.name):
        for version in schema.versions:
            events = [flatten(event) for event in samples(version, count, seed)]
            row = MatrixRow(schema.name, version.version, len(events))
            for rule in usable:
                row.hits[label[id(rule)]] = sum(match_flat(rule.pattern, event) for event in events)
            matrix.rows.append(row)
    return matrix


def _labels(rules: list[BusRule]) -> dict[int, str]:
    """Each rule's name, or ``file#name`` where two files have rules of the same name."""
    names = [rule.name for rule in rules]
    return {id(r): r.name if names.count(r.name) == 1 else r.display for r in rules}
