"""The json format: the command's own document, whose shape is stable and documented."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from eventcontracts.diagnostics.model import Report
from eventcontracts.findings import Finding

JSON_FORMAT_VERSION = 1


def render(report: Report) -> str:
    return json.dumps(report.document, indent=2, ensure_ascii=False) + "\n"


def findings_document(
    ok: bool, summary: Mapping[str, Any], findings: Iterable[Finding]
) -> dict[str, Any]:
    """``{"version": 1, "ok", "summary", "findings": [...]}``: the document of the commands
    that report a list of findings (``lint``, ``rules check``)."""
    return {
        "version": JSON_FORMAT_VERSION,
        "ok": ok,
        "summary": dict(summary),
        "findings": [finding.as_dict() for finding in findings],
    }
