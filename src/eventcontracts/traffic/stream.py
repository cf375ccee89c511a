"""The JSON values of a text stream, one at a time, each with the line it starts on.

One reader takes every layout captures come in, because they all are "JSON values one after
another": a file holding one value, JSON Lines, objects concatenated with no separator at all
(what Kinesis Data Firehose writes to S3), and CloudWatch Logs exports, whose lines are
``<timestamp> <json>``. A top-level array is read element by element, so a 50 MB array of
events is never one value in memory.

The text is read in chunks; a value is parsed with the C decoder where it starts, and only when
it runs past the end of the chunk is more read (a value is at most ``MAX_VALUE_CHARS``). Lines
are counted in C too (``str.count``), so a 100,000-event file reads in a fraction of a second.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import IO, Any

from eventcontracts.bounded import MAX_DEPTH
from eventcontracts.traffic.model import MAX_FILE_CHARS, MAX_VALUE_CHARS, TrafficError

CHUNK_CHARS = 1024 * 1024

_SPACE = re.compile(r"[ \t\n\r]*")
# A CloudWatch Logs export line: a timestamp (one token), a space, then the message.
_LOG_PREFIX = re.compile(r"[^\s{\[\]}\",]+[ \t]+(?=[{\[])")


class _NotANumber(ValueError):
    """A number JSON cannot hold (NaN, Infinity, 1e400): refused, not read as a float."""


def _finite(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise _NotANumber(f"the number {token[:40]} is beyond a double")
    return value


def _constant(token: str) -> float:
    raise _NotANumber(f"{token} is not a JSON number")


DECODER = json.JSONDecoder(parse_float=_finite, parse_constant=_constant)


def json_values(text: IO[str], shown: str) -> Iterator[tuple[Any, int]]:
    """Each top-level JSON value of ``text`` (each element of a top-level array) and its line."""
    return _Values(text, shown).values()


def parse_embedded(text: str, where: str, what: str) -> Any:
    """A JSON value held in a string (a PutEvents ``Detail``, a CloudWatch Logs ``message``)."""
    try:
        value = DECODER.decode(text)
    except RecursionError:
        raise _too_deep(where) from None
    except json.JSONDecodeError as error:
        raise TrafficError(f"{where}: {what} is not JSON ({error.msg}); fix or drop it") from None
    except ValueError as error:
        raise TrafficError(f"{where}: {what}: {_number_problem(error)}") from None
    check_depth(value, text, 0, len(text), 0, where)
    return value


def check_depth(value: Any, text: str, start: int, end: int, above: int, where: str) -> None:
    """Refuse a value nested deeper than ``MAX_DEPTH`` (every engine after this recurses).

    Counting brackets in C bounds the depth from above; only a value with more brackets than
    the limit (a long array of objects, or a deep one) is walked.
    """
    allowed = MAX_DEPTH - above
    if text.count("{", start, end) + text.count("[", start, end) <= allowed:
        return
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > allowed:
            raise _too_deep(where)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


def _too_deep(where: str) -> TrafficError:
    return TrafficError(
        f"{where}: nested more than {MAX_DEPTH} levels deep, which no event is; drop this value"
    )


def _number_problem(error: ValueError) -> str:
    if isinstance(error, _NotANumber):
        return f"{error}; JSON numbers must be finite: write it as a string"
    return f"{error}; write it as a string"


class _Values:
    """The reading state: the text read but not yet parsed, and the line it starts on."""

    def __init__(self, text: IO[str], shown: str) -> None:
        self.text = text
        self.shown = shown
        self.buffer = ""
        self.pos = 0
        self.line = 1  # the line of self.pos
        self.read = 0
        self.eof = False

    # -- the buffer ----------------------------------------------------------------------------

    def _fill(self) -> bool:
        """Read one more chunk; False at the end of the file."""
        if self.eof:
            return False
        try:
            chunk = self.text.read(CHUNK_CHARS)
        except UnicodeDecodeError:
            raise TrafficError(
                f"{self.shown}:{self.line}: not UTF-8 text (a binary file?); name captured "
                "JSON events"
            ) from None
        except (OSError, EOFError) as error:  # a gzip file cut short or corrupt
            raise TrafficError(f"{self.shown}: cannot be read ({error}); check it") from None
        if not chunk:
            self.eof = True
            return False
        if not self.read:
            chunk = chunk.removeprefix("\ufeff")  # editors on Windows add a byte-order mark
        self.read += len(chunk)
        if self.read > MAX_FILE_CHARS:
            raise TrafficError(
                f"{self.shown}: more than {MAX_FILE_CHARS // (1024 * 1024)} MiB of text, the "
                "most this tool reads of one file; split it"
            )
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        return True

    def _advance(self, to: int) -> None:
        self.line += self.buffer.count("\n", self.pos, to)
        self.pos = to

    def _peek(self) -> str:
        """The next character after whitespace, or "" at the end of the file."""
        while True:
            self._advance(_SPACE.match(self.buffer, self.pos).end())  # type: ignore[union-attr]
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._fill():
                return ""

    def _error(self, what: str, offset: int | None = None) -> TrafficError:
        line = self.line
        if offset is not None:
            line += self.buffer.count("\n", self.pos, offset)
        return TrafficError(f"{self.shown}:{line}: {what}")

    # -- values --------------------------------------------------------------------------------

    def values(self) -> Iterator[tuple[Any, int]]:
        while char := self._peek():
            if char == "[":
                yield from self._array()
            elif char == "{":
                yield self._value(above=0)
            elif prefix := self._log_prefix():
                self._advance(prefix)
                yield self._value(above=0)
            else:
                raise self._error(
                    "not JSON (a line of captured events starts with '{', '[' or a CloudWatch "
                    "Logs timestamp); fix or drop this line"
                )

    def _log_prefix(self) -> int | None:
        """Where the JSON starts after a CloudWatch Logs timestamp at this place, if one is."""
        while True:
            match = _LOG_PREFIX.match(self.buffer, self.pos)
            if match is not None:
                return match.end()
            # The chunk may end inside the timestamp: read on while the line is not complete.
            if self.buffer.find("\n", self.pos) != -1 or not self._fill():
                return None

    def _array(self) -> Iterator[tuple[Any, int]]:
        self._advance(self.pos + 1)
        if self._peek() == "]":
            self._advance(self.pos + 1)
            return
        while True:
            if not self._peek():
                raise self._error("the array is not closed with ']'; the file is cut short")
            yield self._value(above=1)
            char = self._peek()
            if char == "]":
                self._advance(self.pos + 1)
                return
            if char != ",":
                raise self._error(f"expected ',' or ']' after an array element, not {char!r}")
            self._advance(self.pos + 1)

    def _value(self, *, above: int) -> tuple[Any, int]:
        while True:
            try:
                value, end = DECODER.raw_decode(self.buffer, self.pos)
            except RecursionError:
                raise _too_deep(f"{self.shown}:{self.line}") from None
            except json.JSONDecodeError as error:
                if self._may_continue(error.pos) and self._fill():
                    continue
                raise self._error(f"not JSON ({error.msg}); fix or drop it", error.pos) from None
            except ValueError as error:
                raise self._error(_number_problem(error)) from None
            if end == len(self.buffer) and not isinstance(value, (dict, list)) and self._fill():
                continue  # a number the chunk cut in two: read on
            if end - self.pos > MAX_VALUE_CHARS:
                raise self._too_long()
            line = self.line
            check_depth(value, self.buffer, self.pos, end, above, f"{self.shown}:{line}")
            self._advance(end)
            return value, line

    def _may_continue(self, error_at: int) -> bool:
        """Whether the value may only be cut by the chunk's end, rather than broken.

        JSON strings hold no raw line break, so an error with a line break after it in the
        buffer is a real one; otherwise the rest may be in the next chunk, up to the limit.
        """
        if self.eof or self.buffer.find("\n", error_at) != -1:
            return False
        if len(self.buffer) - self.pos > MAX_VALUE_CHARS:
            raise self._too_long()
        return True

    def _too_long(self) -> TrafficError:
        return self._error(
            f"a JSON value longer than {MAX_VALUE_CHARS // (1024 * 1024)} MiB, which no event "
            "is (EventBridge caps one at 256 KB); drop it"
        )
