"""Printing the gate's result. One function per format, dispatched from ``FORMATS``.

``text`` is for people (colour on a terminal, grouped by schema, counterexamples shown);
``json`` is stable and documented in docs/check-output.md; ``github``, ``junit``,
``markdown`` and ``sarif`` fit the CI systems that read them.
"""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import click

from eventcontracts.check.model import BUS_RULES, SETTINGS, CheckResult, Problem, SchemaOutcome
from eventcontracts.check.rules import GATE_RULES
from eventcontracts.compat.rules import RULES
from eventcontracts.findings import printable
from eventcontracts.patterns.catalog import PATTERN_RULES
from eventcontracts.version import __version__

JSON_FORMAT_VERSION = 1
INFORMATION_URI = "https://github.com/eventcontracts/eventcontracts"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
MARKDOWN_HEADER = "| Schema | Version | Rule | Where | What |"
SHOWN_MAX = 300  # characters of a counterexample shown inline; the formats with room show all


def render_text(result: CheckResult) -> None:
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
        click.echo(f"{mark} {click.style(outcome.schema, bold=True)} ({about})")
        for problem in outcome.problems:
            _text_problem(problem)
    if result.changes:
        click.echo(click.style("Compatible changes (the changelog of this check):", bold=True))
        for change in result.changes:
            click.echo(
                f"  {change.schema} v{change.version}: {_place(change)}: "
                f"{change.rule} {change.name}: {change.message}"
            )
    for note in result.notes:
        click.echo(
            click.style(
                f"note: {note.file}:{note.line or ''} {note.rule} {note.message}", fg="yellow"
            )
        )
    click.echo(click.style(_summary(result), fg="green" if result.ok else "red"))


def _text_problem(problem: Problem) -> None:
    place = f"{problem.file}:{problem.line}" if problem.line else problem.file
    status = (
        click.style(f"waived {problem.rule}", fg="yellow")
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
        click.echo(f"      {_example_label(problem)}: {printable(shown[:300])}")


def render_json(result: CheckResult) -> None:
    click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))


# --- shared by the CI formats ------------------------------------------------------------


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


def _place(problem: Problem) -> str:
    return f"{problem.file}:{problem.line}" if problem.line else problem.file


def _shown(example: dict[str, Any]) -> str:
    """The heart of a counterexample: a value at a place, a missing property, or the event."""
    if example.get("missing"):
        shown = f"{example['at'] or 'the event'} without {json.dumps(example['missing'])}"
    elif example.get("at"):
        value = json.dumps(example.get("value"), ensure_ascii=False, sort_keys=True)
        shown = f"{example['at']} = {value}"
    else:
        shown = json.dumps(example.get("event"), ensure_ascii=False, sort_keys=True)
    shown = printable(shown)
    return shown if len(shown) <= SHOWN_MAX else f"{shown[: SHOWN_MAX - 3]}..."


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


def _example_sentence(problem: Problem) -> str | None:
    """``counterexample (valid for v2, rejected by v3): detail.x = 1``, when there is one."""
    if not problem.counterexample:
        return None
    return f"{_example_label(problem)}: {_shown(problem.counterexample)}"


def _example_json(problem: Problem) -> str:
    return _printable_lines(
        json.dumps(problem.counterexample, indent=2, ensure_ascii=False, sort_keys=True)
    )


def _rule_name_and_summary(rule_id: str) -> tuple[str, str] | None:
    rule = RULES.get(rule_id) or GATE_RULES.get(rule_id) or PATTERN_RULES.get(rule_id)
    return (rule.name, rule.summary) if rule else None


# --- github: workflow commands that GitHub Actions shows as annotations --------------------


def printable_result(result: CheckResult) -> CheckResult:
    """``result`` with every text that comes from the registry, a rule file or an event made
    :func:`~eventcontracts.findings.printable`: a property named ``"x\\n::error ..."`` prints as
    one line with a visible ``\\n``, never as a line GitHub Actions or GitLab would act on.
    The formats read by people and by CI logs (text, markdown, junit) render this copy."""

    def safe(problem: Problem) -> Problem:
        consumer = problem.consumer
        if consumer:
            consumer = {k: printable(v) if isinstance(v, str) else v for k, v in consumer.items()}
        example = problem.counterexample
        if isinstance(example, dict):
            example = {
                **example,
                **{
                    key: printable(example[key])
                    for key in ("at",)
                    if isinstance(example.get(key), str)
                },
            }
        return dataclasses.replace(
            problem,
            name=printable(problem.name),
            schema=printable(problem.schema),
            file=printable(problem.file),
            pointer=printable(problem.pointer),
            message=printable(problem.message),
            waived_by=None if problem.waived_by is None else printable(problem.waived_by),
            bus_rule=None if problem.bus_rule is None else printable(problem.bus_rule),
            field_path=None if problem.field_path is None else printable(problem.field_path),
            consumer=consumer,
            counterexample=example,
        )

    outcomes = [
        dataclasses.replace(
            outcome,
            schema=printable(outcome.schema),
            problems=[safe(p) for p in outcome.problems],
            changes=[safe(c) for c in outcome.changes],
        )
        for outcome in result.outcomes
    ]
    return dataclasses.replace(result, outcomes=outcomes, notes=[safe(n) for n in result.notes])


