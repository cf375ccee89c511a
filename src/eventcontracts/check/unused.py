"""Settings that apply to nothing: waivers that accept no finding (K108) and overrides that
name no schema (K109). Left in place, each would silently do something later: a stale
waiver accepts the next break of its kind, a misspelt override leaves its schema on the
default mode.

A waiver is only called unused where this run could have found what it accepts (as ruff
reports an unused ``noqa`` only on the lines it checked):

- one that names no schema of the registry (nor one the PR removed): always;
- one for a bus-rule finding about no schema (``schema = "bus rules"``): when the run checked
  every bus rule (a waiver names no rule file, so a run that checked some cannot tell);
- with ``--against``, one whose version is new in the PR (the only versions compared), or
  one for K107 when the PR changed eventcontracts.toml (every schema's settings compared);
- without ``--against`` (every version compared with its predecessors), any one whose rule
  does not need a base ref (K101, K102, K104 and K107 do).

A waiver for a version the PR did not add is never called unused with ``--against``: the
plain ``check`` still compares that version and still needs it.
"""

from __future__ import annotations

import os
from pathlib import Path

from eventcontracts.check import rules
from eventcontracts.check.model import BUS_RULES, SETTINGS, CheckResult, Problem
from eventcontracts.check.settings import config_display
from eventcontracts.check.waivers import EVERY_SCHEMA, WAIVERS_FILE, Waiver
from eventcontracts.config import Config, did_you_mean
from eventcontracts.registry.sourcefolder import NotASourceFolder, source_of_folder

# Rules only a comparison with a base ref finds.
NEEDS_BASE = {
    rules.PUBLISHED_VERSION_CHANGED.id,
    rules.PUBLISHED_VERSION_DELETED.id,
    rules.SCHEMA_REMOVED.id,
    rules.COMPATIBILITY_LOOSENED.id,
}
NEEDS_BASE_NAMES = {rules.GATE_RULES[rule].name for rule in NEEDS_BASE}


def schema_folder_names(registry: Path) -> set[str]:
    """Every schema name of the registry, from its folders alone (no file is read)."""
    names: set[str] = set()
    if not registry.is_dir():
        return names
    for source in os.scandir(registry):
        if not source.is_dir() or source.name.startswith(("_", ".")):
            continue
        try:
            decoded = source_of_folder(source.name)
        except NotASourceFolder:
            continue  # lint reports the folder
        names |= {
            f"{decoded}@{entry.name}"
            for entry in os.scandir(source.path)
            if entry.is_dir() and not entry.name.startswith(".")
        }
    return names


def overrides_naming_no_schema(config: Config, known: set[str]) -> list[Problem]:
    return [
        Problem(
            rules.OVERRIDE_NAMES_NO_SCHEMA.id,
            rules.OVERRIDE_NAMES_NO_SCHEMA.name,
            SETTINGS,
            None,
            config_display(config),
            config.lines.get(("schemas", name)),
            "",
            f'[schemas."{name}"] names no schema of the registry{did_you_mean(name, known)}; '
            "its settings apply to nothing: correct the name or remove the table",
        )
        for name in sorted(config.overrides)
        if name not in known
    ]


def unused_waivers(waivers: list[Waiver], result: CheckResult, known: set[str]) -> list[Problem]:
    used = {p.waiver_index for outcome in result.outcomes for p in outcome.problems}
    outcomes = {outcome.schema: outcome for outcome in result.outcomes}
    against = result.against is not None
    found = []
    for index, waiver in enumerate(waivers):
        if index in used:
            continue
        needs_base = waiver.rule in NEEDS_BASE or waiver.rule in NEEDS_BASE_NAMES
        if waiver.schema == EVERY_SCHEMA:
            if not (against and result.settings_compared):
                continue  # only a run that compares the settings could use it
            why = "matches no loosening of this pull request"
        elif waiver.schema == BUS_RULES:
            if not result.bus_rules_checked:
                continue  # the rule it accepts a finding of may be one this run left alone
            why = "matches no finding of the bus rules"
        elif waiver.schema not in known:
            if needs_base and not against:
                continue  # e.g. K104 for a schema this branch removes: only --against sees it
            why = f"names no schema of the registry{did_you_mean(waiver.schema, known)}"
        else:
            outcome = outcomes.get(waiver.schema)
            if outcome is None or (needs_base and not against):
                continue  # not checked in this run
            if waiver.version is not None and waiver.version not in outcome.versions:
                if against:
                    continue  # a version the branch deleted: K102 at a base version
                why = f"names v{waiver.version}, which {waiver.schema} does not have"
            elif waiver.version is not None:
                if waiver.version not in outcome.compared:
                    continue
                why = f"matches no finding of v{waiver.version}"
            elif against and not (_is_k107(waiver) and result.settings_compared):
                continue  # a break of an earlier version, which the plain check still finds
            else:
                why = "matches no finding"
        found.append(
            Problem(
                rules.UNUSED_WAIVER.id,
                rules.UNUSED_WAIVER.name,
                SETTINGS,
                None,
                WAIVERS_FILE,
                waiver.line or None,
                "",
                f"the waiver of {waiver.rule} for {waiver.schema}"
                f"{f' v{waiver.version}' if waiver.version else ''}"
                f"{f' at {waiver.field}' if waiver.field else ''} {why}; remove it (or "
                "correct it), or it would accept a later break unseen",
            )
        )
    return found


def _is_k107(waiver: Waiver) -> bool:
    return waiver.rule in (rules.COMPATIBILITY_LOOSENED.id, rules.COMPATIBILITY_LOOSENED.name)
