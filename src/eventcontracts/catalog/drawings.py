"""What the flow drawings show: producers -> events -> rules -> targets, and events -> consumers.

Only the nodes and edges are decided here (from the model, sorted); :func:`.graph.render_flow`
draws them. Links are relative to the page the drawing is on (``root``: ``./`` or ``../``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from eventcontracts.catalog.graph import FlowEdge, FlowNode, render_flow
from eventcontracts.catalog.model import BusRuleEntry, Catalog, RuleTarget, SchemaEntry
from eventcontracts.catalog.slugs import consumer_anchor, source_anchor

# Above this many events the whole-catalog drawing shows sources instead of events: a drawing
# of thousands of boxes helps nobody and weighs megabytes.
MAX_DRAWN_EVENTS = 60


class _Drawing:
    def __init__(self) -> None:
        self.nodes: dict[str, FlowNode] = {}
        self.edges: dict[tuple[str, str, str | None], FlowEdge] = {}

    def node(self, node: FlowNode) -> str:
        self.nodes.setdefault(node.id, node)
        return node.id

    def edge(self, source: str, target: str, label: str | None = None) -> None:
        self.edges.setdefault((source, target, label), FlowEdge(source, target, label))

    def svg(self, title: str) -> str:
        nodes = sorted(self.nodes.values(), key=lambda node: node.id)
        edges = sorted(self.edges.values(), key=lambda e: (e.source, e.target, e.label or ""))
        return render_flow(nodes, edges, title=title)


def schema_flow(entry: SchemaEntry, rules: Sequence[BusRuleEntry], root: str) -> str:
    """One event: its producer, the rules that route it (``rules``) and their targets, its
    consumers."""
    drawing = _Drawing()
    event = drawing.node(
        FlowNode(f"e:{entry.name}", entry.short_name, "event", None, f"v{entry.latest.version}")
    )
    producer = drawing.node(_producer(entry.source, entry.owner, root))
    drawing.edge(producer, event)
    _rules(drawing, event, rules, root)
    _consumers(drawing, event, entry, root)
    return drawing.svg(f"How {entry.name} flows")


def catalog_flow(catalog: Catalog, root: str = "./") -> str:
    """The whole catalog: every event (or, when there are too many, every source)."""
    drawing = _Drawing()
    by_source = len(catalog.schemas) > MAX_DRAWN_EVENTS
    event_of: dict[str, str] = {}
    for source in catalog.sources:
        producer = drawing.node(_producer(source.source, source.owner, root))
        if by_source:
            label = f"{len(source.schemas)} events"
            event = drawing.node(
                FlowNode(f"e:{source.source}", label, "event", None, source.source)
            )
            drawing.edge(producer, event)
        for name in source.schemas:
            entry = catalog.schemas.get(name)
            if entry is None:
                continue
            if not by_source:
                event = drawing.node(
                    FlowNode(
                        f"e:{name}",
                        entry.short_name,
                        "event",
                        f"{root}schemas/{entry.slug}.html",
                        f"v{entry.latest.version}",
                    )
                )
                drawing.edge(producer, event)
            event_of[name] = event
            _consumers(drawing, event, entry, root)
    for rule in catalog.rules:
        for name in rule.schemas:
            if name in event_of:
                _rules(drawing, event_of[name], [rule], root)
    title = f"{catalog.title}: producers, events, rules and consumers"
    return drawing.svg(title)


def _producer(source: str, owner: str | None, root: str) -> FlowNode:
    return FlowNode(
        f"p:{source}", source, "producer", f"{root}index.html#{source_anchor(source)}", owner
    )


def _rules(drawing: _Drawing, event: str, rules: Iterable[BusRuleEntry], root: str) -> None:
    for rule in rules:
        node = drawing.node(
            FlowNode(f"r:{rule.id}", rule.name, "rule", f"{root}rules.html#{rule.id}", rule.file)
        )
        drawing.edge(event, node)
        for target in rule.targets:
            drawing.edge(node, drawing.node(_target(target)))


def _target(target: RuleTarget) -> FlowNode:
    label = target.resource or target.arn
    return FlowNode(f"t:{target.arn}", label, "target", None, target.id)


def _consumers(drawing: _Drawing, event: str, entry: SchemaEntry, root: str) -> None:
    for consumer in entry.consumers:
        node = drawing.node(
            FlowNode(
                f"c:{consumer.name}",
                consumer.name,
                "consumer",
                f"{root}consumers.html#{consumer_anchor(consumer.name)}",
                consumer.owner,
            )
        )
        versions = ", ".join(f"v{number}" for number in consumer.versions)
        drawing.edge(event, node, versions or None)
