"""One problem found in a file: what every checking command reports."""

from __future__ import annotations

import re
from dataclasses import dataclass

# What CI systems and terminals act on inside text: control characters (newlines forge log
# lines, ESC drives terminals and GitLab's collapsible sections), Unicode line and paragraph
# separators, bidirectional overrides (text that reads differently than it is) and lone
# surrogates (which cannot even be written out as UTF-8).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# A line starting with these is a command to GitHub Actions ("::error ...", "::add-mask::",
# the older "##[error]"), whatever step printed it.
_COMMAND_STARTS = ("::", "##[")


def printable(text: object) -> str:
    """Untrusted text made safe to print on one line of any output: every character a CI
    system or terminal would act on becomes a visible escape (``\\n``, ``\\x1b``,
    ``\\u202e``), and a leading ``::`` or ``##[`` loses its power (``\\x3a:error``).

    Applied to every piece of text from a schema, rule, file name or event that a command
    prints, in every format but JSON (whose own escaping does the same for programs)."""
    escaped = _UNSAFE.sub(_escape, str(text))
    indent = len(escaped) - len(escaped.lstrip(" "))
    if escaped[indent:].startswith(_COMMAND_STARTS):
        escaped = f"{escaped[:indent]}\\x{ord(escaped[indent]):02x}{escaped[indent + 1 :]}"
    return escaped


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


@dataclass(frozen=True)
class Finding:
    """A problem at one place of one file.

    ``file`` is the path as the user sees it (relative to the project root where possible),
    ``line`` is 1-based (``None`` when the file could not be read far enough to know),
    ``pointer`` is a JSON pointer into the document ("" is the whole document).
    """

    file: str
    line: int | None
    rule: str
    pointer: str
    message: str

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """By place: file, then line (a finding with no line first), then rule."""
        return (self.file, self.line or 0, self.rule, self.pointer, self.message)

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "file": self.file,
            "line": self.line,
            "pointer": self.pointer,
            "message": self.message,
        }
