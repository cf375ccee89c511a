"""Regular expressions from schemas and bus rules, evaluated in linear time.

``pattern`` and ``patternProperties`` come from pull requests, so they are hostile input: with
a backtracking engine (Python's ``re``) ``^(a+)+$`` against ``"a" * 34 + "!"`` runs for minutes.
This module is the one place the tool compiles such a regex:

- RE2 (``google-re2``) evaluates every pattern it can read, in time linear in the text. JSON
  Schema patterns are ECMA-262; the differences from RE2 that change a match are translated:
  ``\\s``/``\\S`` are ECMA's whitespace (RE2's is ASCII only), ``.`` does not match ``\\r``,
  U+2028 or U+2029 (line terminators in ECMA), ``\\uXXXX``/``\\u{X}`` are code points, ``\\b``
  inside a class is a backspace. ``\\d``, ``\\w``, ``\\b`` are ASCII in both, ``$`` is the end
  of the text (Python's also matched before a final newline). Only ``\\S`` inside a class
  keeps RE2's ASCII reading.
- A pattern RE2 cannot read (lookaround, backreferences) is not linear-time: lint reports it
  (L110), and where a command must still evaluate it, Python's ``re`` does, under a hard budget
  of ``BUDGET_SECONDS`` per evaluation (a SIGALRM timer, which the regex engine checks). A
  pattern that runs out of budget once is not evaluated again: :class:`RegexBudgetExceeded`,
  which callers turn into a finding. Outside the main thread, where no timer can interrupt it,
  such a pattern is not evaluated at all.

:func:`rust_pattern` gives the same semantics in the syntax of Rust's ``regex`` crate, which
pydantic-core (the generated models) evaluates, also in linear time.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from types import FrameType
from typing import Any

import re2

__all__ = [
    "BUDGET_SECONDS",
    "RegexBudgetExceeded",
    "SchemaRegex",
    "compile_pattern",
    "linear_time_problem",
    "re2_pattern",
    "rust_pattern",
    "search",
]

# One evaluation of a pattern RE2 cannot read: long enough for any sane pattern on any sane
# string (microseconds), short enough that a schema full of them still answers in seconds.
BUDGET_SECONDS = 0.2

# ECMA-262's WhiteSpace and LineTerminator code points (what its \s matches).
_ECMA_SPACE = (
    "\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}"
    "\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"
)
_ECMA_DOT = "[^\\n\\r\\x{2028}\\x{2029}]"
_ASCII_DIGIT = "0-9"
_ASCII_WORD = "0-9A-Za-z_"


class RegexBudgetExceeded(Exception):
    """A pattern RE2 cannot read ran out of its time budget (or could not be given one)."""


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # a pattern RE2 refuses is expected, not worth a stderr line
    return options


_RE2_OPTIONS = _options()


@dataclass
class SchemaRegex:
    """A compiled schema pattern; :meth:`search` is JSON Schema's "matches anywhere"."""

    source: str
    linear: bool  # evaluated by RE2; otherwise by Python's re under the budget
    _re2: Any = field(default=None, repr=False)
    _python: re.Pattern[str] | None = field(default=None, repr=False)
    _exhausted: bool = field(default=False, repr=False)

    def search(self, text: str) -> bool:
        """Whether the pattern matches somewhere in ``text``; raises RegexBudgetExceeded."""
        if self._re2 is not None:
            return self._re2.search(text) is not None
        if self._exhausted:
            raise RegexBudgetExceeded(_budget_message(self.source))
        assert self._python is not None
        try:
            return _bounded_search(self._python, text)
        except RegexBudgetExceeded:
            self._exhausted = True
            raise


@lru_cache(maxsize=2048)
def compile_pattern(source: str) -> SchemaRegex:
    """The pattern compiled for evaluation; ``re.error`` when no engine can read it."""
    translated = _translate(source, rust=False)
    if translated is not None:
        try:
            return SchemaRegex(source, True, _re2=re2.compile(translated, _RE2_OPTIONS))
        except re2.error:
            pass
    return SchemaRegex(source, False, _python=re.compile(source))


