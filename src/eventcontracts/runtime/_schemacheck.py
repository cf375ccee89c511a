"""The keywords pydantic cannot express, checked on the JSON a detail model writes.

A generated model expresses types, nullability, enums, bounds, lengths, patterns, formats,
``required`` and ``additionalProperties`` itself. ``not``, ``if``/``then``/``else``, the
exclusivity of ``oneOf``, ``dependencies``, ``uniqueItems``, ``minProperties``, ``contains``,
tuple ``items`` and a few more it cannot: for a schema that uses any of them, codegen embeds the
detail schema in the model (``DETAIL_SCHEMA``) and every validation of the model also checks
its JSON against that schema here. This is a small JSON Schema evaluator of the standard
library only (the runtime ships to Lambda without jsonschema), with jsonschema's semantics:
``1 == 1.0`` but ``true != 1``, patterns searched in linear time (:mod:`._regex`; codegen writes
them in Rust regex syntax with ECMA-262's semantics), the registry's formats.
Its limits: local ``$ref`` only (codegen embeds only self-contained schemas), no
``unevaluatedProperties``/``unevaluatedItems``/``$dynamicRef``.
"""

from __future__ import annotations

import json
from fractions import Fraction
from functools import lru_cache
from typing import Any

from ._regex import PatternUndecided, search
from .types import FORMAT_CHECKS

__all__ = ["first_problem", "parsed_schema"]


@lru_cache(maxsize=256)
def parsed_schema(text: str) -> Any:
    """The embedded schema, parsed once per model."""
    return json.loads(text)


def first_problem(schema: Any, instance: Any) -> str | None:
    """Where and why ``instance`` is not valid for ``schema`` (its ``$schema`` says which draft;
    none is draft 4), or None."""
    dialect = schema.get("$schema", "") if isinstance(schema, dict) else ""
    dialect = dialect if isinstance(dialect, str) else ""
    return _Evaluator(schema, dialect).problem(schema, instance, "")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _equal(one: Any, two: Any) -> bool:
    """JSON equality: numbers by value, booleans apart from numbers."""
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one is two
    if _is_number(one) and _is_number(two):
        return bool(one == two)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(map(_equal, one, two))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    return type(one) is type(two) and bool(one == two)


