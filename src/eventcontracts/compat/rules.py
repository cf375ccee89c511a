"""The catalog of schema changes the compatibility engine reports.

Every change is found while checking one direction, "can a reader on schema R read every event
a writer on schema W produces?", and each rule says whether it breaks that reader, under each
policy. The same change seen from the other direction is the rule's ``inverse`` (a minimum
raised from old to new is a minimum lowered from new to old), so:

- BACKWARD (new reads old) breaks on a rule found comparing old -> new that ``breaks``;
- FORWARD (old reads new) breaks on a rule whose ``inverse`` breaks.

``confluent`` is the name Confluent Schema Registry gives the same change (its
``Difference.Type``), where it has one. IDs are stable; ``docs/compat-rules.md`` is generated
from this table.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from eventcontracts.rules import Catalog, Rule

STRICT, LENIENT = "strict", "lenient"


def breaks(rule: Rule, policy: str, *, old_reader: bool = False) -> bool:
    """Does the change ``rule`` names break a reader on the new side of the comparison?

    ``old_reader``: the reader is the old version (the FORWARD direction). Under lenient,
    a consumer on the old version whose schema closes an object is taken at its word
    (:data:`CLOSED_READER_RULES`).
    """
    if policy == LENIENT:
        return rule.breaks_lenient or (old_reader and rule.name in CLOSED_READER_RULES)
    return rule.breaks_strict


def inverse_of(rule: Rule) -> Rule:
    """The same change seen from the other direction."""
    return BY_NAME[rule.inverse or rule.name]  # every compat rule names one (maybe itself)


def inverse_case(rule: Rule, found: Rule) -> tuple[str, str] | None:
    """(condition, reason) of the case of ``rule`` in which the other direction finds
    ``found``; None when ``found`` is its plain ``inverse`` (or not one of its cases)."""
    for condition, reason, name in rule.inverse_cases:
        if name == found.name:
            return condition, reason
    return None


CATALOG = Catalog("C", "compat", example_label="Example")
RULES = CATALOG.rules
BY_NAME = CATALOG.by_name


class Bound(NamedTuple):
    """The four rules of a numeric bound (maxLength, minimum, ...): the keyword appeared,
    went, or its value moved up or down. The engine reports a bound's change through these."""

    added: Rule
    removed: Rule
    increased: Rule
    decreased: Rule


class Presence(NamedTuple):
    """The three rules of a keyword that is there or not (pattern, format)."""

    added: Rule
    removed: Rule
    changed: Rule


def _rule(
    id: str,
    name: str,
    summary: str,
    *,
    breaks: bool | tuple[bool, bool],
    inverse: str | None = None,
    example: tuple[object, object],
    confluent: str | None = None,
    inverse_cases: tuple[tuple[str, str, str], ...] = (),
) -> Rule:
    """``inverse_cases``: (condition, reason, rule name) for each case in which the change,
    seen from the other direction, is another rule than ``inverse`` (the removed property was
    required: C303, not C302), so its FORWARD verdict is that rule's; docs, ``explain`` and the
    change's message say when."""
    strict, lenient = breaks if isinstance(breaks, tuple) else (breaks, breaks)
    old, new = example
    return CATALOG.add(
        Rule(
            id,
            name,
            summary,
            f"old: {json.dumps(old)}\nnew: {json.dumps(new)}",
            breaks_strict=strict,
            breaks_lenient=lenient,
            inverse=inverse or name,
            confluent=confluent,
            example_schemas=example,
            inverse_cases=inverse_cases,
        )
    )


# (ID, name, Confluent's name) of one of a bound's four rules, each written out so that a
# search for any of them finds where it is defined.
_Named = tuple[str, str, str]


def _bound(
    what: str,
    *,
    added: _Named,
    removed: _Named,
    increased: _Named,
    decreased: _Named,
    upper: bool,
    added_breaks: bool,
    example: tuple[object, object, object],
    typed: dict[str, object] | None = None,
) -> Bound:
    """The four rules of a bound: added, removed, increased, decreased.

    ``upper``: the bound is an upper limit (a maximum), so raising it widens what is valid.
    ``added_breaks`` is whether adding the bound narrows what is valid (true for every bound
    but those that are upper limits being raised, which the caller orders accordingly).
    """
    low, high, none = (
        {**(typed or {}), **part} if isinstance(part, dict) else part for part in example
    )
    return Bound(
        _rule(
            added[0],
            added[1],
            f"{what} was added.",
            breaks=added_breaks,
            inverse=removed[1],
            example=(none, low),
            confluent=added[2],
        ),
        _rule(
            removed[0],
            removed[1],
            f"{what} was removed.",
            breaks=not added_breaks,
            inverse=added[1],
            example=(low, none),
            confluent=removed[2],
        ),
        _rule(
            increased[0],
            increased[1],
            f"{what} was raised.",
            breaks=not upper,
            inverse=decreased[1],
            example=(low, high),
            confluent=increased[2],
        ),
        _rule(
            decreased[0],
            decreased[1],
            f"{what} was lowered.",
            breaks=upper,
            inverse=increased[1],
            example=(high, low),
            confluent=decreased[2],
        ),
    )


def _documentation(id: str, name: str, label: str, *, confluent: str) -> Rule:
    """A keyword that only documents the schema changed."""
    return _rule(
        id,
        name,
        f"The {label} changed (documentation only).",
        breaks=False,
        example=({label: "before"}, {label: "after"}),
        confluent=confluent,
    )


