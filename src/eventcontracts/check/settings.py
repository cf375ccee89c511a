"""The compatibility settings a pull request is judged by: the base ref's, unless it tightens.

A branch could otherwise switch the gate off in the same PR that breaks a schema (``mode =
"NONE"`` beside a breaking v3). So with ``--against`` each schema that exists at the base ref
is judged by the base's mode and policy; the branch's apply only when they ask for at least as
much (a tightening), or when a waiver of K107 accepts the loosening (a reviewed decision).

The order: a mode asks for a set of checks, each a direction (BACKWARD, FORWARD) against the
previous version or, ``*_TRANSITIVE``, against every earlier one. A setting tightens another
when it asks for every check the other asks for: its directions include the other's and it
is transitive when the other is. NONE asks for nothing; FULL for both directions, so NONE <
BACKWARD, FORWARD < FULL, and X < X_TRANSITIVE. Anything else, BACKWARD -> FORWARD included,
drops a check someone relies on and is a loosening. The policy ``strict`` judges more changes
breaking than ``lenient``, so strict -> lenient loosens.

Security settings (``allow-remote-refs``) are stricter still: the check of a PR always runs
with the base ref's value when the PR turns one on (a $ref would otherwise make CI fetch any
URL the PR names), and turning it on is K110; a waiver lets the PR merge, never its own check
fetch.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from eventcontracts.check import rules
from eventcontracts.check.model import SETTINGS, Problem
from eventcontracts.config import CONFIG_FILE_NAME, Compatibility, Config, load_config
from eventcontracts.errors import ConfigError

TRANSITIVE = "_TRANSITIVE"
# Settings a PR must not turn on for its own check: (table, key, Config attribute). With
# allow-remote-refs, a $ref in the PR would make the gate fetch any URL (blind SSRF from CI).
SECURITY_SETTINGS = (("registry", "allow-remote-refs", "allow_remote_refs"),)
POLICY_STRICTNESS = {"lenient": 0, "strict": 1}


def directions(mode: str) -> frozenset[str]:
    """The directions a mode checks: FULL is both, NONE neither."""
    plain = mode.removesuffix(TRANSITIVE)
    if plain == "FULL":
        return frozenset({"BACKWARD", "FORWARD"})
    return frozenset() if plain == "NONE" else frozenset({plain})


def mode_tightens(old: str, new: str) -> bool:
    """``new`` asks for every check ``old`` asks for (equal modes included)."""
    if not directions(old):
        return True  # NONE asks for nothing
    transitive_kept = new.endswith(TRANSITIVE) or not old.endswith(TRANSITIVE)
    return directions(new) >= directions(old) and transitive_kept


def tightens(old: Compatibility, new: Compatibility) -> bool:
    """``new`` judges every change ``old`` judges breaking as breaking too."""
    return mode_tightens(old.mode, new.mode) and (
        POLICY_STRICTNESS[new.policy] >= POLICY_STRICTNESS[old.policy]
    )


def config_display(config: Config) -> str:
    """The config file as reports name it: relative to the project (the folder holding it),
    so ``--config ci.toml`` is ``ci.toml``."""
    return config.file.name if config.file else CONFIG_FILE_NAME


def config_path(config: Config) -> Path:
    """The config file a run reads (``--config`` or the one found), or where the default
    one would be when there is none (a PR may have deleted it)."""
    return config.file or config.root / CONFIG_FILE_NAME


def base_config_from(copy: Path, config: Config) -> Config | None:
    """The settings at the base ref, from ``copy``, its config file as git wrote it (defaults
    when the ref has none); None when it does not read, so that a branch can repair a broken
    one (its own settings then apply)."""
    if not copy.is_file():
        return Config(root=config.root, registry_path=config.registry_path)
    try:
        # Not strict: a key the base holds that this version refuses is not the branch's doing.
        return load_config(copy, strict=False)
    except ConfigError:
        return None


def loosening(name: str, base_config: Config, config: Config, display: str) -> Problem | None:
    """K107 when ``config`` judges schema ``name`` more leniently than ``base_config`` did."""
    old, new = base_config.compatibility_for(name), config.compatibility_for(name)
    if tightens(old, new):
        return None
    override = name in config.overrides
    table = f'[schemas."{name}"]' if override else "[compatibility]"
    keys = ("schemas", name) if override else ("compatibility",)
    changed = [
        (key, before, after)
        for key, before, after in (("mode", old.mode, new.mode), ("policy", old.policy, new.policy))
        if before != after
    ]
    line = next(
        (config.lines.get((*keys, key)) for key, _, _ in changed if (*keys, key) in config.lines),
        config.lines.get(keys),
    )
    what = "; ".join(f"{table} {key} {before} -> {after}" for key, before, after in changed)
    removed = (
        f' (its override [schemas."{name}"] was removed)'
        if name in base_config.overrides and not override
        else ""
    )
    return Problem(
        rules.COMPATIBILITY_LOOSENED.id,
        rules.COMPATIBILITY_LOOSENED.name,
        name,
        None,
        display,
        line,
        "",
        f"{name} is judged more leniently than at the base ref{removed}: {what}; the base "
        f"ref's {old.mode}, {old.policy} applies until a waiver of K107 for this schema "
        "accepts the loosening",
    )


def trusted(config: Config, base_config: Config | None) -> Config:
    """``config`` with each security setting on only where the base ref has it on too: a PR
    can turn one off for its own check, never on. No readable base file: off."""
    on_at_base = base_config is not None and base_config.allow_remote_refs
    return dataclasses.replace(config, allow_remote_refs=config.allow_remote_refs and on_at_base)


def security_changes(base_config: Config, config: Config, display: str) -> list[Problem]:
    """K110 for each security setting the PR turns on that the base ref has off."""
    found = []
    for table, key, attribute in SECURITY_SETTINGS:
        before, after = getattr(base_config, attribute), getattr(config, attribute)
        if before or not after:
            continue
        found.append(
            Problem(
                rules.SECURITY_SETTING_CHANGED.id,
                rules.SECURITY_SETTING_CHANGED.name,
                SETTINGS,
                None,
                display,
                config.lines.get((table, key), config.lines.get((table,))),
                "",
                f"[{table}] {key} {str(before).lower()} -> {str(after).lower()}: the PR turns "
                f"on a security setting; this check keeps the base ref's "
                f"{str(before).lower()}, and the PR fails until a waiver of K110 "
                '(schema = "*") accepts the change',
            )
        )
    return found
