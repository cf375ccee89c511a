"""Hypothesis strategies of whole EventBridge events and of their details, per schema version.

One module per job: :mod:`lookup` finds the version, :mod:`compiler` with :mod:`keywords` and
:mod:`builders` turns its JSON Schema into strategies, :mod:`formats` and :mod:`text` draw
strings, :mod:`envelope` the fields EventBridge fills, :mod:`fallback` hands what the compiler
does not handle to hypothesis-jsonschema, :mod:`cache` keeps compiled strategies and
:mod:`sampling` draws reproducible samples.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from eventcontracts.contract.strategies import envelope
from eventcontracts.contract.strategies.cache import cached
from eventcontracts.contract.strategies.compiler import Compiler
from eventcontracts.contract.strategies.context import Context
from eventcontracts.contract.strategies.lookup import RegistryLike, Target, find_target, no_detail
from eventcontracts.contract.strategies.shape import Piece
from eventcontracts.errors import EventContractsError

__all__ = ["RegistryLike", "Target", "compile_strategy", "find_target", "strategy_for"]


def strategy_for(
    schema: str, version: int | None, registry: RegistryLike, *, kind: str, realistic: bool
) -> tuple[Target, st.SearchStrategy[Any]]:
    """The (cached) strategy of events (``kind="event"``) or details (``"detail"``)."""
    target = find_target(schema, version, registry)
    key = (
        str(target.registry.root),
        target.schema.name,
        target.version.version,
        # remote refs on or off change what a ref compiles to
        f"{target.digest}:{'remote' if target.resolver.allow_remote_refs else 'local'}",
        kind,
        realistic,
    )
    return target, cached(key, lambda: compile_strategy(target, kind=kind, realistic=realistic))


def compile_strategy(target: Target, *, kind: str, realistic: bool) -> st.SearchStrategy[Any]:
    """Compile the version's event or detail schema; every value is checked by the version's
    own validator, a guard that almost never rejects."""
    version = target.version
    if version.detail_pointer is None:
        raise no_detail(version)
    context = Context(target.resolver, version, realistic=realistic)
    compiler = Compiler(context)
    if kind == "event":
        schema, scope = context.start(version.envelope_pointer)
        strategy = compiler.compile(
            [Piece(schema, scope)], overrides=envelope.fields(version, realistic)
        )
        validator = target.resolver.event_validator(version)
    else:
        schema, scope = context.start(version.detail_pointer)
        strategy = compiler.compile([Piece(schema, scope)])
        validator = target.resolver.detail_validator(version)
    if strategy is None:
        raise EventContractsError(
            f"{version.path}: no {kind} is valid for {version.schema_name} v{version.version} "
            "(the schema contradicts itself); run 'eventcontracts lint'"
        )
    return strategy.filter(validator.is_valid)
