"""One readable string a ``pattern`` matches, read off the pattern's parse: no search.

``^ORD-[0-9]{8}$`` gives ``ORD-12345678``, ``^[A-Z]{3}$`` gives ``ABC``: literals are kept,
each class position takes the next character of the class (digits from 1), an open repeat
(``+``, ``*``, ``{2,}``) runs to a few characters, an optional part (``?``) is left out and
an alternation takes its first branch. What the parse cannot say exactly (lookarounds, anchors
in the middle, a negated category) gets a plausible character, so the result is a *candidate*:
callers check it with the schema's own regex engine (:mod:`eventcontracts.safe_regex`) and fall
back to a search when it does not match. Never a backtracking match here, and the result's
length is bounded, so a hostile pattern costs its parse and no more.
"""

from __future__ import annotations

import string
from functools import lru_cache
from typing import Any

try:  # Python 3.11 moved the parser
    import re._parser as sre_parse  # type: ignore[import-not-found, unused-ignore]
    from re import _constants as sre  # type: ignore[attr-defined, unused-ignore]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as sre  # type: ignore[no-redef, unused-ignore]
    import sre_parse  # type: ignore[no-redef, unused-ignore]

# How many times an open repeat runs when its minimum says less: "abc", "123".
OPEN_REPEAT = 3
# The longest candidate built; beyond it (``a{100000}``) there is no readable example.
MAX_LENGTH = 512
# The most parse items visited: nested repeats of empty parts (``((x?){500}){500}``) add no
# length, so the work is bounded on its own.
MAX_STEPS = 5_000
# The longest pattern parsed: the parse is linear, but a megabyte of pattern is no schema's.
MAX_PATTERN = 4096
_CATEGORIES = {
    sre.CATEGORY_DIGIT: string.digits,
    sre.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    sre.CATEGORY_SPACE: " ",
    sre.CATEGORY_NOT_DIGIT: "a",
    sre.CATEGORY_NOT_WORD: "-",
    sre.CATEGORY_NOT_SPACE: "a",
}
# Tried in order for a negated class or "." : the first one the class allows is taken.
_PLAIN_CHARACTERS = "abcx0123-_ ."
# A class wider than this is not listed character by character; its first characters serve.
_LISTED_CLASS_MAX = 256


class _Unsupported(Exception):
    """A construct with no readable example (or an example too long)."""


def regex_example(pattern: str, stretch: int = 0) -> str | None:
    """A string ``pattern`` probably matches (check it), None when the pattern cannot be read.
    ``stretch``: the least times an open repeat runs (to reach a ``minLength``)."""
    if len(pattern) > MAX_PATTERN:
        return None
    return _example(pattern, max(OPEN_REPEAT, min(stretch, MAX_LENGTH)))


@lru_cache(maxsize=1024)
def _example(pattern: str, open_repeat: int) -> str | None:
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # re.error, RecursionError, OverflowError: no parse, no example
        return None
    writer = _Writer(open_repeat)
    try:
        return writer.sequence(list(parsed))
    except (_Unsupported, RecursionError, ValueError, OverflowError):
        return None


class _Writer:
    def __init__(self, open_repeat: int) -> None:
        self.open_repeat = open_repeat
        self.groups: dict[int, str] = {}
        self.length = 0
        self.steps = 0

    def sequence(self, items: list[Any]) -> str:
        return "".join(self.item(op, value) for op, value in items)

    def item(self, op: Any, value: Any) -> str:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Unsupported("too much work for one example")
        if op is sre.AT or op in (sre.ASSERT, sre.ASSERT_NOT):
            return ""  # anchors and lookarounds add no text; the caller's check judges them
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) or op is getattr(sre, "POSSESSIVE_REPEAT", None):
            low, high, sub = value
            return self.repeat(list(sub), low, high)
        if op is sre.SUBPATTERN:
            text = self.sequence(list(value[-1]))
            if value[0] is not None:
                self.groups[value[0]] = text
            return text
        if op is getattr(sre, "ATOMIC_GROUP", None):
            return self.sequence(list(value))
        if op is sre.BRANCH:
            return self.sequence(list(value[1][0]))
        if op is sre.GROUPREF:
            return self.emit(self.groups.get(value, ""))
        return self.emit(self.characters(op, value)[0])

    def repeat(self, sub: list[Any], low: int, high: int) -> str:
        if low > MAX_LENGTH:
            raise _Unsupported("repeat beyond the longest example")
        # An open repeat runs a few times; a bounded one ({2,5}, ?) takes its least.
        count = max(low, self.open_repeat) if high == sre.MAXREPEAT else low
        if len(sub) == 1 and sub[0][0] in (sre.IN, sre.ANY, sre.NOT_LITERAL, sre.LITERAL):
            alphabet = self.characters(*sub[0])
            # Digits from 1 ("12345678", not "00000000"); other classes from their first.
            start = 1 if alphabet.startswith("0") and len(alphabet) > 1 else 0
            return self.emit(
                "".join(alphabet[(start + index) % len(alphabet)] for index in range(count))
            )
        return "".join(self.sequence(sub) for _ in range(count))

    def emit(self, text: str) -> str:
        self.length += len(text)
        if self.length > MAX_LENGTH:
            raise _Unsupported("longer than the longest example")
        return text

    def characters(self, op: Any, value: Any) -> str:
        """The characters one position may take, the preferred first (never empty)."""
        if op is sre.LITERAL:
            return chr(value)
        if op is sre.ANY:
            return _PLAIN_CHARACTERS[0]
        if op is sre.NOT_LITERAL:
            return next(char for char in _PLAIN_CHARACTERS if ord(char) != value)
        if op is sre.IN:
            return self.char_class(value)
        raise _Unsupported(str(op))

    def char_class(self, members: list[Any]) -> str:
        if members and members[0][0] is sre.NEGATE:
            for char in _PLAIN_CHARACTERS:
                if not _in_class(char, members[1:]):
                    return char
            raise _Unsupported("negated class excluding every plain character")
        chars: list[str] = []
        for op, value in members:
            if op is sre.LITERAL:
                chars.append(chr(value))
            elif op is sre.RANGE:
                first, last = value
                chars.extend(chr(code) for code in range(first, min(last, first + 255) + 1))
            elif op is sre.CATEGORY and value in _CATEGORIES:
                chars.extend(_CATEGORIES[value])
            if len(chars) > _LISTED_CLASS_MAX:
                break
        if not chars:
            raise _Unsupported("empty class")
        return "".join(dict.fromkeys(chars))


def _in_class(char: str, members: list[Any]) -> bool:
    code = ord(char)
    for op, value in members:
        if op is sre.LITERAL and value == code:
            return True
        if op is sre.RANGE and value[0] <= code <= value[1]:
            return True
        if op is sre.CATEGORY:
            listed = _CATEGORIES.get(value)
            if listed is None or value in _NEGATED_CATEGORIES:
                return True  # a negated category inside a negated class: assume it excludes
            if char in listed:
                return True
    return False


_NEGATED_CATEGORIES = frozenset(
    {sre.CATEGORY_NOT_DIGIT, sre.CATEGORY_NOT_WORD, sre.CATEGORY_NOT_SPACE}
)
