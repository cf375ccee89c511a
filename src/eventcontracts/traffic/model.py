"""What reading captured traffic gives (one event and where it was) and how it refuses input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventcontracts.errors import EventContractsError

# The largest single JSON value read: an event, a line, a PutEvents request, a CloudWatch Logs
# message batch. EventBridge caps an event (and a PutEvents request) at 256 KB and CloudWatch
# Logs a batch at 1 MB, so anything larger is not captured traffic; refusing it keeps memory
# bounded however long the "line" of a hostile file is.
MAX_VALUE_CHARS = 4 * 1024 * 1024

# The most one file gives, decompressed: a Firehose object is at most 128 MiB, a CloudWatch
# Logs export file far less. A gzip bomb stops here, after reading a few kilobytes of it.
MAX_FILE_CHARS = 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CapturedEvent:
    """One event as EventBridge delivered it (``source``, ``detail-type``, ``detail``, ...).

    ``file`` is the path as the user should see it, ``line`` the line its JSON value starts on
    (for an entry of a PutEvents request or a CloudWatch Logs batch, the line the request or
    batch starts on), ``index`` its position among the events of that file, from 0.
    """

    event: dict[str, Any]
    file: str
    line: int | None
    index: int

    @property
    def where(self) -> str:
        """``file:line``, what an editor opens, or ``file`` when the line is unknown."""
        return f"{self.file}:{self.line}" if self.line is not None else self.file


class TrafficError(EventContractsError):
    """A capture that cannot be read as events; the message is one line naming ``file:line``."""
