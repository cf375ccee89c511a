"""Comparing object schemas: properties, required, additional and pattern properties.

Content models, in Confluent's terms: an object is *open* when any undeclared property is
allowed (no ``additionalProperties``/``patternProperties``), *closed* when none is
(``additionalProperties: false``), and *partially open* when undeclared properties must match
``patternProperties`` or an ``additionalProperties`` schema.
"""

from __future__ import annotations

from typing import Any

from eventcontracts import safe_regex
from eventcontracts.compat import rules
from eventcontracts.compat.diff import (
    Context,
    bounds,
    compare,
    compare_children,
    coverage,
    has_ref,
    keyword_schema,
    same_target,
)
from eventcontracts.compat.model import Node
from eventcontracts.schema.canonical import canonical


def compare_object(ctx: Context, old: Node, new: Node) -> None:
    """Run the checks whose keywords differ between the two objects (or may, through refs).

    Between versions most keywords of an object are unchanged; checking only what changed is
    what keeps comparing two versions of an event well under a millisecond.
    """
    o, n = old.keywords, new.keywords
    changed = ctx.symmetric(o, n, "keywords", lambda: changed_keywords(o, n))
    for keywords, check in _CHECKS:
        if not changed.isdisjoint(keywords):
            check(ctx, old, new)


