"""Running the gate: which schemas to look at, what to compare, which waivers apply."""

from __future__ import annotations

import copy
import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from eventcontracts.check import rules
from eventcontracts.check.busrules import (
    GateBusRules,
    bus_rule_problem,
    check_bus_rules,
    read_gate_rules,
)
from eventcontracts.check.consumers import consumer_problems, versions_to_hold
from eventcontracts.check.gitref import GitBase
from eventcontracts.check.model import BUS_RULES, SETTINGS, CheckResult, Problem, SchemaOutcome
from eventcontracts.check.settings import (
    base_config_from,
    config_display,
    config_path,
    loosening,
    security_changes,
    trusted,
)
from eventcontracts.check.unused import (
    overrides_naming_no_schema,
    schema_folder_names,
    unused_waivers,
)
from eventcontracts.check.waivers import WAIVERS_FILE, Waiver, load_waivers
from eventcontracts.compat import compare_inputs
from eventcontracts.compat.inputs import from_version
from eventcontracts.config import Config
from eventcontracts.diagnostics.host import host_prefix
from eventcontracts.errors import EventContractsError
from eventcontracts.findings import printable
from eventcontracts.patterns.against_schema import PatternFinding
from eventcontracts.processes import pool_context
from eventcontracts.registry.layout import is_shared
from eventcontracts.registry.loader import Shard, count_schema_folders, load_registry
from eventcontracts.registry.model import Registry, Schema, SchemaFormat, SchemaVersion
from eventcontracts.registry.refloops import endless_ref
from eventcontracts.registry.resolver import REMOTE_REFUSED_ADVICE, Resolver
from eventcontracts.schema.keywords import DETAIL_TYPE_KEY, SOURCE_KEY
from eventcontracts.schema.pointer import escape_token
from eventcontracts.schema.walk import iter_document_schemas

PR_CANNOT_ALLOW_REMOTE = (
    "the base ref has allow-remote-refs off, and a pull request cannot turn it on for its own "
    "check (K110): merge the setting first, reviewed, or copy the schema into registry/_shared/"
)
# Below this many schemas, starting worker processes costs more than it saves.
PARALLEL_MIN_SCHEMAS = 100


def check(
    config: Config, *, against: str | None = None, today: dt.date | None = None
) -> CheckResult:
    """Check the registry of ``config``, against the git ref ``against`` when given."""
    waivers = load_waivers(config.root / WAIVERS_FILE)
    today = today or dt.date.today()
    if against is None:
        result = _check_all(config, waivers, today, read_gate_rules(config))
        result.host_prefix = host_prefix(config.root)
        return _settings_findings(
            result, config, waivers, schema_folder_names(config.registry_path)
        )

    git = GitBase(config.root, against)
    bus_rules = read_gate_rules(config)  # before any schema: a broken rule file stops it all
    registry_spec = git.relative(config.registry_path)
    changed = git.changed_files(registry_spec)
    config_relative = git.relative(config_path(config))
    config_changed = bool(git.changed_files(config_relative))
    # The base ref's settings matter only when the PR changed them: unchanged, they are the
    # branch's (no git call, no comparison of every schema's settings).
    # (A deleted config counts: the base's settings still judge the PR, against the defaults.)
    read_base = config_changed
    everything = config_changed or any(_is_shared(path, registry_spec) for path in changed)
    folders_touched = {_schema_folder(path, registry_spec) for path in changed}
    affected = None if everything else {folder for folder in folders_touched if folder}

    with tempfile.TemporaryDirectory(prefix="eventcontracts-base-") as temporary:
        base_root = Path(temporary)
        base_registry_dir = base_root / registry_spec
        folders = None if affected is None else sorted(f"{registry_spec}/{f}" for f in affected)
        wanted = (
            [registry_spec] if folders is None else [*folders, *_shared_specs(git, registry_spec)]
        )
        # The base ref's config comes in the same git calls as its registry files.
        git.write(git.files([*wanted, *([config_relative] if read_base else [])]), base_root)
        base_registry_dir.mkdir(parents=True, exist_ok=True)
        base_config: Config | None = config
        if read_base:
            base_config = base_config_from(base_root / config_relative, config)
        # What may fetch from the network is the base ref's to decide, not the PR's.
        safe = trusted(config, base_config)
        advice = (
            PR_CANNOT_ALLOW_REMOTE
            if config.allow_remote_refs and not safe.allow_remote_refs
            else REMOTE_REFUSED_ADVICE
        )

        current = _load(config, config.registry_path, affected)
        base = load_registry(base_registry_dir, display_base=base_root, only=affected)
        base_resolver = Resolver(
            base,
            allow_remote_refs=safe.allow_remote_refs,
            fetch=lambda relative: git.write_paths([f"{registry_spec}/{relative}"], base_root),
            remote_refused_advice=advice,
        )
        resolver = Resolver(
            current, allow_remote_refs=safe.allow_remote_refs, remote_refused_advice=advice
        )
        gate = _Gate(config, resolver, base_resolver, waivers, today, base_config)
        names = sorted(set(current.schemas) | set(base.schemas))
        outcomes = [gate.schema(n, base.schemas.get(n), current.schemas.get(n)) for n in names]
        every_bus_rule_checked = bus_rules is None
        if bus_rules is not None:
            changed_rule_files = bus_rules.changed_files(git, config)
            branch_schemas = (
                None if affected is None else [*current.schemas.values(), *base.schemas.values()]
            )
            concerned = bus_rules.concerning(branch_schemas, changed_rule_files)
            every_bus_rule_checked = len(concerned) == len(bus_rules.rules)
            if concerned:
                findings, scope = check_bus_rules(safe, concerned)
                outcomes = gate.bus_rules(
                    findings,
                    scope,
                    outcomes,
                    on=None if affected is None else set(names),
                    everywhere=changed_rule_files,
                )
    total = count_schema_folders(config.registry_path)
    checked_here = sum(bool(outcome.versions) for outcome in outcomes)
    result = gate.result(against, outcomes, skipped=max(total - checked_here, 0))
    result.host_prefix = git.prefix(config.root)
    result.settings_compared = config_changed and base_config is not None
    result.bus_rules_checked = every_bus_rule_checked
    known = schema_folder_names(config.registry_path) | set(base.schemas)
    display = config_display(config)
    security = [] if base_config is None else security_changes(base_config, config, display)
    for problem in security:
        gate.apply_waivers(problem)
    return _settings_findings(result, config, waivers, known, security)


