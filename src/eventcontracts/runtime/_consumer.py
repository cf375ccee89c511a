"""Receiving EventBridge events and handing each to the typed handler of the right version."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, NamedTuple, Protocol, TypeVar, overload

from pydantic import ValidationError

from . import _boundedjson as bounded_json
from . import _observe as observe
from ._claimcheck import (
    DEFAULT_MAX_READ_BYTES,
    ClaimCheckInvalid,
    ClaimCheckLocation,
    ClaimCheckReader,
    is_reference,
)
from ._clients import shared_client
from ._correlation import correlation_id, correlation_of
from ._entries import event_class_keys
from ._eventid import idempotency_key
from ._idempotency import Claim, ClaimStatus, IdempotencyStore
from ._metrics import MetricsSink
from ._model import EventEnvelope, EventEnvelopeHeader, EventModel, RawEventEnvelope
from ._outcome import (
    DispatchOutcome,
    EventInProgress,
    HandlerFailed,
    InvalidEvent,
    mark_raised_by_handler,
    raised_by_handler,
)
from ._routing import NoMatch, Route, describe, envelope_of, select
from ._scrub import describe_exception, one_line
from ._sqs import batch_item_failures, poll_once

logger = logging.getLogger(__name__)

EnvelopeT = TypeVar("EnvelopeT", bound="EventEnvelope[Any]")
EnvelopeT_co = TypeVar("EnvelopeT_co", bound="EventEnvelope[Any]", covariant=True)
Handler = Callable[[EnvelopeT], None]
DeadLetter = Callable[[dict[str, Any], str], None]


class _Read(NamedTuple):
    """An event read: the route of the version that reads it, and the envelope it receives."""

    route: Route
    envelope: EventEnvelope[Any]


# Seconds an idempotency claim taken in Lambda outlives the invocation's deadline: the runtime's
# shutdown and the clocks of Lambda and the store disagreeing a little. Far below the minute
# after which Lambda retries a failed asynchronous invocation.
LAMBDA_CLAIM_MARGIN_SECONDS = 10


class GeneratedDetail(Protocol[EnvelopeT_co]):
    """A generated detail class: its ``ENVELOPE`` is the generated envelope class handlers of it
    receive (``OrderCreatedV1.ENVELOPE is OrderCreatedEventV1``)."""

    @property
    def ENVELOPE(self) -> type[EnvelopeT_co]: ...


class Consumer:
    """Routes EventBridge events to typed handlers, one per (source, detail-type, version).

    Choosing the version. An EventBridge event does not say which schema version its detail
    follows, so when several versions of one event have handlers, the detail itself decides:

    1. the OLDEST version whose model validates the detail with no unknown properties wins;
    2. if none reads it exactly, the NEWEST version that validates it ignoring unknown
       properties wins;
    3. if none validates it at all, the event is invalid.

    So a v2 event carrying a v2-only field goes to the v2 handler (v1 would see an unknown
    property), a v1 event goes to the v1 handler (the oldest that reads it exactly, even though v2
    reads it too), and an event with a field no version knows yet still reaches the newest
    handler that can read it, rather than being lost.

    Invalid events (no handler for the source and detail-type, a detail no version validates, an
    envelope that does not parse, a claim-checked detail that is missing from S3 or not the one
    its reference describes) go to ``dead_letter(raw_event, reason)`` when ``on_invalid`` is
    "dead_letter", or raise :class:`InvalidEvent` when it is "raise" (for a target whose own
    dead-letter queue should get them). Without a ``dead_letter`` callback they raise too: an
    event is never dropped silently.

    A handler that raises makes :meth:`dispatch` raise, so the delivery is retried. With an
    ``idempotency`` store, each delivery first claims the event (see ``_idempotency``): an event
    already handled is skipped (DUPLICATE), and an event another delivery is handling right now
    raises :class:`EventInProgress`, so this delivery is retried later rather than run twice or
    lost. The claim is completed only after the handler returned, and released if it raised.

    Claim-checked details are read only from ``claim_check_locations`` (none by default) and up
    to ``claim_check_max_bytes``. Logs carry the type of a handler's exception and its message
    scrubbed of payload values, unless ``log_exception_messages`` is true (see ``_scrub``).
    """

    def __init__(
        self,
        on_invalid: Literal["dead_letter", "raise"] = "dead_letter",
        dead_letter: DeadLetter | None = None,
        idempotency: IdempotencyStore | None = None,
        metrics: MetricsSink | None = None,
        s3_client: Any | None = None,
        claim_check_locations: Iterable[ClaimCheckLocation] = (),
        claim_check_max_bytes: int = DEFAULT_MAX_READ_BYTES,
        log_exception_messages: bool = False,
    ) -> None:
        if on_invalid not in ("dead_letter", "raise"):
            raise ValueError(f"on_invalid must be 'dead_letter' or 'raise', not {on_invalid!r}")
        self.on_invalid = on_invalid
        self.dead_letter = dead_letter
        self.idempotency = idempotency
        self.metrics = metrics  # counts each event's outcome; see set_metrics_sink for a default
        # Fetches claim-checked details (the runtime's own S3 client unless one is given).
        self.claim_checks = ClaimCheckReader(
            s3_client, claim_check_locations, claim_check_max_bytes
        )
        self.log_exception_messages = log_exception_messages
        # (source, detail-type) -> routes sorted oldest version first
        self._routes: dict[tuple[str, str], list[Route]] = {}

    @overload
    def handler(
        self, model: type[EnvelopeT]
    ) -> Callable[[Handler[EnvelopeT]], Handler[EnvelopeT]]: ...

    @overload
    def handler(
        self, model: GeneratedDetail[EnvelopeT]
    ) -> Callable[[Handler[EnvelopeT]], Handler[EnvelopeT]]: ...

    @overload
    def handler(
        self, model: type[EventModel]
    ) -> Callable[[Handler[EventEnvelope[Any]]], Handler[EventEnvelope[Any]]]: ...

    def handler(self, model: Any) -> Any:
        """Register the decorated function as the handler of one version of an event.

        ``model`` is the version's generated detail class (``OrderCreatedV1``) or its envelope
        class (``OrderCreatedEventV1``); either way the handler receives an instance of the
        generated envelope class, and mypy checks that the handler takes it.
        """
        model, envelope = _detail_and_envelope(model)
        source, detail_type = event_class_keys(model)
        version = getattr(model, "SCHEMA_VERSION", None)
        if not isinstance(version, int) or isinstance(version, bool):
            raise TypeError(f"{model.__qualname__} has no integer SCHEMA_VERSION")

        def register(fn: Handler[Any]) -> Handler[Any]:
            routes = self._routes.setdefault((source, detail_type), [])
            if any(route.version == version for route in routes):
                raise ValueError(
                    f"a handler for {source}/{detail_type} version {version} is already registered"
                )
            routes.append(Route.of(version, model, envelope, fn))
            routes.sort(key=lambda route: route.version)
            return fn

        return register

    def handled(self) -> dict[tuple[str, str], list[int]]:
        """The versions with a handler, by (source, detail-type), oldest first.

        What the consumer declares it reads: contract tests feed it events of these versions and
        of every version the schema's compatibility mode says it must still read.
        """
        return {key: [route.version for route in routes] for key, routes in self._routes.items()}

    def dispatch(self, raw: dict[str, Any], context: Any = None) -> DispatchOutcome:
        """Handle one EventBridge event (the JSON object EventBridge delivers to a target).

        ``context`` is the Lambda invocation's, if any: an idempotency claim then lasts no longer
        than the invocation's time left (see :func:`_claim_expires_in`).
        """
        if not isinstance(raw, Mapping):
            # A Lambda invoked with a list (or anything else) by mistake: nothing to route.
            reason = f"the event is a JSON {_json_kind(raw)}, not one EventBridge event object"
            return self._invalid({"event": raw}, reason, observe.INVALID_ENVELOPE)
        read = self._read_at_once(raw)
        if read is not None:
            header: EventEnvelopeHeader = read.envelope
        else:
            try:
                header = RawEventEnvelope.model_validate(raw)
            except ValidationError as exc:
                reason = f"the event envelope does not parse, at {describe(exc)}"
                return self._invalid(raw, reason, observe.INVALID_ENVELOPE)
            except RecursionError:
                reason = "the event nests too deep to read"
                return self._invalid(raw, reason, observe.INVALID_ENVELOPE)

        what = f"{header.source}/{header.detail_type}"
        routes = self._routes.get((header.source, header.detail_type))
        if not routes:
            return self._invalid(raw, f"no handler is registered for {what}", observe.NO_HANDLER)
        if self.idempotency is None:
            return self._handle(raw, header, routes, what, read)

        key = idempotency_key(header.source, header.detail_type, header.id, header.resources)
        expires_in = _claim_expires_in(context)
        claim = (
            self.idempotency.claim(key)
            if expires_in is None  # stores written before expires_in keep working outside Lambda
            else self.idempotency.claim(key, expires_in=expires_in)
        )
        if claim.status is ClaimStatus.COMPLETED:
            observe.duplicate(raw, self.metrics)
            return DispatchOutcome.DUPLICATE
        if claim.status is ClaimStatus.IN_PROGRESS:
            observe.in_progress(raw, self.metrics)
            raise EventInProgress(header.id)
        try:
            outcome = self._handle(raw, header, routes, what, read)
        except Exception:
            # The retry may run at once. A crash (the process killed, a BaseException) releases
            # nothing: the claim expires instead.
            self._release(claim)
            raise
        if outcome is DispatchOutcome.HANDLED:
            # If this fails the delivery is retried and, once the claim expires, handled again:
            # at least once, never lost.
            self.idempotency.complete(claim)
        else:
            self._release(claim)  # dead-lettered: a redelivery is judged afresh
        return outcome

    def _read_at_once(self, raw: Mapping[str, Any]) -> _Read | None:
        """The event as the envelope its handler receives, if it is valid and has a handler, read
        with as few validations as the versions allow (one, with one version); else None, and
        :meth:`dispatch` judges the event step by step to say what is wrong with it.

        A claim-checked detail is not read here: it is fetched first, after the idempotency claim.
        """
        source, detail_type, detail = raw.get("source"), raw.get("detail-type"), raw.get("detail")
        if not (isinstance(source, str) and isinstance(detail_type, str)):
            return None
        routes = self._routes.get((source, detail_type))
        if not routes or not isinstance(detail, dict) or is_reference(detail):
            return None
        try:
            if len(routes) == 1 and routes[0].envelope_reads_detail:
                # The envelope's validation validates the detail: one validation in all.
                route = routes[0]
                return _Read(route, route.envelope_type.model_validate(raw))
            route, typed = select(routes, detail, f"{source}/{detail_type}")
            # The detail is an instance of the envelope's detail class: taken as it is.
            return _Read(route, route.envelope_type.model_validate({**raw, "detail": typed}))
        except (ValidationError, NoMatch, RecursionError):
            return None

    def _handle(
        self,
        raw: dict[str, Any],
        header: EventEnvelopeHeader,
        routes: list[Route],
        what: str,
        read: _Read | None,
    ) -> DispatchOutcome:
        if read is None:
            assert isinstance(header, RawEventEnvelope)
            judged = self._read_step_by_step(raw, header, routes, what)
            if isinstance(judged, DispatchOutcome):
                return judged
            read = judged
        route, envelope = read.route, read.envelope
        detail = envelope.detail
        # Events the handler publishes carry on this event's correlation id: what
        # ``with correlation(chain)`` does, without a context manager's cost on every event.
        chain = correlation_of(detail)
        token = correlation_id.set(chain)
        try:
            route.handler(envelope)
        except Exception as exc:
            mark_raised_by_handler(exc)
            observe.handler_error(
                raw, route.version, chain, exc, self.metrics, self.log_exception_messages
            )
            raise
        finally:
            correlation_id.reset(token)
        observe.handled(raw, route.version, chain, self.metrics)
        return DispatchOutcome.HANDLED

    def _read_step_by_step(
        self, raw: dict[str, Any], header: RawEventEnvelope, routes: list[Route], what: str
    ) -> _Read | DispatchOutcome:
        """The event read from its parsed header: the claim-checked detail fetched, the version
        chosen; or the outcome of an event that is invalid, having said why."""
        received = header.detail
        if is_reference(received):
            try:
                received = self.claim_checks.fetch(received, header.source)
            except ClaimCheckInvalid as exc:
                return self._invalid(raw, str(exc), observe.INVALID_CLAIM_CHECK)
        try:
            route, detail = select(routes, received, what)
        except NoMatch as exc:
            return self._invalid(raw, str(exc), observe.INVALID_DETAIL)
        except RecursionError:
            reason = f"the detail of {what} nests too deep to read"
            return self._invalid(raw, reason, observe.INVALID_DETAIL)
        # the header's fields by attribute name, the detail already validated
        envelope = route.envelope_type.model_validate(
            {**dict(header), "detail": detail}, by_name=True
        )
        return _Read(route, envelope)

    def _release(self, claim: Claim) -> None:
        assert self.idempotency is not None
        try:
            self.idempotency.release(claim)
        except Exception:
            # The error that made us release matters more; the claim then simply expires.
            logger.warning("could not release the idempotency claim; it will expire", exc_info=True)

    def lambda_handler(self, event: dict[str, Any], context: Any = None) -> None:
        """Entry point for a Lambda function that is an EventBridge rule's target (one event).

        A raised error makes Lambda retry the asynchronous invocation and then send the event to
        the function's on-failure destination or DLQ. Lambda logs what the function raised, so a
        handler's exception is raised again as :class:`HandlerFailed`, carrying its type and its
        scrubbed message (and its traceback, which holds code, not data), unless
        ``log_exception_messages`` is true. Any other error (the idempotency store's, a claim
        check's S3 read) is raised as it is: an AWS error's code and message name the operation
        and resource, not the event, and are what says what to fix.
        """
        try:
            self._dispatch_with(event, context)
        except (InvalidEvent, EventInProgress):
            raise
        except Exception as exc:
            if self.log_exception_messages or not raised_by_handler(exc):
                raise
            kind, message = describe_exception(exc, reveal=False)
            raise HandlerFailed(kind, message).with_traceback(exc.__traceback__) from None

    def sqs_handler(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        """Entry point for a Lambda function fed by an SQS queue that an EventBridge rule targets.

        Returns the partial batch response: messages whose handler raised are listed as
        ``batchItemFailures`` (so only they are retried); handled, duplicate and dead-lettered
        messages are done. Enable ``ReportBatchItemFailures`` on the event source mapping.
        """
        return batch_item_failures(
            lambda body: self._dispatch_text(body, context),
            event.get("Records") or [],
            self.log_exception_messages,
        )

    def poll(
        self,
        queue_url: str,
        client: Any | None = None,
        max_messages: int = 10,
        wait_seconds: int = 0,
    ) -> int:
        """Receive up to ``max_messages`` from the SQS queue, dispatch them, delete those done.

        Messages whose handler raised stay in the queue for redelivery. Returns how many messages
        were received; 0 means the queue had nothing visible.
        """
        if client is None:
            client = shared_client("sqs")
        return poll_once(
            self._dispatch_text,
            queue_url,
            client,
            max_messages,
            wait_seconds,
            self.log_exception_messages,
        )

    def _dispatch_text(self, body: str, context: Any = None) -> DispatchOutcome:
        """Dispatch an SQS message body, which should be one EventBridge event as JSON."""
        try:
            raw = bounded_json.loads(body)
        except ValueError as exc:
            reason = f"the message body is not JSON this consumer reads: {exc}"
            return self._invalid({"body": body}, reason, observe.INVALID_BODY)
        if not isinstance(raw, dict):
            reason = "the message body is not a JSON object"
            return self._invalid({"body": body}, reason, observe.INVALID_BODY)
        return self._dispatch_with(raw, context)

    def _dispatch_with(self, raw: dict[str, Any], context: Any) -> DispatchOutcome:
        # Without a context, dispatch(raw) as before: a wrapper or subclass of dispatch taking
        # only the event keeps working outside Lambda.
        return self.dispatch(raw) if context is None else self.dispatch(raw, context)

    def _invalid(self, raw: dict[str, Any], reason: str, problem: str) -> DispatchOutcome:
        """``problem`` names the kind of failure for logs and metrics (see ``_observe``)."""
        # Reasons quote the event (its detail-type, field names, S3 keys): one line, always.
        reason = one_line(reason)
        if self.on_invalid == "raise" or self.dead_letter is None:
            observe.invalid(raw, reason, problem, dead_lettered=False, sink=self.metrics)
        if self.on_invalid == "raise":
            raise InvalidEvent(reason, raw)
        if self.dead_letter is None:
            raise InvalidEvent(f"{reason} (and no dead_letter callback was given)", raw)
        self.dead_letter(raw, reason)
        observe.invalid(raw, reason, problem, dead_lettered=True, sink=self.metrics)
        return DispatchOutcome.DEAD_LETTERED


def _claim_expires_in(context: Any) -> int | None:
    """Seconds an idempotency claim taken now should last at most: the Lambda invocation's time
    left plus a margin, or None without a Lambda context (the store's ``in_progress_seconds``).

    A handler killed by the function's timeout releases nothing; a claim of the store's default
    15 minutes would meet Lambda's retries (after about one and two minutes) as IN_PROGRESS and
    the event would end in the DLQ without running again.
    """
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if not callable(remaining):
        return None
    millis = remaining()
    if not isinstance(millis, (int, float)) or isinstance(millis, bool) or millis < 0:
        return None
    return math.ceil(millis / 1000) + LAMBDA_CLAIM_MARGIN_SECONDS


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "number" if isinstance(value, (int, float)) else type(value).__name__


def _detail_and_envelope(model: Any) -> tuple[type[EventModel], type[EventEnvelope[Any]]]:
    """The detail class and the envelope class a handler registered for ``model`` receives.

    A generated detail class names its envelope class (``ENVELOPE``); a detail class written by
    hand gets ``EventEnvelope[model]``; an envelope class names its detail class in its
    ``detail`` field.
    """
    if isinstance(model, type) and issubclass(model, EventEnvelope):
        detail = model.model_fields["detail"].annotation
        if not (isinstance(detail, type) and issubclass(detail, EventModel)):
            raise TypeError(f"{model.__qualname__} is not the envelope of a generated event model")
        return detail, model
    if not (isinstance(model, type) and issubclass(model, EventModel)):
        raise TypeError(f"{model!r} is neither a generated event model nor its envelope class")
    envelope = getattr(model, "ENVELOPE", None)
    if isinstance(envelope, type) and issubclass(envelope, EventEnvelope):
        return model, envelope
    return model, envelope_of(model)