# --- C0xx: the schema as a whole ------------------------------------------------------------
TYPE_CHANGED = _rule(
    "C001",
    "type-changed",
    "The value changed to a different type: no value valid on one side is valid on the other.",
    breaks=True,
    example=({"type": "string"}, {"type": "integer"}),
    confluent="TYPE_CHANGED",
)
TYPE_EXTENDED = _rule(
    "C002",
    "type-extended",
    "The type was widened (integer to number, a type added to a list of types).",
    breaks=False,
    inverse="type-narrowed",
    example=({"type": "integer"}, {"type": "number"}),
    confluent="TYPE_EXTENDED",
)
TYPE_NARROWED = _rule(
    "C003",
    "type-narrowed",
    "The type was narrowed (number to integer, a type dropped from a list of types).",
    breaks=True,
    inverse="type-extended",
    example=({"type": "number"}, {"type": "integer"}),
    confluent="TYPE_NARROWED",
)
SCHEMA_ADDED = _rule(
    "C004",
    "schema-added",
    "A schema was added where there was none (anything was valid).",
    breaks=True,
    inverse="schema-removed",
    example=({"type": "array"}, {"type": "array", "items": {"type": "string"}}),
    confluent="SCHEMA_ADDED",
)
SCHEMA_REMOVED = _rule(
    "C005",
    "schema-removed",
    "A schema was removed: anything is valid there now.",
    breaks=False,
    inverse="schema-added",
    example=({"type": "array", "items": {"type": "string"}}, {"type": "array"}),
    confluent="SCHEMA_REMOVED",
)
ID_CHANGED = _documentation("C006", "id-changed", "$id", confluent="ID_CHANGED")
TITLE_CHANGED = _documentation("C007", "title-changed", "title", confluent="TITLE_CHANGED")
DESCRIPTION_CHANGED = _documentation(
    "C008", "description-changed", "description", confluent="DESCRIPTION_CHANGED"
)
DEFAULT_CHANGED = _documentation("C009", "default-changed", "default", confluent="DEFAULT_CHANGED")
FALSE_SCHEMA = _rule(
    "C010",
    "false-schema",
    "Nothing was valid on the writer's side (false): any reader accepts all of nothing.",
    breaks=False,
    inverse="everything-rejected",
    example=(False, {"type": "string"}),
)
EVERYTHING_REJECTED = _rule(
    "C011",
    "everything-rejected",
    "The reader's schema is false: it rejects every value.",
    breaks=True,
    inverse="false-schema",
    example=({"type": "string"}, False),
)

# --- C1xx: strings ---------------------------------------------------------------------------
MAX_LENGTH = _bound(
    "A string's maxLength",
    added=("C100", "max-length-added", "MAX_LENGTH_ADDED"),
    removed=("C101", "max-length-removed", "MAX_LENGTH_REMOVED"),
    increased=("C102", "max-length-increased", "MAX_LENGTH_INCREASED"),
    decreased=("C103", "max-length-decreased", "MAX_LENGTH_DECREASED"),
    upper=True,
    added_breaks=True,
    typed={"type": "string"},
    example=({"maxLength": 10}, {"maxLength": 20}, {}),
)
MIN_LENGTH = _bound(
    "A string's minLength",
    added=("C104", "min-length-added", "MIN_LENGTH_ADDED"),
    removed=("C105", "min-length-removed", "MIN_LENGTH_REMOVED"),
    increased=("C106", "min-length-increased", "MIN_LENGTH_INCREASED"),
    decreased=("C107", "min-length-decreased", "MIN_LENGTH_DECREASED"),
    upper=False,
    added_breaks=True,
    typed={"type": "string"},
    example=({"minLength": 1}, {"minLength": 5}, {}),
)
PATTERN_ADDED = _rule(
    "C108",
    "pattern-added",
    "A string must now match a pattern.",
    breaks=True,
    inverse="pattern-removed",
    example=({"type": "string"}, {"type": "string", "pattern": "^ORD-[0-9]+$"}),
    confluent="PATTERN_ADDED",
)
PATTERN_REMOVED = _rule(
    "C109",
    "pattern-removed",
    "A string's pattern was removed.",
    breaks=False,
    inverse="pattern-added",
    example=({"type": "string", "pattern": "^ORD-[0-9]+$"}, {"type": "string"}),
    confluent="PATTERN_REMOVED",
)
PATTERN_CHANGED = _rule(
    "C110",
    "pattern-changed",
    "A string's pattern changed.",
    breaks=True,
    example=({"pattern": "^ORD-[0-9]+$"}, {"pattern": "^ORD-[0-9]{6}$"}),
    confluent="PATTERN_CHANGED",
)
FORMAT_ADDED = _rule(
    "C111",
    "format-added",
    "A string must now have a format.",
    breaks=True,
    inverse="format-removed",
    example=({"type": "string"}, {"type": "string", "format": "email"}),
)
FORMAT_REMOVED = _rule(
    "C112",
    "format-removed",
    "A string's format was removed.",
    breaks=False,
    inverse="format-added",
    example=({"type": "string", "format": "email"}, {"type": "string"}),
)
FORMAT_CHANGED = _rule(
    "C113",
    "format-changed",
    "A string's format changed.",
    breaks=True,
    example=({"format": "date"}, {"format": "date-time"}),
)

