"""The sarif format: SARIF 2.1.0 for code scanning (GitHub's upload-sarif, GitLab, Azure).

One run: the tool with the rules that occur, and a result per problem and note with its
location; a waived break is a ``note`` with an external suppression.
"""

from __future__ import annotations

import json
from typing import Any

from eventcontracts.diagnostics.evidence import sentence
from eventcontracts.diagnostics.model import Report
from eventcontracts.findings import Finding
from eventcontracts.version import __version__

INFORMATION_URI = "https://github.com/eventcontracts/eventcontracts"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(report: Report) -> str:
    findings = [*report.problems, *report.notes]
    rule_ids = sorted({finding.rule for finding in findings})
    rules = []
    for rule_id in rule_ids:
        rule = report.rules.get(rule_id)
        name, summary = (rule.name, rule.summary) if rule else (rule_id, rule_id)
        rules.append({"id": rule_id, "name": name, "shortDescription": {"text": summary}})
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "eventcontracts",
                        "informationUri": INFORMATION_URI,
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": [_result(finding, rule_ids) for finding in findings],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _result(finding: Finding, rule_ids: list[str]) -> dict[str, Any]:
    text = finding.message
    if finding.evidence:
        text += f"; {sentence(finding.evidence)}"
    found: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_ids.index(finding.rule),
        "level": finding.severity,
        "message": {"text": text},
        "locations": [_location(finding.file, finding.line, finding.column)],
    }
    properties = {**finding.details, **({"pointer": finding.pointer} if finding.pointer else {})}
    if properties:
        found["properties"] = properties
    if finding.related:
        found["relatedLocations"] = [
            {
                "id": index,
                "message": {"text": related.message},
                **_location(related.file, related.line),
            }
            for index, related in enumerate(finding.related, start=1)
        ]
    if finding.waived_by is not None:
        found["suppressions"] = [{"kind": "external", "justification": finding.waived_by}]
    return found


def _location(file: str, line: int | None, column: int | None = None) -> dict[str, Any]:
    region: dict[str, int] = {}
    if line is not None:
        region["startLine"] = line
        if column is not None:
            region["startColumn"] = column
    physical: dict[str, Any] = {"artifactLocation": {"uri": file}}
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}
