"""Words of the summary lines every command prints."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and ``noun`` as a person writes them: "1 schema", "2 schemas", "0 schemas".

    ``many`` is the plural when adding an "s" is wrong ("1 entry", "2 entries").
    """
    return f"{count} {noun if count == 1 else many or noun + 's'}"