def _printable_lines(text: str) -> str:
    """Multi-line text we lay out (indented JSON): each of its lines made printable."""
    return "\n".join(printable(line) for line in text.split("\n"))


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


def render_github(result: CheckResult) -> None:
    result = from_git_root(result)
    for problem in result.problems:
        if problem.fails:
            click.echo(_github_command("error", problem, problem.message))
        elif problem.waived_by is not None:
            message = f"waived ({problem.waived_by}): {problem.message}"
            click.echo(_github_command("notice", problem, message))
        else:
            click.echo(_github_command("warning", problem, problem.message))
    for note in result.notes:
        click.echo(_github_command("warning", note, note.message))
    click.echo(_summary(result))


def _github_command(command: str, problem: Problem, message: str) -> str:
    if problem.counterexample:
        message += f"\ncounterexample: {_shown(problem.counterexample)}"
    properties = [("file", problem.file)]
    if problem.line is not None:
        properties.append(("line", str(problem.line)))
    properties.append(("title", f"{problem.rule} {problem.name}"))
    joined = ",".join(f"{key}={_github_property(value)}" for key, value in properties)
    return f"::{command} {joined}::{_github_data(message)}"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


# --- junit: one testcase per schema version, for CI systems that read test reports ---------


def render_junit(result: CheckResult) -> None:
    result = from_git_root(result)
    suite = ET.Element("testsuite", {"name": "eventcontracts check"})
    tests = failures = skipped = 0
    for outcome in result.outcomes:
        for name, problems in _testcases(outcome):
            case = ET.SubElement(suite, "testcase", {"classname": outcome.schema, "name": name})
            tests += 1
            failing = [problem for problem in problems if problem.fails]
            for problem in failing:
                failure = ET.SubElement(
                    case,
                    "failure",
                    {"type": problem.rule, "message": f"{problem.name}: {problem.message}"},
                )
                failure.text = _junit_body(problem)
            failures += bool(failing)
            waived = [problem for problem in problems if problem.waived_by is not None]
            if waived and not failing:
                ET.SubElement(case, "skipped", {"message": f"waived: {waived[0].waived_by}"})
                skipped += 1
    if result.notes:
        out = ET.SubElement(suite, "system-out")
        out.text = "".join(f"{_place(n)}: {n.rule} {n.name}: {n.message}\n" for n in result.notes)
    suite.attrib.update(
        {"tests": str(tests), "failures": str(failures), "errors": "0", "skipped": str(skipped)}
    )
    ET.indent(suite)
    xml = ET.tostring(suite, encoding="unicode")
    click.echo(f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}')


