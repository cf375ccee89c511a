"""The junit format, for CI systems that show test reports (GitLab, Jenkins, Azure DevOps).

One testsuite for the command, a testcase per thing it checked (``Report.cases``), a failure
per error, a testcase whose findings are all waived as skipped. Attribute values and text are
escaped by ElementTree; every text is made printable too, since CI logs show them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from eventcontracts.diagnostics.evidence import in_full, sentence
from eventcontracts.diagnostics.model import Report
from eventcontracts.findings import ERROR, Finding, printable


def render(report: Report) -> str:
    suite = ET.Element("testsuite", {"name": f"eventcontracts {report.command}"})
    tests = failures = skipped = 0
    for case in report.cases:
        element = ET.SubElement(
            suite,
            "testcase",
            {"classname": printable(case.classname), "name": printable(case.name)},
        )
        tests += 1
        found = [finding.printable() for finding in case.findings]
        failing = [finding for finding in found if finding.severity == ERROR]
        for finding in failing:
            failure = ET.SubElement(
                element,
                "failure",
                {"type": finding.rule, "message": f"{finding.name}: {finding.message}"},
            )
            failure.text = _body(finding)
        failures += bool(failing)
        waived = [finding for finding in found if finding.waived_by is not None]
        if waived and not failing:
            ET.SubElement(element, "skipped", {"message": f"waived: {waived[0].waived_by}"})
            skipped += 1
    if report.notes:
        out = ET.SubElement(suite, "system-out")
        notes = [note.printable() for note in report.notes]
        out.text = "".join(f"{n.place}: {n.rule} {n.name}: {n.message}\n" for n in notes)
    suite.attrib.update(
        {"tests": str(tests), "failures": str(failures), "errors": "0", "skipped": str(skipped)}
    )
    ET.indent(suite)
    xml = ET.tostring(suite, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}\n'


def _body(finding: Finding) -> str:
    lines = [f"{finding.place}: {finding.rule} {finding.name}", finding.message]
    if finding.pointer:
        lines.append(f"at {finding.pointer}")
    if finding.evidence:
        lines += [sentence(finding.evidence), in_full(finding.evidence)]
    return "\n".join(lines)
