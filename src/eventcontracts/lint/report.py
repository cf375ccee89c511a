"""Lint results as diagnostics, for every format of ``eventcontracts.diagnostics``."""

from __future__ import annotations

import dataclasses

from eventcontracts import diagnostics
from eventcontracts.diagnostics.text import by_rule
from eventcontracts.lint.catalog import RULES
from eventcontracts.lint.runner import LintResult
from eventcontracts.wording import plural


def as_report(result: LintResult, host_prefix: str = "") -> diagnostics.Report:
    """``host_prefix``: the project folder from the git root, for the formats a code host
    reads ("" names files from the project folder, as the text and json formats do)."""
    findings = tuple(
        dataclasses.replace(
            finding.on_host(host_prefix),
            name=RULES[finding.rule].name,
            fix=RULES[finding.rule].fix,
        )
        for finding in result.findings
    )
    scope = (
        f"{plural(result.schemas, 'schema')}, {plural(result.versions, 'version')}, "
        f"{plural(result.examples, 'sample event')}"
    )
    files = plural(len({f.file for f in findings}), "file")
    problems = plural(len(findings), "problem")
    if result.ok:
        verdict, more, headline = f"{scope}: no problems.", "", "no problems"
    else:
        verdict = f"Found {problems} in {files} ({by_rule(findings)})."
        more = f" Checked {scope}. 'eventcontracts explain' explains each rule."
        headline = f"{problems} in {files}"
    summary = {
        "schemas": result.schemas,
        "versions": result.versions,
        "examples": result.examples,
        "problems": len(findings),
    }
    return diagnostics.Report(
        command="lint",
        ok=result.ok,
        verdict=verdict,
        more=more,
        headline=headline,
        document=diagnostics.json.findings_document(result.ok, summary, findings),
        problems=findings,
        rules=RULES,
        cases=diagnostics.cases_by_file(findings, "lint", "registry"),
    )
