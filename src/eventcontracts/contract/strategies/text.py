"""Strings without a format or a pattern: printable text, or realistic words for samples.

Printable means no control characters and no surrogates (a NUL byte in an event is never what a
producer meant to send), but everything else Unicode has stays in play, so property-based tests
still meet accents, CJK and emoji, the empty string and strings at their length limits.
"""

from __future__ import annotations

from hypothesis import strategies as st

# Every code point that encodes as UTF-8 except control characters (Cc: NUL, tabs, escapes)
# and unpaired surrogates (Cs: not encodable).
PRINTABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))
ASCII_PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)

# Words that read well in docs and sample events.
WORDS = (
    "amber", "anchor", "aspen", "atlas", "basil", "beacon", "birch", "cedar", "cobalt", "comet",
    "coral", "delta", "ember", "falcon", "fern", "garnet", "harbor", "hazel", "indigo", "juniper",
    "kestrel", "lagoon", "linen", "maple", "meadow", "nova", "oak", "onyx", "orchid", "pebble",
    "pine", "quartz", "raven", "river", "saffron", "sage", "slate", "spruce", "summit", "tide",
    "topaz", "tulip", "umber", "velvet", "willow", "zephyr",
)  # fmt: skip
# Default upper bound of free text: long enough to vary, short enough to read.
FREE_TEXT_MAX = 40


def free_text(min_size: int, max_size: int | None, *, realistic: bool) -> st.SearchStrategy[str]:
    """A string of ``min_size`` to ``max_size`` code points (``jsonschema`` counts code points)."""
    if not realistic:
        upper = max_size if max_size is not None else max(min_size, FREE_TEXT_MAX) * 2
        return st.text(PRINTABLE, min_size=min_size, max_size=upper)
    upper = max_size if max_size is not None else max(min_size, FREE_TEXT_MAX)
    return st.builds(
        _phrase,
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
        st.integers(1, 999),
        st.just(min_size),
        st.just(upper),
    )


def _phrase(words: list[str], number: int, min_size: int, max_size: int) -> str:
    """Words and a number, ``amber-harbor-42``, padded or cut to fit the length limits."""
    text = "-".join([*words, str(number)])
    while len(text) < min_size:
        text += "-" + text
    return text[:max_size]
