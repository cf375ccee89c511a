"""Printing the gate's result. One function per format, dispatched from ``FORMATS``.

``text`` is for people (colour on a terminal, grouped by schema, counterexamples shown);
``json`` is stable and documented in docs/check-output.md; ``github``, ``junit``,
``markdown`` and ``sarif`` fit the CI systems that read them.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import click

from eventcontracts.check.model import CheckResult, Problem

JSON_FORMAT_VERSION = 1


def render_text(result: CheckResult) -> None:
    scope = f"against {result.against}" if result.against else "versions against each other"
    for outcome in result.outcomes:
        if not outcome.problems:
            continue
        mark = (
            click.style("FAIL", fg="red", bold=True)
            if outcome.fails
            else click.style("ok", fg="green")
        )
        versions = ", ".join(f"v{n}" for n in outcome.versions) or "removed"
        click.echo(
            f"{mark} {click.style(outcome.schema, bold=True)} ({versions}; "
            f"{outcome.mode}, {outcome.policy})"
        )
        for problem in outcome.problems:
            _text_problem(problem)
    for note in result.notes:
        click.echo(
            click.style(
                f"note: {note.file}:{note.line or ''} {note.rule} {note.message}", fg="yellow"
            )
        )
    failing = sum(outcome.fails for outcome in result.outcomes)
    problems = sum(problem.fails for problem in result.problems)
    waived = sum(problem.waived_by is not None for problem in result.problems)
    summary = (
        f"{len(result.outcomes)} schema{'s' if len(result.outcomes) != 1 else ''} checked {scope}"
        f" ({result.compared_pairs} version pairs compared"
        + (f", {result.skipped_unchanged} unchanged schemas skipped" if result.against else "")
        + ")"
    )
    if result.ok:
        tail = f"; {waived} waived" if waived else ""
        click.echo(click.style(f"{summary}: no breaking changes{tail}.", fg="green"))
    else:
        click.echo(
            click.style(
                f"{summary}: {problems} breaking change{'s' if problems != 1 else ''} in "
                f"{failing} schema{'s' if failing != 1 else ''}.",
                fg="red",
            )
        )


def _text_problem(problem: Problem) -> None:
    place = f"{problem.file}:{problem.line}" if problem.line else problem.file
    status = (
        click.style("waived", fg="yellow")
        if problem.waived_by is not None
        else click.style(problem.rule, fg="red", bold=True)
    )
    click.echo(f"  {place}: {status} {problem.name}: {problem.message}")
    if problem.waived_by is not None:
        click.echo(click.style(f"      waived: {problem.waived_by}", dim=True))
    example = problem.counterexample
    if example:
        value = json.dumps(example.get("value"), ensure_ascii=False, sort_keys=True)
        shown = (
            f"{example['at'] or 'the event'} without {json.dumps(example['missing'])}"
            if example.get("missing")
            else f"{example['at']} = {value}"
            if example.get("at")
            else json.dumps(example["event"], ensure_ascii=False, sort_keys=True)
        )
        old, new = f"v{problem.against}", f"v{problem.version}"
        accepted = old if example["accepted_by"] == "old" else new
        rejected = new if example["rejected_by"] == "new" else old
        click.echo(
            f"      counterexample (valid for {accepted}, rejected by {rejected}): {shown[:300]}"
        )


def render_json(result: CheckResult) -> None:
    click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))


FORMATS: dict[str, Callable[[CheckResult], None]] = {
    "text": render_text,
    "json": render_json,
}
