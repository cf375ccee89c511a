"""Printing a compatibility report: ``text`` is compat's own layout, for people; the other
formats are those of ``eventcontracts.diagnostics``, fed with the changes as findings."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click

from eventcontracts import diagnostics
from eventcontracts.compat.engine import BACKWARD, Change, Report
from eventcontracts.compat.rules import RULES
from eventcontracts.diagnostics.host import host_path
from eventcontracts.findings import ERROR, NOTE, Evidence, Finding, Related, printable
from eventcontracts.registry.documents import read_document
from eventcontracts.wording import plural

READERS = {
    BACKWARD: "consumers on the new version reject events of the old",
    "FORWARD": "consumers on the old version reject events of the new",
}


def write(report: Report, output_format: str, old_file: Path, new_file: Path) -> None:
    """Print ``report`` of ``compat OLD_FILE NEW_FILE`` in ``output_format``."""
    if output_format == "text":
        render_text(report, str(old_file), str(new_file))
        return
    names = (old_file, new_file)
    if output_format in diagnostics.HOST_FORMATS:
        old_name, new_name = (host_path(path) for path in names)
    else:
        old_name, new_name = (str(path) for path in names)
    line_of: Callable[[str], int | None] = _no_line
    if output_format != "json":  # json shows pointers; the others the lines they are at
        document = read_document(new_file, str(new_file))
        line_of = _no_line if isinstance(document, Finding) else document.line_of
    diagnostics.write(as_report(report, old_name, new_name, line_of), output_format)


def as_report(
    report: Report,
    old_name: str,
    new_name: str,
    line_of: Callable[[str], int | None] | None = None,
) -> diagnostics.Report:
    """The changes of ``report`` as diagnostics: a break is an error at the new file (its
    line from ``line_of``, a pointer into the new file), a compatible change is listed.

    The json document is compat's own: ``{"compatible", "mode", "policy", "changes":
    [{"rule", "old_path", "new_path", "breaking", "message", "counterexample", "proven",
    ...}]}``; ``proven`` is true for a break a counterexample proves, false for one the engine
    could not prove compatible."""
    line_of = line_of or _no_line
    findings = [_finding(change, old_name, new_name, line_of) for change in report.changes]
    breaking = len(report.breaking_changes)
    verdict = (
        f"{new_name} against {old_name} (mode {report.mode}, policy {report.policy}): "
        f"{_counts(report)}"
    )
    return diagnostics.Report(
        command="compat",
        ok=report.compatible,
        verdict=verdict,
        headline="compatible" if report.compatible else plural(breaking, "breaking change"),
        document=report.as_dict(),
        problems=tuple(f for f in findings if f.severity == ERROR),
        changes=tuple(f for f in findings if f.severity != ERROR),
        rules=RULES,
        cases=(
            diagnostics.Case("compat", new_name, tuple(f for f in findings if f.severity == ERROR)),
        ),
    )


def _finding(
    change: Change, old_name: str, new_name: str, line_of: Callable[[str], int | None]
) -> Finding:
    # A pointer with "#" is into another file a $ref reads: no line of the new file.
    local = change.new_path if "#" not in change.new_path else ""
    example = change.counterexample
    details: dict[str, object] = {
        "location": change.location,
        "old_path": change.old_path,
        "breaks": list(change.breaks),
    }
    if change.proven is not None:
        details["proven"] = change.proven
    return Finding(
        file=new_name,
        line=line_of(local) if local else None,
        rule=change.rule,
        pointer=change.new_path,
        message=change.message,
        name=change.name,
        severity=ERROR if change.breaking else NOTE,
        evidence=(
            Evidence(
                f"counterexample (valid for {example['accepted_by']}, rejected by "
                f"{example['rejected_by']})",
                example,
            )
            if example is not None
            else None
        ),
        related=(Related(old_name, None, f"the old version, at {change.old_path or '/'}"),),
        details=details,
    )


def _no_line(pointer: str) -> int | None:
    return None


def _counts(report: Report) -> str:
    """``1 breaking change (1 could not be proven compatible, ...), 2 other changes.``"""
    breaking = len(report.breaking_changes)
    others = len(report.changes) - breaking
    unproven = sum(change.proven is False for change in report.changes)
    doubt = f" ({unproven} could not be proven compatible, no counterexample)" if unproven else ""
    return f"{plural(breaking, 'breaking change')}{doubt}, {plural(others, 'other change')}."


def render_text(report: Report, old_name: str, new_name: str) -> None:
    verdict = (
        click.style("compatible", fg="green", bold=True)
        if report.compatible
        else click.style("BREAKING", fg="red", bold=True)
    )
    click.echo(
        f"{printable(new_name)} against {printable(old_name)}: {verdict} "
        f"(mode {report.mode}, policy {report.policy})"
    )
    for change in report.changes:
        _render_change(change)
    click.echo(_counts(report))


def _render_change(change: Change) -> None:
    mark = click.style("x", fg="red", bold=True) if change.breaking else click.style("-", dim=True)
    if change.proven is False:
        mark = click.style("?", fg="yellow", bold=True)
    unproven = "  [could not prove compatible]" if change.proven is False else ""
    click.echo(
        f"  {mark} {click.style(change.rule, bold=True)} {change.name} at "
        f"{click.style(printable(change.location), bold=True)}{unproven}"
    )
    click.echo(f"      {printable(change.message)}")
    if change.old_path or change.new_path:
        click.echo(
            click.style(
                f"      old {printable(change.old_path or '/')}  "
                f"new {printable(change.new_path or '/')}",
                dim=True,
            )
        )
    if change.counterexample is not None:
        example = change.counterexample
        click.echo(
            f"      counterexample, valid for {example['accepted_by']} and rejected by "
            f"{example['rejected_by']}:"
        )
        if example.get("missing"):
            click.echo(
                f"        {printable(example['at'] or 'the event')} without "
                f"{printable(json.dumps(example['missing']))}"
                "   (the whole event: --format json)"
            )
        elif example.get("at"):
            value = json.dumps(example["value"], ensure_ascii=False, sort_keys=True)
            click.echo(
                f"        {printable(example['at'])} = {printable(_short(value))}   "
                "(the whole event: --format json)"
            )
        else:
            text = json.dumps(example["event"], ensure_ascii=False, sort_keys=True)
            click.echo(f"        {printable(_short(text))}")


def _short(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
