"""The bus-rule checks (P###) in the gate: a schema change that stops a rule routing fails.

With ``[rules] paths`` in eventcontracts.toml, ``check`` reads the rule files once and checks
the rules that concern the schemas it checks, as ``rules check`` would: with ``--against``,
the rules that target a schema the branch changed (as it is now or was at the ref), and every
rule of a rule file the branch changed; without ``--against`` (or when the config or a shared
file changed), all of them. Only the source folders a checked rule's ``source`` can match are
read: lint holds every schema to the folder of its source (L203).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from eventcontracts.check.gitref import GitBase, GitError
from eventcontracts.check.model import Problem
from eventcontracts.config import Config
from eventcontracts.patterns.against_schema import (
    PatternChecker,
    PatternFinding,
    sources_matched,
    targets,
)
from eventcontracts.patterns.catalog import ERROR
from eventcontracts.patterns.sources import (
    BusRule,
    config_rule_files,
    display_path,
    load_rules,
)
from eventcontracts.registry.layout import SHARED_PREFIX
from eventcontracts.registry.loader import check_registry_folder, load_registry
from eventcontracts.registry.model import Registry, Schema
from eventcontracts.registry.resolver import Resolver
from eventcontracts.registry.sourcefolder import NotASourceFolder, source_of_folder


@dataclass
class GateBusRules:
    """The bus rules of ``[rules] paths``, by rule file (as reports name it)."""

    files: dict[str, list[BusRule]]

    @property
    def rules(self) -> list[BusRule]:
        return [rule for rules in self.files.values() for rule in rules]

    def changed_files(self, git: GitBase, config: Config) -> set[str]:
        """The rule files the branch changed since the ref (new ones included)."""
        try:
            top = git.relative(config.root)
        except GitError:
            return set()  # the project is outside the repository: git knows nothing of it
        prefix = "" if top == "." else f"{top}/"
        # The globs themselves as pathspecs: git matches them as pathlib did, far faster than
        # a pathspec per file. Files outside the project's folder ("../") are left out.
        globs = [f":(glob){prefix}{g}" for g in config.rule_paths if not g.startswith("../")]
        changed = git.changed_files(*globs) if globs else []
        return {path.removeprefix(prefix) for path in changed} & set(self.files)

    def concerning(self, schemas: Iterable[Schema] | None, changed: set[str]) -> list[BusRule]:
        """The rules of changed files, and those that target one of ``schemas`` (None: all)."""
        if schemas is None:
            return self.rules
        wanted = [schema for schema in schemas if schema.versions]
        return [rule for rule in self.rules if rule.file in changed or targets(rule, wanted)]


def read_gate_rules(config: Config) -> GateBusRules | None:
    """The rules ``[rules] paths`` names; None when it names none. A rule file that cannot
    be read is a :class:`RuleFileError` (exit 2), as in ``rules check``."""
    if not config.rule_paths:
        return None
    files: dict[str, list[BusRule]] = {}
    for path in config_rule_files(config.root, config.rule_paths):
        display = display_path(path, config.root)
        files[display] = load_rules(path, display)
    return GateBusRules(files)


def check_bus_rules(config: Config, rules: list[BusRule]) -> tuple[list[PatternFinding], Registry]:
    """What is wrong with ``rules``, and the part of the registry they were checked against."""
    root = check_registry_folder(config.registry_path)
    registry = load_registry(root, display_base=config.root, only=_scope(root, rules))
    registry.require_clean()
    checker = PatternChecker(
        registry, Resolver(registry, allow_remote_refs=config.allow_remote_refs)
    )
    return [finding for rule in rules for finding in checker.check(rule)], registry


def _scope(root: Path, rules: list[BusRule]) -> set[str]:
    """The schema folders (``<source>/<Name>``) under the sources the rules can match."""
    # Rules match the source itself; the folder holds it encoded (a partner source's '/').
    folders: dict[str, str] = {}
    for entry in os.scandir(root):
        if entry.is_dir() and not entry.name.startswith((SHARED_PREFIX, ".")):
            with contextlib.suppress(NotASourceFolder):  # the loader reports such a folder
                folders[source_of_folder(entry.name)] = entry.name
    sources = sorted(folders)
    matched: set[str] = set()
    for rule in rules:
        matched.update(sources_matched(rule, (s for s in sources if s not in matched)))
    return {
        f"{folders[source]}/{entry.name}"
        for source in matched
        for entry in os.scandir(root / folders[source])
        if entry.is_dir()
    }


def bus_rule_problem(finding: PatternFinding, schema: str, version: int | None) -> Problem:
    """The finding as the gate reports it: at the rule's file and line, on ``schema``."""
    rule, bus_rule = finding.rule, finding.bus_rule
    if finding.about:  # P101-P103: the rule and the schema disagree; either may move
        advice = "update the bus rule with the schema, or keep the schema as the rule reads it"
    else:
        advice = rule.fix[0].lower() + rule.fix[1:].rstrip(".")
    return Problem(
        rule.id,
        rule.name,
        schema,
        version,
        bus_rule.file,
        finding.line,
        finding.file_pointer,
        f"bus rule {bus_rule.name}: {finding.message}; {advice}",
        breaking=rule.severity == ERROR,
        bus_rule=bus_rule.name,
    )
