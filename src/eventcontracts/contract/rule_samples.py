"""Sample events of a schema version for ``rules test``, which the CLI hands to it.

``rules test`` (:mod:`eventcontracts.patterns.matrix`) only needs a
:data:`~eventcontracts.patterns.matrix.Samples` callable, ``samples(version, count, seed)`` ->
events; this one gives the version's example events (registry ``examples/v<N>/*.json``) first,
then events drawn from the contract strategy of the version. Its exploring mode, not the
realistic one ``eventcontracts sample`` uses: boundary values (a total of 0 or of 10^9, an empty
list) are what decide whether a rule's ``numeric`` range or ``prefix`` is ever reached. It lives
here, not in ``patterns``, because the engines sit below contract testing (README:
Architecture).
"""

from __future__ import annotations

from typing import Any

from eventcontracts.contract.strategies import strategy_for
from eventcontracts.contract.strategies.sampling import draw_or_refuse
from eventcontracts.patterns.matrix import Samples
from eventcontracts.registry.model import SchemaVersion
from eventcontracts.registry.resolver import Resolver


def samples_for(resolver: Resolver) -> Samples:
    """The event generator ``rules test`` uses."""

    def samples(version: SchemaVersion, count: int, seed: int) -> list[dict[str, Any]]:
        events = [doc.content for doc in version.examples if isinstance(doc.content, dict)]
        events = events[:count]
        if len(events) < count:
            target, strategy = strategy_for(
                version.schema_name,
                version.version,
                resolver.registry,
                kind="event",
                realistic=False,
            )
            events += draw_or_refuse(target, strategy, count - len(events), seed)
        return events

    return samples
