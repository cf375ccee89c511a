"""What :func:`publish` reports for each event, and the error that carries those reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ._model import EventModel

# error_code of an event that was not sent because it alone exceeds the request size limit.
ENTRY_TOO_LARGE = "EntryTooLarge"


@dataclass(frozen=True)
class PublishResult:
    """The outcome for one event.

    ``event`` is the event as it was sent: validated, with the correlation id filled in.
    ``event_id`` is EventBridge's id when the event was accepted, else None and ``error_code``
    and ``error_message`` say why. ``attempts`` counts the PutEvents calls that carried the event
    (0 when it was never sent). ``producer_event_id`` is the producer's own id of the event,
    which a redrive keeps (see ``_eventid``). ``fallback_message_id`` is the SQS message id when
    the event was not accepted and was sent to the fallback queue instead (``sent_to_fallback``).
    """

    event: EventModel
    event_id: str | None
    error_code: str | None = None
    error_message: str | None = None
    attempts: int = 0
    producer_event_id: str | None = None
    fallback_message_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.event_id is not None and self.error_code is None

    @property
    def sent_to_fallback(self) -> bool:
        """Not accepted by EventBridge, but safe in the fallback queue for a later redrive."""
        return not self.ok and self.fallback_message_id is not None


class PublishError(Exception):
    """Some events were not accepted after every attempt.

    ``results`` holds the result of every event given to :func:`publish`, accepted or not, in
    input order: the caller can re-publish ``[r.event for r in err.failed]`` or record them, and
    knows which ones EventBridge already has.
    """

    def __init__(self, results: Sequence[PublishResult]) -> None:
        self.results = list(results)
        failed = self.failed
        first = failed[0] if failed else None
        detail = f"; first: {first.error_code}: {first.error_message}" if first else ""
        super().__init__(f"{len(failed)} of {len(self.results)} events were not published{detail}")

    @property
    def failed(self) -> list[PublishResult]:
        return [r for r in self.results if not r.ok]