def _settings_findings(
    result: CheckResult,
    config: Config,
    waivers: list[Waiver],
    known: set[str],
    security: list[Problem] | None = None,
) -> CheckResult:
    """K110 for each security setting the PR turns on (waivable, already judged), then K108
    for each waiver that accepts nothing it could have, K109 for each override that names no
    schema: on the settings outcome, never waived (the fix is to edit the file)."""
    outcome = SchemaOutcome(SETTINGS, "", "", problems=list(security or []))
    result.outcomes.append(outcome)  # first, so that a waiver K110 used is not "unused"
    outcome.problems += [
        *overrides_naming_no_schema(config, known),
        *unused_waivers(waivers, result, known),
    ]
    if not outcome.problems:
        result.outcomes.remove(outcome)
    return result


def _check_all(
    config: Config, waivers: list[Waiver], today: dt.date, bus_rules: GateBusRules | None
) -> CheckResult:
    """Every schema against its own history, and every bus rule (without ``--against``)."""
    jobs = os.cpu_count() or 1
    shards = [(config, Shard(i, jobs), waivers, today) for i in range(jobs)]
    found: tuple[list[PatternFinding], Registry] | None = None
    if jobs > 1 and count_schema_folders(config.registry_path) >= PARALLEL_MIN_SCHEMAS:
        with pool_context().Pool(jobs) as pool:
            pending = pool.map_async(_check_shard, shards)
            if bus_rules is not None:  # while the workers compare versions
                found = check_bus_rules(config, bus_rules.rules)
            parts = pending.get()
    else:
        parts = [_check_shard((config, Shard(), waivers, today))]
        if bus_rules is not None:
            found = check_bus_rules(config, bus_rules.rules)
    outcomes = sorted(
        (outcome for part in parts for outcome in part.outcomes), key=lambda o: o.schema
    )
    notes = [note for part in parts for note in part.notes]
    if found is not None:
        registry = found[1]
        resolver = Resolver(registry, allow_remote_refs=config.allow_remote_refs)
        gate = _Gate(config, resolver, None, waivers, today)
        outcomes = gate.bus_rules(*found, outcomes, on=None, everywhere=set())
        notes += gate.notes
    return CheckResult(
        against=None,
        outcomes=outcomes,
        notes=notes,
        bus_rules_checked=True,  # every rule, against every schema
        compared_pairs=sum(part.compared_pairs for part in parts),
        consumer_checks=sum(part.consumer_checks for part in parts),
    )


