"""``eventcontracts rules check``: read the bus rules, load the registry, check each rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from eventcontracts.config import Config
from eventcontracts.patterns.against_schema import PatternChecker, PatternFinding
from eventcontracts.patterns.catalog import ERROR
from eventcontracts.patterns.sources import (
    BusRule,
    RuleFileError,
    config_rule_files,
    display_path,
    load_rules,
    rule_files,
)
from eventcontracts.registry.loader import load_project_registry
from eventcontracts.registry.model import Registry
from eventcontracts.registry.resolver import Resolver


@dataclass
class RulesCheckResult:
    files: int
    rules: list[BusRule]
    findings: list[PatternFinding] = field(default_factory=list)

    @property
    def errors(self) -> list[PatternFinding]:
        return [f for f in self.findings if f.rule.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors


def read_bus_rules(config: Config, paths: list[Path]) -> tuple[int, list[BusRule]]:
    """The rule files ``paths`` name (default: ``[rules] paths``), and their rules."""
    if paths:
        files = rule_files(paths)
    elif config.rule_paths:
        files = config_rule_files(config.root, config.rule_paths)
    else:
        raise RuleFileError(
            "no rule files: pass them (eventcontracts rules check rules/) or set "
            '[rules] paths = ["rules/*.json"] in eventcontracts.toml'
        )
    rules: list[BusRule] = []
    for path in files:
        rules.extend(load_rules(path, display_path(path, config.root)))
    return len(files), rules


def load_checked_registry(config: Config) -> tuple[Registry, Resolver]:
    registry = load_project_registry(config)
    return registry, Resolver(registry, allow_remote_refs=config.allow_remote_refs)


def check_rules(config: Config, paths: list[Path]) -> RulesCheckResult:
    files, rules = read_bus_rules(config, paths)
    registry, resolver = load_checked_registry(config)
    checker = PatternChecker(registry, resolver)
    result = RulesCheckResult(files, rules)
    for rule in rules:
        result.findings.extend(checker.check(rule))
    return result
