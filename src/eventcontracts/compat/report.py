"""Printing a compatibility report: ``text`` for people, ``json`` for programs."""

from __future__ import annotations

import json

import click

from eventcontracts.compat.engine import BACKWARD, Change, Report
from eventcontracts.findings import printable

READERS = {
    BACKWARD: "consumers on the new version reject events of the old",
    "FORWARD": "consumers on the old version reject events of the new",
}


def render_json(report: Report) -> None:
    """``{"compatible", "mode", "policy", "changes": [{"rule", "old_path", "new_path",
    "breaking", "message", "counterexample", "proven", ...}]}``; ``proven`` is true for a break
    a counterexample proves, false for one the engine could not prove compatible."""
    click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))


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
    breaking = len(report.breaking_changes)
    others = len(report.changes) - breaking
    unproven = sum(change.proven is False for change in report.changes)
    doubt = f" ({unproven} could not be proven compatible, no counterexample)" if unproven else ""
    click.echo(
        f"{breaking} breaking change{'s' if breaking != 1 else ''}{doubt}, "
        f"{others} other change{'s' if others != 1 else ''}."
    )


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
