"""Printing ``rules check`` and ``rules test`` results: text for people, json for programs."""

from __future__ import annotations

import json
from collections import Counter

import click

from eventcontracts.findings import printable
from eventcontracts.patterns.catalog import ERROR
from eventcontracts.patterns.matrix import RoutingMatrix
from eventcontracts.patterns.runner import RulesCheckResult
from eventcontracts.wording import plural

JSON_FORMAT_VERSION = 1


def render_check_text(result: RulesCheckResult) -> None:
    for finding in result.findings:
        line = finding.line
        file = printable(finding.bus_rule.file)
        place = f"{file}:{line}" if line else file
        colour = "red" if finding.rule.severity == ERROR else "yellow"
        rule_id = click.style(finding.rule.id, fg=colour, bold=True)
        click.echo(
            f"{click.style(place, bold=True)}: {rule_id} "
            f"rule {printable(finding.bus_rule.name)}: {printable(finding.message)} "
            f"{click.style(f'[{finding.rule.name}]', dim=True)}"
        )
    scope = f"{plural(len(result.rules), 'rule')} in {plural(result.files, 'file')}"
    warnings = len(result.findings) - len(result.errors)
    noted = f" ({plural(warnings, 'warning')})" if warnings else ""
    if result.ok:
        click.echo(click.style(f"{scope}: no problems{noted}.", fg="green"))
        return
    counts = Counter(f.rule.id for f in result.errors)
    by_rule = ", ".join(f"{rule} x{count}" for rule, count in sorted(counts.items()))
    click.echo(
        click.style(f"Found {plural(len(result.errors), 'problem')} ({by_rule}){noted}.", fg="red")
        + f" Checked {scope}. 'eventcontracts explain P101' explains a rule."
    )


def render_check_json(result: RulesCheckResult) -> None:
    """Stable shape: ``{"version": 1, "ok", "summary", "findings": [...]}``."""
    payload = {
        "version": JSON_FORMAT_VERSION,
        "ok": result.ok,
        "summary": {
            "files": result.files,
            "rules": len(result.rules),
            "errors": len(result.errors),
            "warnings": len(result.findings) - len(result.errors),
        },
        "findings": [finding.as_dict() for finding in result.findings],
    }
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def render_matrix_text(matrix: RoutingMatrix) -> None:
    for row in matrix.rows:
        cells = ", ".join(
            f"{printable(rule)} {hits}/{row.events}" for rule, hits in row.hits.items() if hits
        )
        label = f"{printable(row.schema)} v{row.version}"
        click.echo(f"{label} -> {cells or click.style('no rule', dim=True)}")
    for rule in matrix.unreached:
        click.echo(
            click.style(f"! rule {printable(rule)} is reached by no event version", fg="yellow")
        )
    for rule in matrix.skipped:
        click.echo(
            click.style(
                f"! rule {printable(rule)} is not tested: see 'eventcontracts rules check'",
                fg="yellow",
            )
        )
    click.echo(
        f"{plural(len(matrix.rows), 'schema version')} x {plural(len(matrix.rules), 'rule')}, "
        f"up to {plural(matrix.count, 'event')} each (seed {matrix.seed})."
    )


def render_matrix_json(matrix: RoutingMatrix) -> None:
    payload = {
        "version": JSON_FORMAT_VERSION,
        "seed": matrix.seed,
        "count": matrix.count,
        "rules": matrix.rules,
        "rows": [
            {"schema": row.schema, "version": row.version, "events": row.events, "hits": row.hits}
            for row in matrix.rows
        ],
        "unreached": matrix.unreached,
        "skipped": matrix.skipped,
    }
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
