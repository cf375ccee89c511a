"""Which bus rules route which versions: the schemas a rule's pattern targets, and how many of a
version's sample events it matches.

Both read the pattern the way ``rules check`` does (:mod:`eventcontracts.patterns`): a rule whose
pattern cannot be read before deployment, or is not a valid pattern, routes nothing here (its
entry on the site says why), so the site never claims a route EventBridge would not take.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventcontracts.catalog.model import RouteOnVersion
from eventcontracts.patterns.against_schema import targeted_by
from eventcontracts.patterns.matcher import matches
from eventcontracts.patterns.sources import BusRule
from eventcontracts.patterns.syntax import pattern_problems
from eventcontracts.registry.model import Registry, SchemaVersion


def targeted_schemas(rule: BusRule, registry: Registry) -> tuple[str, ...]:
    """The schema names whose source and detail-type the rule's pattern can match, sorted."""
    return tuple(sorted(schema.name for schema in targeted_by(rule, registry.schemas.values())))


def routes_on_version(
    rule_id: str, rule: BusRule, version: SchemaVersion, samples: Sequence[Any]
) -> RouteOnVersion:
    """How many of ``samples`` (whole events of ``version``) the rule's pattern matches."""
    readable = rule.unresolved is None and not pattern_problems(rule.pattern)
    matched = sum(1 for event in samples if matches(rule.pattern, event)) if readable else 0
    return RouteOnVersion(rule_id, version.version, matched, len(samples))
