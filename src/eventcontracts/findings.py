"""One problem found in a file: the diagnostic every checking command reports.

``lint`` makes findings as it checks; ``check``, ``rules check`` and ``compat`` keep their own
richer results and turn them into findings for the formats every command shares
(``eventcontracts.diagnostics``: github, junit, markdown, sarif, and the plain text and json
of the commands that have no layout of their own).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

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


# How much a finding matters. An error fails the check; a warning is shown but does not; a
# note is informational, such as a break a waiver accepts. (SARIF's levels, by the same names.)
ERROR, WARNING, NOTE = "error", "warning", "note"
SEVERITIES = (ERROR, WARNING, NOTE)


@dataclass(frozen=True)
class Evidence:
    """An event that proves a finding: one side (a version, a consumer) accepts it and the
    other rejects it. ``example`` has ``accepted_by``, ``rejected_by``, ``at`` (where in the
    event), ``value``, ``event`` and, for a newly required property, ``missing``; ``label``
    says who accepts and who rejects it: ``counterexample (valid for v2, rejected by v3)``."""

    label: str
    example: Mapping[str, Any] = field(hash=False)

    def printable(self) -> Evidence:
        example = dict(self.example)
        if isinstance(example.get("at"), str):
            example["at"] = printable(example["at"])
        return Evidence(printable(self.label), example)


@dataclass(frozen=True)
class Related:
    """Another place that explains a finding, e.g. the consumer's read a break breaks."""

    file: str
    line: int | None
    message: str


@dataclass(frozen=True)
class Finding:
    """A problem at one place of one file.

    ``file`` is the path as the user sees it (relative to the project root where possible;
    the formats a code host reads name it from the git root), ``line`` is 1-based (``None``
    when the file could not be read far enough to know), ``pointer`` is a JSON pointer into
    the document ("" is the whole document).

    The rest is what a command knows beyond the place: the rule's ``name``, the ``severity``,
    the ``fix`` its rule suggests, the reason of a waiver that accepts it (``waived_by``),
    the ``subject`` it is about (check: the schema and its version; rules check: the bus
    rule), the ``evidence`` that proves it, ``related`` places, and ``details``: the
    command's own data, which the json and sarif formats carry along (compat's
    ``breaks``, check's ``schema`` and ``version``, ``proven``).
    """

    file: str
    line: int | None
    rule: str
    pointer: str
    message: str
    name: str = ""
    severity: str = ERROR
    column: int | None = None
    fix: str = ""
    waived_by: str | None = None
    subject: tuple[str, ...] = ()
    evidence: Evidence | None = field(default=None, hash=False)
    related: tuple[Related, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def place(self) -> str:
        """``file:line``, or the file when the line is not known."""
        return f"{self.file}:{self.line}" if self.line else self.file

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """By place: file, then line (a finding with no line first), then rule."""
        return (self.file, self.line or 0, self.rule, self.pointer, self.message)

    def as_dict(self) -> dict[str, Any]:
        """The finding as the json format of ``lint`` and ``rules check`` lists it."""
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "pointer": self.pointer,
            "message": self.message,
            **self.details,
        }

    def on_host(self, prefix: str) -> Finding:
        """The finding with its files named from the git root, ``prefix`` being the project
        folder there ("" at the top): how a code host names them."""
        if not prefix:
            return self
        related = tuple(replace(r, file=f"{prefix}/{r.file}") for r in self.related)
        return replace(self, file=f"{prefix}/{self.file}", related=related)

    def printable(self) -> Finding:
        """Every text of the finding made :func:`printable`, for the formats people and CI
        logs read (text, markdown, junit); json and sarif escape their own way."""
        return replace(
            self,
            file=printable(self.file),
            rule=printable(self.rule),
            pointer=printable(self.pointer),
            message=printable(self.message),
            name=printable(self.name),
            waived_by=None if self.waived_by is None else printable(self.waived_by),
            subject=tuple(printable(part) for part in self.subject),
            evidence=None if self.evidence is None else self.evidence.printable(),
            related=tuple(
                replace(r, file=printable(r.file), message=printable(r.message))
                for r in self.related
            ),
        )
