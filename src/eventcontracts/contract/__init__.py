"""Contract testing: hypothesis strategies of the events a schema version allows, and the
:class:`ContractSuite` the pytest plugin turns into tests.

.. code-block:: python

    from hypothesis import given
    from eventcontracts.contract import events

    @given(events("com.mycompany.orders@OrderCreated", version=2))
    def test_handler_reads_every_order(event):
        handler(event, None)

``events`` draws whole EventBridge events (envelope and detail), ``details`` only the detail,
``sample_events`` a reproducible list of realistic events (what ``eventcontracts sample``
prints). ``registry`` is a loaded :class:`~eventcontracts.registry.Registry`, a registry
folder, a project folder with ``eventcontracts.toml``, or ``None``: the ``eventcontracts.toml``
found from the working folder upwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventcontracts.contract._live import live_versions
from eventcontracts.contract._suite import ContractSuite

if TYPE_CHECKING:
    from hypothesis import strategies as st

    from eventcontracts.contract.strategies import RegistryLike

# The strategies are imported when first asked for, not with the package: the pytest plugin
# imports this package while pytest starts, and hypothesis-jsonschema reads hypothesis' unicode
# tables on import, which hypothesis warns about (and which would slow every pytest start-up).

__all__ = ["ContractSuite", "details", "events", "live_versions", "sample_events"]


def events(
    schema: str, version: int | None = None, *, registry: RegistryLike = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Whole events of ``schema`` (``source@Name``, or the bare name when only one source has
    it) at ``version`` (default: the latest), each valid for that version."""
    from eventcontracts.contract.strategies import strategy_for

    return strategy_for(schema, version, registry, kind="event", realistic=False)[1]


def details(
    schema: str, version: int | None = None, *, registry: RegistryLike = None
) -> st.SearchStrategy[dict[str, Any]]:
    """The ``detail`` of events of ``schema`` at ``version``, each valid for that version."""
    from eventcontracts.contract.strategies import strategy_for

    return strategy_for(schema, version, registry, kind="detail", realistic=False)[1]


def sample_events(
    schema: str,
    version: int | None = None,
    *,
    count: int = 1,
    seed: int = 0,
    registry: RegistryLike = None,
) -> list[dict[str, Any]]:
    """``count`` realistic events of ``schema`` at ``version``: the same ones for the same
    ``seed`` and registry, on every run and machine. Built from the schema (its examples,
    defaults and consts first, values that read like production), hypothesis where the
    builder makes none."""
    from eventcontracts.contract._samples import sample_events as build
    from eventcontracts.errors import EventContractsError
    from eventcontracts.safe_regex import RegexBudgetExceeded

    if count < 0:
        raise ValueError("count must not be negative")
    try:
        return build(schema, version, count=count, seed=seed, registry=registry) if count else []
    except RegexBudgetExceeded as exc:  # a hostile pattern: one line, exit 2, not a hang
        raise EventContractsError(f"{schema}: cannot be sampled safely: {exc}") from None
