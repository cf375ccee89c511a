"""Comparing array schemas: item schemas, tuples and their additional items, bounds."""

from __future__ import annotations

from typing import Any

from eventcontracts.compat import rules
from eventcontracts.compat.diff import (
    Context,
    bounds,
    compare,
    compare_children,
    coverage,
    keyword_schema,
)
from eventcontracts.compat.model import Node


def compare_array(ctx: Context, old: Node, new: Node) -> None:
    _items(ctx, old, new)
    _tuple(ctx, old, new)
    _additional_items(ctx, old, new)
    keyword_schema(
        ctx, old, new, "contains", added=rules.CONTAINS_ADDED, removed=rules.CONTAINS_REMOVED
    )
    bounds(ctx, old, new, _BOUNDS)
    o, n = old.keywords, new.keywords
    if bool(o.get("uniqueItems")) != bool(n.get("uniqueItems")):
        rule = rules.UNIQUE_ITEMS_REMOVED if o.get("uniqueItems") else rules.UNIQUE_ITEMS_ADDED
        ctx.add(rule, old, new, "uniqueItems")


# An array's numeric keywords, each with the four rules of its bound.
_BOUNDS = (
    ("maxItems", rules.MAX_ITEMS),
    ("minItems", rules.MIN_ITEMS),
    ("maxContains", rules.MAX_CONTAINS),
    ("minContains", rules.MIN_CONTAINS),
)


def _tuple_schemas(node: Node) -> list[Any]:
    keywords = node.keywords
    if isinstance(keywords.get("prefixItems"), list):
        return list(keywords["prefixItems"])
    items = keywords.get("items")
    return list(items) if isinstance(items, list) else []


def _tuple_key(node: Node) -> str:
    return "prefixItems" if isinstance(node.keywords.get("prefixItems"), list) else "items"


def _item_schema(node: Node) -> tuple[Any, str] | None:
    """The schema of every item (not a tuple), with its keyword."""
    keywords = node.keywords
    items = keywords.get("items")
    if isinstance(keywords.get("prefixItems"), list):
        return None
    if items is None or isinstance(items, list):
        return None
    return items, "items"


def _rest(node: Node) -> Any:
    """What items past the tuple must match: True (anything), False, or a schema."""
    keywords = node.keywords
    key = _rest_key(node)
    rest = keywords.get(key, keywords.get("unevaluatedItems", True))
    return True if rest == {} else rest


def _rest_key(node: Node) -> str:
    keywords = node.keywords
    key = "items" if isinstance(keywords.get("prefixItems"), list) else "additionalItems"
    if key not in keywords and "unevaluatedItems" in keywords:
        return "unevaluatedItems"  # plays the same part when nothing else evaluates items
    return key


def _items(ctx: Context, old: Node, new: Node) -> None:
    before, after = _item_schema(old), _item_schema(new)
    if before is None and after is None:
        return
    with ctx.enter("items"):
        if before is None or after is None:
            if _tuple_schemas(old) or _tuple_schemas(new):
                return  # a list form on one side: compared as a tuple
            if after is None:
                ctx.add(rules.SCHEMA_REMOVED, old, new, "items")
            else:
                ctx.add(rules.SCHEMA_ADDED, old, new, "items")
            return
        compare_children(ctx, old, before[0], new, after[0], "items")


def _tuple(ctx: Context, old: Node, new: Node) -> None:
    before, after = _tuple_schemas(old), _tuple_schemas(new)
    old_key, new_key = _tuple_key(old), _tuple_key(new)
    for index in range(max(len(before), len(after))):
        with ctx.enter(f"items/{index}"):
            if index < len(before) and index < len(after):
                compare(
                    ctx,
                    old.child(before[index], old_key, index),
                    new.child(after[index], new_key, index),
                )
            elif index < len(before):
                _item_removed(ctx, old, new, index, before[index], old_key)
            else:
                _item_added(ctx, old, new, index, after[index], new_key)


def _item_removed(ctx: Context, old: Node, new: Node, index: int, schema: Any, key: str) -> None:
    rest = _rest(new)
    old_at, new_at = old.at(key, index), new.at(key)
    if rest is True:
        ctx.add_at(rules.ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL, old_at, new_at, old, new)
    elif rest is False:
        rule = (
            rules.ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL
            if schema is False
            else rules.ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL
        )
        ctx.add_at(rule, old_at, new_at, old, new)
    else:
        rule = coverage(
            ctx,
            old.child(schema, key, index),
            new.child(rest, _rest_key(new)),
            covered=rules.ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
            not_covered=rules.ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
        )
        ctx.add_at(rule, old_at, new_at, old, new)


def _item_added(ctx: Context, old: Node, new: Node, index: int, schema: Any, key: str) -> None:
    rest = _rest(old)
    old_at, new_at = old.at(key), new.at(key, index)
    if rest is True:
        rule = (
            rules.ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
            if schema in (True, {})
            else rules.ITEM_ADDED_TO_OPEN_CONTENT_MODEL
        )
        ctx.add_at(rule, old_at, new_at, old, new)
    elif rest is False:
        ctx.add_at(rules.ITEM_ADDED_TO_CLOSED_CONTENT_MODEL, old_at, new_at, old, new)
    else:
        rule = coverage(
            ctx,
            old.child(rest, _rest_key(old)),
            new.child(schema, key, index),
            covered=rules.ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
            not_covered=rules.ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
        )
        ctx.add_at(rule, old_at, new_at, old, new)


def _additional_items(ctx: Context, old: Node, new: Node) -> None:
    if not (
        _tuple_schemas(old)
        or _tuple_schemas(new)
        or "additionalItems" in old.keywords
        or "additionalItems" in new.keywords
    ):
        return
    before, after = _rest(old), _rest(new)
    with ctx.enter("additionalItems"):
        if (before is not False) != (after is not False):
            rule = (
                rules.ADDITIONAL_ITEMS_ADDED
                if after is not False
                else rules.ADDITIONAL_ITEMS_REMOVED
            )
            ctx.add(rule, old, new, _rest_key(new))
        elif before is True and after not in (True, False):
            ctx.add(rules.ADDITIONAL_ITEMS_NARROWED, old, new, _rest_key(new))
        elif after is True and before not in (True, False):
            ctx.add(rules.ADDITIONAL_ITEMS_EXTENDED, old, new, _rest_key(new))
        elif before not in (True, False) and after not in (True, False):
            compare(
                ctx,
                old.child(before, _rest_key(old)),
                new.child(after, _rest_key(new)),
            )
