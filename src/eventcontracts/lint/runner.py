"""Running every lint check over a registry, on every core for large registries."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass

from eventcontracts.config import Config
from eventcontracts.findings import Finding
from eventcontracts.lint.checks import SCHEMA_CHECKS, SHARED_CHECKS, VERSION_CHECKS, LintContext
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.model import Schema
from eventcontracts.registry.resolver import Resolver

# Below this many versions, starting worker processes costs more than it saves.
PARALLEL_MIN_VERSIONS = 400


@dataclass(frozen=True)
class LintResult:
    findings: list[Finding]
    schemas: int
    versions: int
    examples: int

    @property
    def ok(self) -> bool:
        return not self.findings


def lint(config: Config, *, jobs: int | None = None) -> LintResult:
    """Load the registry the config names and run every check; findings sorted by place.

    ``jobs``: processes to check with (default: one per core). The registry is loaded once;
    workers are forked from this process so they share it without copying it.
    """
    registry = load_registry(config.registry_path, display_base=config.root)
    resolver = Resolver(registry, allow_remote_refs=config.allow_remote_refs)
    context = LintContext(config=config, registry=registry, resolver=resolver)
    schemas = list(registry.schemas.values())
    versions = registry.all_versions()

    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(versions) >= PARALLEL_MIN_VERSIONS and _can_fork():
        findings = _check_in_workers(context, schemas, jobs)
    else:
        findings = _check_schemas(context, schemas)

    for document in registry.shared:
        for shared_check in SHARED_CHECKS:
            findings.extend(shared_check(context, document))

    ignored = set(config.lint_ignore)
    kept = sorted(
        (f for f in [*registry.problems, *findings] if f.rule not in ignored), key=Finding.sort_key
    )
    return LintResult(
        findings=kept,
        schemas=len(schemas),
        versions=len(versions),
        examples=sum(len(v.examples) for v in versions),
    )


def _check_schemas(context: LintContext, schemas: list[Schema]) -> list[Finding]:
    findings: list[Finding] = []
    for schema in schemas:
        for version in schema.versions:
            found = context.version_findings.setdefault(version.uri, [])
            for version_check in VERSION_CHECKS:
                found.extend(version_check(context, version))
            findings.extend(found)
        for schema_check in SCHEMA_CHECKS:
            findings.extend(schema_check(context, schema))
    return findings


# What forked workers inherit: set just before the fork, read by _check_shard.
_FORKED: tuple[LintContext, list[list[Schema]]] | None = None


def _check_in_workers(context: LintContext, schemas: list[Schema], jobs: int) -> list[Finding]:
    global _FORKED
    # Interleaved shards: neighbouring schemas tend to be alike in size.
    shards = [schemas[index::jobs] for index in range(jobs)]
    _FORKED = (context, shards)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_check_shard, range(jobs))
    finally:
        _FORKED = None
    return [finding for shard in results for finding in shard]


def _check_shard(index: int) -> list[Finding]:
    assert _FORKED is not None, "workers are forked from _check_in_workers"
    context, shards = _FORKED
    return _check_schemas(context, shards[index])


def _can_fork() -> bool:
    # fork shares the loaded registry for free; where it is unsafe or missing, run serially.
    return os.name == "posix" and "fork" in multiprocessing.get_all_start_methods()
