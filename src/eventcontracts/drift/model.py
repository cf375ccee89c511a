"""What ``drift`` found: per schema, how the captured events fit its versions."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Where:
    """An event's place in the captures: ``file:line`` (the line may be unknown)."""

    file: str
    line: int | None
    index: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(frozen=True)
class FirstError:
    """Why the example event fits no version: the latest version's most relevant error."""

    version: int
    pointer: str  # a JSON pointer in the event, "" for the event itself
    message: str


@dataclass
class Undeclared:
    field: str  # in the consumer files' syntax: items[].sku
    events: int
    example: Where


@dataclass
class SchemaDrift:
    schema: str  # source@Name
    source: str
    detail_type: str
    versions: list[int]  # oldest first
    events: int = 0
    fits: dict[int, int] = field(default_factory=dict)  # version -> events that fit it
    fits_none: int = 0
    none_example: Where | None = None
    first_error: FirstError | None = None
    undeclared: list[Undeclared] = field(default_factory=list)
    # More distinct undeclared fields were seen than are kept (hostile or very loose traffic).
    undeclared_truncated: bool = False


@dataclass
class UnknownEvents:
    """Events whose source and detail-type no schema of the registry has."""

    source: str
    detail_type: str
    events: int
    example: Where


@dataclass
class DriftReport:
    events: int
    schemas: list[SchemaDrift]
    unknown: list[UnknownEvents]
    unknown_truncated: bool = False

    @property
    def fits_none(self) -> int:
        return sum(schema.fits_none for schema in self.schemas)

    @property
    def unknown_events(self) -> int:
        return sum(each.events for each in self.unknown)

    @property
    def ok(self) -> bool:
        """Every event fits some version of its schema, and every event has a schema."""
        return not self.fits_none and not self.unknown
