"""The difference between every two versions of a schema, from the compatibility engine.

Each pair is compared in mode FULL, so a change is classified in both directions and every
break gets its counterexample; whether it *breaks* is then judged by the schema's own mode
(a BACKWARD schema does not mind a change that only old readers would trip on).
"""

from __future__ import annotations

from eventcontracts.catalog.model import DiffChange, VersionDiff
from eventcontracts.compat import Change, compare_inputs
from eventcontracts.compat.inputs import InputError, SchemaInput, from_version
from eventcontracts.config import Compatibility
from eventcontracts.findings import printable
from eventcontracts.registry.model import Schema
from eventcontracts.registry.resolver import Resolver

# The directions a mode guards (its *_TRANSITIVE form guards the same ones, pair by pair).
GUARDED = {"BACKWARD": ("BACKWARD",), "FORWARD": ("FORWARD",), "FULL": ("BACKWARD", "FORWARD")}


def guarded_directions(mode: str) -> tuple[str, ...]:
    return GUARDED.get(mode.removesuffix("_TRANSITIVE"), ())


def version_diffs(
    schema: Schema, resolver: Resolver, compatibility: Compatibility
) -> tuple[VersionDiff, ...]:
    """Every pair ``old < new`` of the schema's versions, oldest first."""
    versions = sorted(schema.versions, key=lambda v: v.version)
    inputs: dict[int, SchemaInput | InputError] = {}
    for version in versions:
        try:
            inputs[version.version] = from_version(version, resolver)
        except InputError as exc:
            inputs[version.version] = exc
    diffs = []
    for index, old in enumerate(versions):
        for new in versions[index + 1 :]:
            diffs.append(_diff(inputs[old.version], inputs[new.version], old.version,
                               new.version, compatibility))  # fmt: skip
    return tuple(diffs)


def _diff(
    old: SchemaInput | InputError,
    new: SchemaInput | InputError,
    old_number: int,
    new_number: int,
    compatibility: Compatibility,
) -> VersionDiff:
    """One pair; a version the engine cannot read (lint tells why) is a problem on the page,
    not the end of the build."""
    problem: str | None = None
    changes: tuple[DiffChange, ...] = ()
    try:
        if isinstance(old, InputError):
            raise old
        if isinstance(new, InputError):
            raise new
        report = compare_inputs(old, new, mode="FULL", policy=compatibility.policy)
        guarded = guarded_directions(compatibility.mode)
        changes = tuple(sorted((_change(c, guarded) for c in report.changes), key=_order))
    except InputError as exc:
        problem = f"could not be compared: {printable(exc)}"
    return VersionDiff(
        old=old_number,
        new=new_number,
        mode=compatibility.mode,
        policy=compatibility.policy,
        compatible=problem is None and not any(change.breaking for change in changes),
        changes=changes,
        problem=problem,
    )


def _change(change: Change, guarded: tuple[str, ...]) -> DiffChange:
    breaks = tuple(direction for direction in ("BACKWARD", "FORWARD") if direction in change.breaks)
    return DiffChange(
        rule=change.rule,
        name=change.name,
        message=change.message,
        old_path=change.old_path,
        new_path=change.new_path,
        breaks=breaks,
        breaking=any(direction in guarded for direction in breaks),
        counterexample=change.counterexample,
        proven=change.proven,
    )


def _order(change: DiffChange) -> tuple[bool, str, str, str]:
    """Breaking changes first, then by place and rule: the same order on every run."""
    return (not change.breaking, change.new_path or change.old_path, change.rule, change.message)
