"""One small function per validation keyword, dispatched from :data:`KEYWORDS`.

Each handler writes what its keyword demands into a :class:`Shape`, exactly as
python-jsonschema's ``_keywords`` reads it; a keyword it cannot express exactly raises
:class:`Fallback`, and the subschema goes to hypothesis-jsonschema instead. The keywords
that combine subschemas (``$ref``, ``allOf``, ``anyOf``, ``oneOf``) and those that list values
(``enum``, ``const``) are the compiler's own (:mod:`compiler`); a keyword the dialect's
validator does not know is an annotation, and skipped before it gets here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventcontracts.contract.strategies.context import Context
from eventcontracts.contract.strategies.shape import (
    JSON_TYPES,
    ArrayRule,
    Fallback,
    ObjectRule,
    Piece,
    Shape,
)

Handler = Callable[[Shape, Any, Piece, Context], None]


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise Fallback(f"not a count: {value!r}")
    if isinstance(value, float) and not value.is_integer():
        raise Fallback(f"not a count: {value!r}")
    return int(value)


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Fallback(f"not a number: {value!r}")
    return value


def _type(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(name in JSON_TYPES for name in names):
        raise Fallback(f"type {value!r}")
    shape.restrict_types(names)


# strings


def _min_length(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    shape.mentioned.add("string")
    shape.min_length = max(shape.min_length, _count(value))


def _max_length(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    shape.mentioned.add("string")
    limit = _count(value)
    shape.max_length = limit if shape.max_length is None else min(shape.max_length, limit)


def _pattern(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    if not isinstance(value, str):
        raise Fallback("pattern is not a string")
    shape.mentioned.add("string")
    shape.patterns.append(value)


def _format(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    if isinstance(value, str) and value not in shape.formats:
        shape.formats.append(value)


# numbers


def _minimum(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    shape.mentioned.add("number")
    # draft-04: a boolean exclusiveMinimum beside it makes the bound exclusive.
    exclusive = context.draft4 and piece.schema.get("exclusiveMinimum") is True
    shape.raise_lower(_number(value), exclusive)


def _maximum(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    shape.mentioned.add("number")
    exclusive = context.draft4 and piece.schema.get("exclusiveMaximum") is True
    shape.lower_upper(_number(value), exclusive)


def _exclusive_minimum(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    if context.draft4:
        if not isinstance(value, bool):
            raise Fallback("draft-04 exclusiveMinimum is a boolean")
        return  # read by _minimum
    shape.mentioned.add("number")
    shape.raise_lower(_number(value), True)


def _exclusive_maximum(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    if context.draft4:
        if not isinstance(value, bool):
            raise Fallback("draft-04 exclusiveMaximum is a boolean")
        return  # read by _maximum
    shape.mentioned.add("number")
    shape.lower_upper(_number(value), True)


def _multiple_of(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    divisor = _number(value)
    if divisor <= 0:
        raise Fallback("multipleOf must be positive")
    shape.mentioned.add("number")
    shape.multiples.append(divisor)


# arrays


def _items(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    shape.mentioned.add("array")
    schema = piece.schema
    if isinstance(value, list):  # draft-04 to 2019-09 tuples; additionalItems for the rest
        extra = schema.get("additionalItems")
        rest = None if extra is None else Piece(extra, piece.scope)
        prefix = [Piece(item, piece.scope) for item in value]
    elif "prefixItems" in context.validator_class.VALIDATORS and "prefixItems" in schema:
        prefix_value = schema["prefixItems"]
        if not isinstance(prefix_value, list):
            raise Fallback("prefixItems is not a list")
        prefix = [Piece(item, piece.scope) for item in prefix_value]
        rest = Piece(value, piece.scope)
    else:
        prefix, rest = [], Piece(value, piece.scope)
    shape.array_rules.append(ArrayRule(prefix, rest))


def _prefix_items(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    if "items" in piece.schema:
        return  # _items reads both
    if not isinstance(value, list):
        raise Fallback("prefixItems is not a list")
    shape.mentioned.add("array")
    shape.array_rules.append(ArrayRule([Piece(item, piece.scope) for item in value], None))


def _additional_items(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    """Read by _items; without a list of items it constrains nothing."""


def _min_items(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    shape.mentioned.add("array")
    shape.min_items = max(shape.min_items, _count(value))


def _max_items(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    shape.mentioned.add("array")
    limit = _count(value)
    shape.max_items = limit if shape.max_items is None else min(shape.max_items, limit)


def _unique_items(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    if value is True:
        shape.mentioned.add("array")
        shape.unique_items = True


# objects


def _properties(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    _object_rule(shape, piece, "properties")


def _pattern_properties(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    _object_rule(shape, piece, "patternProperties")


def _additional_properties(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    _object_rule(shape, piece, "additionalProperties")


_OBJECT_RULE_KEYWORDS = ("properties", "patternProperties", "additionalProperties")


def _object_rule(shape: Shape, piece: Piece, keyword: str) -> None:
    """properties, patternProperties and additionalProperties of one subschema: one rule,
    built by the first of the three the subschema has."""
    schema = piece.schema
    if next(key for key in _OBJECT_RULE_KEYWORDS if key in schema) != keyword:
        return
    shape.mentioned.add("object")
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    if not isinstance(properties, dict) or not isinstance(patterns, dict):
        raise Fallback("properties and patternProperties must be objects")
    additional = schema.get("additionalProperties")
    shape.object_rules.append(
        ObjectRule(
            {name: Piece(sub, piece.scope) for name, sub in properties.items()},
            [(pattern, Piece(sub, piece.scope)) for pattern, sub in patterns.items()],
            None if additional is None else Piece(additional, piece.scope),
        )
    )


def _required(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise Fallback("required is not a list of names")
    shape.mentioned.add("object")
    for name in value:
        if name not in shape.required:
            shape.required.append(name)


def _min_properties(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    shape.mentioned.add("object")
    shape.min_properties = max(shape.min_properties, _count(value))


def _max_properties(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    shape.mentioned.add("object")
    limit = _count(value)
    shape.max_properties = (
        limit if shape.max_properties is None else min(shape.max_properties, limit)
    )


def _dependent_required(shape: Shape, value: Any, piece: Piece, context: Context) -> None:
    """dependentRequired, and draft-04..07 dependencies in their list form."""
    if not isinstance(value, dict):
        raise Fallback("dependencies is not an object")
    for name, needed in value.items():
        if not isinstance(needed, list):
            raise Fallback("dependencies on a schema")  # dependentSchemas' old spelling
        shape.mentioned.add("object")
        shape.dependent_required.setdefault(name, []).extend(needed)


KEYWORDS: dict[str, Handler] = {
    "type": _type,
    "minLength": _min_length,
    "maxLength": _max_length,
    "pattern": _pattern,
    "format": _format,
    "minimum": _minimum,
    "maximum": _maximum,
    "exclusiveMinimum": _exclusive_minimum,
    "exclusiveMaximum": _exclusive_maximum,
    "multipleOf": _multiple_of,
    "items": _items,
    "prefixItems": _prefix_items,
    "additionalItems": _additional_items,
    "minItems": _min_items,
    "maxItems": _max_items,
    "uniqueItems": _unique_items,
    "properties": _properties,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
    "required": _required,
    "minProperties": _min_properties,
    "maxProperties": _max_properties,
    "dependencies": _dependent_required,
    "dependentRequired": _dependent_required,
}
