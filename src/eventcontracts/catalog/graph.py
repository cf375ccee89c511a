"""The flow drawing: producers -> events -> rules -> targets and consumers, as SVG (STUB)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

NodeKind = Literal["producer", "event", "rule", "target", "consumer"]


@dataclass(frozen=True)
class FlowNode:
    id: str  # unique within one drawing
    label: str  # untrusted text: escaped when drawn
    kind: NodeKind
    href: str | None = None  # a relative link the node opens
    detail: str | None = None  # a second line (an owner, a version range)


@dataclass(frozen=True)
class FlowEdge:
    source: str
    target: str
    label: str | None = None


def render_flow(nodes: Sequence[FlowNode], edges: Sequence[FlowEdge], *, title: str) -> str:
    """An ``<svg class="flow">`` element drawing the nodes in columns by kind, deterministic."""
    raise NotImplementedError
