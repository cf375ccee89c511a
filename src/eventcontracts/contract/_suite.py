"""What a team declares for its contract tests: the registry, its producers and its consumers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

# Types only: the pytest plugin imports this module at every pytest start.
if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from eventcontracts.runtime import Consumer

ProducerFn = TypeVar("ProducerFn", bound=Callable[..., Any])


@dataclass(frozen=True)
class ProducerBinding:
    """A function that builds events of one schema version, and the inputs to call it with."""

    name: str
    schema: str
    version: int | None
    function: Callable[..., Any]
    inputs: SearchStrategy[Any] | None


@dataclass(frozen=True)
class ConsumerBinding:
    """A runtime :class:`~eventcontracts.runtime.Consumer` and the name its failures go by."""

    name: str
    consumer: Consumer


class ContractSuite:
    """The contract tests of one registry, collected by the eventcontracts pytest plugin.

    Assign one to a name in a test module and pytest collects, for every schema version of the
    registry: generated events that validate and round-trip through the generated model, the
    sample events of ``examples/``, and each producer and consumer declared here::

        from eventcontracts.contract import ContractSuite

        catalog = ContractSuite()            # the eventcontracts.toml above this file

        @catalog.producer("com.mycompany.orders@OrderCreated", inputs=st.builds(Cart))
        def order_created(cart: Cart) -> OrderCreated: ...

        catalog.consumer(shipping.consumer, name="shipping")

    ``project`` is the folder holding ``eventcontracts.toml`` (or the file itself), relative to
    the test module; by default the nearest one above it. ``models`` is the generated package to
    round-trip events through (default: ``[codegen] package``); ``False`` skips that check.
    ``max_examples`` is how many events each property check draws.
    """

    def __init__(
        self,
        project: str | Path | None = None,
        *,
        models: str | Literal[False] | None = None,
        max_examples: int = 25,
    ) -> None:
        self.project = Path(project) if project is not None else None
        self.models = models
        self.max_examples = max_examples
        self.producers: list[ProducerBinding] = []
        self.consumers: list[ConsumerBinding] = []

    def producer(
        self,
        schema: str,
        version: int | None = None,
        *,
        inputs: SearchStrategy[Any] | None = None,
    ) -> Callable[[ProducerFn], ProducerFn]:
        """Declare the decorated function a producer of ``schema`` (latest version by default).

        It is called with one value drawn from ``inputs`` (or with no argument) and returns what
        it would publish: a generated detail model, a detail dict, a whole event, or a
        PutEvents entry (``{"Source":..., "DetailType":..., "Detail": "<json>"}``), or a list.
        """

        def register(function: ProducerFn) -> ProducerFn:
            name = getattr(function, "__name__", repr(function))
            self.producers.append(ProducerBinding(name, schema, version, function, inputs))
            return function

        return register

    def consumer(self, consumer: Consumer, *, name: str | None = None) -> Consumer:
        """Declare a consumer: it must handle every version its handlers' schemas keep live."""
        self.consumers.append(
            ConsumerBinding(name or f"consumer{len(self.consumers) + 1}", consumer)
        )
        return consumer
