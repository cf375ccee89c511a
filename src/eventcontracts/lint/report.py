"""Lint results as diagnostics, for every format of ``eventcontracts.diagnostics``."""

from __future__ import annotations

import dataclasses

from eventcontracts.diagnostics import Report, cases_by_file
from eventcontracts.diagnostics.listing import listing_report
from eventcontracts.lint.catalog import RULES
from eventcontracts.lint.runner import LintResult
from eventcontracts.wording import plural


def as_report(result: LintResult, host_prefix: str = "") -> Report:
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
    summary = {
        "schemas": result.schemas,
        "versions": result.versions,
        "examples": result.examples,
        "problems": len(findings),
    }
    return listing_report(
        "lint",
        findings,
        summary,
        scope=scope,
        explain="'eventcontracts explain' explains each rule.",
        rules=RULES,
        cases=cases_by_file(findings, "lint", "registry"),
        in_files=True,
    )
