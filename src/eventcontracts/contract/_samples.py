"""``eventcontracts sample``'s events: built by the samples engine, hypothesis as the fallback.

Event ``i`` of seed ``S`` is the samples engine's seeded build
(:meth:`eventcontracts.samples.event.EventBuilder.seeded`): the schema's examples, defaults and
consts first, values that read like production, every choice drawn from a ``random.Random``
seeded by (S, i, schema, version), validated by the version's validator. Where the builder
makes no valid event (a schema it cannot read, ``oneOf`` options it cannot tell apart), that
one event is drawn from the contract strategies' realistic mode instead, with a seed derived
from (S, i): ``sample`` answers on any schema, and the same on every run and machine.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from eventcontracts.contract.strategies.lookup import RegistryLike, find_target, no_detail
from eventcontracts.samples.event import EventBuilder

if TYPE_CHECKING:
    from hypothesis import strategies as st


def sample_events(
    schema: str, version: int | None, *, count: int, seed: int, registry: RegistryLike
) -> list[dict[str, Any]]:
    target = find_target(schema, version, registry)
    if target.version.detail_pointer is None:
        raise no_detail(target.version)
    builder = EventBuilder.of(target.version, target.resolver)
    fallback: st.SearchStrategy[Any] | None = None
    events = []
    for index in range(count):
        event = None if builder is None else builder.seeded(seed, index)
        if event is None:
            from eventcontracts.contract.strategies import strategy_for
            from eventcontracts.contract.strategies.sampling import draw_or_refuse

            if fallback is None:
                _, fallback = strategy_for(
                    schema, version, registry, kind="event", realistic=True
                )
            (event,) = draw_or_refuse(target, fallback, 1, fallback_seed(seed, index))
        events.append(event)
    return events


def fallback_seed(seed: int, index: int) -> int:
    """The hypothesis seed of event ``index`` of ``seed`` where the builder makes none."""
    return random.Random(f"eventcontracts-sample:{seed}:{index}:fallback").getrandbits(64)