def search(source: str, text: str) -> bool | None:
    """Whether ``source`` matches somewhere in ``text``; None when that cannot be told: the
    pattern is invalid or ran out of its budget."""
    try:
        return compile_pattern(source).search(text)
    except (re.error, RegexBudgetExceeded, RecursionError, OverflowError):
        return None


def matches(source: str, text: str) -> bool:
    """Whether ``source`` surely matches somewhere in ``text``: a pattern that is invalid or
    ran out of its budget matches nothing (for callers that choose which keywords apply, such
    as patternProperties, where "cannot tell" must not apply a schema)."""
    return search(source, text) is True


def linear_time_problem(source: str) -> str | None:
    """Why ``source`` cannot be evaluated in linear time, or None (also for a pattern no
    engine can read: that is another finding)."""
    try:
        regex = compile_pattern(source)
    except (re.error, RecursionError, OverflowError):
        return None
    if regex.linear:
        return None
    return f"it uses {_nonlinear_construct(source)}, which only a backtracking engine evaluates"


def _nonlinear_construct(source: str) -> str:
    if re.search(r"\(\?<?[=!]", source):
        return "a lookaround ((?=, (?!, (?<=, (?<!)"
    if re.search(r"\\[1-9]|\\k<|\(\?P=", source):
        return "a backreference"
    if re.search(r"[*+?}][+]|\(\?>", source):
        return "a possessive quantifier or atomic group"
    return "syntax RE2 does not read"


def _budget_message(source: str) -> str:
    return (
        f"pattern {source!r} cannot be evaluated in linear time and took longer than "
        f"{BUDGET_SECONDS} s; it was not evaluated"
    )


# The timer below is the runtime's (eventcontracts.runtime._regex) written again on purpose:
# that module loads pydantic-core for the models' engine, which lint has no use for.
class _Timeout(Exception):
    pass


