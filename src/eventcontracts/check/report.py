"""Printing the gate's result, in every format of ``eventcontracts.diagnostics``.

``text`` is the gate's own layout, for people (colour on a terminal, grouped by schema,
counterexamples shown); ``json`` is the gate's own document, stable and documented in
docs/check-output.md; ``github``, ``junit``, ``markdown`` and ``sarif`` are the shared
writers, fed with the gate's problems as findings (:func:`as_report`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial

import click

from eventcontracts import diagnostics
from eventcontracts.check.model import BUS_RULES, SETTINGS, CheckResult, Problem, SchemaOutcome
from eventcontracts.check.rules import GATE_RULES
from eventcontracts.compat.rules import RULES
from eventcontracts.diagnostics.evidence import sentence
from eventcontracts.findings import ERROR, NOTE, WARNING, Evidence, Finding, Related, printable
from eventcontracts.patterns.catalog import PATTERN_RULES

# Every rule a problem of the gate may name: its own, compatibility and bus-rule rules.
CHECK_RULES = {**RULES, **GATE_RULES, **PATTERN_RULES}


def render_text(result: CheckResult) -> None:
    """The gate's own layout, grouped by schema. Every text from the registry, a rule file or
    an event is :func:`~eventcontracts.findings.printable` (the problems as findings are): a
    property named ``"x\\n::error ..."`` prints as one line with a visible ``\\n``, never as a
    line GitHub Actions or GitLab would act on."""
    for outcome in result.outcomes:
        if not outcome.problems:
            continue
        mark = (
            click.style("FAIL", fg="red", bold=True)
            if outcome.fails
            else click.style("ok", fg="green")
        )
        versions = ", ".join(f"v{n}" for n in outcome.versions) or "removed"
        about = (
            "patterns that target no schema"
            if outcome.schema == BUS_RULES
            else "eventcontracts.toml and the waivers"
            if outcome.schema == SETTINGS
            else f"{versions}; {outcome.mode}, {outcome.policy}"
        )
        click.echo(f"{mark} {click.style(printable(outcome.schema), bold=True)} ({about})")
        for problem in outcome.problems:
            _text_problem(_finding(problem).printable())
    if result.changes:
        click.echo(click.style("Compatible changes (the changelog of this check):", bold=True))
        for change in (_finding(change).printable() for change in result.changes):
            click.echo(
                f"  {change.subject[0]} v{change.details['version']}: {change.place}: "
                f"{change.rule} {change.name}: {change.message}"
            )
    for note in (_finding(note, note=True).printable() for note in result.notes):
        click.echo(
            click.style(
                f"note: {note.file}:{note.line or ''} {note.rule} {note.message}", fg="yellow"
            )
        )
    click.echo(click.style(_summary(result), fg="green" if result.ok else "red"))


def _text_problem(problem: Finding) -> None:
    status = (
        click.style(f"waived {problem.rule}", fg="yellow")
        if problem.waived_by is not None
        else click.style(problem.rule, fg="red", bold=True)
    )
    click.echo(f"  {problem.place}: {status} {problem.name}: {problem.message}")
    if problem.waived_by is not None:
        click.echo(click.style(f"      waived: {problem.waived_by}", dim=True))
    if problem.evidence:
        click.echo(f"      {sentence(problem.evidence)}")


def write(result: CheckResult, output_format: str) -> None:
    """Print ``result`` in ``output_format`` (one of ``eventcontracts.diagnostics.FORMATS``)."""
    if output_format == "text":
        render_text(result)
        return
    if output_format in diagnostics.HOST_FORMATS:
        result = from_git_root(result)
    click.echo(diagnostics.render(as_report(result), output_format), nl=False)


# The formats one at a time, as a program or a test calls them.
FORMATS: dict[str, Callable[[CheckResult], None]] = {
    name: partial(write, output_format=name) for name in diagnostics.FORMATS
}
render_github, render_junit, render_markdown = (
    FORMATS["github"],
    FORMATS["junit"],
    FORMATS["markdown"],
)


# --- the gate's problems as findings --------------------------------------------------------


def as_report(result: CheckResult) -> diagnostics.Report:
    failing = sum(problem.fails for problem in result.problems)
    headline = (
        "no breaking changes"
        if result.ok
        else f"{failing} breaking change{_s(failing)} in {_failing(result)}"
    )
    return diagnostics.Report(
        command="check",
        ok=result.ok,
        verdict=_summary(result),
        headline=headline,
        document=result.as_dict(),
        problems=tuple(_finding(problem) for problem in result.problems),
        notes=tuple(_finding(note, note=True) for note in result.notes),
        changes=tuple(_finding(change) for change in result.changes),
        rules=CHECK_RULES,
        cases=tuple(
            diagnostics.Case(outcome.schema, name, tuple(_finding(p) for p in problems))
            for outcome in result.outcomes
            for name, problems in _testcases(outcome)
        ),
        subject_columns=("Schema", "Version"),
    )


def _finding(problem: Problem, *, note: bool = False) -> Finding:
    """``problem`` as a finding: a break fails (error), a waived one is a note, and a note
    of the gate (an expired waiver) is a warning."""
    severity = (
        WARNING
        if note
        else ERROR
        if problem.fails
        else NOTE
        if problem.waived_by is not None
        else WARNING
    )
    details: dict[str, object] = {"schema": problem.schema, "version": problem.version}
    if problem.proven is not None:
        details["proven"] = problem.proven
    related: tuple[Related, ...] = ()
    if problem.consumer:
        details["consumer"] = problem.consumer
        reads = f"what consumer {problem.consumer['name']} reads"
        related = (Related(problem.consumer["file"], problem.consumer.get("line") or None, reads),)
    # Only gate and bus-rule problems suggest a fix: a compatibility change is for review.
    rule = GATE_RULES.get(problem.rule) or PATTERN_RULES.get(problem.rule)
    return Finding(
        file=problem.file,
        line=problem.line,
        rule=problem.rule,
        pointer=problem.pointer,
        message=problem.message,
        name=problem.name,
        severity=severity,
        fix=rule.fix if rule else "",
        waived_by=problem.waived_by,
        subject=(problem.schema, _version(problem)),
        evidence=(
            Evidence(_example_label(problem), problem.counterexample)
            if problem.counterexample
            else None
        ),
        related=related,
        details=details,
    )


def _version(problem: Problem) -> str:
    if problem.version is not None:
        return f"v{problem.version}"
    return "-" if problem.schema in (BUS_RULES, SETTINGS) else "whole schema"


def _testcases(outcome: SchemaOutcome) -> list[tuple[str, list[Problem]]]:
    """(junit testcase name, its problems): one per version, or one for a removed schema.

    A version deleted since the base ref is not among ``outcome.versions`` but has its own
    testcase; a problem of no version goes to the first testcase. The bus rules have one,
    ``patterns``.
    """
    if outcome.schema == BUS_RULES:
        return [("patterns", outcome.problems)]
    if outcome.schema == SETTINGS:
        return [("settings", outcome.problems)]
    numbers = sorted(
        set(outcome.versions) | {p.version for p in outcome.problems if p.version is not None}
    )
    cases: dict[int | None, list[Problem]] = {n: [] for n in numbers} or {None: []}
    first = next(iter(cases))
    for problem in outcome.problems:
        cases[problem.version if problem.version in cases else first].append(problem)
    return [("schema" if n is None else f"v{n}", problems) for n, problems in cases.items()]


# --- the summary ------------------------------------------------------------------------------


def _summary(result: CheckResult) -> str:
    """One sentence: what was checked and the verdict (the text format's last line, plain)."""
    schemas = len(result.schema_outcomes)
    scope = f"against {result.against}" if result.against else "versions against each other"
    unchanged = result.skipped_unchanged
    skipped = f", {unchanged} unchanged schema{_s(unchanged)} skipped" if result.against else ""
    pairs = result.compared_pairs
    checked = (
        f"{schemas} schema{_s(schemas)} checked {scope} "
        f"({pairs} version pair{_s(pairs)} compared{_consumers_checked(result)}{skipped})"
    )
    problems = sum(problem.fails for problem in result.problems)
    waived = sum(problem.waived_by is not None for problem in result.problems)
    if result.ok:
        return f"{checked}: no breaking changes{f'; {waived} waived' if waived else ''}."
    return f"{checked}: {problems} breaking change{_s(problems)} in {_failing(result)}."


def _failing(result: CheckResult) -> str:
    """``3 schemas``, ``2 schemas and the bus rules`` or ``the bus rules and the settings``."""
    failing = sum(outcome.fails for outcome in result.schema_outcomes)
    parts = [f"{failing} schema{_s(failing)}"] if failing else []
    if result.bus_rules_fail:
        parts.append(f"the {BUS_RULES}")
    if result.settings_fail:
        parts.append(f"the {SETTINGS}")
    return " and ".join(parts) if len(parts) < 3 else f"{parts[0]}, {parts[1]} and {parts[2]}"


def _consumers_checked(result: CheckResult) -> str:
    count = result.consumer_checks
    return f", {count} consumer expectation{_s(count)} checked" if count else ""


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _example_label(problem: Problem) -> str:
    """``counterexample (valid for v2, rejected by v3)``, or ``(valid for v3, rejected by
    consumer shipping-service)``."""
    example = problem.counterexample
    if problem.consumer:
        return (
            f"counterexample (valid for v{problem.version}, rejected by consumer "
            f"{problem.consumer['name']})"
        )
    old, new = f"v{problem.against}", f"v{problem.version}"
    accepted = old if example.get("accepted_by") == "old" else new
    rejected = new if example.get("rejected_by") == "new" else old
    return f"counterexample (valid for {accepted}, rejected by {rejected})"


def from_git_root(result: CheckResult) -> CheckResult:
    """``result`` with its files named from the git root, as a code host names them (in a
    monorepo's ``events/eventcontracts.toml`` project, ``events/registry/...``)."""
    prefix = result.host_prefix
    if not prefix:
        return result

    def moved(problem: Problem) -> Problem:
        consumer = problem.consumer
        if consumer and consumer.get("file"):
            consumer = {**consumer, "file": f"{prefix}/{consumer['file']}"}
        return dataclasses.replace(problem, file=f"{prefix}/{problem.file}", consumer=consumer)

    outcomes = [
        dataclasses.replace(
            outcome,
            problems=[moved(p) for p in outcome.problems],
            changes=[moved(c) for c in outcome.changes],
        )
        for outcome in result.outcomes
    ]
    notes = [moved(note) for note in result.notes]
    return dataclasses.replace(result, outcomes=outcomes, notes=notes)
