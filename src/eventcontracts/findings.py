"""One problem found in a file: what every checking command reports."""

from __future__ import annotations

from dataclasses import dataclass


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
