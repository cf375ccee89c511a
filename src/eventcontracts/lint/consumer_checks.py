"""Lint checks of consumer expectations against the versions they name.

A malformed file never gets here (the loader reports it, L601); these checks read a
well-formed expectation and ask whether its versions exist (L602) and whether some version it
names declares each field it reads (L603).
"""

from __future__ import annotations

from collections.abc import Iterator

from eventcontracts.compat.fields import detail_nodes, item_nodes, property_names, property_nodes
from eventcontracts.compat.inputs import InputError
from eventcontracts.compat.model import Node
from eventcontracts.findings import Finding
from eventcontracts.lint import catalog
from eventcontracts.lint.checks import BLOCKING_RULES, LintContext
from eventcontracts.registry.consumers import ConsumerExpectation, FieldRead, Step
from eventcontracts.registry.model import Schema, SchemaVersion
from eventcontracts.wording import did_you_mean


def check_consumer_versions(ctx: LintContext, schema: Schema) -> Iterator[Finding]:
    existing = set(schema.version_numbers)
    # A number below the latest that has no file is a gap in the versions (L301), not the
    # consumer's mistake: the gap's own finding says what to fix.
    latest = max(existing, default=0)
    for consumer in schema.consumers:
        document = consumer.document
        listed = document.content.get("versions", [])
        for index, number in enumerate(listed):
            if number > latest:
                have = ", ".join(f"v{n}" for n in sorted(existing)) or "none"
                yield document.finding(
                    catalog.CONSUMER_UNKNOWN_VERSION,
                    f"/versions/{index}",
                    f"consumer {consumer.name} reads v{number} of {schema.name}, which has "
                    f"no such version (it has {have})",
                )


def check_consumer_fields(ctx: LintContext, schema: Schema) -> Iterator[Finding]:
    loaded = {version.version: version for version in schema.versions}
    for consumer in schema.consumers:
        if any(number not in loaded for number in consumer.versions):
            continue  # what a missing version declares is unknown (L602, L301 or its own)
        versions = [loaded[number] for number in consumer.versions]
        per_version = [_detail(ctx, version) for version in versions]
        if not all(per_version):
            continue  # a broken version has its own finding; a field may hide in what it lacks
        details = [node for found in per_version for node in found]
        for read in consumer.reads:
            try:
                missing = _missing_step(details, read.steps)
            except InputError:
                # A ref on the way does not resolve (in a shared file the version reaches):
                # what lies beyond is unknown, and that ref has its own finding (L401).
                continue
            if missing is not None:
                yield _unknown_field(consumer, read, versions, *missing)


def _unknown_field(
    consumer: ConsumerExpectation,
    read: FieldRead,
    versions: list[SchemaVersion],
    at: int,
    known: set[str],
) -> Finding:
    names = ", ".join(f"v{v.version}" for v in versions)
    step = read.steps[at].name
    hint = did_you_mean(step, sorted(known))
    return consumer.document.finding(
        catalog.CONSUMER_UNKNOWN_FIELD,
        f"{read.pointer}/field",
        f"consumer {consumer.name} reads detail.{read.field}, but no version it reads "
        f"({names}) declares {step!r} there{hint}",
    )


def _detail(ctx: LintContext, version: SchemaVersion) -> list[Node]:
    """The detail schema of ``version`` as the engine reads it, if the version is sound."""
    found = ctx.version_findings.get(version.uri, [])
    if any(finding.rule in BLOCKING_RULES for finding in found):
        return []
    return detail_nodes(version, ctx.resolver)


def _missing_step(roots: list[Node], steps: tuple[Step, ...]) -> tuple[int, set[str]] | None:
    """Where the path leaves every schema in ``roots``: (step index, names known there)."""
    nodes = roots
    for index, step in enumerate(steps):
        found = [child for node in nodes for child in property_nodes(node, step.name)]
        for _ in range(step.arrays):
            found = [item for node in found for item in item_nodes(node)]
        if not found:
            known = {name for node in nodes for name in property_names(node)}
            return index, known
        nodes = found
    return None


CONSUMER_CHECKS = (check_consumer_versions, check_consumer_fields)
