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

from eventcontracts.contract.strategies.lookup import (
    RegistryLike,
    Target,
    find_target,
    no_detail,
)
from eventcontracts.errors import EventContractsError
from eventcontracts.samples.builder import TooLarge
from eventcontracts.samples.event import EventBuilder

if TYPE_CHECKING:
    from hypothesis import strategies as st


def sample_events(
    schema: str, version: int | None, *, count: int, seed: int, registry: RegistryLike
) -> list[dict[str, Any]]:
    target = find_target(schema, version, registry)
    if target.version.detail_pointer is None:
        raise no_detail(target.version)
    builder = _builder(target)
    fallback: st.SearchStrategy[Any] | None = None
    events = []
    for index in range(count):
        event = None if builder is None else builder.seeded(seed, index)
        if event is None:
            from eventcontracts.contract.strategies import strategy_for
            from eventcontracts.contract.strategies.sampling import cannot_draw, draw_or_refuse

            if fallback is None:
                try:
                    _, fallback = strategy_for(
                        schema, version, registry, kind="event", realistic=True
                    )
                except RecursionError as exc:  # nesting beyond what the compiler follows
                    raise cannot_draw(target, exc) from None
            (event,) = draw_or_refuse(target, fallback, 1, fallback_seed(seed, index))
        events.append(event)
    return events


def fallback_seed(seed: int, index: int) -> int:
    """The hypothesis seed of event ``index`` of ``seed`` where the builder makes none."""
    return random.Random(f"eventcontracts-sample:{seed}:{index}:fallback").getrandbits(64)


def _builder(target: Target) -> EventBuilder | None:
    """The version's event builder; None where it cannot read the schema (hypothesis then
    draws every event). A schema whose refs expand beyond any example is refused: hypothesis
    would expand them too, without a bound."""
    version = target.version
    try:
        return EventBuilder.create(version, target.resolver, every_ref=True)
    except TooLarge as exc:
        raise EventContractsError(
            f"{version.path}: cannot sample {version.schema_name} v{version.version}: {exc} "
            "(its $refs expand beyond any event); run 'eventcontracts lint'"
        ) from None
    except Exception:  # RecursionError, an unresolvable ref, a schema jsonschema cannot read:
        return None  # hypothesis tries, and names what stops it
