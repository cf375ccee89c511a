"""A consumer's reads as a reader schema: the JSON Schema of the events it can handle.

Only what it reads is in it, everything else is open: a property it does not read may be
anything or absent. A read path is required unless the read says ``required: false``, and so
are the objects it passes through; a path through ``items[]`` is an array whose every item is
read. Comparing a schema version (the writer) with this schema (the reader) answers "can this
consumer read every event of that version?" with the ordinary compatibility engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from eventcontracts.schema.values import json_type

if TYPE_CHECKING:  # the parser uses this module to check a file's reads agree
    from eventcontracts.registry.consumers import FieldRead, Problems

READER_DIALECT = "http://json-schema.org/draft-07/schema#"


def reader_schema(reads: Iterable[FieldRead]) -> dict[str, Any]:
    """The event envelope a consumer reading ``reads`` accepts (draft-07)."""
    detail, _ = _build(reads)
    return {
        "$schema": READER_DIALECT,
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": detail},
    }


def shape_problems(reads: Iterable[FieldRead]) -> Problems:
    """Reads that disagree on what a field is (an object to one, a string to another)."""
    return _build(reads)[1]


def _build(reads: Iterable[FieldRead]) -> tuple[dict[str, Any], Problems]:
    reads = list(reads)
    detail: dict[str, Any] = {"type": "object"}
    problems: Problems = []
    leaves: list[tuple[FieldRead, dict[str, Any]]] = []
    # First every path's shape (objects and arrays on the way), then each read's constraints
    # on its own field: a read's type is then checked against what the paths below it need.
    for read in reads:
        node = detail
        for index, step in enumerate(read.steps):
            properties = node.setdefault("properties", {})
            if read.required:
                required = node.setdefault("required", [])
                if step.name not in required:
                    required.append(step.name)
            node = properties.setdefault(step.name, {})
            for _ in range(step.arrays):
                node = _shaped(node, "array", read, problems).setdefault("items", {})
            if index < len(read.steps) - 1:
                node = _shaped(node, "object", read, problems)
        leaves.append((read, node))
    for read, node in leaves:
        _constrain(node, read, problems)
    return detail, problems


def _shaped(node: dict[str, Any], shape: str, read: FieldRead, problems: Problems) -> Any:
    declared = node.setdefault("type", shape)
    if declared != shape:
        problems.append(
            (
                f"{read.pointer}/field",
                f"{read.field} reads a field as an {shape} that another "
                f"read takes as an {declared}",
            )
        )
    return node


def _constrain(node: dict[str, Any], read: FieldRead, problems: Problems) -> None:
    constraints = dict(read.constraints)
    shape = node.get("type")
    declared = constraints.get("type", _inferred_type(constraints))
    if shape is not None and declared is not None:
        names = declared if isinstance(declared, list) else [declared]
        if shape not in names:
            problems.append(
                (
                    f"{read.pointer}/type",
                    f"{read.field} is typed {declared!r}, but other reads "
                    f"go into it as an {shape}; give it type {shape} or drop the type",
                )
            )
    if declared is not None:
        constraints["type"] = declared
    node.update(constraints)


def _inferred_type(constraints: dict[str, Any]) -> str | list[str] | None:
    """The type an ``enum`` or ``const`` implies, so values are compared as values of a type."""
    values = constraints.get("enum")
    if not isinstance(values, list):
        values = [constraints["const"]] if "const" in constraints else []
    kinds = {json_type(value) for value in values}
    if not kinds:
        return None
    if kinds == {"integer", "number"}:
        kinds = {"number"}
    return kinds.pop() if len(kinds) == 1 else sorted(kinds)
