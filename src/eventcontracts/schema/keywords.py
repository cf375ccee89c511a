"""Which JSON Schema keywords hold subschemas, read from ``referencing``'s dialect specifications.

``referencing`` knows, for each draft, where subschemas sit (it must, to find ``$id``s and
anchors), but keeps the keyword sets inside the closures of each specification's
``subresources_of``. They are read out here by probing that function rather than copied by
hand, so the tool's walks can never disagree with the resolver about what is a schema:

1. a schema object that records every key it is asked for gives the keywords a dialect looks at;
2. each of them is then given a marker subschema alone (``{kw: S}``), in a list (``{kw: [S]}``)
   and in a map (``{kw: {"name": S}}``): the shapes in which ``S`` comes back out are the shapes
   in which that keyword holds subschemas.

The result, the union over draft 4 to 2020-12 (EventBridge's ``JSONSchemaDraft4``, and the
``$schema`` a JSON Schema document may declare):

- :data:`SCHEMA_KEYWORDS`: the value is one subschema (``not``, ``additionalProperties``...);
- :data:`SCHEMA_LIST_KEYWORDS`: the value is a list of subschemas (``allOf``, ``prefixItems``);
- :data:`SCHEMA_MAP_KEYWORDS`: the value maps names to subschemas (``properties``,
  ``definitions``); the names are data, so a property called ``$ref`` or ``default`` is a
  schema there, not a keyword.

Two keywords are in two shapes, as in the drafts: ``items`` is one schema or (up to 2019-09) a
list of them; ``dependencies`` (up to draft 7) maps names to a schema *or to a list of property
names*, so only its object values are schemas.

OpenAPI 3.0 (EventBridge's ``OpenApi3``) reads its Schema Object as a subset of draft 4: every
keyword of it that holds a subschema (``allOf``, ``oneOf``, ``anyOf``, ``not``, ``items``,
``properties``, ``additionalProperties``) is in the sets above. It adds keys that hold no
subschema, listed here so that no walk takes them for one: :data:`NULLABLE` and the EventBridge
vendor keys :data:`SOURCE_KEY` and :data:`DETAIL_TYPE_KEY`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import referencing
import referencing.jsonschema

# The dialects whose keywords the tool's walks know, by referencing's name for them.
DIALECTS: dict[str, referencing.Specification[Any]] = {
    spec.name: spec
    for spec in (
        referencing.jsonschema.DRAFT4,
        referencing.jsonschema.DRAFT6,
        referencing.jsonschema.DRAFT7,
        referencing.jsonschema.DRAFT201909,
        referencing.jsonschema.DRAFT202012,
    )
}

ONE = "schema"
LIST = "list"
MAP = "map"

# OpenAPI 3.0: a boolean saying null is allowed too (draft 4 has no "null" in OpenAPI's type).
NULLABLE = "nullable"
# EventBridge's vendor keys: the event's source and detail-type, plain strings.
SOURCE_KEY = "x-amazon-events-source"
DETAIL_TYPE_KEY = "x-amazon-events-detail-type"
# Where a keyword is expected, these hold data (instance values), never a schema: a "$ref" in an
# enum value or a default is a value like any other.
DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples", "example"})


class _AskedFor(dict[str, Any]):
    """An empty schema object that writes down every key it is asked about."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def __contains__(self, key: object) -> bool:
        self.asked.append(str(key))
        return False

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.append(key)
        return default


def _keywords_looked_at(spec: referencing.Specification[Any]) -> list[str]:
    probe = _AskedFor()
    list(spec.subresources_of(probe))
    return list(dict.fromkeys(probe.asked))


def _found(spec: referencing.Specification[Any], schema: dict[str, Any], marker: Any) -> bool:
    try:
        return any(found is marker for found in spec.subresources_of(schema))
    except (AttributeError, TypeError):  # the keyword does not hold this shape
        return False


def _shapes(spec: referencing.Specification[Any], keyword: str) -> Iterator[str]:
    marker: dict[str, Any] = {}
    if _found(spec, {keyword: marker}, marker):
        yield ONE
    if _found(spec, {keyword: [marker]}, marker):
        yield LIST
    if _found(spec, {keyword: {"name": marker}}, marker):
        yield MAP


def subschema_keywords(spec: referencing.Specification[Any]) -> dict[str, frozenset[str]]:
    """For one dialect: each keyword holding subschemas, and the shapes it holds them in."""
    return {keyword: frozenset(_shapes(spec, keyword)) for keyword in _keywords_looked_at(spec)}


def _union(shape: str, tables: Iterable[dict[str, frozenset[str]]]) -> frozenset[str]:
    return frozenset(
        keyword for table in tables for keyword, shapes in table.items() if shape in shapes
    )


BY_DIALECT: dict[str, dict[str, frozenset[str]]] = {
    name: subschema_keywords(spec) for name, spec in DIALECTS.items()
}
SCHEMA_KEYWORDS = _union(ONE, BY_DIALECT.values())
SCHEMA_LIST_KEYWORDS = _union(LIST, BY_DIALECT.values())
SCHEMA_MAP_KEYWORDS = _union(MAP, BY_DIALECT.values())
# Every keyword that holds a subschema in some shape.
SUBSCHEMA_KEYWORDS = SCHEMA_KEYWORDS | SCHEMA_LIST_KEYWORDS | SCHEMA_MAP_KEYWORDS
