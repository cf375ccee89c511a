"""Modes and policies on top of the one-direction walk; the report a user reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventcontracts.compat.diff import Context, Difference, compare
from eventcontracts.compat.inputs import InputError, SchemaInput, from_document
from eventcontracts.compat.model import Loader, Node
from eventcontracts.compat.rules import (
    BY_NAME,
    LENIENT,
    STRICT,
    breaks,
    inverse_case,
    inverse_of,
)
from eventcontracts.config import MODES
from eventcontracts.errors import EventContractsError
from eventcontracts.findings import printable

if TYPE_CHECKING:
    from eventcontracts.compat.witness import Witnesses

BACKWARD, FORWARD = "BACKWARD", "FORWARD"


@dataclass
class Change:
    """One difference between the versions, as the report shows it.

    ``rule`` is the catalog ID; pointers are into the old and the new document; ``breaks``
    lists the directions it breaks (BACKWARD: consumers on the new version reading old events;
    FORWARD: consumers still on the old version reading new events) and ``breaking`` says
    whether that matters in the requested mode.
    """

    rule: str
    name: str
    old_path: str
    new_path: str
    location: str
    breaks: list[str]
    breaking: bool
    message: str
    counterexample: Any = None
    # For a breaking change: True when a counterexample (checked with jsonschema) proves the
    # break, False when the engine found none and so "could not prove compatible"; None when
    # the change does not break or counterexamples were not asked for.
    proven: bool | None = None
    confluent: str | None = None
    confluent_path: str = ""
    evidence: dict[str, Difference] = field(default_factory=dict, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "old_path": self.old_path,
            "new_path": self.new_path,
            "breaking": self.breaking,
            "breaks": self.breaks,
            "message": self.message,
            "counterexample": self.counterexample,
            "proven": self.proven,
        }


@dataclass
class Report:
    compatible: bool
    mode: str
    policy: str
    changes: list[Change]
    # What each direction's walk found, in its own terms (for tests and tools).
    found: dict[str, list[Difference]] = field(default_factory=dict, repr=False)

    @property
    def breaking_changes(self) -> list[Change]:
        return [change for change in self.changes if change.breaking]

    def as_dict(self) -> dict[str, Any]:
        return {
            "compatible": self.compatible,
            "mode": self.mode,
            "policy": self.policy,
            "changes": [change.as_dict() for change in self.changes],
        }


def compare_inputs(
    old: SchemaInput,
    new: SchemaInput,
    *,
    mode: str = "FULL",
    policy: str = LENIENT,
    counterexamples: bool = True,
) -> Report:
    """Compare two schemas in ``mode`` under ``policy`` (see ``eventcontracts.compat``)."""
    try:
        return _compare(old, new, mode=mode, policy=policy, counterexamples=counterexamples)
    except BaseException as exc:
        if not _endless(exc):
            raise
        # A schema that comes back to itself in place (``A: {allOf: [{$ref: B}]}`` and ``B``
        # the same of ``A``) has no end to follow; lint reports where (L402). The bounded
        # reader keeps plain nesting far below the depth that could end here.
        raise InputError(
            f"{printable(_place(new))}: a schema refers back to itself through $ref, allOf, "
            "anyOf, oneOf or not without going into the event, so it has no end to compare; "
            "run 'eventcontracts lint' on it (L402)"
        ) from None


def _endless(exc: BaseException) -> bool:
    """A RecursionError, also as the panic rpds (under ``referencing``) turns one into when it
    meets it inside a comparison: a BaseException, so it is caught by name."""
    if isinstance(exc, RecursionError):
        return True
    return type(exc).__name__ == "PanicException" and "RecursionError" in str(exc)


def _place(schema: SchemaInput) -> str:
    if schema.uri.startswith("file:///registry/"):  # a registry version: shown as lint shows it
        return schema.uri.removeprefix("file:///")
    return schema.uri.removeprefix("file://") or "the new schema"


def _compare(
    old: SchemaInput,
    new: SchemaInput,
    *,
    mode: str,
    policy: str,
    counterexamples: bool,
) -> Report:
    mode = mode.upper()
    if mode not in MODES:
        raise EventContractsError(f"mode {mode!r} is not one of {', '.join(MODES)}")
    if policy not in (STRICT, LENIENT):
        raise EventContractsError(f"policy {policy!r} is not strict or lenient")
    base = mode.removesuffix("_TRANSITIVE")
    old_root, new_root = _root(old), _root(new)
    shared: dict[Any, Any] = {}
    backward = _direction(old_root, new_root, policy, shared, old_reader=False)
    forward = _direction(new_root, old_root, policy, shared, old_reader=True)
    changes: dict[tuple[str, str, str], Change] = {}
    for difference in backward:
        _merge(changes, difference, BACKWARD, policy, swap=False)
    for difference in forward:
        _merge(changes, difference, FORWARD, policy, swap=True)
    checked = {"BACKWARD": [BACKWARD], "FORWARD": [FORWARD], "FULL": [BACKWARD, FORWARD]}
    directions = checked.get(base, [])
    # Built on the first break only: a compatible pair costs no validator.
    witnesses = _LazyWitnesses(old, new, policy)
    for change in changes.values():
        change.breaking = any(direction in change.breaks for direction in directions)
    proving = [change for change in changes.values() if change.breaking and counterexamples]
    # Built counterexamples first, for every break (instant); a search, within its time, only
    # for the breaks they leave unproven.
    for search in (False, True):
        for change in proving:
            if change.counterexample is None:
                change.counterexample = _counterexample(change, directions, witnesses, search)
    for change in proving:  # the others stay unjudged (None): no counterexample was sought
        change.proven = change.counterexample is not None
    for change in changes.values():
        change.message = _message(change)
    ordered = sorted(changes.values(), key=lambda c: (not c.breaking, c.location, c.rule))
    return Report(
        compatible=not any(change.breaking for change in ordered),
        mode=mode,
        policy=policy,
        changes=ordered,
        found={BACKWARD: backward, FORWARD: forward},
    )


def compare_documents(
    old: Any, new: Any, *, mode: str = "FULL", policy: str = LENIENT, counterexamples: bool = True
) -> Report:
    return compare_inputs(
        from_document(old, "file:///old.json"),
        from_document(new, "file:///new.json"),
        mode=mode,
        policy=policy,
        counterexamples=counterexamples,
    )


class _LazyWitnesses:
    def __init__(self, old: SchemaInput, new: SchemaInput, policy: str) -> None:
        self.sides = {BACKWARD: (old, new), FORWARD: (new, old)}
        self.policy = policy
        self.made: dict[str, Witnesses] = {}

    def __getitem__(self, direction: str) -> Witnesses:
        if direction not in self.made:
            # Counterexamples (hypothesis, jsonschema's validators) are imported by the first
            # break: a compatible pair, what most pull requests bring, never needs them.
            from eventcontracts.compat.witness import Witnesses

            writer, reader = self.sides[direction]
            self.made[direction] = Witnesses(writer, reader, self.policy)
        return self.made[direction]


def _counterexample(
    change: Change, directions: list[str], witnesses: _LazyWitnesses, search: bool
) -> dict[str, Any] | None:
    for direction in directions:
        difference = change.evidence.get(direction)
        if difference is None:
            continue
        witness = witnesses[direction].find(difference, search=search)
        if witness is not None:
            writer, reader = ("old", "new") if direction == BACKWARD else ("new", "old")
            found = {
                "accepted_by": writer,
                "rejected_by": reader,
                "at": _data_location(witness.path),
                "value": witness.value,
                "event": witness.event,
            }
            if "required" in difference.path[:-1] and isinstance(witness.value, dict):
                # What proves a newly required property is its absence.
                found["missing"] = difference.path[difference.path.index("required") + 1]
            return found
    return None


def _direction(
    writer: Node, reader: Node, policy: str, shared: dict[Any, Any], *, old_reader: bool
) -> list[Difference]:
    """The differences a reader on ``reader`` meets reading what ``writer`` allows."""
    context = Context(policy, shared=shared, old_reader=old_reader)
    compare(context, writer, reader)
    return context.differences


def _root(side: SchemaInput) -> Node:
    """The schema's node; its loader is shared by both directions of a comparison."""
    return Loader(side.resolve, dialect=side.dialect, enter=side.enter).load(
        side.schema, side.pointer, None
    )


