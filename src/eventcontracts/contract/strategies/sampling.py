"""Drawing a fixed list of examples from a strategy, the same list on every run.

Hypothesis' own engine draws them (a ``@given`` function run with ``@seed``, no example
database and only the generate phase), so the output depends on the seed alone, not on the
machine, the time or earlier runs; ``strategy.example()`` promises none of that.

Samples are for docs and local invocation, so they come from the strategies' realistic mode,
and the first draws are skipped: hypothesis starts with the simplest value the strategy can
make (every optional property left out, the first word, the lowest number), which is a fine
test case and a poor example.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from eventcontracts.errors import EventContractsError

if TYPE_CHECKING:
    from eventcontracts.contract.strategies.lookup import Target

# The simplest draws hypothesis makes first, skipped for samples.
SKIPPED_DRAWS = 2


def draw(strategy: st.SearchStrategy[Any], count: int, random_seed: int) -> list[Any]:
    """``count`` values of ``strategy``, determined by ``random_seed``."""
    drawn: list[Any] = []
    wanted = count + SKIPPED_DRAWS

    @settings(
        database=None,
        max_examples=wanted,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=False,
    )
    @seed(random_seed)
    @given(strategy)
    def collect(value: Any) -> None:
        if len(drawn) < wanted:
            drawn.append(value)

    collect()
    usable = drawn[SKIPPED_DRAWS:] or drawn
    # A schema with fewer distinct values than asked for: hypothesis stops early; repeat them.
    return [usable[index % len(usable)] for index in range(count)] if usable else []


def draw_or_refuse(
    target: Target, strategy: st.SearchStrategy[Any], count: int, random_seed: int
) -> list[Any]:
    """:func:`draw` for a command: a schema no value can be drawn for (``not`` of itself,
    nesting beyond what hypothesis follows) is one line naming the version, not a traceback."""
    try:
        return draw(strategy, count, random_seed)
    except (HypothesisException, RecursionError) as exc:
        raise cannot_draw(target, exc) from None


def cannot_draw(target: Target, exc: BaseException) -> EventContractsError:
    """The one line for a version no event can be drawn of (also where compiling its
    strategy recursed too deeply)."""
    version = target.version
    return EventContractsError(
        f"{version.path}: cannot draw an event of {version.schema_name} "
        f"v{version.version} ({type(exc).__name__}: the schema admits no value hypothesis can "
        "build, e.g. it contradicts itself or nests too deeply); run 'eventcontracts lint'"
    )
