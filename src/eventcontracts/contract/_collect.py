"""The collectors and items the pytest plugin makes of a ContractSuite (see plugin.py).

Imported only once a test module holds a ContractSuite, so a pytest run without one never pays
for hypothesis, pydantic and the registry code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from eventcontracts.contract import _checks, events
from eventcontracts.contract._catalog import Catalog, generated_models
from eventcontracts.contract._collect_options import MAX_EXAMPLES_OPTION, RANDOMIZE_OPTION
from eventcontracts.contract._live import live_versions
from eventcontracts.contract._suite import ConsumerBinding, ContractSuite, ProducerBinding
from eventcontracts.errors import EventContractsError
from eventcontracts.registry import Schema, SchemaVersion


class SuiteCollector(pytest.Collector):
    """The tests of one ContractSuite: one child per schema of its registry."""

    def __init__(self, *, suite: ContractSuite, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.suite = suite

    def collect(self) -> Iterable[pytest.Item | pytest.Collector]:
        context = _Context.build(self)
        for name in sorted(context.catalog.registry.schemas):
            schema = context.catalog.registry.schemas[name]
            yield SchemaCollector.from_parent(self, name=name, schema=schema, context=context)
        for consumer, key in context.unknown_events():
            yield ContractItem.from_parent(
                self,
                name=f"consumer[{consumer.name}]",
                check=_fail(
                    f"consumer {consumer.name} has a handler for source {key[0]!r} / "
                    f"detail-type {key[1]!r}, which no schema of the registry has"
                ),
            )

    def repr_failure(  # type: ignore[override]
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str | Any:
        if isinstance(excinfo.value, EventContractsError):
            return f"eventcontracts: {excinfo.value}"
        return super().repr_failure(excinfo)


class SchemaCollector(pytest.Collector):
    def __init__(self, *, schema: Schema, context: _Context, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schema, self.context = schema, context

    def collect(self) -> Iterable[pytest.Item | pytest.Collector]:
        for version in self.schema.versions:
            yield VersionCollector.from_parent(
                self, name=f"v{version.version}", version=version, context=self.context
            )


class VersionCollector(pytest.Collector):
    """The checks of one schema version."""

    def __init__(self, *, version: SchemaVersion, context: _Context, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.version, self.context = version, context

    def collect(self) -> Iterable[pytest.Item]:
        version, context = self.version, self.context
        yield self._item("generated-events", context.generated_events_check(version))
        for index, example in enumerate(version.examples):
            stem = Path(example.display).stem
            yield self._item(f"example[{stem}]", context.example_check(version, index))
        for producer in context.producers_of(version):
            yield self._item(
                f"producer[{producer.name}]", context.producer_check(version, producer)
            )
        for consumer in context.consumers_of(version):
            yield self._item(
                f"consumer[{consumer.name}]", context.consumer_check(version, consumer)
            )

    def _item(self, name: str, check: Callable[[], None]) -> ContractItem:
        return ContractItem.from_parent(self, name=name, check=check, where=self.version.path)


class ContractItem(pytest.Item):
    def __init__(
        self, *, check: Callable[[], None], where: Path | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.check, self.where = check, where

    def runtest(self) -> None:
        self.check()

    def repr_failure(  # type: ignore[override]
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str | Any:
        if isinstance(excinfo.value, (_checks.ContractViolation, EventContractsError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path | str, int | None, str]:
        return self.where or self.path, None, self.nodeid.split("::", 1)[-1]


class _Context:
    """What the items of one suite share: the catalog, the models, the settings."""

    def __init__(
        self, suite: ContractSuite, catalog: Catalog, max_examples: int, randomize: bool
    ) -> None:
        self.suite, self.catalog, self.max_examples = suite, catalog, max_examples
        self.randomize = randomize
        self._models: dict[tuple[str, int], type[Any]] | None = None

    @classmethod
    def build(cls, collector: SuiteCollector) -> _Context:
        suite = collector.suite
        here = collector.path.parent
        project = here / suite.project if suite.project is not None else here
        catalog = Catalog.load(project.resolve())
        option = collector.config.getoption(MAX_EXAMPLES_OPTION)
        return cls(
            suite,
            catalog,
            option if option is not None else suite.max_examples,
            bool(collector.config.getoption(RANDOMIZE_OPTION)),
        )

    # --- what applies to a version ---------------------------------------------------------

    def producers_of(self, version: SchemaVersion) -> Iterator[ProducerBinding]:
        schema = self.catalog.registry.schemas[version.schema_name]
        for producer in self.suite.producers:
            if producer.schema != version.schema_name:
                continue
            if (producer.version or schema.latest.version) == version.version:
                yield producer

    def consumers_of(self, version: SchemaVersion) -> Iterator[ConsumerBinding]:
        schema = self.catalog.registry.schemas[version.schema_name]
        mode = self.catalog.mode_of(schema.name)
        existing = [v.version for v in schema.versions]
        for consumer in self.suite.consumers:
            reads = consumer.consumer.handled().get((version.source, version.detail_type))
            if reads and version.version in live_versions(mode, reads, existing):
                yield consumer

    def unknown_events(self) -> Iterator[tuple[ConsumerBinding, tuple[str, str]]]:
        known = {(v.source, v.detail_type) for v in self.catalog.registry.all_versions()}
        for consumer in self.suite.consumers:
            for key in consumer.consumer.handled():
                if key not in known:
                    yield consumer, key

    # --- the checks -----------------------------------------------------------------------

    def generated_events_check(self, version: SchemaVersion) -> Callable[[], None]:
        def check() -> None:
            model = self._model(version)

            # Every drawn event is valid already: the strategy's last step is the version's
            # own validator (a schema no event satisfies fails here, with hypothesis' reason).
            def one(event: dict[str, Any]) -> None:
                if model is not None:
                    _checks.check_round_trip(version, model, event)

            self._property(self._events(version), one)

        return check

    def example_check(self, version: SchemaVersion, index: int) -> Callable[[], None]:
        return lambda: _checks.check_example(self.catalog, version, index)

    def producer_check(
        self, version: SchemaVersion, producer: ProducerBinding
    ) -> Callable[[], None]:
        inputs = producer.inputs if producer.inputs is not None else st.none()
        return lambda: self._property(
            inputs,
            lambda argument: _checks.check_producer(self.catalog, version, producer, argument),
        )

    def consumer_check(
        self, version: SchemaVersion, consumer: ConsumerBinding
    ) -> Callable[[], None]:
        return lambda: self._property(
            self._events(version), lambda event: _checks.check_consumer(version, consumer, event)
        )

    def _events(self, version: SchemaVersion) -> st.SearchStrategy[dict[str, Any]]:
        return events(version.schema_name, version.version, registry=self.catalog.registry)

    def _property(self, strategy: st.SearchStrategy[Any], body: Callable[[Any], None]) -> None:
        @settings(
            max_examples=self.max_examples,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            # Shrinking gives the smallest failing event; the explain phase would add ~20 s a
            # failure to say which parts of it matter, which the check's own message says.
            phases=[phase for phase in Phase if phase is not Phase.explain],
            derandomize=not self.randomize,
        )
        @given(strategy)
        def holds(value: Any) -> None:
            body(value)

        holds()

    def _model(self, version: SchemaVersion) -> type[Any] | None:
        if self.suite.models is False:
            return None
        if self._models is None:
            self._models = generated_models(self.catalog.config, self.suite.models or None)
        model = self._models.get((version.schema_name, version.version))
        if model is None:
            raise _checks.ContractViolation(
                f"the generated package has no model for {version.schema_name} "
                f"v{version.version}; run 'eventcontracts generate'"
            )
        return model


def _fail(message: str) -> Callable[[], None]:
    def check() -> None:
        raise _checks.ContractViolation(message)

    return check
