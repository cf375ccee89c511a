"""The contract checks, one function each; every failure is a :class:`ContractViolation`.

A check takes what it needs and raises with a message a user can act on: which producer or
consumer, which schema version, what went wrong, and the event that shows it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel, ValidationError

from eventcontracts.contract._catalog import Catalog, first_error
from eventcontracts.contract._suite import ConsumerBinding, ProducerBinding
from eventcontracts.registry import SchemaVersion
from eventcontracts.runtime import (
    Consumer,
    DispatchOutcome,
    EventModel,
    InvalidEvent,
    wire_detail,
)
from eventcontracts.schema.pointer import escape_token
from eventcontracts.schema.pointer import resolve as value_at

# Long events are cut in messages; the failing example hypothesis prints has them whole.
_SHOWN_CHARS = 600

# What a change report shows where one side has no value at the changed place.
_ABSENT = "(absent)"


class ContractViolation(AssertionError):
    """A contract does not hold; the message says who broke it, how, and shows the event."""


def check_round_trip(version: SchemaVersion, model: type[BaseModel], event: dict[str, Any]) -> None:
    """The generated model reads the detail and writes it back unchanged.

    "Written back" is what the runtime publishes: by alias, fields never set left out. It must
    be the same JSON, value for value (an integer stays an integer, a date-time keeps its
    spelling).
    """
    detail = event["detail"]
    try:
        parsed = model.model_validate(detail)
    except ValidationError as exc:
        raise ContractViolation(
            f"the generated model {model.__module__}.{model.__qualname__} rejects a valid "
            f"{_label(version)} detail {_pydantic_problem(exc)}; regenerate it "
            f"('eventcontracts generate')\n  detail: {_show(detail)}"
        ) from None
    written = wire_detail(parsed)
    where = _first_change(detail, written, "")
    if where is not None:
        raise ContractViolation(
            f"the generated model {model.__module__}.{model.__qualname__} changes a valid "
            f"{_label(version)} detail at {where or '/'}: read "
            f"{_show(value_at(detail, where, _ABSENT))}, "
            f"wrote {_show(value_at(written, where, _ABSENT))}\n"
            f"  detail: {_show(detail)}"
        )


def check_example(catalog: Catalog, version: SchemaVersion, index: int) -> None:
    """A sample event of ``examples/v<N>/`` is valid for its version."""
    document = version.examples[index]
    problem = first_error(catalog.validator(version), document.content)
    if problem is not None:
        raise ContractViolation(
            f"{document.display}: the sample event is not a valid {_label(version)} event "
            f"{problem}; fix the sample or the schema"
        )


def check_producer(
    catalog: Catalog, version: SchemaVersion, producer: ProducerBinding, argument: Any
) -> None:
    """Whatever the producer returns for ``argument`` is a valid event of ``version``."""
    call = f"producer {producer.name}"
    try:
        produced = producer.function() if producer.inputs is None else producer.function(argument)
    except Exception as exc:
        raise ContractViolation(
            f"{call} raised {type(exc).__name__}: {exc}"
            + (f"\n  input: {argument!r}" if producer.inputs is not None else "")
        ) from exc
    outputs = produced if isinstance(produced, (list, tuple)) else [produced]
    if not outputs:
        raise ContractViolation(f"{call} returned nothing to publish")
    for output in outputs:
        _check_produced(catalog, version, call, output)


def _check_produced(catalog: Catalog, version: SchemaVersion, call: str, output: Any) -> None:
    if isinstance(output, EventModel):
        declared = (type(output).SCHEMA_NAME, type(output).SCHEMA_VERSION)
        if declared != (version.schema_name, version.version):
            raise ContractViolation(
                f"{call} returned a {declared[0]} v{declared[1]} model; it is declared a "
                f"producer of {_label(version)}"
            )
        detail: Any = wire_detail(output)
        validator, what = catalog.validator(version, detail=True), "detail"
    elif isinstance(output, dict) and "Detail" in output:
        _check_identity(version, call, output.get("Source"), output.get("DetailType"))
        try:
            detail = json.loads(output["Detail"])
        except (TypeError, ValueError):
            raise ContractViolation(f"{call} returned an entry whose Detail is not JSON") from None
        validator, what = catalog.validator(version, detail=True), "detail"
    elif isinstance(output, dict) and "detail" in output and "detail-type" in output:
        _check_identity(version, call, output.get("source"), output.get("detail-type"))
        detail, validator, what = output, catalog.validator(version), "event"
    elif isinstance(output, dict):
        detail, validator, what = output, catalog.validator(version, detail=True), "detail"
    else:
        raise ContractViolation(
            f"{call} returned a {type(output).__name__}; return a generated model, a detail or "
            "event dict, or a PutEvents entry"
        )
    problem = first_error(validator, detail)
    if problem is not None:
        raise ContractViolation(
            f"{call} emits an invalid {_label(version)} {what} {problem}\n  {what}: {_show(detail)}"
        )


def _check_identity(version: SchemaVersion, call: str, source: Any, detail_type: Any) -> None:
    if (source, detail_type) != (version.source, version.detail_type):
        raise ContractViolation(
            f"{call} publishes source {source!r} / detail-type {detail_type!r}; "
            f"{_label(version)} is {version.source!r} / {version.detail_type!r}"
        )


def check_consumer(version: SchemaVersion, binding: ConsumerBinding, event: dict[str, Any]) -> None:
    """The consumer handles a valid event of ``version``: no dead letter, no exception."""
    who = f"consumer {binding.name}"
    with _strict(binding.consumer) as consumer:
        try:
            outcome = consumer.dispatch(event)
        except InvalidEvent as exc:
            raise ContractViolation(
                f"{who} rejects a valid {_label(version)} event: {exc}\n  event: {_show(event)}"
            ) from None
        except Exception as exc:
            raise ContractViolation(
                f"{who}'s handler raised {type(exc).__name__}: {exc} on a valid "
                f"{_label(version)} event\n  event: {_show(event)}"
            ) from exc
    if outcome is not DispatchOutcome.HANDLED:
        raise ContractViolation(
            f"{who} did not handle a valid {_label(version)} event ({outcome.value})\n"
            f"  event: {_show(event)}"
        )


@contextmanager
def _strict(consumer: Consumer) -> Iterator[Consumer]:
    """The consumer raising on invalid events and without idempotency, for the test's length.

    Rejections must surface with their reason rather than reach the team's dead-letter
    callback, and hypothesis may draw the same event id twice.
    """
    saved = consumer.on_invalid, consumer.idempotency
    consumer.on_invalid, consumer.idempotency = "raise", None
    try:
        yield consumer
    finally:
        consumer.on_invalid, consumer.idempotency = saved


def _label(version: SchemaVersion) -> str:
    return f"{version.schema_name} v{version.version}"


def _pydantic_problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = "/" + "/".join(str(part) for part in first["loc"])
    return f"at {where}: {first['msg']}"


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    return text if len(text) <= _SHOWN_CHARS else f"{text[:_SHOWN_CHARS]}... ({len(text)} chars)"


def _first_change(before: Any, after: Any, pointer: str) -> str | None:
    """The JSON pointer of the first difference between two JSON values, or None."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            if key not in before or key not in after:
                return f"{pointer}/{escape_token(key)}"
            found = _first_change(before[key], after[key], f"{pointer}/{escape_token(key)}")
            if found is not None:
                return found
        return None
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return pointer
        for index, (a, b) in enumerate(zip(before, after, strict=True)):
            found = _first_change(a, b, f"{pointer}/{index}")
            if found is not None:
                return found
        return None
    return None if _same_scalar(before, after) else pointer


def _same_scalar(before: Any, after: Any) -> bool:
    """The same JSON value, type for type: ``1`` is not ``1.0``, a date-time keeps its
    spelling. The one respelling a model may make: an integral float read into an integer field
    of a draft-6+ schema (where ``1.0`` is the integer 1) is written as ``1``."""
    if type(before) is float and type(after) is int:
        return before.is_integer() and int(before) == after
    return type(before) is type(after) and before == after
