"""What the compiler does not handle exactly goes to hypothesis-jsonschema.

hypothesis-jsonschema needs one self-contained schema: every ``$ref`` is inlined here through
the registry's resolver (so refs to other files, ``$id`` and anchors work as they do for the
validator), a recursive ref is cut off with ``false`` after a few rounds (which only ever
narrows what is generated), and the formats hypothesis-jsonschema lacks (``uuid``,
``duration``, OpenAPI's ``byte``, ...) come from :mod:`formats`.
"""

from __future__ import annotations

from typing import Any

import hypothesis_jsonschema
from hypothesis import strategies as st
from hypothesis_jsonschema._from_schema import STRING_FORMATS

from eventcontracts.contract.strategies.context import Context, Scope
from eventcontracts.contract.strategies.formats import FORMATS
from eventcontracts.contract.strategies.text import free_text
from eventcontracts.safe_regex import guard_hypothesis_jsonschema

# Keywords whose value is a subschema, a list of subschemas, a map of name -> subschema.
_ONE = (
    "items", "additionalItems", "additionalProperties", "not", "if", "then", "else", "contains",
    "propertyNames", "unevaluatedItems", "unevaluatedProperties",
)  # fmt: skip
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "dependentSchemas")
# Gone once every ref is inlined (and ids would re-base nothing).
_DROPPED = ("$id", "id", "$schema", "$anchor", "definitions", "$defs", "$ref")


def inline(schema: Any, scope: Scope, context: Context, path: tuple[int, ...] = ()) -> Any:
    """``schema`` with every ``$ref`` replaced by (a copy of) its target."""
    if not isinstance(schema, dict):
        return schema
    scope = context.enter(schema, scope)
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target, target_scope = context.lookup(ref, scope)
        key = id(target)
        inlined = (
            False
            if path.count(key) >= context.recursion_depth
            else inline(target, target_scope, context, (*path, key))
        )
        if context.legacy_refs:  # draft-04 to draft-07: a $ref's siblings are ignored
            return inlined
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return {"allOf": [inline(rest, scope, context, path), inlined]} if rest else inlined
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _DROPPED:
            continue
        if key in _ONE or (key == "dependencies" and isinstance(value, dict)):
            result[key] = _inline_member(key, value, scope, context, path)
        elif key in _LIST and isinstance(value, list):
            result[key] = [inline(item, scope, context, path) for item in value]
        elif key in _MAP and isinstance(value, dict):
            result[key] = {name: inline(item, scope, context, path) for name, item in value.items()}
        else:
            result[key] = value
    return result


def _inline_member(
    key: str, value: Any, scope: Scope, context: Context, path: tuple[int, ...]
) -> Any:
    if key == "items" and isinstance(value, list):
        return [inline(item, scope, context, path) for item in value]
    if key == "dependencies":
        return {
            name: inline(item, scope, context, path) if isinstance(item, dict) else item
            for name, item in value.items()
        }
    return inline(value, scope, context, path)


def _formats(schema: Any, found: set[str]) -> set[str]:
    if isinstance(schema, dict):
        if isinstance(schema.get("format"), str):
            found.add(schema["format"])
        for value in schema.values():
            _formats(value, found)
    elif isinstance(schema, list):
        for item in schema:
            _formats(item, found)
    return found


def from_schema(schema: Any, scope: Scope, context: Context) -> st.SearchStrategy[Any]:
    """hypothesis-jsonschema's strategy for ``schema`` (as written at ``scope``)."""
    return _from_inlined(inline(schema, scope, context), context)


def _from_inlined(inlined: Any, context: Context) -> st.SearchStrategy[Any]:
    if isinstance(inlined, dict) and context.dialect_uri:
        inlined = {"$schema": context.dialect_uri, **inlined}
    custom = {
        name: FORMATS[name](context.realistic)
        if name in FORMATS
        else free_text(0, None, realistic=context.realistic)
        for name in sorted(_formats(inlined, set()))
        if name not in STRING_FORMATS
    }
    guard_hypothesis_jsonschema()
    return hypothesis_jsonschema.from_schema(
        inlined, custom_formats=custom, allow_x00=False, codec="utf-8"
    )


def from_pieces(pieces: list[Any], context: Context) -> st.SearchStrategy[Any]:
    """The values every piece (a schema and its scope) accepts, drawn by hypothesis-jsonschema
    and checked against each piece: the check almost never rejects, and keeps a corner
    hypothesis-jsonschema gets wrong from reaching the event."""
    schemas = [inline(piece.schema, piece.scope, context) for piece in pieces]
    combined: Any = schemas[0] if len(schemas) == 1 else {"allOf": schemas}
    strategy = _from_inlined(combined, context)
    validators = [context.validator(piece.schema, piece.scope) for piece in pieces]
    return strategy.filter(lambda value: all(v.is_valid(value) for v in validators))