# --- C2xx: numbers ---------------------------------------------------------------------------
MAXIMUM = _bound(
    "A number's maximum",
    added=("C200", "maximum-added", "MAXIMUM_ADDED"),
    removed=("C201", "maximum-removed", "MAXIMUM_REMOVED"),
    increased=("C202", "maximum-increased", "MAXIMUM_INCREASED"),
    decreased=("C203", "maximum-decreased", "MAXIMUM_DECREASED"),
    upper=True,
    added_breaks=True,
    typed={"type": "number"},
    example=({"maximum": 10}, {"maximum": 20}, {}),
)
MINIMUM = _bound(
    "A number's minimum",
    added=("C204", "minimum-added", "MINIMUM_ADDED"),
    removed=("C205", "minimum-removed", "MINIMUM_REMOVED"),
    increased=("C206", "minimum-increased", "MINIMUM_INCREASED"),
    decreased=("C207", "minimum-decreased", "MINIMUM_DECREASED"),
    upper=False,
    added_breaks=True,
    typed={"type": "number"},
    example=({"minimum": 0}, {"minimum": 5}, {}),
)
EXCLUSIVE_MAXIMUM = _bound(
    "A number's exclusiveMaximum",
    added=("C208", "exclusive-maximum-added", "EXCLUSIVE_MAXIMUM_ADDED"),
    removed=("C209", "exclusive-maximum-removed", "EXCLUSIVE_MAXIMUM_REMOVED"),
    increased=("C210", "exclusive-maximum-increased", "EXCLUSIVE_MAXIMUM_INCREASED"),
    decreased=("C211", "exclusive-maximum-decreased", "EXCLUSIVE_MAXIMUM_DECREASED"),
    upper=True,
    added_breaks=True,
    typed={"type": "number"},
    example=({"exclusiveMaximum": 10}, {"exclusiveMaximum": 20}, {}),
)
EXCLUSIVE_MINIMUM = _bound(
    "A number's exclusiveMinimum",
    added=("C212", "exclusive-minimum-added", "EXCLUSIVE_MINIMUM_ADDED"),
    removed=("C213", "exclusive-minimum-removed", "EXCLUSIVE_MINIMUM_REMOVED"),
    increased=("C214", "exclusive-minimum-increased", "EXCLUSIVE_MINIMUM_INCREASED"),
    decreased=("C215", "exclusive-minimum-decreased", "EXCLUSIVE_MINIMUM_DECREASED"),
    upper=False,
    added_breaks=True,
    typed={"type": "number"},
    example=({"exclusiveMinimum": 0}, {"exclusiveMinimum": 5}, {}),
)
MULTIPLE_OF_ADDED = _rule(
    "C216",
    "multiple-of-added",
    "A number must now be a multiple of a step.",
    breaks=True,
    inverse="multiple-of-removed",
    example=({"type": "number"}, {"type": "number", "multipleOf": 0.01}),
    confluent="MULTIPLE_OF_ADDED",
)
MULTIPLE_OF_REMOVED = _rule(
    "C217",
    "multiple-of-removed",
    "A number's multipleOf was removed.",
    breaks=False,
    inverse="multiple-of-added",
    example=({"type": "number", "multipleOf": 0.01}, {"type": "number"}),
    confluent="MULTIPLE_OF_REMOVED",
)
MULTIPLE_OF_EXPANDED = _rule(
    "C218",
    "multiple-of-expanded",
    "A number's multipleOf became a multiple of the old one (fewer values are valid).",
    breaks=True,
    inverse="multiple-of-reduced",
    example=({"multipleOf": 5}, {"multipleOf": 10}),
    confluent="MULTIPLE_OF_EXPANDED",
)
MULTIPLE_OF_REDUCED = _rule(
    "C219",
    "multiple-of-reduced",
    "A number's multipleOf became a divisor of the old one (more values are valid).",
    breaks=False,
    inverse="multiple-of-expanded",
    example=({"multipleOf": 10}, {"multipleOf": 5}),
    confluent="MULTIPLE_OF_REDUCED",
)
MULTIPLE_OF_CHANGED = _rule(
    "C220",
    "multiple-of-changed",
    "A number's multipleOf changed to a step that neither divides nor is divided by the old one.",
    breaks=True,
    example=({"multipleOf": 4}, {"multipleOf": 6}),
    confluent="MULTIPLE_OF_CHANGED",
)

