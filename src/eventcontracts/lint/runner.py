"""Running every lint check over a registry, on every core for large registries."""

from __future__ import annotations

import os
from dataclasses import dataclass

from eventcontracts.config import Config
from eventcontracts.findings import Finding
from eventcontracts.lint.checks import SCHEMA_CHECKS, SHARED_CHECKS, VERSION_CHECKS, LintContext
from eventcontracts.lint.consumer_checks import CONSUMER_CHECKS
from eventcontracts.processes import pool_context
from eventcontracts.registry.loader import Shard, count_schema_folders, load_registry
from eventcontracts.registry.resolver import Resolver

# Below this many schemas, starting worker processes costs more than it saves.
PARALLEL_MIN_SCHEMAS = 100


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

    ``jobs``: processes to use (default: one per core). Each loads and checks its own shard of
    the schemas, so reading and parsing the files is spread over the cores too; a ref into
    another shard's file is read from disk when it is followed.
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and count_schema_folders(config.registry_path) >= PARALLEL_MIN_SCHEMAS:
        shards = [(config, Shard(index, jobs)) for index in range(jobs)]
        with pool_context().Pool(jobs) as pool:
            parts = pool.map(_lint_shard, shards)
    else:
        parts = [_lint_shard((config, Shard()))]

    ignored = set(config.lint_ignore)
    findings = [f for part in parts for f in part.findings if f.rule not in ignored]
    return LintResult(
        findings=sorted(findings, key=Finding.sort_key),
        schemas=sum(part.schemas for part in parts),
        versions=sum(part.versions for part in parts),
        examples=sum(part.examples for part in parts),
    )


def _lint_shard(job: tuple[Config, Shard]) -> LintResult:
    config, shard = job
    registry = load_registry(config.registry_path, display_base=config.root, shard=shard)
    resolver = Resolver(registry, allow_remote_refs=config.allow_remote_refs)
    context = LintContext(config=config, registry=registry, resolver=resolver)
    findings = list(registry.problems)
    for schema in registry.schemas.values():
        for version in schema.versions:
            found = context.version_findings.setdefault(version.uri, [])
            for version_check in VERSION_CHECKS:
                found.extend(version_check(context, version))
            findings.extend(found)
        for schema_check in (*SCHEMA_CHECKS, *CONSUMER_CHECKS):
            findings.extend(schema_check(context, schema))
    for document in registry.shared:
        for shared_check in SHARED_CHECKS:
            findings.extend(shared_check(context, document))
    versions = registry.all_versions()
    return LintResult(
        findings=findings,
        schemas=len(registry.schemas),
        versions=len(versions),
        examples=sum(len(version.examples) for version in versions),
    )
