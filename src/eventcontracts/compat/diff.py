"""One direction of a comparison: does a reader on ``new`` accept what a writer on ``old`` wrote?

:func:`compare` walks both schemas side by side and records each difference as a rule of
:mod:`eventcontracts.compat.rules`; a difference whose rule ``breaks`` under the policy makes
the direction incompatible. The walk is dispatched on the kind of node, one small function
per kind (``_COMPARERS``); unions are matched alternative to alternative; pairs are memoised
on node identity, and a pair met again while it is being compared (a recursive schema) is
taken as compatible, which is the co-inductive reading of recursion.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from eventcontracts.compat import rules
from eventcontracts.compat.model import Node
from eventcontracts.compat.rules import BY_NAME, Bound, Presence, breaks
from eventcontracts.rules import Rule
from eventcontracts.schema.canonical import canonical


@dataclass(frozen=True)
class Difference:
    """A change found in one direction. Pointers are into the writer's and the reader's
    documents; ``path`` is the walk from the compared root (Confluent's notation)."""

    rule: str
    old_pointer: str
    new_pointer: str
    path: tuple[str, ...]
    old: Node | None = field(default=None, compare=False, repr=False)
    new: Node | None = field(default=None, compare=False, repr=False)

    @property
    def confluent_path(self) -> str:
        return "#/" + "/".join(self.path)


class Context:
    """Differences found so far, where the walk is, and what every branch shares."""

    def __init__(
        self,
        policy: str,
        memo: dict[tuple[int, int], list[Difference]] | None = None,
        in_progress: set[tuple[int, int]] | None = None,
        shared: dict[tuple[int, int, str], Any] | None = None,
        *,
        old_reader: bool = False,
    ) -> None:
        self.policy = policy
        self.old_reader = old_reader  # the reader is the old version (FORWARD)
        self.memo = {} if memo is None else memo
        self.in_progress = set() if in_progress is None else in_progress
        # What does not depend on the direction (which keywords differ between two schemas),
        # shared by both directions of a comparison.
        self.shared = {} if shared is None else shared
        self.path: list[str] = []
        self.differences: list[Difference] = []

    def sub(self) -> Context:
        """A context for a trial comparison whose differences may be kept or thrown away."""
        sub = Context(
            self.policy, self.memo, self.in_progress, self.shared, old_reader=self.old_reader
        )
        sub.path = list(self.path)
        return sub

    @property
    def compatible(self) -> bool:
        return not any(
            breaks(BY_NAME[d.rule], self.policy, old_reader=self.old_reader)
            for d in self.differences
        )

    def add(self, rule: Rule, old: Node, new: Node, *tokens: str) -> None:
        self.differences.append(
            Difference(
                rule.name,
                old.at(*tokens),
                new.at(*tokens),
                (*self.path, *tokens),
                old,
                new,
            )
        )

    def add_at(self, rule: Rule, old_pointer: str, new_pointer: str, old: Node, new: Node) -> None:
        self.differences.append(
            Difference(rule.name, old_pointer, new_pointer, tuple(self.path), old, new)
        )

    def symmetric(self, a: Any, b: Any, tag: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` for the unordered pair (a, b), once for both directions."""
        key = (id(a), id(b), tag) if id(a) < id(b) else (id(b), id(a), tag)
        if key not in self.shared:
            self.shared[key] = compute()
        return self.shared[key]

    def enter(self, *tokens: str | int) -> _Scope:
        return _Scope(self, [str(token) for token in tokens])


class _Scope:
    def __init__(self, context: Context, tokens: list[str]) -> None:
        self.context = context
        self.tokens = tokens

    def __enter__(self) -> None:
        self.context.path.extend(self.tokens)

    def __exit__(self, *exc: object) -> None:
        del self.context.path[len(self.context.path) - len(self.tokens) :]


def compare(ctx: Context, old: Node | None, new: Node | None) -> None:
    """Record in ``ctx`` how ``new`` differs from ``old`` as a reader of ``old``'s values."""
    if old is None or new is None:
        if old is None and new is not None:
            ctx.add_at(rules.SCHEMA_ADDED, "", new.pointer, new, new)
        elif new is None and old is not None:
            ctx.add_at(rules.SCHEMA_REMOVED, old.pointer, "", old, old)
        return
    key = (id(old), id(new))
    cached = ctx.memo.get(key)
    if cached is None:
        if key in ctx.in_progress:
            return  # recursion: compatible unless something else says otherwise
        ctx.in_progress.add(key)
        try:
            rooted = Context(
                ctx.policy, ctx.memo, ctx.in_progress, ctx.shared, old_reader=ctx.old_reader
            )
            _compare_nodes(rooted, old, new)
            cached = rooted.differences
            ctx.memo[key] = cached
        finally:
            ctx.in_progress.discard(key)
    prefix = tuple(ctx.path)
    ctx.differences.extend(
        Difference(d.rule, d.old_pointer, d.new_pointer, prefix + d.path, d.old, d.new)
        if prefix
        else d
        for d in cached
    )


def compare_children(
    ctx: Context, old: Node, old_raw: Any, new: Node, new_raw: Any, *tokens: str | int
) -> None:
    """Compare two subschemas found at ``tokens`` below ``old`` and ``new``.

    Identical subschemas without refs are skipped before they are even read: between two
    versions of an event most of the schema is unchanged, and this is what keeps a
    comparison well under a millisecond.
    """
    if old_raw is new_raw or (old_raw == new_raw and not _has_ref(old_raw)):
        return
    if old_raw == new_raw and _same_target(old, new, old_raw):
        return
    compare(ctx, old.child(old_raw, *tokens), new.child(new_raw, *tokens))


def _same_target(old: Node, new: Node, raw: Any) -> bool:
    """A bare ``$ref`` that leads to equal, ref-free schemas on both sides."""
    if not (isinstance(raw, dict) and len(raw) == 1 and isinstance(raw.get("$ref"), str)):
        return False
    try:
        before = old.loader.resolve(raw["$ref"], old.scope)[0]
        after = new.loader.resolve(raw["$ref"], new.scope)[0]
    except Exception:  # unresolvable here: the full comparison reports it
        return False
    return bool(before is after or (before == after and not _has_ref(before)))


def _compare_nodes(ctx: Context, old: Node, new: Node) -> None:
    if old.raw is new.raw or (old.raw == new.raw and not _has_ref(old.raw)):
        return  # the same schema reads the same values
    if old.kind != "combined" and new.kind == "combined":
        if _into_union(ctx, old, new):
            return
    elif old.kind == "combined" and new.kind != "combined" and _out_of_product(ctx, old, new):
        return
    if old.kind != new.kind and {old.kind, new.kind} == {"enum", "const"}:
        _values(ctx, old, new)  # const: X and enum: [X] are the same set of values
        return
    if old.kind != new.kind:
        if old.kind == "false":
            return  # nothing was written: any reader copes
        if new.kind == "empty":
            ctx.add(rules.SCHEMA_REMOVED, old, new)
            return
        if new.kind == "false":
            ctx.add(rules.EVERYTHING_REJECTED, old, new)
            return
        ctx.add(rules.TYPE_CHANGED, old, new)
        return
    _compare_annotations(ctx, old, new)
    _COMPARERS[old.kind](ctx, old, new)


def _into_union(ctx: Context, old: Node, new: Node) -> bool:
    """A single schema read by a union: fine if one alternative reads it."""
    if len(new.parts) == 1:
        trial = ctx.sub()
        compare(trial, old, new.parts[0])
        if trial.compatible:
            ctx.differences.extend(trial.differences)
            return True
    elif new.criterion in ("anyOf", "oneOf"):
        for part in new.parts:
            trial = ctx.sub()
            compare(trial, old, part)
            if trial.compatible:
                ctx.differences.extend(trial.differences)
                ctx.add(rules.SUM_TYPE_EXTENDED, old, new)
                return True
    return False


def _out_of_product(ctx: Context, old: Node, new: Node) -> bool:
    """An intersection read by a single schema: fine if one of its parts is read by it
    (``allOf: [A, B]`` accepts no more than ``A``)."""
    if len(old.parts) == 1 or old.criterion == "allOf":
        for part in old.parts:
            trial = ctx.sub()
            compare(trial, part, new)
            if trial.compatible:
                ctx.differences.extend(trial.differences)
                if len(old.parts) > 1:
                    ctx.add(rules.PRODUCT_TYPE_NARROWED, old, new)
                return True
    return False


def _compare_annotations(ctx: Context, old: Node, new: Node) -> None:
    if old.raw is new.raw or not isinstance(old.raw, dict) or not isinstance(new.raw, dict):
        return
    old_keywords, new_keywords = old.keywords, new.keywords
    for keyword, rule in (
        ("$id", rules.ID_CHANGED),
        ("title", rules.TITLE_CHANGED),
        ("description", rules.DESCRIPTION_CHANGED),
        ("default", rules.DEFAULT_CHANGED),
    ):
        if old_keywords.get(keyword) != new_keywords.get(keyword):
            ctx.add(rule, old, new)


# --- kinds -----------------------------------------------------------------------------------


def _nothing(ctx: Context, old: Node, new: Node) -> None:
    """empty, boolean, null: nothing but the kind to compare."""


def _explicitness(ctx: Context, old: Node, new: Node) -> None:
    """``{"minLength": 1}`` accepts numbers too; ``{"type": "string", ...}`` does not."""
    if old.explicit and not new.explicit:
        ctx.add(rules.TYPE_EXTENDED, old, new)
    elif new.explicit and not old.explicit:
        ctx.add(rules.TYPE_NARROWED, old, new)


def _string(ctx: Context, old: Node, new: Node) -> None:
    o, n = old.keywords, new.keywords
    _bound(ctx, old, new, "maxLength", rules.MAX_LENGTH, o.get("maxLength"), n.get("maxLength"))
    _bound(ctx, old, new, "minLength", rules.MIN_LENGTH, o.get("minLength"), n.get("minLength"))
    _presence(ctx, old, new, "pattern", rules.PATTERN, o.get("pattern"), n.get("pattern"))
    _presence(ctx, old, new, "format", rules.FORMAT, o.get("format"), n.get("format"))
    _explicitness(ctx, old, new)


def _number(ctx: Context, old: Node, new: Node) -> None:
    old_limits, new_limits = _number_limits(old), _number_limits(new)
    for upper, keywords in (
        (True, (("maximum", rules.MAXIMUM), ("exclusiveMaximum", rules.EXCLUSIVE_MAXIMUM))),
        (False, (("minimum", rules.MINIMUM), ("exclusiveMinimum", rules.EXCLUSIVE_MINIMUM))),
    ):
        # Keyword by keyword first (Confluent's change types); where that says "narrowed" but
        # the bound as one interval end did not move inwards (exclusiveMinimum: 10 ->
        # minimum: 10, a draft-04 boolean form against a draft-07 number), the interval wins.
        trial = ctx.sub()
        for keyword, bound_rules in keywords:
            _bound(trial, old, new, keyword, bound_rules, old_limits[keyword], new_limits[keyword])
        if not trial.compatible and not _narrowed(old, new, upper=upper):
            trial = ctx.sub()
            _interval_change(trial, old, new, upper=upper)
        ctx.differences.extend(trial.differences)
    _multiple_of(ctx, old, new)
    if old.integer and not new.integer:
        ctx.add(rules.TYPE_EXTENDED, old, new)
    elif new.integer and not old.integer:
        ctx.add(rules.TYPE_NARROWED, old, new)
    _explicitness(ctx, old, new)


def _number_limits(node: Node) -> dict[str, Any]:
    """Bounds in the draft-06 form: draft-04's boolean exclusiveMinimum moves the minimum."""
    keywords = node.keywords
    limits = {key: keywords.get(key) for key in ("maximum", "minimum")}
    for key, bound in (("exclusiveMaximum", "maximum"), ("exclusiveMinimum", "minimum")):
        value = keywords.get(key)
        if value is True:
            limits[key], limits[bound] = limits[bound], None
        else:
            limits[key] = value if _is_number(value) else None
    return limits


Limit = tuple[Fraction, bool]  # (value, open): x >= value, or x > value when open


def _end(node: Node, *, upper: bool) -> Limit | None:
    """The lower or upper end of the values ``node`` accepts, across keyword forms and drafts
    (``minimum`` with draft-04's boolean ``exclusiveMinimum``, or draft-06's number)."""
    limits = _number_limits(node)
    inclusive = limits["maximum" if upper else "minimum"]
    exclusive = limits["exclusiveMaximum" if upper else "exclusiveMinimum"]
    ends = [
        (Fraction(str(value)), is_open)
        for value, is_open in ((inclusive, False), (exclusive, True))
        if _is_number(value)
    ]
    if not ends:
        return None
    # Both given: the tighter one applies (the smaller maximum, the larger minimum; at the
    # same value, the open end).
    if upper:
        return min(ends, key=lambda end: (end[0], not end[1]))
    return max(ends, key=lambda end: (end[0], end[1]))


def _on_integers(end: Limit | None, *, upper: bool) -> Limit | None:
    """The same end as a closed bound on whole numbers (> 9.5 and >= 10 are alike there)."""
    if end is None:
        return None
    value, is_open = end
    if upper:
        whole = value - 1 if is_open and value.denominator == 1 else Fraction(math.floor(value))
    else:
        whole = value + 1 if is_open and value.denominator == 1 else Fraction(math.ceil(value))
    return (whole, False)


def _ends(old: Node, new: Node, *, upper: bool) -> tuple[Limit | None, Limit | None]:
    before, after = _end(old, upper=upper), _end(new, upper=upper)
    if old.integer:  # the writer's values are whole numbers: compare the bounds there
        before, after = _on_integers(before, upper=upper), _on_integers(after, upper=upper)
    return before, after


def _narrowed(old: Node, new: Node, *, upper: bool) -> bool:
    """Whether ``new``'s end of the interval excludes a value ``old`` accepts."""
    before, after = _ends(old, new, upper=upper)
    if after is None:
        return False
    if before is None:
        return True
    if before[0] != after[0]:
        return after[0] < before[0] if upper else after[0] > before[0]
    return after[1] and not before[1]


def _interval_change(ctx: Context, old: Node, new: Node, *, upper: bool) -> None:
    """The end moved outwards or stayed (only its keyword form changed): one rule saying so,
    at the keyword the new side uses."""
    before, after = _ends(old, new, upper=upper)
    if before == after:
        return
    keyword = (
        _keyword_of(new, upper=upper)
        or _keyword_of(old, upper=upper)
        or ("maximum" if upper else "minimum")
    )
    bound_rules = rules.MAXIMUM if upper else rules.MINIMUM
    if after is None:
        ctx.add(bound_rules.removed, old, new, keyword)
    else:
        ctx.add(bound_rules.increased if upper else bound_rules.decreased, old, new, keyword)


def _keyword_of(node: Node, *, upper: bool) -> str | None:
    names = ("exclusiveMaximum", "maximum") if upper else ("exclusiveMinimum", "minimum")
    keywords = node.keywords
    return next((name for name in names if _is_number(keywords.get(name))), None)


def _multiple_of(ctx: Context, old: Node, new: Node) -> None:
    before, after = (
        _number_or_none(old.keywords.get("multipleOf")),
        _number_or_none(new.keywords.get("multipleOf")),
    )
    if before == after:
        return
    if before is None:
        ctx.add(rules.MULTIPLE_OF_ADDED, old, new, "multipleOf")
    elif after is None:
        ctx.add(rules.MULTIPLE_OF_REMOVED, old, new, "multipleOf")
    else:
        # Exact arithmetic: 0.1 and 0.3 are decimals in a schema, not binary fractions.
        ratio = Fraction(str(after)) / Fraction(str(before))
        if ratio.denominator == 1:
            ctx.add(rules.MULTIPLE_OF_EXPANDED, old, new, "multipleOf")
        elif ratio.numerator == 1:
            ctx.add(rules.MULTIPLE_OF_REDUCED, old, new, "multipleOf")
        else:
            ctx.add(rules.MULTIPLE_OF_CHANGED, old, new, "multipleOf")


def _enum(ctx: Context, old: Node, new: Node) -> None:
    _values(ctx, old, new)


def _value_set(node: Node) -> set[Any]:
    """The values an ``enum`` or a ``const`` node allows."""
    if node.kind == "const":
        return {canonical(node.keywords.get("const"))}
    return {canonical(value) for value in _list(node.keywords.get("enum"))}


def _values(ctx: Context, old: Node, new: Node) -> None:
    """Two enumerations (``enum`` or ``const``) compared as sets of values."""
    before, after = _value_set(old), _value_set(new)
    if before == after:
        return
    with ctx.enter("enum"):
        old_at, new_at = old.at(old.kind), new.at(new.kind)
        if after >= before:
            ctx.add_at(rules.ENUM_ARRAY_EXTENDED, old_at, new_at, old, new)
        elif before >= after:
            ctx.add_at(rules.ENUM_ARRAY_NARROWED, old_at, new_at, old, new)
        else:
            ctx.add_at(rules.ENUM_ARRAY_CHANGED, old_at, new_at, old, new)


def _const(ctx: Context, old: Node, new: Node) -> None:
    if canonical(old.keywords.get("const")) != canonical(new.keywords.get("const")):
        ctx.add(rules.CONST_CHANGED, old, new, "const")


def _not(ctx: Context, old: Node, new: Node) -> None:
    with ctx.enter("not"):
        trial = ctx.sub()
        # Reversed: `not A` reads `not B` when B reads A.
        compare(
            trial,
            new.child(new.keywords["not"], "not"),
            old.child(old.keywords["not"], "not"),
        )
        if trial.compatible:
            ctx.add(rules.NOT_TYPE_NARROWED, old, new, "not")
        else:
            ctx.add(rules.NOT_TYPE_EXTENDED, old, new, "not")


def _conditional(ctx: Context, old: Node, new: Node) -> None:
    """With the same ``if``, each value takes the same branch on both sides, so each branch
    is compared as a schema of its own: a branch that only widened reads all it did."""
    o, n = old.keywords, new.keywords
    keys = ("if", "then", "else")
    if all(canonical(o.get(k)) == canonical(n.get(k)) for k in keys):
        return
    if "if" not in o and "if" not in n:
        return  # then and else without if apply to nothing
    if canonical(o.get("if")) != canonical(n.get("if")) or _has_ref(o.get("if")):
        ctx.add(rules.CONDITIONAL_CHANGED, old, new)
        return
    branches = ctx.sub()
    for branch in ("then", "else"):
        with branches.enter(branch):
            compare_children(branches, old, o.get(branch, True), new, n.get(branch, True), branch)
    if branches.compatible:
        ctx.differences.extend(branches.differences)
    else:
        ctx.add(rules.CONDITIONAL_CHANGED, old, new)


def _combined(ctx: Context, old: Node, new: Node) -> None:
    changed = _compare_criteria(ctx, old, new)
    if changed:
        return
    before = _distinct(old.parts)
    after = _distinct(new.parts)
    # Growth is read by the new combination (more anyOf alternatives: looser; more allOf parts:
    # stricter), shrinking by the old one (an allOf that loses parts is looser even when it
    # became an anyOf, since each remaining alternative is implied by one of the old parts).
    if len(before) < len(after):
        all_of = new.criterion == "allOf"
        ctx.add(rules.PRODUCT_TYPE_EXTENDED if all_of else rules.SUM_TYPE_EXTENDED, old, new)
    elif len(before) > len(after):
        all_of = old.criterion == "allOf"
        ctx.add(rules.PRODUCT_TYPE_NARROWED if all_of else rules.SUM_TYPE_NARROWED, old, new)
    edges: dict[int, dict[int, list[Difference]]] = {}
    # For a part with no compatible partner, what its partner of the same kind says is wrong:
    # the specific reason ("enum value added") rather than only "alternatives changed".
    reasons: dict[int, list[Difference]] = {}
    for i, old_part in enumerate(before):
        # Parts split from one schema object sit at its place; real alternatives have a path.
        place = () if old.synthetic else (f"{old.criterion}/{i}",)
        with ctx.enter(*place):
            for j, new_part in enumerate(after):
                trial = ctx.sub()
                compare(trial, old_part, new_part)
                if trial.compatible:
                    edges.setdefault(i, {})[j] = trial.differences
                elif old_part.kind == new_part.kind and old_part.kind != "combined":
                    reasons.setdefault(i, trial.differences)
    matching = _maximum_matching(edges, len(before))
    for i, j in sorted(matching.items()):
        ctx.differences.extend(edges[i][j])
    if new.criterion == "oneOf" and not _one_of_safe(old, new, edges, matching):
        ctx.add(rules.ONE_OF_ALTERNATIVES_OVERLAP, old, new)
    if len(matching) < min(len(before), len(after)):
        unmatched = [i for i in range(len(before)) if i not in matching]
        explained = old.synthetic and new.synthetic and all(i in reasons for i in unmatched)
        for i in unmatched:
            ctx.differences.extend(reasons.get(i, []))
        if not explained:
            ctx.add(rules.COMBINED_TYPE_SUBSCHEMAS_CHANGED, old, new)


def _one_of_safe(
    old: Node, new: Node, edges: dict[int, dict[int, list[Difference]]], matching: dict[int, int]
) -> bool:
    """Whether a value matching one old alternative still matches exactly one new one.

    Safe when the alternatives are unchanged, or when the new ones are pairwise disjoint by
    type; otherwise a widened or added alternative may also match, and oneOf rejects that.
    """
    unchanged = (
        old.criterion == "oneOf"
        and len(old.parts) == len(new.parts)
        and all(not edges[i][j] for i, j in matching.items())
        and len(matching) == len(new.parts)
    )
    return unchanged or _pairwise_disjoint(new.parts)


def _pairwise_disjoint(parts: list[Node]) -> bool:
    kinds = []
    for part in parts:
        if (
            part.kind in ("string", "number", "boolean", "null", "object", "array")
            and part.explicit
        ):
            kinds.append("number" if part.kind == "number" else part.kind)
        else:
            return False
    return len(set(kinds)) == len(kinds)


def _compare_criteria(ctx: Context, old: Node, new: Node) -> bool:
    """Record a change of allOf/anyOf/oneOf; True when the alternatives cannot be matched."""
    before, after = old.criterion, new.criterion
    if before == after:
        return False
    singleton_old, singleton_new = len(old.parts) == 1, len(new.parts) == 1
    # A oneOf of one alternative is that alternative, as is an anyOf or allOf of one; a oneOf
    # of alternatives of different types accepts what the anyOf of them accepts.
    if before == "anyOf" and after == "oneOf" and _pairwise_disjoint(new.parts):
        return False
    if after == "anyOf" or (after == "oneOf" and (singleton_old or singleton_new)):
        ctx.add(rules.COMBINED_TYPE_EXTENDED, old, new)
        return False
    if after == "allOf" and singleton_old and singleton_new:
        ctx.add(rules.COMBINED_TYPE_EXTENDED, old, new)
        return False
    ctx.add(rules.COMBINED_TYPE_CHANGED, old, new)
    return True


def _distinct(parts: list[Node]) -> list[Node]:
    seen: set[Any] = set()
    distinct = []
    for part in parts:
        # Parts split from one schema object ({"type": "string", "enum": [...]}) share its
        # raw form: their kind tells them apart.
        key = (part.kind, part.integer, canonical(part.raw))
        if key not in seen:
            seen.add(key)
            distinct.append(part)
    return distinct


def _maximum_matching(edges: dict[int, dict[int, Any]], left: int) -> dict[int, int]:
    """Maximum bipartite matching (augmenting paths): alternatives paired one to one."""
    matched_right: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges.get(i, {}):
            if j in seen:
                continue
            seen.add(j)
            if j not in matched_right or augment(matched_right[j], seen):
                matched_right[j] = i
                return True
        return False

    for i in range(left):
        augment(i, set())
    return {i: j for j, i in matched_right.items()}


def _object(ctx: Context, old: Node, new: Node) -> None:
    from eventcontracts.compat.objects import compare_object

    compare_object(ctx, old, new)
    _explicitness(ctx, old, new)


def _array(ctx: Context, old: Node, new: Node) -> None:
    from eventcontracts.compat.arrays import compare_array

    compare_array(ctx, old, new)
    _explicitness(ctx, old, new)


_COMPARERS: dict[str, Callable[[Context, Node, Node], None]] = {
    "empty": _nothing,
    "boolean": _explicitness,
    "null": _explicitness,
    "string": _string,
    "number": _number,
    "enum": _enum,
    "const": _const,
    "not": _not,
    "conditional": _conditional,
    "combined": _combined,
    "object": _object,
    "array": _array,
}


# --- helpers shared by the kind modules ------------------------------------------------------


def _bound(
    ctx: Context, old: Node, new: Node, keyword: str, family: Bound, before: Any, after: Any
) -> None:
    """A numeric keyword's change: one of the bound's rules ``added``, ``removed``, ``increased``
    or ``decreased`` (values that are not numbers count as absent).

    A bound comes and goes as any keyword that is there or not (:func:`_presence`); a change of
    its value is a raise or a lowering."""
    before, after = _number_or_none(before), _number_or_none(after)
    if before == after:
        return  # the common case between versions, answered before building anything
    raised = before is not None and after is not None and after > before
    moved = family.increased if raised else family.decreased
    _presence(ctx, old, new, keyword, Presence(family.added, family.removed, moved), before, after)


def bounds(ctx: Context, old: Node, new: Node, families: tuple[tuple[str, Bound], ...]) -> None:
    """The changes of a node's numeric keywords, each with the four rules of its bound."""
    o, n = old.keywords, new.keywords
    for keyword, family in families:
        _bound(ctx, old, new, keyword, family, o.get(keyword), n.get(keyword))


def _presence(
    ctx: Context, old: Node, new: Node, keyword: str, family: Presence, before: Any, after: Any
) -> None:
    if before == after:
        return
    if before is None:
        ctx.add(family.added, old, new, keyword)
    elif after is None:
        ctx.add(family.removed, old, new, keyword)
    else:
        ctx.add(family.changed, old, new, keyword)


def keyword_schema(
    ctx: Context, old: Node, new: Node, keyword: str, *, added: Rule, removed: Rule
) -> None:
    """The subschema under ``keyword`` (``contains``, ``propertyNames``): added, removed, or
    compared when both versions have one."""
    before, after = old.keywords.get(keyword), new.keywords.get(keyword)
    if before is None and after is None:
        return
    with ctx.enter(keyword):
        if after is None:
            ctx.add(removed, old, new, keyword)
        elif before is None:
            ctx.add(added, old, new, keyword)
        else:
            compare(ctx, old.child(before, keyword), new.child(after, keyword))


def coverage(ctx: Context, old: Node, new: Node, *, covered: Rule, not_covered: Rule) -> Rule:
    """Whether a schema that one version has and the other does not (an item, a property) is
    covered by what the other version says of it instead (a partially open content model):
    the two are compared, their differences kept, and ``covered`` or ``not_covered`` returned."""
    trial = ctx.sub()
    compare(trial, old, new)
    ctx.differences.extend(trial.differences)
    return covered if trial.compatible else not_covered


def _number_or_none(value: Any) -> Any:
    return value if _is_number(value) else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


_REF_CACHE: dict[int, tuple[Any, bool]] = {}


def _has_ref(raw: Any) -> bool:
    """Whether a schema holds a $ref anywhere (equal text may then mean different things)."""
    cached = _REF_CACHE.get(id(raw))
    if cached is not None and cached[0] is raw:
        return cached[1]
    found = any(True for _ in _refs(raw))
    if len(_REF_CACHE) > 100_000:
        _REF_CACHE.clear()
    _REF_CACHE[id(raw)] = (raw, found)
    return found


has_ref = _has_ref
same_target = _same_target


def _refs(value: Any) -> Iterator[None]:
    if isinstance(value, dict):
        if "$ref" in value or "$dynamicRef" in value:
            yield None
            return
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)
