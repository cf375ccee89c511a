"""Printing what ``infer`` did: per event, what was (or would be) written, and for a next
version the compatibility report the gate will give (compat's own text layout)."""

from __future__ import annotations

import json

import click

from eventcontracts.compat.report import render_text
from eventcontracts.findings import printable
from eventcontracts.infer.runner import InferResult, Outcome
from eventcontracts.wording import plural


def write_text(result: InferResult) -> None:
    for outcome in result.outcomes:
        _outcome(outcome, result.dry_run)
    click.echo(_summary(result))


def _outcome(outcome: Outcome, dry_run: bool) -> None:
    name = printable(outcome.schema_name or f"{outcome.source} / {outcome.detail_type}")
    events = plural(outcome.events, "event")
    if outcome.refused:
        click.echo(f"{name}: {events}")
        click.echo(f"error: {printable(outcome.refused)}", err=True)
        return
    if outcome.unchanged:
        click.echo(
            f"{name}: {events}, all fit v{outcome.version} ({printable(outcome.target)}) and "
            "add nothing to it: nothing written"
        )
        return
    what = f"v{outcome.version}, a next version" if outcome.known else "v1, a new schema"
    click.echo(f"{name}: {events} -> {what}")
    if dry_run:
        click.echo(f"  would write {printable(outcome.target)}:")
        text = json.dumps(outcome.document, indent=2, ensure_ascii=False)
        click.echo("\n".join(f"    {printable(line)}" for line in text.splitlines()))
        folder = outcome.target.rsplit("/", 1)[0]
        click.echo(
            f"  would file {plural(outcome.samples, 'sample')} as "
            f"{printable(folder)}/examples/v{outcome.version}/"
        )
    for line in outcome.lines:
        click.echo(f"  {printable(line)}")
    for line in outcome.rejected:
        click.echo(click.style(f"  rejected {printable(line)}", fg="yellow"))
    if outcome.unfit:
        click.echo(
            click.style(
                f"  {plural(outcome.unfit, 'event')} still "
                f"{'does' if outcome.unfit == 1 else 'do'} not fit the candidate where infer "
                "does not widen (allOf/anyOf/oneOf/not, a $ref to another file); widen it by "
                f"hand: {printable(outcome.first_unfit)}",
                fg="yellow",
            )
        )
    for comparison in outcome.comparisons:
        render_text(comparison.report, comparison.against_file, outcome.target)


def _summary(result: InferResult) -> str:
    outcomes = result.outcomes
    new = sum(not o.known and not o.refused for o in outcomes)
    following = [o for o in outcomes if o.known and not o.unchanged and not o.refused]
    breaking = sum(o.breaking for o in following)
    unchanged = sum(o.unchanged for o in outcomes)
    refused = sum(bool(o.refused) for o in outcomes)
    events = sum(o.events for o in outcomes)
    verb = "would write" if result.dry_run else "wrote"
    line = (
        f"{plural(events, 'event')} of {plural(len(outcomes), 'detail-type')}: {verb} "
        f"{plural(new, 'new schema')} and {plural(len(following), 'next version')} "
        f"({breaking} breaking); {unchanged} unchanged, {refused} refused."
    )
    return line if result.dry_run else f"{line} Next: eventcontracts lint"
