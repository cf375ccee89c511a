"""A property tree as the flat sequence of steps a page writes, and each shown node's anchor.

Pages write the tree from this flat list in one loop (:mod:`.treehtml`; a recursive template
macro costs a call per node, too slow for thousands of versions); the search index links to the
same anchors.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from eventcontracts.catalog.model import PropertyNode

StepKind = Literal["open", "item", "end", "close"]


@dataclass(frozen=True)
class Step:
    """``open``/``close`` a list (``variants``: the alternatives of a oneOf/anyOf), or start
    (``item``) and ``end`` one node's entry; ``anchor`` is the node's id on its page."""

    kind: StepKind
    node: PropertyNode | None = None
    anchor: str = ""
    variants: str | None = None  # "oneOf"/"anyOf" on the ``open`` of a list of alternatives


def shown_roots(root: PropertyNode) -> tuple[PropertyNode, ...]:
    """The nodes listed at the top: the detail's properties, or the detail itself when it is
    not a plain object (a scalar, an array, a oneOf)."""
    if root.children and not root.variants and root.recursive_to is None:
        return root.children
    return (root,)


def tree_steps(root: PropertyNode, version: int) -> list[Step]:
    """Every step of writing ``root``'s tree for version ``version``; anchors ``v<N>-<i>``
    number the shown nodes in document order. A loop with its own stack, not recursion: a deep
    tree must not reach Python's recursion limit."""
    steps: list[Step] = []
    number = 0
    # What is left to write, last first: a list of nodes (with its variant kind), a node, or
    # the end of a node's entry / of a list.
    work: list[_List | PropertyNode | Step] = [_List(shown_roots(root), None)]
    while work:
        item = work.pop()
        if isinstance(item, Step):
            steps.append(item)
        elif isinstance(item, _List):
            steps.append(Step("open", variants=item.variants))
            work.append(Step("close"))
            work.extend(reversed(item.nodes))
        else:
            steps.append(Step("item", item, f"v{version}-{number}"))
            number += 1
            work.append(Step("end"))
            if item.variants:
                work.append(_List(item.variants, item.variant_kind or "oneOf"))
            if item.children and item.recursive_to is None:
                work.append(_List(item.children, None))
    return steps


@dataclass(frozen=True)
class _List:
    nodes: tuple[PropertyNode, ...]
    variants: str | None


def shown_nodes(root: PropertyNode, version: int) -> Iterator[tuple[PropertyNode, str]]:
    """Each shown node with its anchor, in document order."""
    for step in tree_steps(root, version):
        if step.kind == "item" and step.node is not None:
            yield step.node, step.anchor
