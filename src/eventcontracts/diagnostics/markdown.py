"""The markdown format: a pull request comment with the verdict, a table and the details.

Everything from a schema, a rule file or an event is untrusted: HTML is escaped, a table
cell's pipes are escaped and its line breaks dropped, and code spans and fences are longer
than any run of backticks inside them, so no text can close them early.
"""

from __future__ import annotations

from eventcontracts.diagnostics.evidence import in_full, shown
from eventcontracts.diagnostics.model import Report
from eventcontracts.findings import WARNING, Finding


def render(report: Report) -> str:
    problems = [finding.printable() for finding in report.problems]
    failing = [finding.printable() for finding in report.failing]
    warnings = [p for p in problems if p.severity == WARNING and p.waived_by is None]
    waived = [p for p in problems if p.waived_by is not None]
    mark = "✅" if report.ok else "❌"
    lines = [f"## {mark} eventcontracts {report.command}: {report.headline}", "", report.summary]
    if failing:
        columns = [*report.subject_columns, "Rule", "Where", "What"]
        lines += ["", _row(columns), _row(["---"] * len(columns))]
        lines += [_row(_cells(finding)) for finding in failing]
        for finding in failing:
            lines += ["", *_details(finding)]
    if warnings:
        lines += ["", "### Warnings", ""]
        lines += [f"- {_listed(w)}: {html(w.message)}" for w in warnings]
    if waived:
        lines += ["", "### Waived", ""]
        lines += [
            f"- {code(p.place)} {p.rule} {code(p.name)}{_part(p)}: {html(p.waived_by or '')}"
            for p in waived
        ]
    if report.changes:
        lines += ["", "### Compatible changes", ""]
        changes = [change.printable() for change in report.changes]
        lines += [f"- {_about(c)}{_listed(c)}: {html(c.message)}" for c in changes]
    if report.notes:
        lines += ["", "### Notes", ""]
        notes = [note.printable() for note in report.notes]
        lines += [f"- {_listed(n)}: {html(n.message)}" for n in notes]
    return "\n".join(lines) + "\n"


def _cells(finding: Finding) -> list[str]:
    subject = [
        code(part) if index == 0 else html(part) for index, part in enumerate(finding.subject)
    ]
    return [
        *subject,
        f"{finding.rule} {code(finding.name)}",
        code(finding.place),
        html(finding.message),
    ]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell(text) for text in cells) + " |"


def _listed(finding: Finding) -> str:
    return f"{code(finding.place)} {finding.rule} {code(finding.name)}"


def _about(finding: Finding) -> str:
    """``com.x@Y`` v2 : the subject of a listed change, the first part as code."""
    parts = [code(part) if i == 0 else html(part) for i, part in enumerate(finding.subject)]
    return "".join(f"{part} " for part in parts)


def _part(finding: Finding) -> str:
    """`` (v2)``: the last part of the subject, e.g. the version a waiver accepts."""
    return f" ({html(finding.subject[-1])})" if finding.subject else ""


def _details(finding: Finding) -> list[str]:
    title = f"{finding.rule} {finding.name}: "
    if finding.subject:
        rest = f" ({', '.join(finding.subject[1:])})" if len(finding.subject) > 1 else ""
        title += f"{finding.subject[0]}{rest}"
    else:
        title += finding.place
    lines = ["<details>", f"<summary>{html(title)}</summary>", ""]
    where = f" at {code(finding.pointer)}" if finding.pointer else ""
    lines.append(f"In {code(finding.place)}{where}")
    lines += ["", html(finding.message)]
    if finding.evidence:
        example = in_full(finding.evidence)
        fence = _fence(example)
        label = finding.evidence.label
        lines += ["", f"{label[0].upper()}{label[1:]}: {code(shown(finding.evidence))}; in full:"]
        lines += ["", f"{fence}json", example, fence]
    if finding.fix:
        lines += ["", f"Fix: {html(finding.fix)}"]
    return [*lines, "", "</details>"]


def cell(text: str) -> str:
    """Text made one table cell: its pipes escaped (also inside code), its line breaks gone."""
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code(text: str) -> str:
    """``text`` as a code span that no backtick inside it can close."""
    longest = _longest_backtick_run(text)
    if not longest:
        return f"`{text}`"
    ticks = "`" * (longest + 1)
    return f"{ticks} {text} {ticks}"


def _fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in ``text``."""
    return "`" * max(3, _longest_backtick_run(text) + 1)


def _longest_backtick_run(text: str) -> int:
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return longest