def _check_shard(job: tuple[Config, Shard, list[Waiver], dt.date]) -> CheckResult:
    """Every schema of one shard against its own history (a worker's share of the registry)."""
    config, shard, waivers, today = job
    current = _load(config, config.registry_path, None, shard)
    resolver = Resolver(current, allow_remote_refs=config.allow_remote_refs)
    gate = _Gate(config, resolver, None, waivers, today)
    outcomes = [gate.schema(name, None, schema) for name, schema in current.schemas.items()]
    return gate.result(None, outcomes, skipped=0)


def _load(
    config: Config, root: Path, only: set[str] | None, shard: Shard | None = None
) -> Registry:
    registry = load_registry(root, display_base=config.root, only=only, shard=shard)
    registry.require_clean()
    return registry


def _schema_folder(path: str, registry_spec: str) -> str | None:
    parts = path.removeprefix(f"{registry_spec}/").split("/")
    if len(parts) >= 3 and not is_shared(parts[0]):
        return f"{parts[0]}/{parts[1]}"
    return None


def _is_shared(path: str, registry_spec: str) -> bool:
    return is_shared(path.removeprefix(f"{registry_spec}/"))


def _shared_specs(git: GitBase, registry_spec: str) -> list[str]:
    """The shared folders (``registry/_*``) at the ref: refs may reach into any of them."""
    return [
        entry
        for entry in git.entries(registry_spec)
        if is_shared(entry.removeprefix(f"{registry_spec}/"))
    ]


