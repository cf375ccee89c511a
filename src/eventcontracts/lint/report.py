"""Printing lint results: ``text`` for people, ``json`` for programs."""

from __future__ import annotations

import json
from collections import Counter

import click

from eventcontracts.findings import printable
from eventcontracts.lint.catalog import RULES
from eventcontracts.lint.runner import LintResult
from eventcontracts.wording import plural

JSON_FORMAT_VERSION = 1


def render_text(result: LintResult) -> None:
    for finding in result.findings:
        file = printable(finding.file)
        place = f"{file}:{finding.line}" if finding.line else file
        rule = RULES[finding.rule]
        click.echo(
            f"{click.style(place, bold=True)}: {click.style(finding.rule, fg='red', bold=True)} "
            f"{printable(finding.message)} {click.style(f'[{rule.name}]', dim=True)}"
        )
    scope = (
        f"{plural(result.schemas, 'schema')}, {plural(result.versions, 'version')}, "
        f"{plural(result.examples, 'sample event')}"
    )
    if result.ok:
        click.echo(click.style(f"{scope}: no problems.", fg="green"))
        return
    counts = Counter(f.rule for f in result.findings)
    by_rule = ", ".join(f"{rule} x{count}" for rule, count in sorted(counts.items()))
    files = plural(len({f.file for f in result.findings}), "file")
    problems = plural(len(result.findings), "problem")
    click.echo(
        click.style(f"Found {problems} in {files} ({by_rule}).", fg="red")
        + f" Checked {scope}. 'eventcontracts explain' explains each rule."
    )


def render_json(result: LintResult) -> None:
    """Stable shape: ``{"version": 1, "ok", "summary", "findings": [...]}``."""
    payload = {
        "version": JSON_FORMAT_VERSION,
        "ok": result.ok,
        "summary": {
            "schemas": result.schemas,
            "versions": result.versions,
            "examples": result.examples,
            "problems": len(result.findings),
        },
        "findings": [
            {**finding.as_dict(), "name": RULES[finding.rule].name} for finding in result.findings
        ],
    }
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