def _raise_timeout(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


def _bounded_search(pattern: re.Pattern[str], text: str) -> bool:
    """``pattern.search(text)`` stopped by a timer after BUDGET_SECONDS (main thread only:
    signals are delivered there, and ``re`` checks for them while it backtracks)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        raise RegexBudgetExceeded(
            f"pattern {pattern.pattern!r} cannot be evaluated in linear time, and no time "
            "budget can be set here; it was not evaluated"
        )
    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, _raise_timeout)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, BUDGET_SECONDS)
    try:
        return pattern.search(text) is not None
    except _Timeout:
        raise RegexBudgetExceeded(_budget_message(pattern.pattern)) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:  # someone else's timer was running: give it back what is left
            left = max(previous_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, previous_interval)


# --- translation from ECMA-262 -------------------------------------------------------------


def rust_pattern(source: str) -> str | None:
    """``source`` (ECMA-262) for Rust's regex crate with ECMA's semantics (its ``\\d``, ``\\w``,
    ``\\s``, ``\\b`` and ``.`` are otherwise Unicode-aware), or None when the pattern needs
    lookaround or backreferences, which that engine does not have."""
    if not compile_pattern(source).linear:
        return None
    return _translate(source, rust=True)


def re2_pattern(source: str) -> str | None:
    """``source`` (ECMA-262) in RE2's syntax with ECMA's semantics, exactly as this module
    evaluates it, or None when RE2 does not read it (lookaround, backreferences, or no valid
    pattern at all). The TypeScript validators hand it to re2js, RE2's JavaScript port."""
    try:
        regex = compile_pattern(source)
    except (re.error, RecursionError, OverflowError):
        return None
    return _translate(source, rust=False) if regex.linear else None


_RUST_CLASS = {"d": _ASCII_DIGIT, "w": _ASCII_WORD, "s": _ECMA_SPACE}


def _translate(source: str, *, rust: bool) -> str | None:
    """The pattern in RE2's syntax (or Rust's), None when it cannot be read as a pattern."""
    out: list[str] = []
    in_class = False
    tokens = _tokens(source)
    for token in tokens:
        if token == "\\":
            return None  # a trailing backslash
        if in_class:
            if token == "]":
                in_class = False
                out.append(token)
            elif token.startswith("\\"):
                out.append(_class_escape(token, rust))
            elif rust and token in ("[", "&", "~"):
                out.append("\\" + token)  # Rust reads [, &&, ~~ inside a class as set syntax
            else:
                out.append(token)
            continue
        if token == "[":
            in_class = True
            out.append(token)
            # ECMA reads a "]" right after "[" or "[^" as the end of an empty class; RE2 and
            # Rust as a literal. The few patterns that write it fall back to Python's re.
            continue
        if token == ".":
            out.append(_ECMA_DOT)
        elif token.startswith("\\"):
            out.append(_escape(token, rust))
        else:
            out.append(token)
    return "".join(out)


def _tokens(source: str) -> Iterator[str]:
    """Characters, with an escape and its argument as one token."""
    index = 0
    while index < len(source):
        char = source[index]
        if char != "\\":
            yield char
            index += 1
            continue
        if index + 1 >= len(source):
            yield "\\"
            return
        nxt = source[index + 1]
        if nxt == "u" and source[index + 2 : index + 3] == "{":
            end = source.find("}", index)
            end = end if end != -1 else len(source) - 1
            yield source[index : end + 1]
            index = end + 1
        elif nxt == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", source[index + 2 : index + 6]):
            yield source[index : index + 6]
            index += 6
        else:
            yield source[index : index + 2]
            index += 2


def _code_point(token: str) -> str | None:
    if token.startswith("\\u{"):
        return f"\\x{{{token[3:-1]}}}"
    if token.startswith("\\u") and len(token) == 6:
        return f"\\x{{{token[2:]}}}"
    return None


def _escape(token: str, rust: bool) -> str:
    letter = token[1]
    point = _code_point(token)
    if point is not None:
        return point
    if letter == "s":
        return f"[{_ECMA_SPACE}]"
    if letter == "S":
        return f"[^{_ECMA_SPACE}]"
    if rust and letter in "dw":
        return f"[{_RUST_CLASS[letter]}]"
    if rust and letter in "DW":
        return f"[^{_RUST_CLASS[letter.lower()]}]"
    if rust and letter in "bB":
        return f"(?-u:\\{letter})"  # ASCII word boundaries, as ECMA's
    if letter == "/":
        return "/"  # ECMA writes "/" escaped (regex literals); RE2 and Rust need no escape
    return token


def _class_escape(token: str, rust: bool) -> str:
    letter = token[1]
    point = _code_point(token)
    if point is not None:
        return point
    if letter == "b":
        return "\\x08"  # a backspace inside a class
    if letter == "s":
        return _ECMA_SPACE
    if rust and letter in "dw":
        return _RUST_CLASS[letter]
    if rust and letter in "DWS":
        return f"[^{_RUST_CLASS[letter.lower()]}]"  # a nested class, which Rust has
    if letter == "/":
        return "/"
    return token


# --- hypothesis-jsonschema ---------------------------------------------------------------


class _Matched:
    """What the shim's search returns for a match: truthy, like a match object."""

    def __bool__(self) -> bool:
        return True


_MATCHED = _Matched()


class _ShimPattern:
    def __init__(self, source: str) -> None:
        self.pattern = source
        self._regex = compile_pattern(source)

    def search(self, string: str, *args: Any) -> _Matched | None:
        try:
            return _MATCHED if self._regex.search(string) else None
        except RegexBudgetExceeded:
            return None


class _ReShim:
    """The part of ``re`` hypothesis-jsonschema uses (search, compile, error), backed by this
    module: it tests drawn keys and strings against schema patterns, and its own ``re`` would
    backtrack for minutes on a hostile one."""

    error = re.error

    @staticmethod
    def compile(pattern: str, flags: int = 0) -> _ShimPattern:
        return _ShimPattern(pattern)

    @staticmethod
    def search(pattern: str, string: str, flags: int = 0) -> _Matched | None:
        return _ShimPattern(pattern).search(string)


def guard_hypothesis_jsonschema() -> None:
    """Point hypothesis-jsonschema's regex calls at this module (idempotent). A pattern out of
    its budget matches nothing there; the validators that check every drawn value say why."""
    from hypothesis_jsonschema import _canonicalise, _from_schema

    for module in (_canonicalise, _from_schema):
        module.re = _ReShim  # type: ignore[attr-defined]