def _testcases(outcome: SchemaOutcome) -> list[tuple[str, list[Problem]]]:
    """(testcase name, its problems): one per version, or one for a removed schema.

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


def _junit_body(problem: Problem) -> str:
    lines = [f"{_place(problem)}: {problem.rule} {problem.name}", problem.message]
    if problem.pointer:
        lines.append(f"at {problem.pointer}")
    sentence = _example_sentence(problem)
    if sentence:
        lines += [sentence, _example_json(problem)]
    return "\n".join(lines)


# --- markdown: a pull request comment -----------------------------------------------------


def render_markdown(result: CheckResult) -> None:
    failing = [problem for problem in result.problems if problem.fails]
    waived = [problem for problem in result.problems if problem.waived_by is not None]
    if result.ok:
        heading = "✅ eventcontracts check: no breaking changes"
    else:
        heading = (
            f"❌ eventcontracts check: {len(failing)} breaking change{_s(len(failing))} "
            f"in {_failing(result)}"
        )
    lines = [f"## {heading}", "", _summary(result)]
    if failing:
        lines += [
            "",
            "| Schema | Version | Rule | Where | What |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [_markdown_row(problem) for problem in failing]
        for problem in failing:
            lines += ["", *_markdown_details(problem)]
    if waived:
        lines += ["", "### Waived", ""]
        lines += [
            f"- `{_place(p)}` {p.rule} `{p.name}` ({_version(p)}): {_html(p.waived_by or '')}"
            for p in waived
        ]
    if result.changes:
        lines += ["", "### Compatible changes", ""]
        lines += [
            f"- `{c.schema}` {_version(c)} `{_place(c)}` {c.rule} `{c.name}`: {_html(c.message)}"
            for c in result.changes
        ]
    if result.notes:
        lines += ["", "### Notes", ""]
        lines += [f"- `{_place(n)}` {n.rule} `{n.name}`: {_html(n.message)}" for n in result.notes]
    click.echo("\n".join(lines))


def _markdown_row(problem: Problem) -> str:
    cells = [
        f"`{problem.schema}`",
        _version(problem),
        f"{problem.rule} `{problem.name}`",
        f"`{_place(problem)}`",
        _html(problem.message),
    ]
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _markdown_details(problem: Problem) -> list[str]:
    title = f"{problem.rule} {problem.name}: {problem.schema} ({_version(problem)})"
    lines = ["<details>", f"<summary>{_html(title)}</summary>", ""]
    lines.append(
        f"In `{_place(problem)}`" + (f" at `{problem.pointer}`" if problem.pointer else "")
    )
    lines += ["", _html(problem.message)]
    if problem.counterexample:
        example = _example_json(problem)
        fence = _fence(example)
        shown = _shown(problem.counterexample)
        label = _example_label(problem)
        lines += ["", f"{label[0].upper()}{label[1:]}: `{shown}`; in full:", ""]
        lines += [f"{fence}json", example, fence]
    rule = GATE_RULES.get(problem.rule) or PATTERN_RULES.get(problem.rule)
    if rule:
        lines += ["", f"Fix: {rule.fix}"]
    return [*lines, "", "</details>"]


def _version(problem: Problem) -> str:
    if problem.version is not None:
        return f"v{problem.version}"
    return "-" if problem.schema in (BUS_RULES, SETTINGS) else "whole schema"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in ``text``."""
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


# --- sarif: code scanning (GitHub, GitLab, Azure DevOps and others read SARIF 2.1.0) -------


def render_sarif(result: CheckResult) -> None:
    result = from_git_root(result)
    findings = [*result.problems, *result.notes]
    rule_ids = sorted({finding.rule for finding in findings})
    rules = []
    for rule_id in rule_ids:
        described = _rule_name_and_summary(rule_id)
        name, summary = described or (rule_id, rule_id)
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
                "results": [_sarif_result(finding, rule_ids) for finding in findings],
            }
        ],
    }
    click.echo(json.dumps(log, indent=2, ensure_ascii=False, sort_keys=True))


def _sarif_result(problem: Problem, rule_ids: list[str]) -> dict[str, Any]:
    text = problem.message
    sentence = _example_sentence(problem)
    if sentence:
        text += f"; {sentence}"
    region = {"region": {"startLine": problem.line}} if problem.line is not None else {}
    found: dict[str, Any] = {
        "ruleId": problem.rule,
        "ruleIndex": rule_ids.index(problem.rule),
        "level": "error" if problem.fails else "note" if problem.waived_by else "warning",
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": problem.file}, **region}}],
        "properties": {"schema": problem.schema, "version": problem.version},
    }
    if problem.pointer:
        found["properties"]["pointer"] = problem.pointer
    if problem.proven is not None:
        found["properties"]["proven"] = problem.proven
    if problem.consumer:
        found["properties"]["consumer"] = problem.consumer
        line = problem.consumer.get("line")
        found["relatedLocations"] = [
            {
                "id": 1,
                "message": {"text": f"what consumer {problem.consumer['name']} reads"},
                "physicalLocation": {
                    "artifactLocation": {"uri": problem.consumer["file"]},
                    **({"region": {"startLine": line}} if line else {}),
                },
            }
        ]
    if problem.waived_by is not None:
        found["suppressions"] = [{"kind": "external", "justification": problem.waived_by}]
    return found


FORMATS: dict[str, Callable[[CheckResult], None]] = {
    # JSON and SARIF escape for the programs that read them; github escapes its own way.
    "text": lambda result: render_text(printable_result(result)),
    "json": render_json,
    "github": render_github,
    "junit": lambda result: render_junit(printable_result(result)),
    "markdown": lambda result: render_markdown(printable_result(result)),
    "sarif": render_sarif,
}
