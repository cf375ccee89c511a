"""The report of a command that lists findings (``lint``, ``rules check``): its verdict
sentence and its json document are made the same way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eventcontracts.diagnostics.json import findings_document
from eventcontracts.diagnostics.model import Case, Report
from eventcontracts.diagnostics.text import by_rule
from eventcontracts.findings import ERROR, Finding
from eventcontracts.rules import Rule
from eventcontracts.wording import plural


def listing_report(
    command: str,
    findings: tuple[Finding, ...],
    summary: Mapping[str, Any],
    *,
    scope: str,
    explain: str,
    rules: Mapping[str, Rule],
    cases: tuple[Case, ...],
    in_files: bool = False,
    noted: str = "",
    subject_columns: tuple[str, ...] = (),
    subject_word: str = "",
) -> Report:
    """``findings`` of ``command``, which fails on an error; ``summary`` is the json
    document's; ``scope`` what was checked (``5 rules in 4 files``), ``explain`` the hint
    that ends a failing verdict; ``in_files`` counts the files with errors, and ``noted``
    follows the counts (`` (1 warning)``)."""
    errors = [finding for finding in findings if finding.severity == ERROR]
    verdict, more, headline = _found(errors, scope, explain, in_files=in_files, noted=noted)
    return Report(
        command=command,
        ok=not errors,
        verdict=verdict,
        more=more,
        headline=headline,
        document=findings_document(not errors, summary, findings),
        problems=findings,
        rules=rules,
        cases=cases,
        subject_columns=subject_columns,
        subject_word=subject_word,
    )


def _found(
    errors: Sequence[Finding], scope: str, explain: str, *, in_files: bool, noted: str
) -> tuple[str, str, str]:
    """(verdict, more, headline): ``Found 2 problems in 1 file (L101 x2).`` and `` Checked
    SCOPE. EXPLAIN``, or ``SCOPE: no problems.``"""
    if not errors:
        return f"{scope}: no problems{noted}.", "", "no problems"
    problems = plural(len(errors), "problem")
    files = f" in {plural(len({f.file for f in errors}), 'file')}" if in_files else ""
    return (
        f"Found {problems}{files} ({by_rule(errors)}){noted}.",
        f" Checked {scope}. {explain}",
        f"{problems}{files}",
    )
