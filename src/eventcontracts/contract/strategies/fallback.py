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
from eventcontracts.schema.inline import Inliner

# Gone once every ref is inlined (and ids would re-base nothing); a "$ref" that is no string
# refers to nothing.
_DROPPED = frozenset({"$id", "id", "$schema", "$anchor", "definitions", "$defs", "$ref"})


def inline(schema: Any, scope: Scope, context: Context) -> Any:
    """``schema`` with every ``$ref`` replaced by (a copy of) its target; a ref recursing into
    itself more than ``context.recursion_depth`` times becomes ``false``."""
    inliner = Inliner(
        context.lookup,  # raises, naming the file, for a ref lint would have refused
        enter=context.enter,
        legacy_refs=context.legacy_refs,  # draft-04 to draft-07: a $ref's siblings are ignored
        siblings_first=True,
        max_repeats=context.recursion_depth,
        cut=False,
        drop=_DROPPED,
    )
    return inliner.inline(schema, scope)


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
