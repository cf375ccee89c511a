"""The schema of what a :class:`~eventcontracts.infer.shape.Shape` counted, one rule a function.

The rules (README: "infer"):

- required: a key present in every object seen at its path (objects in arrays counted one by
  one), never one that some object lacked;
- integer or number: ``integer`` only when every sample was written without a fraction or an
  exponent; one ``1.5``, ``1.0`` or ``1e3`` makes it ``number`` (producers serialise floats as
  ``1.0``: the field will hold ``1.5`` tomorrow, and ``number`` still accepts integers);
- formats: one every string at the path has (:mod:`eventcontracts.infer.formats`);
- enums: strings become an ``enum`` only with ``enum_threshold`` > 0 (off by default: a value
  not yet seen is a breaking change to an enum), when the path held at most that many distinct
  values in at least :data:`MIN_ENUM_SAMPLES` samples, no format and no other type;
- null: a field seen as null and as a type is that type and nullable (OpenApi3 ``nullable:
  true``, JSON Schema ``type: [t, "null"]``); a field only ever null says nothing of its type:
  ``{}``, as EventBridge's own discovery writes it;
- mixed types: JSON Schema lists them (``type: ["integer", "string"]``); OpenAPI 3.0 has no type
  lists, so OpenApi3 gets ``anyOf`` of one schema per type (``oneOf`` would reject a value two
  branches accept);
- arrays: one ``items`` schema for every element of every array seen; ``{}`` when every array
  was empty; objects whose keys are data (more than ``MAX_KEYS``): ``additionalProperties``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventcontracts.infer.formats import chosen_format
from eventcontracts.infer.shape import Arrays, Objects, Shape, Strings

OPENAPI3 = "OpenApi3"
DRAFT4 = "JSONSchemaDraft4"
# Fewer samples than this say nothing about how many values a field can take.
MIN_ENUM_SAMPLES = 10


@dataclass(frozen=True)
class Options:
    format: str = OPENAPI3  # OPENAPI3 or DRAFT4
    enum_threshold: int = 0  # 0: no enums


def schema_of(shape: Shape, options: Options) -> dict[str, Any]:
    """The inline schema of ``shape`` (nested objects are named later, by the document)."""
    if shape.too_deep:
        return {}  # values below the depth looked into: anything
    parts = _parts(shape, options)
    if not parts:
        return {}  # only nulls (or nothing): no type to say
    nullable = shape.nulls > 0
    if len(parts) == 1:
        return _nullable(parts[0], options) if nullable else parts[0]
    if options.format == OPENAPI3:
        mixed: dict[str, Any] = {"anyOf": parts}
        if nullable:
            mixed["nullable"] = True
        return mixed
    return _type_list(parts, nullable)


def _parts(shape: Shape, options: Options) -> list[dict[str, Any]]:
    """One schema per JSON type seen, in a fixed order."""
    parts = []
    if shape.objects is not None:
        parts.append(_object(shape.objects, options))
    if shape.arrays is not None:
        parts.append(_array(shape.arrays, options))
    if shape.strings is not None:
        alone = shape.count == shape.strings.count + shape.nulls
        parts.append(_string(shape.strings, options, enum_allowed=alone))
    if shape.integers or shape.floats:
        parts.append({"type": "number" if shape.floats else "integer"})
    if shape.booleans:
        parts.append({"type": "boolean"})
    return parts


def _object(objects: Objects, options: Options) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object"}
    if objects.map_values is not None:
        schema["additionalProperties"] = schema_of(objects.map_values, options)
        return schema
    required = sorted(key for key, seen in objects.present.items() if seen == objects.count)
    if required:
        schema["required"] = required
    if objects.keys:
        schema["properties"] = {
            key: schema_of(objects.keys[key], options) for key in sorted(objects.keys)
        }
    return schema


def _array(arrays: Arrays, options: Options) -> dict[str, Any]:
    items = schema_of(arrays.items, options) if arrays.items is not None else {}
    return {"type": "array", "items": items}


def _string(strings: Strings, options: Options, *, enum_allowed: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    found = chosen_format(strings.formats)
    if found is not None:
        schema["format"] = found
    elif enum_allowed and _is_enum(strings, options):
        assert strings.values is not None
        schema["enum"] = sorted(strings.values)
    return schema


def _is_enum(strings: Strings, options: Options) -> bool:
    return (
        options.enum_threshold > 0
        and strings.values is not None
        and len(strings.values) <= options.enum_threshold
        and strings.count >= MIN_ENUM_SAMPLES
    )


def _nullable(schema: dict[str, Any], options: Options) -> dict[str, Any]:
    if options.format == OPENAPI3:
        return {**schema, "nullable": True}
    nulled = {**schema, "type": [schema["type"], "null"]}
    if "enum" in nulled:
        nulled["enum"] = [*nulled["enum"], None]
    return nulled


def _type_list(parts: list[dict[str, Any]], nullable: bool) -> dict[str, Any]:
    """JSON Schema's one schema for several types: each type's keywords apply to it alone
    (``properties`` to objects, ``items`` to arrays, ``format`` to strings), except ``enum``,
    which would reject every other type: dropped."""
    merged: dict[str, Any] = {}
    types = []
    for part in parts:
        types.append(part["type"])
        merged.update({key: value for key, value in part.items() if key not in ("type", "enum")})
    if nullable:
        types.append("null")
    return {"type": types, **merged}
