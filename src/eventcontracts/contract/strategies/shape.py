"""A shape: every constraint the keywords of one conjunction of subschemas put on a value.

The keyword handlers (:mod:`keywords`) write into a shape, the type builders (:mod:`types`) read
it. Subschemas met under ``allOf`` or a ``$ref`` write into the same shape, so ``allOf`` of
object schemas (the usual "base plus extension") merges without special cases; the subschemas
an object's property or an array's item must satisfy stay :class:`Piece` lists, compiled
later in their own scopes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eventcontracts.contract.strategies.context import Scope

JSON_TYPES = ("null", "boolean", "object", "array", "number", "string", "integer")


class Fallback(Exception):
    """The compiler does not handle this conjunction exactly: hypothesis-jsonschema will."""


@dataclass(frozen=True)
class Piece:
    """A subschema and the scope its refs resolve from."""

    schema: Any
    scope: Scope


@dataclass
class ArrayRule:
    """One subschema's say on items: ``prefix[i]`` for position i, ``rest`` after the prefix
    (``None``: anything goes)."""

    prefix: list[Piece]
    rest: Piece | None


@dataclass
class ObjectRule:
    """One subschema's say on properties: named ones, by pattern, and any other."""

    properties: dict[str, Piece]
    patterns: list[tuple[str, Piece]]
    additional: Piece | None


@dataclass
class Bound:
    value: int | float
    exclusive: bool


@dataclass
class Shape:
    types: list[str] | None = None  # None: any type
    # strings
    min_length: int = 0
    max_length: int | None = None
    patterns: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    # numbers (bounds apply to integers too)
    lower: Bound | None = None
    upper: Bound | None = None
    multiples: list[int | float] = field(default_factory=list)
    # arrays
    min_items: int = 0
    max_items: int | None = None
    unique_items: bool = False
    array_rules: list[ArrayRule] = field(default_factory=list)
    # objects
    object_rules: list[ObjectRule] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    min_properties: int = 0
    max_properties: int | None = None
    dependent_required: dict[str, list[str]] = field(default_factory=dict)
    # which type-specific keywords were seen, for a schema without "type"
    mentioned: set[str] = field(default_factory=set)

    def restrict_types(self, allowed: list[str]) -> None:
        if self.types is None:
            self.types = list(dict.fromkeys(allowed))
            return
        kept = []
        for name in self.types:
            if name in allowed:
                kept.append(name)
            elif name in ("number", "integer") and ("number" in allowed or "integer" in allowed):
                kept.append("integer")
        self.types = list(dict.fromkeys(kept))

    def raise_lower(self, value: int | float, exclusive: bool) -> None:
        if (
            self.lower is None
            or value > self.lower.value
            or (value == self.lower.value and exclusive)
        ):
            self.lower = Bound(value, exclusive)

    def lower_upper(self, value: int | float, exclusive: bool) -> None:
        if (
            self.upper is None
            or value < self.upper.value
            or (value == self.upper.value and exclusive)
        ):
            self.upper = Bound(value, exclusive)