class _Gate:
    def __init__(
        self,
        config: Config,
        resolver: Resolver,
        base_resolver: Resolver | None,
        waivers: list[Waiver],
        today: dt.date,
        base_config: Config | None = None,
    ) -> None:
        self.config = config
        self.base_config = base_config
        self.resolver = resolver
        self.base_resolver = base_resolver
        self.waivers = waivers
        self.today = today
        self.compared_pairs = 0
        self.consumer_checks = 0
        self.notes: list[Problem] = []
        self.refs_followed: set[str] = set()  # versions whose refs are known to end

    def result(
        self, against: str | None, outcomes: list[SchemaOutcome], skipped: int
    ) -> CheckResult:
        return CheckResult(
            against=against,
            outcomes=outcomes,
            notes=self.notes,
            compared_pairs=self.compared_pairs,
            skipped_unchanged=skipped,
            consumer_checks=self.consumer_checks,
        )

    def schema(self, name: str, base: Schema | None, current: Schema | None) -> SchemaOutcome:
        compatibility = self.config.compatibility_for(name)
        settings: list[Problem] = []
        if self.base_config is not None and base is not None and current is not None:
            loosened = loosening(name, self.base_config, self.config, config_display(self.config))
            if loosened is not None:
                settings.append(loosened)
                self.apply_waivers(loosened)
                if loosened.fails:  # the base ref's settings until a waiver accepts the change
                    compatibility = self.base_config.compatibility_for(name)
        outcome = SchemaOutcome(name, compatibility.mode, compatibility.policy)
        outcome.problems += settings
        if current is None:
            assert base is not None
            outcome.problems.append(self._removed(name, base))
        else:
            outcome.versions = [version.version for version in current.versions]
            base_versions = {v.version: v for v in base.versions} if base else {}
            current_versions = {v.version: v for v in current.versions}
            for number, published in sorted(base_versions.items()):
                outcome.problems += self._published(name, published, current_versions.get(number))
            new = [v for v in current.versions if v.version not in base_versions]
            outcome.compared = [version.version for version in new]
            for version in new:
                outcome.problems += self._identity(name, version, current_versions)
                breaks, changes = self._compatibility(
                    name, version, current_versions, compatibility.mode, compatibility.policy
                )
                outcome.problems += breaks
                outcome.changes += changes
            outcome.problems += self._consumers(name, base, current, new)
        for problem in outcome.problems:
            if problem not in settings:
                self.apply_waivers(problem)
        return outcome

    # --- rules a registry-aware gate enforces ---------------------------------------------

    def _removed(self, name: str, base: Schema) -> Problem:
        folder = base.folder.name
        display = (
            f"{base.versions[0].document.display.rsplit('/', 1)[0]}/" if base.versions else folder
        )
        return Problem(
            rules.SCHEMA_REMOVED.id,
            rules.SCHEMA_REMOVED.name,
            name,
            None,
            display,
            None,
            "",
            f"{name} was removed; consumers of its events lose their contract. Keep it, or "
            "waive rule K104 once no consumer reads it",
        )

    def _published(
        self, name: str, published: SchemaVersion, now: SchemaVersion | None
    ) -> list[Problem]:
        if now is None:
            return [
                Problem(
                    rules.PUBLISHED_VERSION_DELETED.id,
                    rules.PUBLISHED_VERSION_DELETED.name,
                    name,
                    published.version,
                    published.document.display,
                    None,
                    "",
                    f"v{published.version} is published at the base ref and was deleted; "
                    "restore it: consumers may still read its events",
                )
            ]
        before, after = _substance(published), _substance(now)
        if before == after:
            return []
        pointer = _first_difference(before, after)
        return [
            Problem(
                rules.PUBLISHED_VERSION_CHANGED.id,
                rules.PUBLISHED_VERSION_CHANGED.name,
                name,
                now.version,
                now.document.display,
                now.document.line_of(pointer),
                pointer,
                f"v{now.version} is published at the base ref and was edited at "
                f"{pointer or '/'}; published versions do not change: put the change in "
                f"v{now.version + 1} (whitespace and descriptions may change)",
            )
        ]

    def _identity(
        self, name: str, version: SchemaVersion, versions: dict[int, SchemaVersion]
    ) -> list[Problem]:
        previous = versions.get(version.version - 1)
        if previous is None:
            return []
        problems = []
        for what, before, after, key in (
            ("source", previous.source, version.source, SOURCE_KEY),
            (
                "detail-type",
                previous.detail_type,
                version.detail_type,
                DETAIL_TYPE_KEY,
            ),
        ):
            if before != after:
                pointer = f"{version.envelope_pointer}/{key}"
                problems.append(
                    Problem(
                        rules.IDENTITY_CHANGED.id,
                        rules.IDENTITY_CHANGED.name,
                        name,
                        version.version,
                        version.document.display,
                        version.document.line_of(pointer),
                        pointer,
                        f"v{version.version} changes the {what} from {before!r} to {after!r}: "
                        "that is a new event, not a new version; give it its own schema folder",
                    )
                )
        return problems

    def _compatibility(
        self,
        name: str,
        version: SchemaVersion,
        versions: dict[int, SchemaVersion],
        mode: str,
        policy: str,
    ) -> tuple[list[Problem], list[Problem]]:
        """The breaks of ``version`` against the earlier versions its mode asks for, and its
        other changes (the compatible ones: what a reviewer reads as the changelog)."""
        base_mode = mode.removesuffix("_TRANSITIVE")
        if base_mode == "NONE" or version.version == 1:
            return [], []
        earlier = (
            [versions[n] for n in sorted(versions) if n < version.version]
            if mode.endswith("_TRANSITIVE")
            else [versions[n] for n in (version.version - 1,) if n in versions]
        )
        problems, changes = [], []
        for compared in (version, *earlier):
            if compared.uri not in self.refs_followed:
                _refuse_endless_refs(self.resolver, compared)
                self.refs_followed.add(compared.uri)
        new_input = from_version(version, self.resolver)
        for old in earlier:
            self.compared_pairs += 1
            report = compare_inputs(
                from_version(old, self.resolver), new_input, mode=base_mode, policy=policy
            )
            for change in report.changes:
                local = change.new_path if "#" not in change.new_path else ""
                found = Problem(
                    change.rule,
                    change.name,
                    name,
                    version.version,
                    version.document.display,
                    version.document.line_of(local) if local else None,
                    change.new_path,
                    f"v{version.version} against v{old.version} ({base_mode}, {policy}): "
                    f"{change.message}",
                    breaking=change.breaking,
                    against=old.version,
                    counterexample=change.counterexample,
                    proven=change.proven,
                    field_path=change.location,
                )
                if change.breaking:
                    problems.append(found)
                elif old.version == version.version - 1:  # the changelog: against the previous
                    changes.append(found)
        return problems, changes

    def _consumers(
        self, name: str, base: Schema | None, current: Schema, new: list[SchemaVersion]
    ) -> list[Problem]:
        """K106 for every consumer a new version breaks, or that a new expectation does not
        find in the versions it must read."""
        before = {c.name: c.document.content for c in base.consumers} if base else {}
        problems = []
        for consumer in current.consumers:
            changed = before.get(consumer.name) != consumer.document.content
            versions = versions_to_hold(consumer, current, new, changed=changed)
            self.consumer_checks += len(versions)
            problems += consumer_problems(name, consumer, versions, self.resolver)
        return problems

    def bus_rules(
        self,
        findings: list[PatternFinding],
        registry: Registry,
        outcomes: list[SchemaOutcome],
        *,
        on: set[str] | None,
        everywhere: set[str],
    ) -> list[SchemaOutcome]:
        """``outcomes`` with the bus-rule findings: each error on the first schema it is about
        that the gate checks (``on``; None: all, as for the rules of the files in
        ``everywhere``), or, about no schema, on the bus-rules outcome; warnings as notes."""
        by_name = {outcome.schema: outcome for outcome in outcomes}
        for finding in findings:
            wanted = None if on is None or finding.bus_rule.file in everywhere else on
            about = [(s, v) for s, v in finding.about if wanted is None or s in wanted]
            if finding.about and not about:
                continue  # about schemas the branch left alone, in a rule it left alone
            schema, version = about[0] if about else (BUS_RULES, None)
            problem = bus_rule_problem(finding, schema, version)
            if not problem.breaking:
                self.notes.append(problem)
                continue
            if schema not in by_name:
                by_name[schema] = self._outcome(schema, registry)
            by_name[schema].problems.append(problem)
            self.apply_waivers(problem)
        return sorted(by_name.values(), key=lambda o: (o.schema == BUS_RULES, o.schema))

    def _outcome(self, name: str, registry: Registry) -> SchemaOutcome:
        if name == BUS_RULES:
            return SchemaOutcome(BUS_RULES, "", "")
        compatibility = self.config.compatibility_for(name)
        outcome = SchemaOutcome(name, compatibility.mode, compatibility.policy)
        outcome.versions = [version.version for version in registry.schemas[name].versions]
        return outcome

    def apply_waivers(self, problem: Problem) -> None:
        consumer = problem.consumer["name"] if problem.consumer else None
        places = (problem.field_path, problem.pointer or None)
        for index, waiver in enumerate(self.waivers):
            if not waiver.matches(
                problem.schema, problem.version, problem.rule, problem.name, consumer, places
            ):
                continue
            problem.waiver_index = index
            if waiver.expires >= self.today:
                problem.waived_by = waiver.reason
                return
            self.notes.append(
                Problem(
                    rules.WAIVER_EXPIRED.id,
                    rules.WAIVER_EXPIRED.name,
                    problem.schema,
                    problem.version,
                    WAIVERS_FILE,
                    waiver.line or None,
                    "",
                    f"the waiver of {problem.rule} for {problem.schema}"
                    f"{f' v{problem.version}' if problem.version else ''} expired on "
                    f"{waiver.expires.isoformat()} and no longer applies ({waiver.reason})",
                    breaking=False,
                )
            )


