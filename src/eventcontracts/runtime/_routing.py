"""Choosing which registered version of an event's detail model an incoming detail belongs to."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from pydantic import BaseModel, ConfigDict, ValidationError

from ._model import EventEnvelope, EventModel


@dataclass(frozen=True)
class Route:
    """One registered handler: the version it reads, its model, and that model's strict copy."""

    version: int
    model: type[EventModel]
    exact_model: type[EventModel]
    envelope_type: type[EventEnvelope[Any]]
    handler: Callable[[EventEnvelope[Any]], None]


class NoMatch(Exception):
    """No registered version validates the detail; the message is the reason, one sentence."""


def exact_copy(model: type[EventModel]) -> type[EventModel]:
    """A subclass of ``model`` that refuses unknown properties (extra="forbid").

    Built once per registered model: pydantic compiles a validator per class, which is the
    expensive part. Only the top level is affected; nested models keep their own config, and
    unknown properties inside them are found by :func:`_has_extras` instead.
    """
    namespace = {
        "model_config": ConfigDict(extra="forbid"),
        "__module__": model.__module__,
        "__qualname__": f"{model.__qualname__}.Exact",
    }
    return cast("type[EventModel]", type(f"{model.__name__}Exact", (model,), namespace))


def envelope_of(model: type[EventModel]) -> type[EventEnvelope[Any]]:
    """``EventEnvelope[model]``, the envelope type the model's handler receives."""
    # Subscripting with a runtime class is what pydantic generics are for; mypy only accepts a
    # type written out in the source here, hence the cast through Any.
    generic: Any = EventEnvelope
    return cast("type[EventEnvelope[Any]]", generic[model])


def describe(exc: ValidationError) -> str:
    """The first problem pydantic found, as "where: what", and how many more there are."""
    errors = exc.errors()
    if not errors:
        return str(exc)
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first['msg']}{more}"


def _has_extras(value: Any) -> bool:
    """Whether any model inside ``value`` kept properties it has no field for (extra="allow")."""
    if isinstance(value, BaseModel):
        if value.model_extra:
            return True
        return any(_has_extras(getattr(value, name)) for name in type(value).model_fields)
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_has_extras(item) for item in value)
    if isinstance(value, dict):
        return any(_has_extras(item) for item in value.values())
    return False


def _is_exact(route: Route, detail: Mapping[str, Any], instance: EventModel) -> bool:
    """Whether ``detail`` is exactly of ``route``'s version: valid, and no unknown properties."""
    if _has_extras(instance):
        return False
    try:
        route.exact_model.model_validate(detail)
    except ValidationError:
        return False
    return True


def select(
    routes: Sequence[Route], detail: Mapping[str, Any], what: str
) -> tuple[Route, EventModel]:
    """The route (``routes`` sorted oldest version first) and typed detail for ``detail``.

    The oldest version that reads the detail exactly wins; failing that, the newest version that
    reads it while ignoring unknown properties; failing that, :class:`NoMatch`. ``what`` names the
    event in the reason.
    """
    readable: list[tuple[Route, EventModel]] = []
    problems: list[str] = []
    for route in routes:
        try:
            instance = route.model.model_validate(detail)
        except ValidationError as exc:
            problems.append(f"version {route.version} fails at {describe(exc)}")
            continue
        if _is_exact(route, detail, instance):
            return route, instance
        readable.append((route, instance))
    if readable:
        return readable[-1]
    raise NoMatch(f"the detail of {what} is valid for none of its versions: {'; '.join(problems)}")
