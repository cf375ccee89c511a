"""The correlation id that follows a chain of events, kept in a context variable.

A producer fills ``metadata.correlationId`` of the events it publishes from the context variable
when the event does not carry one; a consumer sets the variable from the event it is handling, so
events published from inside a handler continue the same chain without any plumbing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, TypeVar
from uuid import UUID

from pydantic import MISSING, BaseModel

# A ContextVar (not a global or a thread-local) so that asyncio tasks and threads each see their
# own value.
correlation_id: ContextVar[str | None] = ContextVar("eventcontracts_correlation_id", default=None)

_METADATA = "metadata"
_CORRELATION_ID = "correlationId"

ModelT = TypeVar("ModelT", bound=BaseModel)


@contextmanager
def correlation(value: str | None) -> Iterator[None]:
    """Set :data:`correlation_id` for the ``with`` block and restore the previous value after."""
    token = correlation_id.set(value)
    try:
        yield
    finally:
        correlation_id.reset(token)


def _field_named(model: BaseModel, wanted: str) -> str | None:
    """The attribute name of ``model``'s field called ``wanted`` by name or by alias."""
    return _field_of_class(type(model), wanted)


@lru_cache(maxsize=4096)
def _field_of_class(cls: type[BaseModel], wanted: str) -> str | None:
    # Looked up once per class: the producer and the consumer ask for every event.
    for name, info in cls.model_fields.items():
        if wanted in (name, info.alias, info.validation_alias, info.serialization_alias):
            return name
    return None


def _metadata_of(event: BaseModel) -> tuple[str, BaseModel, str] | None:
    """The attribute name of the event's metadata field, its value, and the attribute name of the
    correlation id field in it, if all exist. An absent (None) metadata is not invented: its other
    fields may be required."""
    meta_name = _field_named(event, _METADATA)
    if meta_name is None:
        return None
    metadata = getattr(event, meta_name)
    if not isinstance(metadata, BaseModel):
        return None
    cid_name = _field_named(metadata, _CORRELATION_ID)
    if cid_name is None:
        return None
    return meta_name, metadata, cid_name


def with_correlation(event: ModelT) -> ModelT:
    """``event`` with ``metadata.correlationId`` taken from the context when it has none.

    Returns a copy (never mutates the caller's object) when it fills the id, else ``event``.
    """
    current = correlation_id.get()
    if current is None:
        return event
    found = _metadata_of(event)
    if found is None:
        return event
    meta_name, metadata, cid_name = found
    present = getattr(metadata, cid_name)
    if present is not None and present is not MISSING:  # MISSING: an optional field not set
        return event
    filled = metadata.model_copy(update={cid_name: current})
    return event.model_copy(update={meta_name: filled})


def correlation_of(detail: Any) -> str | None:
    """The ``metadata.correlationId`` of a typed detail, if it has a string or UUID one."""
    if not isinstance(detail, BaseModel):
        return None
    found = _metadata_of(detail)
    if found is None:
        return None
    _, metadata, cid_name = found
    value = getattr(metadata, cid_name)
    # A uuid-format id is a checked string; a model written by hand may hold a UUID.
    return str(value) if isinstance(value, (str, UUID)) else None