def _substance(version: SchemaVersion) -> Any:
    """The document without what may change in a published version: descriptions."""
    document = copy.deepcopy(version.document.content)
    openapi = version.format is SchemaFormat.OPENAPI3
    for _, schema in iter_document_schemas(document, openapi=openapi):
        schema.pop("description", None)
    if openapi and isinstance(document.get("info"), dict):
        document["info"].pop("description", None)
    return document


def _first_difference(before: Any, after: Any, pointer: str = "") -> str:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*before, *(k for k in after if k not in before)]:
            if before.get(key, _MISSING) != after.get(key, _MISSING):
                if key in before and key in after:
                    return _first_difference(
                        before[key], after[key], f"{pointer}/{escape_token(key)}"
                    )
                return f"{pointer}/{escape_token(key)}" if key in after else pointer
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (a, b) in enumerate(zip(before, after, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{pointer}/{index}")
    return pointer


_MISSING = object()


def _refuse_endless_refs(resolver: Resolver, version: SchemaVersion) -> None:
    """A version whose refs loop in place cannot be compared (lint reports it as L402)."""
    at = endless_ref(resolver, version)
    if at is not None:
        raise EventContractsError(
            f"{version.document.display}: the $ref at {printable(at)} comes back to itself "
            "through $ref, allOf, anyOf, oneOf or not without going into the event, so the "
            "version cannot be compared; run 'eventcontracts lint' (L402)"
        )
