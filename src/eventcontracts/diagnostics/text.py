"""The text format: a line per finding, then the summary; colour on a terminal only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import click

from eventcontracts.diagnostics.model import Report
from eventcontracts.findings import ERROR, Finding


def render(report: Report) -> str:
    lines = [_line(report, finding.printable()) for finding in report.problems]
    colour = "green" if report.ok else "red"
    lines.append(click.style(report.verdict, fg=colour) + report.more)
    return "\n".join(lines) + "\n"


def _line(report: Report, finding: Finding) -> str:
    colour = "red" if finding.severity == ERROR else "yellow"
    subject = (
        f"{report.subject_word} {finding.subject[-1]}: "
        if report.subject_word and finding.subject
        else ""
    )
    return (
        f"{click.style(finding.place, bold=True)}: "
        f"{click.style(finding.rule, fg=colour, bold=True)} {subject}{finding.message} "
        f"{click.style(f'[{finding.name}]', dim=True)}"
    )


def by_rule(findings: Iterable[Finding]) -> str:
    """``L101 x2, L203 x1``: how many findings each rule made, by rule ID."""
    counts = Counter(finding.rule for finding in findings)
    return ", ".join(f"{rule} x{count}" for rule, count in sorted(counts.items()))
