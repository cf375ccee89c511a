"""JSON Schema to hypothesis strategies, for the keywords event schemas use.

A subschema is compiled as a conjunction of :class:`Piece` s (a schema and the scope its refs
resolve from): ``$ref`` and ``allOf`` add pieces, ``anyOf``/``oneOf`` become a ``one_of`` of
the conjunction with each branch (``oneOf`` branches filtered to match only their own),
``enum``/``const`` keep the listed values every piece accepts, and everything else goes
through the keyword table into a :class:`Shape` that a type builder draws from. A conjunction
with a keyword the table lacks (``not``, ``if``, ``contains``, ``propertyNames``, ...) goes
whole to hypothesis-jsonschema (:mod:`fallback`): correctness never depends on coverage.

Recursion is unrolled: a ref may expand inside itself ``Context.recursion_depth`` times, and
below that the branch counts as unsatisfiable (an optional property is left out, an array
stays empty, an ``anyOf`` takes another branch), which is a depth bound that needs no
``st.deferred`` and cannot run away.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from eventcontracts.contract.strategies import fallback
from eventcontracts.contract.strategies.builders import Overrides, Strategy, any_json, build
from eventcontracts.contract.strategies.context import Context
from eventcontracts.contract.strategies.keywords import KEYWORDS
from eventcontracts.contract.strategies.shape import Fallback, Piece, Shape

# Keywords the compiler handles itself rather than through the table.
_COMBINATORS = frozenset({"$ref", "allOf", "anyOf", "oneOf", "enum", "const"})

Path = tuple[int, ...]


class Compiler:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.known = frozenset(context.validator_class.VALIDATORS)
        self.fallbacks: list[Any] = []  # the schemas that went to hypothesis-jsonschema

    def compile(
        self, pieces: list[Piece], path: Path = (), overrides: Overrides | None = None
    ) -> Strategy | None:
        """A strategy of values every piece accepts; None when there are none (within the
        recursion bound)."""
        flattened = self._flatten(pieces, path)
        if flattened is None:
            return None
        flat, path = flattened
        try:
            return self._conjunction(flat, path, overrides)
        except Fallback:
            self.fallbacks.append([piece.schema for piece in flat])
            return fallback.from_pieces(flat, self.context)

    def _flatten(self, pieces: list[Piece], path: Path) -> tuple[list[Piece], Path] | None:
        """Expand ``$ref`` and ``allOf`` into more pieces; None for ``false`` or a recursion
        past the bound."""
        context = self.context
        work = list(pieces)
        flat: list[Piece] = []
        while work:
            piece = work.pop(0)
            schema = piece.schema
            if schema is True:
                continue
            if schema is False:
                return None
            if not isinstance(schema, dict):
                raise Fallback(f"not a schema: {schema!r}")
            scope = context.enter(schema, piece.scope)
            ref = schema.get("$ref")
            if isinstance(ref, str) and "$ref" in self.known:
                target, target_scope = context.lookup(ref, scope)
                if path.count(id(target)) >= context.recursion_depth:
                    return None
                path = (*path, id(target))
                work.insert(0, Piece(target, target_scope))
                if not context.legacy_refs:  # 2019-09 on: $ref applies beside its siblings
                    work.append(Piece({k: v for k, v in schema.items() if k != "$ref"}, scope))
                continue
            branches = schema.get("allOf")
            if isinstance(branches, list) and "allOf" in self.known:
                work.extend(Piece(branch, scope) for branch in branches)
                schema = {k: v for k, v in schema.items() if k != "allOf"}
            flat.append(Piece(schema, scope))
        return flat, path

    def _conjunction(
        self, flat: list[Piece], path: Path, overrides: Overrides | None
    ) -> Strategy | None:
        for index, piece in enumerate(flat):
            for keyword in ("anyOf", "oneOf"):
                if keyword in piece.schema and keyword in self.known:
                    return self._alternatives(flat, index, keyword, path, overrides)
        listed = self._listed_values(flat)
        if listed is not None:
            return st.sampled_from(listed) if listed else None
        if not flat:
            return any_json(self.context.realistic)
        shape = Shape()
        for piece in flat:
            for keyword, value in piece.schema.items():
                if keyword not in self.known or keyword in _COMBINATORS:
                    continue  # an annotation for this dialect, or handled above
                handler = KEYWORDS.get(keyword)
                if handler is None:
                    raise Fallback(keyword)
                handler(shape, value, piece, self.context)
        return build(shape, lambda pieces: self.compile(pieces, path), self.context, overrides)

    def _alternatives(
        self, flat: list[Piece], index: int, keyword: str, path: Path, overrides: Overrides | None
    ) -> Strategy | None:
        piece = flat[index]
        branches = piece.schema[keyword]
        if not isinstance(branches, list):
            raise Fallback(f"{keyword} is not a list")
        rest = Piece({k: v for k, v in piece.schema.items() if k != keyword}, piece.scope)
        others = [*flat[:index], rest, *flat[index + 1 :]]
        options: list[Strategy] = []
        for position, branch in enumerate(branches):
            strategy = self.compile([*others, Piece(branch, piece.scope)], path, overrides)
            if strategy is None:
                continue
            if keyword == "oneOf" and len(branches) > 1:
                rivals = [
                    self.context.validator(other, piece.scope)
                    for number, other in enumerate(branches)
                    if number != position
                ]
                strategy = strategy.filter(_only_own_branch(rivals))
            options.append(strategy)
        if not options:
            return None
        return options[0] if len(options) == 1 else st.one_of(options)

    def _listed_values(self, flat: list[Piece]) -> list[Any] | None:
        """The values ``enum``/``const`` allow that every piece accepts; None without them."""
        listed: list[Any] | None = None
        for piece in flat:
            if "enum" in piece.schema and "enum" in self.known:
                values = piece.schema["enum"]
                if not isinstance(values, list):
                    raise Fallback("enum is not a list")
                listed = values if listed is None else listed
            if "const" in piece.schema and "const" in self.known:
                listed = [piece.schema["const"]] if listed is None else listed
        if listed is None:
            return None
        validators = [self.context.validator(piece.schema, piece.scope) for piece in flat]
        return [value for value in listed if all(v.is_valid(value) for v in validators)]


def _only_own_branch(rivals: list[Any]) -> Any:
    """oneOf: a value drawn from one branch must not match any other."""

    def check(value: Any) -> bool:
        return not any(rival.is_valid(value) for rival in rivals)

    return check
