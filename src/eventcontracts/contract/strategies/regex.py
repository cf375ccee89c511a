"""Strings that match a ``pattern``, drawn in few choices.

``st.from_regex`` draws a string one character at a time; a pattern such as
``^ORD-[0-9]{6}$`` costs it a dozen choices per value. Most event schema patterns are
literals, classes and counted repeats, and those compile here to a concatenation of constant
text and ``st.text`` over a fixed alphabet (one choice each). Anything else (lookarounds,
backreferences, negated classes with ranges, anchors in the middle) is left to
``st.from_regex``; either way a final ``re.search`` keeps every string a match.

Characters come from ASCII where the pattern names a category (``\\d`` is ``0-9``, ``\\w`` is
``[A-Za-z0-9_]``): a subset of what Python's ``re`` accepts, so never a wrong match.
"""

from __future__ import annotations

import re
import string
from typing import Any

from hypothesis import strategies as st

from eventcontracts.contract.strategies.text import ASCII_PRINTABLE, PRINTABLE
from eventcontracts.safe_regex import compile_pattern

try:  # Python 3.11 moved the parser
    import re._parser as sre_parse  # type: ignore[import-not-found, unused-ignore]
    from re import _constants as sre  # type: ignore[attr-defined, unused-ignore]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as sre  # type: ignore[no-redef, unused-ignore]
    import sre_parse  # type: ignore[no-redef, unused-ignore]

Strategy = st.SearchStrategy[str]
# How far an open repeat (``+``, ``*``, ``{2,}``) runs past its minimum.
_OPEN_REPEAT = {False: 8, True: 4}
_CATEGORIES = {
    sre.CATEGORY_DIGIT: string.digits,
    sre.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    sre.CATEGORY_SPACE: " ",
}
# A class larger than this is drawn from a characters() range rather than a listed alphabet.
_LISTED_CLASS_MAX = 256


class Unsupported(Exception):
    """A construct this compiler leaves to st.from_regex."""


def matching(pattern: str, realistic: bool, alphabet: Any = None) -> Strategy:
    """Strings ``re.search(pattern, s)`` finds a match in (the whole string matches)."""
    compiled = re.compile(pattern)  # parsed for st.from_regex; matched by RE2 below
    regex = compile_pattern(pattern)
    try:
        # Exact for what it accepts (the tests hold it to re.fullmatch): no filter needed.
        return _Compiler(realistic).top(sre_parse.parse(pattern))
    except Unsupported:
        pass
    if alphabet is None:
        strategy = st.from_regex(compiled, fullmatch=True)
    else:
        strategy = st.from_regex(compiled, fullmatch=True, alphabet=alphabet)
    return strategy.filter(regex.search)


class _Compiler:
    def __init__(self, realistic: bool) -> None:
        self.realistic = realistic

    def top(self, parsed: Any) -> Strategy:
        items = list(parsed)
        if items and items[0] == (sre.AT, sre.AT_BEGINNING):
            items = items[1:]
        if items and items[-1] in ((sre.AT, sre.AT_END), (sre.AT, sre.AT_END_STRING)):
            items = items[:-1]
        return self.sequence(items)

    def sequence(self, items: list[Any]) -> Strategy:
        parts: list[Strategy | str] = []
        for op, value in items:
            part = self.item(op, value)
            if isinstance(part, str) and parts and isinstance(parts[-1], str):
                parts[-1] += part
            else:
                parts.append(part)
        if not parts:
            return st.just("")
        if len(parts) == 1:
            only = parts[0]
            return st.just(only) if isinstance(only, str) else only
        # Constant text is spliced in after drawing: only the variable parts cost a choice.
        drawn = [part for part in parts if not isinstance(part, str)]

        def splice(values: tuple[str, ...] | str) -> str:
            pending = iter((values,) if isinstance(values, str) else values)
            return "".join(part if isinstance(part, str) else next(pending) for part in parts)

        return (drawn[0] if len(drawn) == 1 else st.tuples(*drawn)).map(splice)

    def item(self, op: Any, value: Any) -> Strategy | str:
        if op is sre.LITERAL:
            return chr(value)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) or op is getattr(sre, "POSSESSIVE_REPEAT", None):
            low, high, sub = value
            return self.repeat(list(sub), low, high)
        if op is sre.SUBPATTERN:
            return self.sequence(list(value[-1]))
        if op is sre.BRANCH:
            return st.one_of([self.sequence(list(branch)) for branch in value[1]])
        alphabet = self.alphabet(op, value)
        return st.text(alphabet, min_size=1, max_size=1)

    def repeat(self, sub: list[Any], low: int, high: int) -> Strategy:
        if high == sre.MAXREPEAT:
            high = low + _OPEN_REPEAT[self.realistic]
        if len(sub) == 1 and sub[0][0] in (sre.IN, sre.ANY, sre.NOT_LITERAL, sre.LITERAL):
            return st.text(self.alphabet(*sub[0]), min_size=low, max_size=high)
        inner = self.sequence(sub)
        return st.lists(inner, min_size=low, max_size=high).map("".join)

    def alphabet(self, op: Any, value: Any) -> Any:
        """The characters one position may take: a string, or a characters() strategy."""
        if op is sre.LITERAL:
            return chr(value)
        if op is sre.ANY:
            base = ASCII_PRINTABLE if self.realistic else PRINTABLE
            return base
        if op is sre.NOT_LITERAL:
            return st.characters(
                codec="ascii" if self.realistic else "utf-8",
                exclude_categories=("Cc", "Cs"),
                exclude_characters=chr(value),
            )
        if op is sre.IN:
            return self.char_class(value)
        raise Unsupported(str(op))

    def char_class(self, members: list[Any]) -> Any:
        if members and members[0][0] is sre.NEGATE:
            excluded = []
            for op, value in members[1:]:
                if op is not sre.LITERAL:
                    raise Unsupported("negated class with ranges")
                excluded.append(chr(value))
            return st.characters(
                codec="ascii" if self.realistic else "utf-8",
                exclude_categories=("Cc", "Cs"),
                exclude_characters="".join(excluded),
            )
        chars: list[str] = []
        for op, value in members:
            if op is sre.LITERAL:
                chars.append(chr(value))
            elif op is sre.RANGE:
                first, last = value
                if last - first > _LISTED_CLASS_MAX:
                    raise Unsupported("wide range")
                chars.extend(chr(code) for code in range(first, last + 1))
            elif op is sre.CATEGORY and value in _CATEGORIES:
                chars.extend(_CATEGORIES[value])
            else:
                raise Unsupported(str(op))
        if not chars:
            raise Unsupported("empty class")
        return "".join(dict.fromkeys(chars))
