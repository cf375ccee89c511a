"""Which fields a schema declares, read on the engine's schema model (:mod:`.model`).

Lint's consumer checks (does some version declare each field a consumer reads?) and ``drift``
(which fields seen in traffic does no version declare?) ask the same question of the same
model, so they agree on what "declared" means: a name under ``properties`` of the node (or of
any part of a combined one: ``allOf``/``anyOf``/``oneOf`` and refs), and ``[]`` steps into an
array's ``items``.
"""

from __future__ import annotations

import re
from typing import Any

from eventcontracts.compat.inputs import InputError, from_version
from eventcontracts.compat.model import Loader, Node
from eventcontracts.safe_regex import RegexBudgetExceeded, compile_pattern

__all__ = ["detail_nodes", "item_nodes", "property_names", "property_nodes", "takes_any_named"]


def detail_nodes(version: Any, resolver: Any) -> list[Node]:
    """The schema of ``version``'s ``detail`` as the engine reads it; [] when it cannot be read
    (a broken version has its own lint finding)."""
    try:
        side = from_version(version, resolver)
        root = Loader(side.resolve, dialect=side.dialect, enter=side.enter).load(
            side.schema, side.pointer, None
        )
        return property_nodes(root, "detail")
    except (InputError, RecursionError):
        return []


def property_nodes(node: Node, name: str, seen: set[int] | None = None) -> list[Node]:
    """The schemas ``node`` declares for its property ``name`` (under ``properties``)."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return []
    seen.add(id(node))
    if node.kind == "combined":
        return [found for part in node.parts for found in property_nodes(part, name, seen)]
    properties = node.keywords.get("properties")
    if node.kind == "object" and isinstance(properties, dict) and name in properties:
        return [node.child(properties[name], "properties", name)]
    return []


def item_nodes(node: Node, seen: set[int] | None = None) -> list[Node]:
    """The schemas of the items of the arrays ``node`` accepts (``items`` as one schema)."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return []
    seen.add(id(node))
    if node.kind == "combined":
        return [found for part in node.parts for found in item_nodes(part, seen)]
    items = node.keywords.get("items")
    if node.kind == "array" and isinstance(items, (dict, bool)):
        return [node.child(items, "items")]
    return []


def property_names(node: Node, seen: set[int] | None = None) -> set[str]:
    """Every name ``node`` declares under ``properties``."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return set()
    seen.add(id(node))
    if node.kind == "combined":
        return {name for part in node.parts for name in property_names(part, seen)}
    properties = node.keywords.get("properties")
    return set(properties) if node.kind == "object" and isinstance(properties, dict) else set()


def takes_any_named(node: Node, name: str, seen: set[int] | None = None) -> bool:
    """Whether ``node`` declares a property ``name`` as a map does: a ``patternProperties``
    regex it matches, or an ``additionalProperties`` schema (keys are data there, not fields)."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return False
    seen.add(id(node))
    if node.kind == "combined":
        return any(takes_any_named(part, name, seen) for part in node.parts)
    if node.kind != "object":
        return False
    additional = node.keywords.get("additionalProperties")
    if isinstance(additional, dict) and additional:
        return True
    patterns = node.keywords.get("patternProperties")
    if isinstance(patterns, dict):
        for pattern in patterns:
            try:
                if isinstance(pattern, str) and compile_pattern(pattern).search(name):
                    return True
            except (RegexBudgetExceeded, re.error, RecursionError, OverflowError):
                continue  # a pattern no engine can tell (lint reports it) declares nothing
    return False