def _merge(
    changes: dict[tuple[str, str, str], Change],
    difference: Difference,
    direction: str,
    policy: str,
    *,
    swap: bool,
) -> None:
    found = BY_NAME[difference.rule]
    shown = inverse_of(found) if swap else found
    old_path, new_path = (
        (difference.new_pointer, difference.old_pointer)
        if swap
        else (difference.old_pointer, difference.new_pointer)
    )
    location = _location(difference.path)
    # One change per place: the same edit seen from the other direction adds its verdict to
    # the change already listed rather than a second line.
    key = (old_path, new_path, location)
    change = changes.get(key)
    if change is None:
        change = Change(
            rule=shown.id,
            name=shown.name,
            old_path=old_path,
            new_path=new_path,
            location=location,
            breaks=[],
            breaking=False,
            message="",
            confluent=shown.confluent,
            confluent_path=difference.confluent_path,
        )
        changes[key] = change
    if breaks(found, policy, old_reader=direction == FORWARD) and direction not in change.breaks:
        change.breaks.append(direction)
        change.evidence[direction] = difference


def _location(path: tuple[str, ...]) -> str:
    """The walk as a path into the event: (properties, detail, properties, id) -> detail.id"""
    parts: list[str] = []
    tokens = list(path)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in (
            "properties",
            "patternProperties",
            "dependencies",
            "required",
        ) and index + 1 < len(tokens):
            parts.append(tokens[index + 1])
            index += 2
            continue
        if token == "items" or token.startswith("items/"):
            parts.append("[]" if token == "items" else f"[{token.split('/', 1)[1]}]")
        elif token == "additionalProperties":
            parts.append("*")
        index += 1
    text = ""
    for part in parts:
        text += part if part.startswith("[") else (f".{part}" if text else part)
    return text or "(the event)"


def _data_location(path: tuple[str | int, ...]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _message(change: Change) -> str:
    summary = BY_NAME[change.name].summary
    if change.proven is False:
        summary = f"Could not prove compatible (no counterexample found): {summary}"
    if not change.breaks:
        effect = "compatible both ways"
    else:
        readers = {
            BACKWARD: "consumers on the new version reject some events of the old",
            FORWARD: "consumers on the old version reject some events of the new",
        }
        effect = "; ".join(readers[d] + _case(change, d) for d in change.breaks)
    return f"{change.location}: {summary} ({effect})"


def _case(change: Change, direction: str) -> str:
    """Why the change breaks ``direction`` when that depends on the case (a removed property
    breaks consumers on the old version only when they required it): the rule's words."""
    evidence = change.evidence.get(direction)
    if evidence is None:
        return ""
    case = inverse_case(BY_NAME[change.name], BY_NAME[evidence.rule])
    return "" if case is None else f", as {case[0]}: {case[1]}"
