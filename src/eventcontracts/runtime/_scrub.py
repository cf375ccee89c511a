"""Text from events and handlers made safe to log: one line, and no payload values by default.

Two dangers. A value with a line break (a detail-type of ``"Order\\n[ERROR] forged"``) written
into a plain-text log forges a line; :func:`one_line` escapes control characters so the text
stays on its line and still shows what was there. And a handler's exception message often quotes
the payload (``customer CUST-58213 has no address at 12 Baker Street``): logs are read by more
people, and kept longer, than the data they would copy. :func:`scrub` keeps a message's prose
and masks what looks like a value: quoted text, anything with a digit, an ``@``, a ``/``, ``=`` or
``_``, and capitalised words after the first (names, streets, cities). It is a heuristic: a
lowercase word that is a value ("paris") survives. Where that matters, raise exceptions whose
messages hold no values; where the whole message is needed, ``Consumer(log_exception_messages=
True)`` logs it unscrubbed.
"""

from __future__ import annotations

import re
import traceback

MASK = "***"

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")
# A word of prose: letters only, capitalised at most when it starts the message.
_PROSE = re.compile(r"[a-z]+(?:-[a-z]+)*")
_FIRST_PROSE = re.compile(r"[A-Za-z][a-z]*(?:-[a-z]+)*")
# Punctuation that surrounds words without being part of a value.
_EDGES = ",.;:!?()[]{}"
_LIMIT = 500


def one_line(text: str) -> str:
    """``text`` with control characters written as escapes (``\\n``), so it is one log line."""
    return _CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


def scrub(message: str) -> str:
    """``message`` with what looks like a payload value replaced by ``***``, on one line."""
    words = []
    for position, token in enumerate(_QUOTED.sub(MASK, message).split()):
        core = token.strip(_EDGES)
        prose = _FIRST_PROSE if position == 0 else _PROSE
        if not core or core == MASK or prose.fullmatch(core):
            words.append(token)
        else:
            start = token.index(core)
            words.append(token[:start] + MASK + token[start + len(core) :])
    text = " ".join(words)
    return one_line(text if len(text) <= _LIMIT else text[:_LIMIT] + "...")


def describe_exception(exc: BaseException, reveal: bool) -> tuple[str, str]:
    """(type, message) of ``exc`` for a log line: the message scrubbed unless ``reveal``."""
    name = type(exc).__qualname__
    module = type(exc).__module__
    if module not in ("builtins", "__main__"):
        name = f"{module}.{name}"
    message = str(exc)
    return name, one_line(message) if reveal else scrub(message)


def raised_at(exc: BaseException) -> str | None:
    """Where ``exc`` was raised, as ``file:line in function`` (code, never data)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return None
    last = frames[-1]
    return f"{last.filename}:{last.lineno} in {last.name}"