# --- C3xx: objects ---------------------------------------------------------------------------
REQUIRED_ADDED = _rule(
    "C300",
    "required-added",
    "A property became required: events without it are rejected.",
    breaks=True,
    inverse="required-removed",
    example=(
        {"properties": {"a": {}}},
        {"properties": {"a": {}}, "required": ["a"]},
    ),
    confluent="REQUIRED_ATTRIBUTE_ADDED",
)
REQUIRED_REMOVED = _rule(
    "C301",
    "required-removed",
    "A property is no longer required.",
    breaks=False,
    inverse="required-added",
    example=(
        {"properties": {"a": {}}, "required": ["a"]},
        {"properties": {"a": {}}},
    ),
    confluent="REQUIRED_ATTRIBUTE_REMOVED",
)
OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL = _rule(
    "C302",
    "optional-property-added-to-open-content-model",
    "An optional property was added to an object that allows other properties; under the "
    "strict policy, writers may already have put another value there.",
    breaks=(True, False),
    inverse="property-removed-from-open-content-model",
    example=({"properties": {"a": {}}}, {"properties": {"a": {}, "b": {"type": "string"}}}),
    confluent="OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
)
REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL = _rule(
    "C303",
    "required-property-added-to-open-content-model",
    "A required property was added: events without it are rejected.",
    breaks=True,
    inverse="property-removed-from-open-content-model",
    example=(
        {"properties": {"a": {}}},
        {"properties": {"a": {}, "b": {"type": "string"}}, "required": ["b"]},
    ),
    confluent="REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
)
PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL = _rule(
    "C304",
    "property-removed-from-open-content-model",
    "A property was removed from an object that allows other properties.",
    breaks=False,
    inverse="optional-property-added-to-open-content-model",
    example=({"properties": {"a": {}, "b": {"type": "string"}}}, {"properties": {"a": {}}}),
    confluent="PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
    inverse_cases=(
        (
            "the removed property was required",
            "consumers on the old version require it, and events of the new version may lack it",
            "required-property-added-to-open-content-model",
        ),
        (
            "the removed property was optional and accepted anything ({})",
            "consumers on the old version accept whatever the new version's events hold there",
            "property-with-empty-schema-added-to-open-content-model",
        ),
    ),
)
PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL = _rule(
    "C305",
    "property-with-empty-schema-added-to-open-content-model",
    "A property that accepts anything was added to an object that allows other properties.",
    breaks=False,
    inverse="property-removed-from-open-content-model",
    example=({"properties": {"a": {}}}, {"properties": {"a": {}, "b": {}}}),
    confluent="PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
)
OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL = _rule(
    "C306",
    "optional-property-added-to-unopen-content-model",
    "An optional property was added to an object that allowed no other properties.",
    breaks=False,
    inverse="property-removed-from-closed-content-model",
    example=(
        {"properties": {"a": {}}, "additionalProperties": False},
        {"properties": {"a": {}, "b": {}}, "additionalProperties": False},
    ),
    confluent="OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
    inverse_cases=(
        (
            "the added property is false",
            "it can never be present, so no event of the new version has it",
            "property-with-false-removed-from-closed-content-model",
        ),
    ),
)
REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL = _rule(
    "C307",
    "required-property-added-to-unopen-content-model",
    "A required property was added to an object that allowed no other properties.",
    breaks=True,
    inverse="property-removed-from-closed-content-model",
    example=(
        {"properties": {"a": {}}, "additionalProperties": False},
        {"properties": {"a": {}, "b": {}}, "required": ["b"], "additionalProperties": False},
    ),
    confluent="REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
)
PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL = _rule(
    "C308",
    "property-removed-from-closed-content-model",
    "A property was removed from an object that allows no other properties: events that have it "
    "are rejected.",
    breaks=True,
    inverse="optional-property-added-to-unopen-content-model",
    example=(
        {"properties": {"a": {}, "b": {}}, "additionalProperties": False},
        {"properties": {"a": {}}, "additionalProperties": False},
    ),
    confluent="PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    inverse_cases=(
        (
            "the removed property was required",
            "consumers on the old version require it, and events of the new version cannot have it",
            "required-property-added-to-unopen-content-model",
        ),
    ),
)
PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL = _rule(
    "C309",
    "property-with-false-removed-from-closed-content-model",
    "A property that could never be present (false) was removed from a closed object.",
    breaks=False,
    inverse="optional-property-added-to-unopen-content-model",
    example=(
        {"properties": {"a": {}, "b": False}, "additionalProperties": False},
        {"properties": {"a": {}}, "additionalProperties": False},
    ),
    confluent="PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
)
PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = _rule(
    "C310",
    "property-added-is-covered-by-partially-open-content-model",
    "A property was added that the old additionalProperties/patternProperties already allowed.",
    breaks=False,
    inverse="property-removed-is-covered-by-partially-open-content-model",
    example=(
        {"additionalProperties": {"type": "string"}},
        {"properties": {"b": {"type": "string"}}, "additionalProperties": {"type": "string"}},
    ),
    confluent="PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
)
PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = _rule(
    "C311",
    "property-added-not-covered-by-partially-open-content-model",
    "A property was added whose schema does not accept what the old additionalProperties/"
    "patternProperties allowed there.",
    breaks=True,
    inverse="property-removed-not-covered-by-partially-open-content-model",
    example=(
        {"additionalProperties": {"type": "string"}},
        {
            "properties": {"b": {"type": "string", "maxLength": 9}},
            "additionalProperties": {"type": "string"},
        },
    ),
    confluent="PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
)
PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = _rule(
    "C312",
    "property-removed-is-covered-by-partially-open-content-model",
    "A property was removed that the new additionalProperties/patternProperties still allow.",
    breaks=False,
    inverse="property-added-is-covered-by-partially-open-content-model",
    example=(
        {"properties": {"b": {"type": "string"}}, "additionalProperties": {"type": "string"}},
        {"additionalProperties": {"type": "string"}},
    ),
    confluent="PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
)
PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = _rule(
    "C313",
    "property-removed-not-covered-by-partially-open-content-model",
    "A property was removed that the new additionalProperties/patternProperties do not allow as "
    "it was.",
    breaks=True,
    inverse="property-added-not-covered-by-partially-open-content-model",
    example=(
        {
            "properties": {"b": {"type": "string"}},
            "additionalProperties": {"type": "string", "maxLength": 9},
        },
        {"additionalProperties": {"type": "string", "maxLength": 9}},
    ),
    confluent="PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
)
ADDITIONAL_PROPERTIES_ADDED = _rule(
    "C314",
    "additional-properties-added",
    "Undeclared properties are allowed now. Consumers still on the old version reject them "
    "under either policy: their schema closed the object, and under lenient a closed reader is "
    "taken at its word.",
    breaks=False,
    inverse="additional-properties-removed",
    example=({"additionalProperties": False}, {"additionalProperties": True}),
    confluent="ADDITIONAL_PROPERTIES_ADDED",
)
ADDITIONAL_PROPERTIES_REMOVED = _rule(
    "C315",
    "additional-properties-removed",
    "Undeclared properties are rejected now. Under strict, writers on the old version may have "
    "sent some. Under lenient this breaks only an old reader (FORWARD: a new version that opens "
    "an object the old one closed); a new version that closes an object is compatible for "
    "consumers moving to it, since producers send only the properties they declare.",
    breaks=(True, False),
    inverse="additional-properties-added",
    example=({"additionalProperties": True}, {"additionalProperties": False}),
    confluent="ADDITIONAL_PROPERTIES_REMOVED",
)
ADDITIONAL_PROPERTIES_NARROWED = _rule(
    "C316",
    "additional-properties-narrowed",
    "Undeclared properties must now match a schema. Under strict, writers may have sent others; "
    "under lenient this breaks only an old reader (FORWARD: the new version lifts a restriction "
    "the old consumers validate with).",
    breaks=(True, False),
    inverse="additional-properties-extended",
    example=({"type": "object"}, {"type": "object", "additionalProperties": {"type": "string"}}),
    confluent="ADDITIONAL_PROPERTIES_NARROWED",
)
ADDITIONAL_PROPERTIES_EXTENDED = _rule(
    "C317",
    "additional-properties-extended",
    "Undeclared properties no longer need to match a schema.",
    breaks=False,
    inverse="additional-properties-narrowed",
    example=({"type": "object", "additionalProperties": {"type": "string"}}, {"type": "object"}),
    confluent="ADDITIONAL_PROPERTIES_EXTENDED",
)
MAX_PROPERTIES = _bound(
    "An object's maxProperties",
    added=("C318", "max-properties-added", "MAX_PROPERTIES_ADDED"),
    removed=("C319", "max-properties-removed", "MAX_PROPERTIES_REMOVED"),
    increased=("C320", "max-properties-increased", "MAX_PROPERTIES_INCREASED"),
    decreased=("C321", "max-properties-decreased", "MAX_PROPERTIES_DECREASED"),
    upper=True,
    added_breaks=True,
    example=({"maxProperties": 1}, {"maxProperties": 3}, {}),
    typed={"type": "object"},
)
MIN_PROPERTIES = _bound(
    "An object's minProperties",
    added=("C322", "min-properties-added", "MIN_PROPERTIES_ADDED"),
    removed=("C323", "min-properties-removed", "MIN_PROPERTIES_REMOVED"),
    increased=("C324", "min-properties-increased", "MIN_PROPERTIES_INCREASED"),
    decreased=("C325", "min-properties-decreased", "MIN_PROPERTIES_DECREASED"),
    upper=False,
    added_breaks=True,
    example=({"minProperties": 1}, {"minProperties": 3}, {}),
    typed={"type": "object"},
)
DEPENDENCY_ARRAY_ADDED = _rule(
    "C326",
    "dependency-array-added",
    "A property now needs other properties beside it.",
    breaks=True,
    inverse="dependency-array-removed",
    example=({"type": "object"}, {"type": "object", "dependencies": {"a": ["b"]}}),
    confluent="DEPENDENCY_ARRAY_ADDED",
)
DEPENDENCY_ARRAY_REMOVED = _rule(
    "C327",
    "dependency-array-removed",
    "A property no longer needs other properties beside it.",
    breaks=False,
    inverse="dependency-array-added",
    example=({"type": "object", "dependencies": {"a": ["b"]}}, {"type": "object"}),
    confluent="DEPENDENCY_ARRAY_REMOVED",
)
DEPENDENCY_ARRAY_EXTENDED = _rule(
    "C328",
    "dependency-array-extended",
    "A property needs more properties beside it.",
    breaks=True,
    inverse="dependency-array-narrowed",
    example=({"dependencies": {"a": ["b"]}}, {"dependencies": {"a": ["b", "c"]}}),
    confluent="DEPENDENCY_ARRAY_EXTENDED",
)
DEPENDENCY_ARRAY_NARROWED = _rule(
    "C329",
    "dependency-array-narrowed",
    "A property needs fewer properties beside it.",
    breaks=False,
    inverse="dependency-array-extended",
    example=({"dependencies": {"a": ["b", "c"]}}, {"dependencies": {"a": ["b"]}}),
    confluent="DEPENDENCY_ARRAY_NARROWED",
)
DEPENDENCY_ARRAY_CHANGED = _rule(
    "C330",
    "dependency-array-changed",
    "A property needs different properties beside it.",
    breaks=True,
    example=({"dependencies": {"a": ["b"]}}, {"dependencies": {"a": ["c"]}}),
    confluent="DEPENDENCY_ARRAY_CHANGED",
)
DEPENDENCY_SCHEMA_ADDED = _rule(
    "C331",
    "dependency-schema-added",
    "A property's presence now applies a schema to the object.",
    breaks=True,
    inverse="dependency-schema-removed",
    example=({"type": "object"}, {"type": "object", "dependencies": {"a": {"required": ["b"]}}}),
    confluent="DEPENDENCY_SCHEMA_ADDED",
)
DEPENDENCY_SCHEMA_REMOVED = _rule(
    "C332",
    "dependency-schema-removed",
    "A property's presence no longer applies a schema to the object.",
    breaks=False,
    inverse="dependency-schema-added",
    example=({"type": "object", "dependencies": {"a": {"required": ["b"]}}}, {"type": "object"}),
    confluent="DEPENDENCY_SCHEMA_REMOVED",
)
PATTERN_PROPERTY_ADDED = _rule(
    "C333",
    "pattern-property-added",
    "Properties whose names match a pattern must now match a schema. Under strict, writers may "
    "have sent such properties undeclared; under lenient this breaks only an old reader "
    "(FORWARD: the new version lifts a restriction the old consumers validate with).",
    breaks=(True, False),
    inverse="pattern-property-removed",
    example=(
        {"type": "object"},
        {"type": "object", "patternProperties": {"^x-": {"type": "string"}}},
    ),
)
PATTERN_PROPERTY_REMOVED = _rule(
    "C334",
    "pattern-property-removed",
    "Properties whose names match a pattern no longer need to match a schema.",
    breaks=False,
    inverse="pattern-property-added",
    example=(
        {"type": "object", "patternProperties": {"^x-": {"type": "string"}}},
        {"type": "object"},
    ),
)
PATTERN_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL = _rule(
    "C337",
    "pattern-property-removed-from-closed-content-model",
    "A patternProperties entry was removed from an object that allows no other properties: "
    "events with such properties are rejected. Under lenient this breaks only an old reader "
    "(FORWARD: the new version adds the pattern to an object the old one closed).",
    breaks=(True, False),
    inverse="pattern-property-added",
    example=(
        {"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": False},
        {"additionalProperties": False},
    ),
)
PROPERTY_NAMES_ADDED = _rule(
    "C335",
    "property-names-added",
    "Property names must now match a schema.",
    breaks=True,
    inverse="property-names-removed",
    example=({"type": "object"}, {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}}),
)
PROPERTY_NAMES_REMOVED = _rule(
    "C336",
    "property-names-removed",
    "Property names no longer need to match a schema.",
    breaks=False,
    inverse="property-names-added",
    example=({"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}}, {"type": "object"}),
)

# --- C4xx: arrays ----------------------------------------------------------------------------
MAX_ITEMS = _bound(
    "An array's maxItems",
    added=("C400", "max-items-added", "MAX_ITEMS_ADDED"),
    removed=("C401", "max-items-removed", "MAX_ITEMS_REMOVED"),
    increased=("C402", "max-items-increased", "MAX_ITEMS_INCREASED"),
    decreased=("C403", "max-items-decreased", "MAX_ITEMS_DECREASED"),
    upper=True,
    added_breaks=True,
    typed={"type": "array"},
    example=({"maxItems": 5}, {"maxItems": 10}, {}),
)
MIN_ITEMS = _bound(
    "An array's minItems",
    added=("C404", "min-items-added", "MIN_ITEMS_ADDED"),
    removed=("C405", "min-items-removed", "MIN_ITEMS_REMOVED"),
    increased=("C406", "min-items-increased", "MIN_ITEMS_INCREASED"),
    decreased=("C407", "min-items-decreased", "MIN_ITEMS_DECREASED"),
    upper=False,
    added_breaks=True,
    typed={"type": "array"},
    example=({"minItems": 1}, {"minItems": 3}, {}),
)
MAX_CONTAINS = _bound(
    "An array's maxContains",
    added=("C408", "max-contains-added", "MAX_CONTAINS_ADDED"),
    removed=("C409", "max-contains-removed", "MAX_CONTAINS_REMOVED"),
    increased=("C410", "max-contains-increased", "MAX_CONTAINS_INCREASED"),
    decreased=("C411", "max-contains-decreased", "MAX_CONTAINS_DECREASED"),
    upper=True,
    added_breaks=True,
    typed={"type": "array", "contains": {"type": "string"}},
    example=({"maxContains": 2}, {"maxContains": 4}, {}),
)
MIN_CONTAINS = _bound(
    "An array's minContains",
    added=("C412", "min-contains-added", "MIN_CONTAINS_ADDED"),
    removed=("C413", "min-contains-removed", "MIN_CONTAINS_REMOVED"),
    increased=("C414", "min-contains-increased", "MIN_CONTAINS_INCREASED"),
    decreased=("C415", "min-contains-decreased", "MIN_CONTAINS_DECREASED"),
    upper=False,
    added_breaks=True,
    typed={"type": "array", "contains": {"type": "string"}},
    example=({"minContains": 1}, {"minContains": 2}, {}),
)
UNIQUE_ITEMS_ADDED = _rule(
    "C416",
    "unique-items-added",
    "An array's items must now be unique.",
    breaks=True,
    inverse="unique-items-removed",
    example=({"type": "array"}, {"type": "array", "uniqueItems": True}),
    confluent="UNIQUE_ITEMS_ADDED",
)
UNIQUE_ITEMS_REMOVED = _rule(
    "C417",
    "unique-items-removed",
    "An array's items no longer need to be unique.",
    breaks=False,
    inverse="unique-items-added",
    example=({"type": "array", "uniqueItems": True}, {"type": "array"}),
    confluent="UNIQUE_ITEMS_REMOVED",
)
ADDITIONAL_ITEMS_ADDED = _rule(
    "C418",
    "additional-items-added",
    "Items past the tuple's positions are allowed now.",
    breaks=False,
    inverse="additional-items-removed",
    example=({"items": [{}], "additionalItems": False}, {"items": [{}]}),
    confluent="ADDITIONAL_ITEMS_ADDED",
)
ADDITIONAL_ITEMS_REMOVED = _rule(
    "C419",
    "additional-items-removed",
    "Items past the tuple's positions are rejected now.",
    breaks=True,
    inverse="additional-items-added",
    example=({"items": [{}]}, {"items": [{}], "additionalItems": False}),
    confluent="ADDITIONAL_ITEMS_REMOVED",
)
ADDITIONAL_ITEMS_NARROWED = _rule(
    "C420",
    "additional-items-narrowed",
    "Items past the tuple's positions must now match a schema.",
    breaks=True,
    inverse="additional-items-extended",
    example=({"items": [{}]}, {"items": [{}], "additionalItems": {"type": "string"}}),
    confluent="ADDITIONAL_ITEMS_NARROWED",
)
ADDITIONAL_ITEMS_EXTENDED = _rule(
    "C421",
    "additional-items-extended",
    "Items past the tuple's positions no longer need to match a schema.",
    breaks=False,
    inverse="additional-items-narrowed",
    example=({"items": [{}], "additionalItems": {"type": "string"}}, {"items": [{}]}),
    confluent="ADDITIONAL_ITEMS_EXTENDED",
)
ITEM_ADDED_TO_OPEN_CONTENT_MODEL = _rule(
    "C422",
    "item-added-to-open-content-model",
    "A tuple position was added where any item was allowed.",
    breaks=True,
    inverse="item-removed-from-open-content-model",
    example=({"items": [{}]}, {"items": [{}, {"type": "string"}]}),
    confluent="ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
)
ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL = _rule(
    "C423",
    "item-with-empty-schema-added-to-open-content-model",
    "A tuple position that accepts anything was added where any item was allowed.",
    breaks=False,
    inverse="item-removed-from-open-content-model",
    example=({"items": [{}]}, {"items": [{}, {}]}),
    confluent="ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
)
ITEM_ADDED_TO_CLOSED_CONTENT_MODEL = _rule(
    "C424",
    "item-added-to-closed-content-model",
    "A tuple position was added where no item was allowed.",
    breaks=False,
    inverse="item-removed-from-closed-content-model",
    example=(
        {"items": [{}], "additionalItems": False},
        {"items": [{}, {}], "additionalItems": False},
    ),
    confluent="ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
    inverse_cases=(
        (
            "the added position is false",
            "it can never hold an item, so no event of the new version has one there",
            "item-with-false-removed-from-closed-content-model",
        ),
    ),
)
ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL = _rule(
    "C425",
    "item-removed-from-open-content-model",
    "A tuple position was removed; any item is allowed there now.",
    breaks=False,
    inverse="item-added-to-open-content-model",
    example=({"items": [{}, {"type": "string"}]}, {"items": [{}]}),
    confluent="ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
    inverse_cases=(
        (
            "the removed position accepted anything ({})",
            "consumers on the old version accept whatever the new version's events hold there",
            "item-with-empty-schema-added-to-open-content-model",
        ),
    ),
)
ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL = _rule(
    "C426",
    "item-removed-from-closed-content-model",
    "A tuple position was removed where no further item is allowed.",
    breaks=True,
    inverse="item-added-to-closed-content-model",
    example=(
        {"items": [{}, {}], "additionalItems": False},
        {"items": [{}], "additionalItems": False},
    ),
    confluent="ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
)
ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL = _rule(
    "C427",
    "item-with-false-removed-from-closed-content-model",
    "A tuple position that could never hold an item was removed.",
    breaks=False,
    inverse="item-added-to-closed-content-model",
    example=(
        {"items": [{}, False], "additionalItems": False},
        {"items": [{}], "additionalItems": False},
    ),
    confluent="ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
)
ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = _rule(
    "C428",
    "item-added-is-covered-by-partially-open-content-model",
    "A tuple position was added that the old additionalItems already allowed.",
    breaks=False,
    inverse="item-removed-is-covered-by-partially-open-content-model",
    example=(
        {"items": [{}], "additionalItems": {"type": "string"}},
        {"items": [{}, {"type": "string"}], "additionalItems": {"type": "string"}},
    ),
    confluent="ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
)
ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = _rule(
    "C429",
    "item-added-not-covered-by-partially-open-content-model",
    "A tuple position was added that rejects what the old additionalItems allowed there.",
    breaks=True,
    inverse="item-removed-not-covered-by-partially-open-content-model",
    example=(
        {"items": [{}], "additionalItems": {"type": "string"}},
        {"items": [{}, {"type": "integer"}], "additionalItems": {"type": "string"}},
    ),
    confluent="ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
)
ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = _rule(
    "C430",
    "item-removed-is-covered-by-partially-open-content-model",
    "A tuple position was removed that the new additionalItems still allows.",
    breaks=False,
    inverse="item-added-is-covered-by-partially-open-content-model",
    example=(
        {"items": [{}, {"type": "string"}], "additionalItems": {"type": "string"}},
        {"items": [{}], "additionalItems": {"type": "string"}},
    ),
    confluent="ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
)
ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = _rule(
    "C431",
    "item-removed-not-covered-by-partially-open-content-model",
    "A tuple position was removed that the new additionalItems does not allow as it was.",
    breaks=True,
    inverse="item-added-not-covered-by-partially-open-content-model",
    example=(
        {"items": [{}, {"type": "integer"}], "additionalItems": {"type": "string"}},
        {"items": [{}], "additionalItems": {"type": "string"}},
    ),
    confluent="ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
)
CONTAINS_ADDED = _rule(
    "C432",
    "contains-added",
    "An array must now contain an item matching a schema.",
    breaks=True,
    inverse="contains-removed",
    example=({"type": "array"}, {"type": "array", "contains": {"type": "string"}}),
)
CONTAINS_REMOVED = _rule(
    "C433",
    "contains-removed",
    "An array no longer needs an item matching a schema.",
    breaks=False,
    inverse="contains-added",
    example=({"type": "array", "contains": {"type": "string"}}, {"type": "array"}),
)

# --- C5xx: enums and constants ---------------------------------------------------------------
ENUM_ARRAY_EXTENDED = _rule(
    "C500",
    "enum-array-extended",
    "Values were added to an enum: readers on the old version reject them.",
    breaks=False,
    inverse="enum-array-narrowed",
    example=({"enum": ["USD", "EUR"]}, {"enum": ["USD", "EUR", "GBP"]}),
    confluent="ENUM_ARRAY_EXTENDED",
)
ENUM_ARRAY_NARROWED = _rule(
    "C501",
    "enum-array-narrowed",
    "Values were removed from an enum: events with them are rejected.",
    breaks=True,
    inverse="enum-array-extended",
    example=({"enum": ["USD", "EUR", "GBP"]}, {"enum": ["USD", "EUR"]}),
    confluent="ENUM_ARRAY_NARROWED",
)
ENUM_ARRAY_CHANGED = _rule(
    "C502",
    "enum-array-changed",
    "An enum's values were both added and removed.",
    breaks=True,
    example=({"enum": ["USD", "EUR"]}, {"enum": ["USD", "GBP"]}),
    confluent="ENUM_ARRAY_CHANGED",
)
CONST_CHANGED = _rule(
    "C503",
    "const-changed",
    "A constant changed.",
    breaks=True,
    example=({"const": "v1"}, {"const": "v2"}),
)

# --- C6xx: combinations ----------------------------------------------------------------------
COMBINED_TYPE_CHANGED = _rule(
    "C600",
    "combined-type-changed",
    "allOf, anyOf or oneOf changed to another combination that accepts other values.",
    breaks=True,
    example=({"anyOf": [{"type": "string"}, {"type": "integer"}]}, {"allOf": [{}, {}]}),
    confluent="COMBINED_TYPE_CHANGED",
)
COMBINED_TYPE_EXTENDED = _rule(
    "C601",
    "combined-type-extended",
    "A combination became more permissive (allOf or oneOf to anyOf).",
    breaks=False,
    inverse="combined-type-changed",
    example=(
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"anyOf": [{"type": "string"}, {"type": "integer"}]},
    ),
    confluent="COMBINED_TYPE_EXTENDED",
)
COMBINED_TYPE_SUBSCHEMAS_CHANGED = _rule(
    "C603",
    "combined-type-subschemas-changed",
    "The alternatives of a combination changed so that some are not matched by any on the "
    "other side.",
    breaks=True,
    example=({"anyOf": [{"type": "string"}]}, {"anyOf": [{"type": "integer"}]}),
    confluent="COMBINED_TYPE_SUBSCHEMAS_CHANGED",
)
PRODUCT_TYPE_EXTENDED = _rule(
    "C604",
    "product-type-extended",
    "allOf gained schemas: values must match more of them.",
    breaks=True,
    inverse="product-type-narrowed",
    example=({"allOf": [{"type": "string"}]}, {"allOf": [{"type": "string"}, {"maxLength": 9}]}),
    confluent="PRODUCT_TYPE_EXTENDED",
)
PRODUCT_TYPE_NARROWED = _rule(
    "C605",
    "product-type-narrowed",
    "allOf lost schemas: values must match fewer of them.",
    breaks=False,
    inverse="product-type-extended",
    example=({"allOf": [{"type": "string"}, {"maxLength": 9}]}, {"allOf": [{"type": "string"}]}),
    confluent="PRODUCT_TYPE_NARROWED",
)
SUM_TYPE_EXTENDED = _rule(
    "C606",
    "sum-type-extended",
    "anyOf or oneOf gained alternatives.",
    breaks=False,
    inverse="sum-type-narrowed",
    example=({"anyOf": [{"type": "string"}]}, {"anyOf": [{"type": "string"}, {"type": "null"}]}),
    confluent="SUM_TYPE_EXTENDED",
)
SUM_TYPE_NARROWED = _rule(
    "C607",
    "sum-type-narrowed",
    "anyOf or oneOf lost alternatives: values of those are rejected.",
    breaks=True,
    inverse="sum-type-extended",
    example=({"anyOf": [{"type": "string"}, {"type": "null"}]}, {"anyOf": [{"type": "string"}]}),
    confluent="SUM_TYPE_NARROWED",
)
NOT_TYPE_EXTENDED = _rule(
    "C608",
    "not-type-extended",
    "The schema under not accepts more values, so fewer values are valid.",
    breaks=True,
    inverse="not-type-narrowed",
    example=({"not": {"type": "string"}}, {"not": {"type": ["string", "null"]}}),
    confluent="NOT_TYPE_EXTENDED",
)
NOT_TYPE_NARROWED = _rule(
    "C609",
    "not-type-narrowed",
    "The schema under not accepts fewer values, so more values are valid.",
    breaks=False,
    inverse="not-type-extended",
    example=({"not": {"type": ["string", "null"]}}, {"not": {"type": "string"}}),
    confluent="NOT_TYPE_NARROWED",
)
CONDITIONAL_CHANGED = _rule(
    "C610",
    "conditional-changed",
    "An if/then/else changed: its if, or a branch so that it accepts fewer values. With the "
    "same if, each branch is compared on its own (a branch that only widened is not this "
    "change); otherwise the engine cannot prove the values it accepts stay the same.",
    breaks=True,
    example=(
        {"if": {"required": ["a"]}, "then": {"required": ["b"]}},
        {"if": {"required": ["a"]}, "then": {"required": ["c"]}},
    ),
)
ONE_OF_ALTERNATIVES_OVERLAP = _rule(
    "C612",
    "one-of-alternatives-overlap",
    "The reader's oneOf has alternatives that may both match one value, and oneOf rejects a "
    "value that matches two: widening or adding an alternative can reject events.",
    breaks=True,
    example=(
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"oneOf": [{"type": "string"}, {"type": ["integer", "string"]}]},
    ),
)
UNEVALUATED_PROPERTIES_CHANGED = _rule(
    "C611",
    "unevaluated-properties-changed",
    "unevaluatedProperties changed; the engine cannot prove the values it accepts stay the same.",
    breaks=True,
    example=(
        {"type": "object", "allOf": [{"properties": {"a": {}}}], "unevaluatedProperties": False},
        {"type": "object", "allOf": [{"properties": {"a": {}}}], "unevaluatedProperties": {}},
    ),
)