def changed_keywords(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """Keys whose values differ, or hold refs whose targets might."""
    return {
        key
        for key in before.keys() | after.keys()
        if before.get(key) != after.get(key) or has_ref(before.get(key))
    }


def _bounds(ctx: Context, old: Node, new: Node) -> None:
    bounds(ctx, old, new, _BOUNDS)


# An object's numeric keywords, each with the four rules of its bound.
_BOUNDS = (("maxProperties", rules.MAX_PROPERTIES), ("minProperties", rules.MIN_PROPERTIES))


def _unevaluated(ctx: Context, old: Node, new: Node) -> None:
    o, n = old.keywords, new.keywords
    if (_uses_unevaluated(old) or _uses_unevaluated(new)) and canonical(
        o.get("unevaluatedProperties")
    ) != canonical(n.get("unevaluatedProperties")):
        # Beside applicators it depends on what they evaluate: beyond this engine's proof.
        ctx.add(rules.UNEVALUATED_PROPERTIES_CHANGED, old, new, "unevaluatedProperties")


def _uses_unevaluated(node: Node) -> bool:
    keywords = node.keywords
    return "unevaluatedProperties" in keywords and any(
        key in keywords
        for key in (
            "allOf",
            "anyOf",
            "oneOf",
            "$ref",
            "if",
            "dependentSchemas",
            "additionalProperties",
        )
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _required_set(node: Node) -> set[str]:
    value = node.keywords.get("required")
    return {name for name in value if isinstance(name, str)} if isinstance(value, list) else set()


def _required(ctx: Context, old: Node, new: Node) -> None:
    old_props, new_props = (
        _dict(old.keywords.get("properties")),
        _dict(new.keywords.get("properties")),
    )
    before, after = _required_set(old), _required_set(new)
    if before == after:
        return
    with ctx.enter("required"):
        for name in sorted(before | after):
            # A property added or removed here is judged by the property rules instead.
            if (name in old_props) != (name in new_props):
                continue
            with ctx.enter(name):
                if name in before and name not in after:
                    ctx.add_at(
                        rules.REQUIRED_REMOVED, old.at("required"), new.at("required"), old, new
                    )
                elif name in after and name not in before:
                    ctx.add_at(
                        rules.REQUIRED_ADDED, old.at("required"), new.at("required"), old, new
                    )


def additional_schema(node: Node) -> Any:
    """What undeclared properties must match: additionalProperties, or where it is absent,
    unevaluatedProperties (2019-09+), which plays the same part when nothing else evaluates."""
    keywords = node.keywords
    if "additionalProperties" in keywords:
        return keywords["additionalProperties"]
    return keywords.get("unevaluatedProperties", True)


def is_open(node: Node) -> bool:
    additional = additional_schema(node)
    return not _dict(node.keywords.get("patternProperties")) and (
        additional is True or additional == {}
    )


def _partial_schema(ctx: Context, node: Node, name: str) -> Node | None:
    """The schema an undeclared property ``name`` must match, or None when none may exist."""
    for pattern, schema in _dict(node.keywords.get("patternProperties")).items():
        if safe_regex.matches(pattern, name):
            return node.child(schema, "patternProperties", pattern)
    additional = additional_schema(node)
    if additional is False:
        return None
    return node.child(additional, _additional_key(node))


def _properties(ctx: Context, old: Node, new: Node) -> None:
    old_props, new_props = (
        _dict(old.keywords.get("properties")),
        _dict(new.keywords.get("properties")),
    )
    after_required = _required_set(new)
    changed = ctx.symmetric(
        old_props, new_props, "properties", lambda: _changed_names(old, new, old_props, new_props)
    )
    # Document order (old's names, then new's new ones): deterministic, and no sort per object.
    names = [*old_props, *(name for name in new_props if name not in old_props)]
    with ctx.enter("properties"):
        for name in names:
            if name not in changed:
                continue  # unchanged: nothing to enter or read
            with ctx.enter(name):
                if name not in new_props:
                    _property_removed(ctx, old, new, name, old_props[name])
                elif name not in old_props:
                    _property_added(ctx, old, new, name, new_props[name], name in after_required)
                else:
                    compare_children(
                        ctx, old, old_props[name], new, new_props[name], "properties", name
                    )


def _changed_names(
    old: Node, new: Node, before: dict[str, Any], after: dict[str, Any]
) -> frozenset[str]:
    """Properties whose schemas differ, or refer (through equal refs) to different targets."""
    return frozenset(
        name
        for name in before.keys() | after.keys()
        if name not in before
        or name not in after
        or before[name] != after[name]
        or (has_ref(before[name]) and not same_target(old, new, before[name]))
    )


def _property_removed(ctx: Context, old: Node, new: Node, name: str, schema: Any) -> None:
    old_at, new_at = old.at("properties", name), new.at("properties")
    if is_open(new):
        ctx.add_at(rules.PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL, old_at, new_at, old, new)
        return
    covering = _partial_schema(ctx, new, name)
    if covering is not None:
        rule = coverage(
            ctx,
            old.child(schema, "properties", name),
            covering,
            covered=rules.PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
            not_covered=rules.PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
        )
        ctx.add_at(rule, old_at, covering.pointer, old, new)
    elif schema is False:
        ctx.add_at(
            rules.PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL, old_at, new_at, old, new
        )
    else:
        ctx.add_at(rules.PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL, old_at, new_at, old, new)


def _property_added(
    ctx: Context, old: Node, new: Node, name: str, schema: Any, required: bool
) -> None:
    old_at, new_at = old.at("properties"), new.at("properties", name)
    if is_open(old):
        if required:
            ctx.add_at(
                rules.REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, old_at, new_at, old, new
            )
        elif schema is True or schema == {}:
            ctx.add_at(
                rules.PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
                old_at,
                new_at,
                old,
                new,
            )
        else:
            ctx.add_at(
                rules.OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, old_at, new_at, old, new
            )
        return
    covering = _partial_schema(ctx, old, name)
    if covering is not None:
        rule = coverage(
            ctx,
            covering,
            new.child(schema, "properties", name),
            covered=rules.PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
            not_covered=rules.PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
        )
        ctx.add_at(rule, covering.pointer, new_at, old, new)
    if required:
        ctx.add_at(rules.REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL, old_at, new_at, old, new)
    else:
        ctx.add_at(rules.OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL, old_at, new_at, old, new)


def _dependencies(ctx: Context, old: Node, new: Node) -> None:
    before = {
        **_dict(old.keywords.get("dependencies")),
        **_dict(old.keywords.get("dependentRequired")),
    }
    after = {
        **_dict(new.keywords.get("dependencies")),
        **_dict(new.keywords.get("dependentRequired")),
    }
    before_schemas = {
        **{k: v for k, v in before.items() if not isinstance(v, list)},
        **_dict(old.keywords.get("dependentSchemas")),
    }
    after_schemas = {
        **{k: v for k, v in after.items() if not isinstance(v, list)},
        **_dict(new.keywords.get("dependentSchemas")),
    }
    before_arrays = {k: set(v) for k, v in before.items() if isinstance(v, list)}
    after_arrays = {k: set(v) for k, v in after.items() if isinstance(v, list)}
    with ctx.enter("dependencies"):
        for name in sorted(set(before_arrays) | set(after_arrays)):
            with ctx.enter(name):
                was, now = before_arrays.get(name), after_arrays.get(name)
                if now is None:
                    ctx.add(rules.DEPENDENCY_ARRAY_REMOVED, old, new)
                elif was is None:
                    ctx.add(rules.DEPENDENCY_ARRAY_ADDED, old, new)
                elif was != now:
                    if now >= was:
                        ctx.add(rules.DEPENDENCY_ARRAY_EXTENDED, old, new)
                    elif was >= now:
                        ctx.add(rules.DEPENDENCY_ARRAY_NARROWED, old, new)
                    else:
                        ctx.add(rules.DEPENDENCY_ARRAY_CHANGED, old, new)
        for name in sorted(set(before_schemas) | set(after_schemas)):
            with ctx.enter(name):
                if name not in after_schemas:
                    ctx.add(rules.DEPENDENCY_SCHEMA_REMOVED, old, new)
                elif name not in before_schemas:
                    ctx.add(rules.DEPENDENCY_SCHEMA_ADDED, old, new)
                else:
                    compare(
                        ctx,
                        old.child(before_schemas[name], "dependencies", name),
                        new.child(after_schemas[name], "dependencies", name),
                    )


def _additional_key(node: Node) -> str:
    keywords = node.keywords
    if "additionalProperties" not in keywords and "unevaluatedProperties" in keywords:
        return "unevaluatedProperties"
    return "additionalProperties"


def _additional_properties(ctx: Context, old: Node, new: Node) -> None:
    before, after = additional_schema(old), additional_schema(new)
    before_schema = None if before is True or before is False or before == {} else before
    after_schema = None if after is True or after is False or after == {} else after
    with ctx.enter("additionalProperties"):
        if (before is not False) != (after is not False):
            rule = (
                rules.ADDITIONAL_PROPERTIES_ADDED
                if after is not False
                else rules.ADDITIONAL_PROPERTIES_REMOVED
            )
            ctx.add(rule, old, new, "additionalProperties")
        elif before_schema is None and after_schema is not None:
            ctx.add(rules.ADDITIONAL_PROPERTIES_NARROWED, old, new, "additionalProperties")
        elif after_schema is None and before_schema is not None:
            ctx.add(rules.ADDITIONAL_PROPERTIES_EXTENDED, old, new, "additionalProperties")
        elif before_schema is not None and after_schema is not None:
            compare(
                ctx,
                old.child(before_schema, _additional_key(old)),
                new.child(after_schema, _additional_key(new)),
            )


def _pattern_properties(ctx: Context, old: Node, new: Node) -> None:
    if "patternProperties" not in old.keywords and "patternProperties" not in new.keywords:
        return
    before, after = (
        _dict(old.keywords.get("patternProperties")),
        _dict(new.keywords.get("patternProperties")),
    )
    with ctx.enter("patternProperties"):
        for pattern in sorted(set(before) | set(after)):
            with ctx.enter(pattern):
                if pattern not in after:
                    _pattern_removed(ctx, old, new, pattern, before[pattern])
                elif pattern not in before:
                    _pattern_added(ctx, old, new, pattern, after[pattern])
                else:
                    compare(
                        ctx,
                        old.child(before[pattern], "patternProperties", pattern),
                        new.child(after[pattern], "patternProperties", pattern),
                    )


def _pattern_removed(ctx: Context, old: Node, new: Node, pattern: str, schema: Any) -> None:
    """Properties matching a dropped pattern fall to the new additionalProperties."""
    rest = additional_schema(new)
    if rest is True or rest == {}:
        ctx.add(rules.PATTERN_PROPERTY_REMOVED, old, new, "patternProperties")
    elif rest is False:
        ctx.add(
            rules.PATTERN_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL, old, new, "patternProperties"
        )
    else:
        ctx.add(rules.PATTERN_PROPERTY_REMOVED, old, new, "patternProperties")
        compare(
            ctx,
            old.child(schema, "patternProperties", pattern),
            new.child(rest, _additional_key(new)),
        )


def _pattern_added(ctx: Context, old: Node, new: Node, pattern: str, schema: Any) -> None:
    """A new pattern constrains the properties whose names match it: the ones both sides
    declare (compared here), and undeclared ones where the old side allowed them."""
    new_props = _dict(new.keywords.get("properties"))
    old_props = _dict(old.keywords.get("properties"))
    pattern_node = new.child(schema, "patternProperties", pattern)
    for name in sorted(set(old_props) & set(new_props)):
        if safe_regex.matches(pattern, name):
            with ctx.enter("properties", name):
                compare(ctx, old.child(old_props[name], "properties", name), pattern_node)
    if additional_schema(old) is not False:
        ctx.add(rules.PATTERN_PROPERTY_ADDED, old, new, "patternProperties")


def _property_names(ctx: Context, old: Node, new: Node) -> None:
    keyword_schema(
        ctx,
        old,
        new,
        "propertyNames",
        added=rules.PROPERTY_NAMES_ADDED,
        removed=rules.PROPERTY_NAMES_REMOVED,
    )


_CONTENT_MODEL = frozenset(
    {"properties", "required", "additionalProperties", "unevaluatedProperties", "patternProperties"}
)
# Each check with the keywords it reads: it runs when one of them changed.
_CHECKS: tuple[tuple[frozenset[str], Any], ...] = (
    (frozenset({"required", "properties"}), _required),
    (_CONTENT_MODEL, _properties),
    (frozenset({"dependencies", "dependentRequired", "dependentSchemas"}), _dependencies),
    (frozenset({"additionalProperties", "unevaluatedProperties"}), _additional_properties),
    (_CONTENT_MODEL, _pattern_properties),
    (frozenset({"propertyNames"}), _property_names),
    (frozenset({"maxProperties", "minProperties"}), _bounds),
    (
        frozenset({"unevaluatedProperties", "allOf", "anyOf", "oneOf", "$ref", "if"}),
        _unevaluated,
    ),
)
