"""The github format: workflow commands GitHub Actions shows as annotations on the PR.

``::error file=F,line=N,title=ID name::message``. The message is data: ``%``, CR and LF are
escaped so an untrusted message stays one command; a property also escapes ``:`` and ``,``,
which would end it. The last line is the summary, which is no command.
"""

from __future__ import annotations

from eventcontracts.diagnostics.evidence import shown
from eventcontracts.diagnostics.model import Report
from eventcontracts.findings import ERROR, NOTE, Finding

_COMMANDS = {ERROR: "error", NOTE: "notice"}


def render(report: Report) -> str:
    lines = [_command(finding) for finding in (*report.problems, *report.notes)]
    lines.append(report.summary)
    return "\n".join(lines) + "\n"


def _command(finding: Finding) -> str:
    command = _COMMANDS.get(finding.severity, "warning")
    message = finding.message
    if finding.waived_by is not None:
        message = f"waived ({finding.waived_by}): {message}"
    if finding.evidence:
        message += f"\ncounterexample: {shown(finding.evidence)}"
    properties = [("file", finding.file)]
    if finding.line is not None:
        properties.append(("line", str(finding.line)))
        if finding.column is not None:
            properties.append(("col", str(finding.column)))
    properties.append(("title", f"{finding.rule} {finding.name}"))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{command} {joined}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
