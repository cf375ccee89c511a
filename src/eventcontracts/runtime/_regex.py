"""Schema patterns at run time, in linear time: what the embedded schema check searches with.

Codegen writes every pattern in the syntax of Rust's ``regex`` crate with ECMA-262's semantics
(``\\d`` is ``[0-9]``...), and pydantic-core, which the models already stand on, evaluates it
in time linear in the string. A pattern that engine cannot read (lookaround, backreferences;
lint reports them, L110) is searched with Python's ``re`` under a budget of ``BUDGET_SECONDS``
(a SIGALRM timer, main thread only) on each search; one that runs out, or that could not be
given a budget, is :class:`PatternUndecided`: the event is refused with a reason, never a
hang. The standard library and pydantic-core only: the runtime ships to Lambda without the
tool.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from functools import lru_cache
from types import FrameType

from pydantic_core import SchemaError, SchemaValidator, ValidationError

__all__ = ["BUDGET_SECONDS", "PatternUndecided", "search"]

BUDGET_SECONDS = 0.2


class PatternUndecided(Exception):
    """A pattern no linear-time engine reads ran out of its budget (or could get none)."""


@lru_cache(maxsize=512)
def _linear(pattern: str) -> SchemaValidator | None:
    try:
        return SchemaValidator({"type": "str", "pattern": pattern})
    except SchemaError:
        return None


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches somewhere in ``text``; raises PatternUndecided."""
    linear = _linear(pattern)
    if linear is not None:
        try:
            linear.validate_python(text)
        except ValidationError:
            return False
        return True
    # Every search gets its budget (no pattern is given up on for good): one hostile event
    # must not make a consumer refuse the valid ones that follow.
    return _bounded_search(re.compile(pattern), text)


class _Timeout(Exception):
    pass


def _raise_timeout(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


def _bounded_search(pattern: re.Pattern[str], text: str) -> bool:
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        raise PatternUndecided(
            f"pattern {pattern.pattern!r} needs a backtracking engine and no time budget can "
            "be set outside the main thread"
        )
    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, _raise_timeout)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, BUDGET_SECONDS)
    try:
        return pattern.search(text) is not None
    except _Timeout:
        raise PatternUndecided(
            f"pattern {pattern.pattern!r} took longer than {BUDGET_SECONDS} s"
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            left = max(previous_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, previous_interval)
