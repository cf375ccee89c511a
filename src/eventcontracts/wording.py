"""Words the commands print the same way everywhere: counts in summary lines, suggestions."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and ``noun`` as a person writes them: "1 schema", "2 schemas", "0 schemas".

    ``many`` is the plural when adding an "s" is wrong ("1 entry", "2 entries").
    """
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def did_you_mean(word: object, choices: Iterable[object]) -> str:
    """``; did you mean 'mode'?`` for the closest of ``choices`` to ``word``, or nothing.

    ``word`` may be any key a parser produced (a YAML key can be a number), so both sides are
    compared as text.
    """
    close = difflib.get_close_matches(
        str(word), [str(choice) for choice in choices], n=1, cutoff=0.6
    )
    return f"; did you mean {close[0]!r}?" if close else ""
