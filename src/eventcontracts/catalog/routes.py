"""Which bus rules route which versions (STUB: replaced by the rules part)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventcontracts.catalog.model import RouteOnVersion
from eventcontracts.patterns.sources import BusRule
from eventcontracts.registry.model import Registry, SchemaVersion


def targeted_schemas(rule: BusRule, registry: Registry) -> tuple[str, ...]:
    """The schema names whose source and detail-type the rule's pattern can match, sorted."""
    raise NotImplementedError


def routes_on_version(
    rule_id: str, rule: BusRule, version: SchemaVersion, samples: Sequence[Any]
) -> RouteOnVersion:
    """How many of ``samples`` (whole events of ``version``) the rule's pattern matches."""
    raise NotImplementedError
