"""Running every lint check over a registry."""

from __future__ import annotations

from dataclasses import dataclass

from eventcontracts.config import Config
from eventcontracts.findings import Finding
from eventcontracts.lint.checks import SCHEMA_CHECKS, VERSION_CHECKS, LintContext
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.resolver import Resolver


@dataclass(frozen=True)
class LintResult:
    findings: list[Finding]
    schemas: int
    versions: int
    examples: int

    @property
    def ok(self) -> bool:
        return not self.findings


def lint(config: Config) -> LintResult:
    """Load the registry the config names and run every check; findings sorted by place."""
    registry = load_registry(config.registry_path, display_base=config.root)
    resolver = Resolver(registry, allow_remote_refs=config.allow_remote_refs)
    context = LintContext(config=config, registry=registry, resolver=resolver)
    findings = list(registry.problems)
    for schema in registry.schemas.values():
        for version in schema.versions:
            found = context.version_findings.setdefault(version.uri, [])
            for version_check in VERSION_CHECKS:
                found.extend(version_check(context, version))
            findings.extend(found)
        for schema_check in SCHEMA_CHECKS:
            findings.extend(schema_check(context, schema))
    ignored = set(config.lint_ignore)
    kept = sorted(f for f in findings if f.rule not in ignored)
    versions = registry.all_versions()
    return LintResult(
        findings=kept,
        schemas=len(registry.schemas),
        versions=len(versions),
        examples=sum(len(v.examples) for v in versions),
    )
