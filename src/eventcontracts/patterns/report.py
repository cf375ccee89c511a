"""``rules check`` results as diagnostics (every format of ``eventcontracts.diagnostics``), and
printing ``rules test``'s routing matrix: text for people, json for programs."""

from __future__ import annotations

import json

import click

from eventcontracts.diagnostics import Case, Report
from eventcontracts.diagnostics.json import JSON_FORMAT_VERSION
from eventcontracts.diagnostics.listing import listing_report
from eventcontracts.findings import WARNING, Finding, printable
from eventcontracts.patterns.against_schema import PatternFinding
from eventcontracts.patterns.catalog import ERROR, PATTERN_RULES
from eventcontracts.patterns.matrix import RoutingMatrix
from eventcontracts.patterns.runner import RulesCheckResult
from eventcontracts.wording import plural


def as_report(result: RulesCheckResult, host_prefix: str = "") -> Report:
    """``rules check``'s findings as diagnostics; ``host_prefix`` as in
    :meth:`~eventcontracts.findings.Finding.on_host`, for the formats a code host reads."""
    findings = tuple(_finding(found).on_host(host_prefix) for found in result.findings)
    errors = len(result.errors)
    warnings = len(findings) - errors
    # A testcase per bus rule, passing ones too: (its file, its name).
    cases: dict[tuple[str, str], list[Finding]] = {
        (_on_host(rule.file, host_prefix), rule.name): [] for rule in result.rules
    }
    for finding in findings:
        cases.setdefault((finding.file, finding.subject[0]), []).append(finding)
    return listing_report(
        "rules check",
        findings,
        {"files": result.files, "rules": len(result.rules), "errors": errors, "warnings": warnings},
        scope=f"{plural(len(result.rules), 'rule')} in {plural(result.files, 'file')}",
        explain="'eventcontracts explain P101' explains a rule.",
        rules=PATTERN_RULES,
        cases=tuple(Case(file, name, tuple(found)) for (file, name), found in cases.items()),
        noted=f" ({plural(warnings, 'warning')})" if warnings else "",
        subject_columns=("Bus rule",),
        subject_word="rule",
    )


def _finding(found: PatternFinding) -> Finding:
    return Finding(
        file=found.bus_rule.file,
        line=found.line,
        rule=found.rule.id,
        pointer=found.file_pointer,
        message=found.message,
        name=found.rule.name,
        severity=ERROR if found.rule.severity == ERROR else WARNING,
        fix=found.rule.fix,
        subject=(found.bus_rule.name,),
        details={"bus_rule": found.bus_rule.name},
    )


def _on_host(file: str, prefix: str) -> str:
    return f"{prefix}/{file}" if prefix else file


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
