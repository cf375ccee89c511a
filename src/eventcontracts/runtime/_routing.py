"""Choosing which registered version of an event's detail model an incoming detail belongs to."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from pydantic import ValidationError

from ._model import EventEnvelope, EventModel


@dataclass(frozen=True)
class Route:
    """One registered handler: the version it reads, its model and the envelope it receives.

    ``envelope_reads_detail``: the envelope's ``detail`` field is of ``model`` itself, so
    validating a whole event with the envelope reads the detail as this version does. Not so for
    a subclass of a generated model (its ``ENVELOPE`` is its parent's): the detail is read with
    ``model`` first, then put in the envelope.
    """

    version: int
    model: type[EventModel]
    envelope_type: type[EventEnvelope[Any]]
    handler: Callable[[EventEnvelope[Any]], None]
    envelope_reads_detail: bool = False

    @classmethod
    def of(
        cls,
        version: int,
        model: type[EventModel],
        envelope_type: type[EventEnvelope[Any]],
        handler: Callable[[EventEnvelope[Any]], None],
    ) -> Route:
        detail = envelope_type.model_fields["detail"].annotation
        return cls(version, model, envelope_type, handler, envelope_reads_detail=detail is model)


class NoMatch(Exception):
    """No registered version validates the detail; the message is the reason, one sentence."""


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


def read_exactly(route: Route, detail: Mapping[str, Any]) -> EventModel | None:
    """``detail`` as ``route``'s model if that version reads it exactly: valid, and no property
    it does not know at any depth; else None.

    pydantic checks both in one validation: ``extra="forbid"`` for this call applies to every
    model inside, whatever each one's own config says (``allow`` keeps unknown properties,
    ``ignore`` drops them without a trace: either way this reading refuses them).
    """
    try:
        return route.model.model_validate(detail, extra="forbid")
    except ValidationError:
        return None


def select(
    routes: Sequence[Route], detail: Mapping[str, Any], what: str
) -> tuple[Route, EventModel]:
    """The route (``routes`` sorted oldest version first) and typed detail for ``detail``.

    The oldest version that reads the detail exactly wins; failing that, the newest version that
    reads it while ignoring unknown properties; failing that, :class:`NoMatch`. ``what`` names the
    event in the reason. With one version there is nothing to choose: it reads the detail, or
    nothing does (one validation).
    """
    if len(routes) > 1:
        for route in routes:
            instance = read_exactly(route, detail)
            if instance is not None:
                return route, instance
    problems: list[str] = []
    for route in reversed(routes):
        try:
            return route, route.model.model_validate(detail)
        except ValidationError as exc:
            problems.append(f"version {route.version} fails at {describe(exc)}")
    problems.reverse()  # oldest first, as the versions are listed everywhere else
    raise NoMatch(f"the detail of {what} is valid for none of its versions: {'; '.join(problems)}")
