"""Fields seen in traffic that no version of their schema declares.

What a version declares is read with compat's field lookup (:mod:`eventcontracts.compat.fields`),
the one lint's consumer checks use, over the union of every version's detail schema. The
traffic is walked along the schema: into a field only while some version declares it, so an
undeclared object is reported once (``giftWrap``), not once per field inside it. Paths are in
the consumer files' syntax: ``shippingAddress.country``, ``items[].sku``.

A property a version takes as a map (``additionalProperties`` with a schema, or a matching
``patternProperties``) is declared, and so is everything inside it: its keys are data.
"""

from __future__ import annotations

import json
import re
from typing import Any

from eventcontracts.compat.fields import item_nodes, property_nodes, takes_any_named
from eventcontracts.compat.model import Node

_PLAIN_NAME = re.compile(r"[^.\[\]\s\"]+")


class Declared:
    """What the versions declare at one place of the detail; asked one step at a time, each
    answer computed once (a recursive schema is only walked as deep as traffic goes)."""

    __slots__ = ("_children", "_items", "nodes", "open")

    def __init__(self, nodes: list[Node], *, open_: bool = False) -> None:
        self.nodes = nodes
        self.open = open_  # everything below is declared (a map), or cannot be told
        self._children: dict[str, Declared | None] = {}
        self._items: Declared | None = None

    def child(self, name: str) -> Declared | None:
        """What is declared at the property ``name``; None when no version declares it."""
        if name in self._children:
            return self._children[name]
        found = [child for node in self.nodes for child in property_nodes(node, name)]
        child: Declared | None
        if found:
            child = Declared(found)
        elif any(takes_any_named(node, name) for node in self.nodes):
            child = OPEN
        else:
            child = None
        if len(self._children) < _MAX_NAMES:
            self._children[name] = child
        return child

    def items(self) -> Declared:
        """What is declared for the items of the array here (nothing, when no items schema)."""
        if self._items is None:
            self._items = Declared([item for node in self.nodes for item in item_nodes(node)])
        return self._items


OPEN = Declared([], open_=True)
# Distinct names remembered at one place: traffic with random keys must not grow memory.
_MAX_NAMES = 10_000


def undeclared_fields(detail: Any, declared: Declared) -> set[str]:
    """The paths in ``detail`` that ``declared`` does not declare (the outermost of each)."""
    found: set[str] = set()
    if declared.open:
        return found
    stack: list[tuple[Any, Declared, str]] = [(detail, declared, "")]
    while stack:
        value, here, path = stack.pop()
        if isinstance(value, dict):
            for name, inner in value.items():
                child = here.child(name)
                if child is None:
                    found.add(_joined(path, name))
                elif not child.open and isinstance(inner, (dict, list)):
                    stack.append((inner, child, _joined(path, name)))
        elif isinstance(value, list):
            items = here.items()
            below = path + "[]"
            for element in value:
                if isinstance(element, (dict, list)):
                    stack.append((element, items, below))
    return found


def _joined(path: str, name: str) -> str:
    step = name if _PLAIN_NAME.fullmatch(name) else json.dumps(name)  # "a.b" stays one name
    return f"{path}.{step}" if path else step