class _Evaluator:
    def __init__(self, root: Any, dialect: str) -> None:
        self.root = root
        # draft 4 (and 3): 1.0 is not an integer
        self.draft4 = not dialect or "draft-04" in dialect or "draft-03" in dialect
        # up to draft 7, keywords next to a $ref are ignored
        self.ref_alone = "/draft/" not in dialect

    def is_type(self, value: Any, name: str) -> bool:
        if name == "integer":
            if isinstance(value, bool):
                return False
            if isinstance(value, float) and not self.draft4:
                return value.is_integer()
            return isinstance(value, int)
        return {
            "null": value is None,
            "boolean": isinstance(value, bool),
            "number": _is_number(value),
            "string": isinstance(value, str),
            "array": isinstance(value, list),
            "object": isinstance(value, dict),
        }.get(name, False)

    def resolve(self, ref: str) -> Any:
        # Its own few lines of JSON pointer (and the escape in _object), not the tool's
        # eventcontracts.schema.pointer: the runtime imports nothing of the tool.
        if not ref.startswith("#"):
            raise ValueError(f"cannot resolve $ref {ref!r}: only local references are embedded")
        node = self.root
        for token in [t for t in ref[1:].split("/") if t]:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    def valid(self, schema: Any, value: Any) -> bool:
        return self.problem(schema, value, "") is None

    def problem(self, schema: Any, value: Any, at: str) -> str | None:
        if schema is True:
            return None
        if schema is False:
            return f"{at or '/'}: no value is allowed here"
        if not isinstance(schema, dict):
            return None
        if "$ref" in schema:
            found = self.problem(self.resolve(schema["$ref"]), value, at)
            if found or self.ref_alone:
                return found
        for check in (self._generic, self._number, self._string, self._array, self._object):
            found = check(schema, value, at)
            if found:
                return found
        return self._combined(schema, value, at)

    def _generic(self, schema: dict[str, Any], value: Any, at: str) -> str | None:
        where = at or "/"
        declared = schema.get("type")
        if declared is not None:
            names = declared if isinstance(declared, list) else [declared]
            if not any(self.is_type(value, name) for name in names):
                return f"{where}: {json.dumps(value)[:80]} is not of type {declared}"
        if "enum" in schema and not any(_equal(value, item) for item in schema["enum"]):
            return f"{where}: {json.dumps(value)[:80]} is not one of {schema['enum']}"
        if "const" in schema and not _equal(value, schema["const"]):
            return f"{where}: {json.dumps(value)[:80]} is not {json.dumps(schema['const'])}"
        return None

    def _number(self, schema: dict[str, Any], value: Any, at: str) -> str | None:
        if not _is_number(value):
            return None
        where = at or "/"
        low, high = schema.get("minimum"), schema.get("maximum")
        ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        if _is_number(low) and (value < low or (ex_low is True and value == low)):
            return f"{where}: {value} is below the minimum of {low}"
        if _is_number(high) and (value > high or (ex_high is True and value == high)):
            return f"{where}: {value} is above the maximum of {high}"
        if _is_number(ex_low) and value <= ex_low:
            return f"{where}: {value} is not above {ex_low}"
        if _is_number(ex_high) and value >= ex_high:
            return f"{where}: {value} is not below {ex_high}"
        step = schema.get("multipleOf")
        if _is_number(step) and step and not _multiple(value, step):
            return f"{where}: {value} is not a multiple of {step}"
        return None

    def _string(self, schema: dict[str, Any], value: Any, at: str) -> str | None:
        if not isinstance(value, str):
            return None
        where = at or "/"
        if "minLength" in schema and len(value) < schema["minLength"]:
            return f"{where}: shorter than {schema['minLength']} characters"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return f"{where}: longer than {schema['maxLength']} characters"
        if "pattern" in schema:
            try:
                matched = search(schema["pattern"], value)
            except PatternUndecided as exc:
                return f"{where}: cannot be checked against its pattern ({exc})"
            if not matched:
                return f"{where}: does not match {schema['pattern']!r}"
        test = FORMAT_CHECKS.get(schema.get("format", ""))
        if test is not None and not test(value):
            return f"{where}: not a valid {schema['format']} string"
        return None

    def _array(self, schema: dict[str, Any], value: Any, at: str) -> str | None:
        if not isinstance(value, list):
            return None
        where = at or "/"
        if "minItems" in schema and len(value) < schema["minItems"]:
            return f"{where}: fewer than {schema['minItems']} items"
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            return f"{where}: more than {schema['maxItems']} items"
        if schema.get("uniqueItems") is True:
            for index, item in enumerate(value):
                if any(_equal(item, other) for other in value[:index]):
                    return f"{where}/{index}: repeats an earlier item"
        items = schema.get("items")
        if "prefixItems" in schema:
            positional, rest = schema["prefixItems"], items
        elif isinstance(items, list):
            positional, rest = items, schema.get("additionalItems", True)
        else:
            positional, rest = [], items
        for index, (item, item_schema) in enumerate(zip(value, positional, strict=False)):
            found = self.problem(item_schema, item, f"{at}/{index}")
            if found:
                return found
        rest_from = len(positional)
        if rest is not None:
            for index in range(rest_from, len(value)):
                found = self.problem(rest, value[index], f"{at}/{index}")
                if found:
                    return found
        if "contains" in schema:
            count = sum(self.valid(schema["contains"], item) for item in value)
            low, high = schema.get("minContains", 1), schema.get("maxContains")
            if count < low or (high is not None and count > high):
                return f"{where}: does not contain the items it must"
        return None

    def _object(self, schema: dict[str, Any], value: Any, at: str) -> str | None:
        if not isinstance(value, dict):
            return None
        where = at or "/"
        if "minProperties" in schema and len(value) < schema["minProperties"]:
            return f"{where}: fewer than {schema['minProperties']} properties"
        if "maxProperties" in schema and len(value) > schema["maxProperties"]:
            return f"{where}: more than {schema['maxProperties']} properties"
        for name in schema.get("required", ()) if isinstance(schema.get("required"), list) else ():
            if name not in value:
                return f"{where}: {name!r} is required"
        properties = schema.get("properties") or {}
        patterns = schema.get("patternProperties") or {}
        for name, item in value.items():
            here = f"{at}/{name.replace('~', '~0').replace('/', '~1')}"
            matched = False
            if name in properties:
                matched = True
                found = self.problem(properties[name], item, here)
                if found:
                    return found
            for pattern, pattern_schema in patterns.items():
                try:
                    pattern_matched = search(pattern, name)
                except PatternUndecided as exc:
                    return f"{here}: cannot be checked against its pattern ({exc})"
                if pattern_matched:
                    matched = True
                    found = self.problem(pattern_schema, item, here)
                    if found:
                        return found
            if not matched and "additionalProperties" in schema:
                found = self.problem(schema["additionalProperties"], item, here)
                if found:
                    return f"{here}: not allowed here ({found})"
            if "propertyNames" in schema and not self.valid(schema["propertyNames"], name):
                return f"{here}: the property name is not allowed"
        dependencies = {
            **(schema.get("dependencies") or {}),
            **(schema.get("dependentRequired") or {}),
            **(schema.get("dependentSchemas") or {}),
        }
        for name, needed in dependencies.items():
            if name not in value:
                continue
            if isinstance(needed, list):
                missing = [other for other in needed if other not in value]
                if missing:
                    return f"{where}: {name!r} needs {missing[0]!r}"
            else:
                found = self.problem(needed, value, at)
                if found:
                    return found
        return None

    def _combined(self, schema: dict[str, Any], value: Any, at: str) -> str | None:
        where = at or "/"
        for part in schema.get("allOf") or ():
            found = self.problem(part, value, at)
            if found:
                return found
        if "anyOf" in schema and not any(self.valid(part, value) for part in schema["anyOf"]):
            return f"{where}: matches none of anyOf"
        if "oneOf" in schema:
            count = sum(self.valid(part, value) for part in schema["oneOf"])
            if count != 1:
                return f"{where}: matches {count} of oneOf, not exactly one"
        if "not" in schema and self.valid(schema["not"], value):
            return f"{where}: matches what `not` excludes"
        if "if" in schema:
            branch = "then" if self.valid(schema["if"], value) else "else"
            if branch in schema:
                return self.problem(schema[branch], value, at)
        return None


def _multiple(value: int | float, step: int | float) -> bool:
    """jsonschema's multipleOf: float division for a float step, modulo for an int one."""
    if isinstance(step, float):
        try:
            quotient = value / step
            return int(quotient) == quotient
        except OverflowError:
            return (Fraction(value) / Fraction(step)).denominator == 1
    return not value % step
