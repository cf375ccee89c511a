"""What a checking command hands the writers: its findings, its verdict, its rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from eventcontracts.findings import ERROR, Finding
from eventcontracts.rules import Rule


@dataclass(frozen=True)
class Case:
    """One testcase of the junit format: ``classname`` groups it (a schema, a rule file),
    ``name`` is what passed or failed (a version, a bus rule, a file)."""

    classname: str
    name: str
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Report:
    """One run of one checking command, in the terms every format shares.

    ``problems`` are what the check reports (failing or not, waived or not), ``notes`` what
    does not fail it by itself (an expired waiver), ``changes`` the compatible changes a
    reviewer may want listed. ``verdict`` and ``more`` make the summary sentence (the text
    format colours the verdict); ``headline`` is the short verdict a pull request comment's
    heading shows. ``document`` is the command's json document, whose shape is its own and
    stable. ``rules`` describe the rule IDs that may occur, for the formats that list them.
    """

    command: str  # "lint", "check", "rules check", "compat"
    ok: bool
    verdict: str
    headline: str
    document: Mapping[str, Any] = field(hash=False)
    problems: tuple[Finding, ...] = ()
    notes: tuple[Finding, ...] = ()
    changes: tuple[Finding, ...] = ()
    more: str = ""
    rules: Mapping[str, Rule] = field(default_factory=dict, hash=False)
    # The junit testcases, passing ones included; each command knows what it checked.
    cases: tuple[Case, ...] = ()
    # The columns of a finding's ``subject`` in the markdown table ("Schema", "Version"),
    # and the word the text format introduces a subject with ("rule" for a bus rule).
    subject_columns: tuple[str, ...] = ()
    subject_word: str = ""

    @property
    def summary(self) -> str:
        """One sentence: what was checked and the verdict."""
        return self.verdict + self.more

    @property
    def failing(self) -> list[Finding]:
        return [finding for finding in self.problems if finding.severity == ERROR]


def cases_by_file(findings: Iterable[Finding], classname: str, everything: str) -> tuple[Case, ...]:
    """A testcase per file with findings, in the order of the findings; ``everything`` names
    the one passing testcase of a run that found nothing (the files passing are not known)."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    if not by_file:
        return (Case(classname, everything),)
    return tuple(Case(classname, file, tuple(found)) for file, found in by_file.items())