# The keywords that are there or not, with their rules.
PATTERN = Presence(PATTERN_ADDED, PATTERN_REMOVED, PATTERN_CHANGED)
FORMAT = Presence(FORMAT_ADDED, FORMAT_REMOVED, FORMAT_CHANGED)

# Found reading a writer that may send undeclared properties with a reader that closes the
# object (additionalProperties: false) or restricts them (an additionalProperties schema, a
# patternProperties entry). Under lenient they break when the reader is the old version: its
# consumers validate with a schema that rejects the properties the new version now allows
# (FORWARD). A new version that closes an object stays compatible for consumers moving to it
# (BACKWARD), since producers on the old version send only the properties they declare.
CLOSED_READER_RULES = frozenset(
    rule.name
    for rule in (
        ADDITIONAL_PROPERTIES_REMOVED,
        ADDITIONAL_PROPERTIES_NARROWED,
        PATTERN_PROPERTY_ADDED,
        PATTERN_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    )
)


def _inverses_exist() -> None:
    """Every rule's inverse is a rule of the catalog: a typo fails at import, not in a report."""
    missing = sorted(rule.id for rule in RULES.values() if rule.inverse not in BY_NAME)
    if missing:
        raise ValueError(f"compat rules with an inverse the catalog lacks: {', '.join(missing)}")


_inverses_exist()
