"""What the catalog site shows, as plain data: built by :mod:`.collect`, rendered by :mod:`.render`.

Everything here is already decided (sorted, formatted, counted), so rendering is a pure function
of this model and the site is byte-identical for the same inputs. Text from the registry (names,
titles, descriptions, enum values, consumer files, rule files) is untrusted: it is kept as plain
strings here and escaped only where it is written out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class PropertyNode:
    """One node of a version's property tree (built by :func:`.tree.property_tree`).

    ``path`` is the field path in consumer-file syntax (``items[].productId``; ``""`` for the
    detail itself); ``name`` is the last step as shown (``productId``, ``[]`` for array items).
    ``constraints`` are the other keywords worth showing, in a fixed order, as (keyword, text)
    pairs (``("minimum", "1")``, ``("pattern", "^[A-Z]{2}$")``). ``ref`` is the ``$ref`` this
    node was reached through, as written; ``recursive_to`` is set (to the ancestor's path) when
    the node's schema is one of its ancestors': it is shown once, not expanded again.
    ``variants`` are the alternatives of a ``oneOf``/``anyOf`` (``variant_kind`` says which),
    each a node of its own.
    """

    name: str
    path: str
    types: tuple[str, ...] = ()
    required: bool = False
    nullable: bool = False
    title: str | None = None
    description: str | None = None
    format: str | None = None
    enum: tuple[Any, ...] | None = None
    const: Any = None
    has_const: bool = False
    default: Any = None
    has_default: bool = False
    examples: tuple[Any, ...] = ()
    constraints: tuple[tuple[str, str], ...] = ()
    ref: str | None = None
    recursive_to: str | None = None
    additional: bool | None = None  # additionalProperties: False -> closed object
    children: tuple[PropertyNode, ...] = ()
    variant_kind: Literal["oneOf", "anyOf"] | None = None
    variants: tuple[PropertyNode, ...] = ()


@dataclass(frozen=True)
class SampleEvent:
    """A sample event shown on a version: one of the registry's own, or generated."""

    label: str  # the example file's name, or "generated"
    event: Any
    file: str | None = None  # the file it was read from, relative to the project


@dataclass(frozen=True)
class RuleTarget:
    """Where a bus rule sends what it matches, as its file declares it."""

    id: str | None
    arn: str  # the Arn as written; an intrinsic shown as e.g. "!GetAtt CustomsQueue.Arn"
    resource: str | None = None  # the template resource the Arn points to, when it names one


@dataclass(frozen=True)
class RouteOnVersion:
    """Whether a bus rule routes one version: its source/detail-type target the schema, and how
    many of the version's sample events (its examples and the generated one) the pattern matches."""

    rule_id: str
    version: int
    matched: int
    samples: int


@dataclass(frozen=True)
class BusRuleEntry:
    id: str  # a stable slug, unique in the catalog (also the anchor on rules.html)
    name: str
    file: str
    pattern: Any
    targets: tuple[RuleTarget, ...] = ()
    unresolved: str | None = None  # why the pattern cannot be read before deployment
    invalid: str | None = None  # why EventBridge would refuse the pattern (the first reason)
    schemas: tuple[str, ...] = ()  # the schema names its source/detail-type target


@dataclass(frozen=True)
class ConsumerRead:
    field: str
    required: bool
    constraints: tuple[tuple[str, str], ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class ConsumerEntry:
    name: str
    owner: str | None
    description: str | None
    versions: tuple[int, ...]
    reads: tuple[ConsumerRead, ...]
    file: str


@dataclass(frozen=True)
class DiffChange:
    rule: str  # the compat rule ID (C...)
    name: str
    message: str
    old_path: str
    new_path: str
    breaks: tuple[str, ...]  # BACKWARD and/or FORWARD
    breaking: bool  # under the schema's own mode
    counterexample: Any = None  # an event (None: there is none)
    proven: bool | None = None


@dataclass(frozen=True)
class VersionDiff:
    old: int
    new: int
    mode: str  # the schema's mode; every direction is reported, ``breaking`` follows the mode
    policy: str
    compatible: bool
    changes: tuple[DiffChange, ...]
    problem: str | None = None  # why the two could not be compared (e.g. an endless $ref)


@dataclass(frozen=True)
class VersionEntry:
    version: int
    format: str  # OpenApi3 | JSONSchemaDraft4
    file: str  # relative to the project root
    detail_type: str
    title: str | None
    description: str | None
    tree: PropertyNode
    samples: tuple[SampleEvent, ...]
    routes: tuple[RouteOnVersion, ...] = ()
    generated_note: str | None = None  # why there is no generated event, when there is none


@dataclass(frozen=True)
class SchemaEntry:
    name: str  # source@Name
    source: str
    short_name: str
    slug: str  # the page's file name stem, safe on every file system
    owner: str | None
    mode: str
    policy: str
    versions: tuple[VersionEntry, ...]
    diffs: tuple[VersionDiff, ...]  # every pair old < new
    consumers: tuple[ConsumerEntry, ...] = ()

    @property
    def latest(self) -> VersionEntry:
        return self.versions[-1]


@dataclass(frozen=True)
class SourceEntry:
    source: str
    owner: str | None
    schemas: tuple[str, ...]  # schema names, sorted


@dataclass
class Catalog:
    title: str
    registry_name: str | None
    sources: list[SourceEntry] = field(default_factory=list)
    schemas: dict[str, SchemaEntry] = field(default_factory=dict)
    rules: list[BusRuleEntry] = field(default_factory=list)
    # the page file stem of every schema (known before the schemas are collected)
    slugs: dict[str, str] = field(default_factory=dict)
