"""The flow drawing: producers -> events -> rules -> targets and consumers, as SVG.

The layout is computed here, at build time, so the page needs no JavaScript graph library to
show it: nodes stand in columns by kind (producers | events | rules | targets and consumers),
their order within a column is chosen by a few barycenter sweeps to reduce crossings (ties broken
by id, so the drawing is the same on every run), columns are as wide as their longest label
(a monospace estimate) and edges are cubic bezier curves with arrowheads.

Every label, detail, id and href is untrusted text: it is escaped for both XML and HTML, and
characters XML cannot hold are replaced, so the element parses standalone and inline. A node's
link is kept only when it is a relative path (no scheme such as ``javascript:``, no ``//host``).
The work is linear in nodes and edges (plus sorting), so a 1,000-event catalog draws quickly.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
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


# The column of each kind: consumers are linked from events directly, targets from rules, and
# both are where events end up, so they share the last column.
COLUMN_OF: dict[str, int] = {"producer": 0, "event": 1, "rule": 2, "target": 3, "consumer": 3}
COLUMN_TITLES = ("producers", "events", "rules", "targets and consumers")
# Light fills so the drawing reads standalone; the site's CSS (by class) takes precedence.
FILL_OF = {
    "producer": "#e8f0fe",
    "event": "#fef7e0",
    "rule": "#fce8e6",
    "target": "#e6f4ea",
    "consumer": "#e6f4ea",
}

MAX_LABEL_CHARS = 40  # longer labels are cut with an ellipsis; the full text is the tooltip
MAX_DETAIL_CHARS = 44
CHAR_WIDTH = 7.4  # px per character at FONT_SIZE (monospace fonts: ~0.6 em), with room to spare
FONT_SIZE = 12
DETAIL_FONT_SIZE = 10
PADDING_X = 10
MIN_NODE_WIDTH = 90
ONE_LINE_HEIGHT = 26
TWO_LINE_HEIGHT = 40
ROW_GAP = 10
COLUMN_GAP = 90  # room for the curves between two columns
MARGIN = 16
HEADER_HEIGHT = 28
SWEEPS = 4  # barycenter passes each way: enough to settle, bounded work

# A colon before the first "/", "?" or "#" makes what precedes it a URL scheme (RFC 3986);
# any such colon is refused, not only well-formed schemes.
_SCHEME = re.compile(r"^[^/?#]*:")
# Characters XML 1.0 cannot hold at all (an SVG with one would not parse).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class _Placed:
    node: FlowNode
    column: int
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0

    @property
    def middle(self) -> float:
        return self.y + self.height / 2


def render_flow(nodes: Sequence[FlowNode], edges: Sequence[FlowEdge], *, title: str) -> str:
    """An ``<svg class="flow">`` element drawing the nodes in columns by kind, deterministic.

    A node id given twice is drawn once (the first); an edge whose end is not a node, or that
    joins a node to itself, is left out, and so is an edge given twice; every other edge is
    one ``path.edge``.
    """
    placed: dict[str, _Placed] = {}
    for node in nodes:
        if node.kind not in COLUMN_OF:
            raise ValueError(f"flow node {node.id!r}: unknown kind {node.kind!r}")
        placed.setdefault(node.id, _Placed(node, COLUMN_OF[node.kind]))
    kept = list(
        dict.fromkeys(
            edge
            for edge in edges
            if edge.source in placed and edge.target in placed and edge.source != edge.target
        )
    )
    marker = "flow-arrow-" + hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    if not placed:
        return _empty(title)
    columns = _order(placed, kept)
    width, height = _layout(columns, kept, placed)
    return _svg(title, marker, columns, kept, placed, width, height)


# -- ordering within columns -------------------------------------------------------------------


def _order(placed: dict[str, _Placed], edges: list[FlowEdge]) -> list[list[_Placed]]:
    """The non-empty columns, left to right, each ordered to reduce crossings."""
    by_column: dict[int, list[_Placed]] = {}
    for item in placed.values():
        by_column.setdefault(item.column, []).append(item)
    columns = [
        sorted(by_column[c], key=lambda p: (p.node.label, p.node.id)) for c in sorted(by_column)
    ]
    neighbours: dict[str, list[str]] = {key: [] for key in placed}
    for edge in edges:
        neighbours[edge.source].append(edge.target)
        neighbours[edge.target].append(edge.source)
    # Each pass ends left to right, so the last word is the producers': events stay grouped
    # by who sends them, and rules and consumers line up with their events.
    for _ in range(SWEEPS):
        for index in range(len(columns) - 2, -1, -1):  # right to left: the columns after
            columns[index] = _by_barycenter(columns, index, neighbours, placed, before=False)
        for index in range(1, len(columns)):  # left to right: the columns before
            columns[index] = _by_barycenter(columns, index, neighbours, placed, before=True)
    return columns


def _by_barycenter(
    columns: list[list[_Placed]],
    index: int,
    neighbours: dict[str, list[str]],
    placed: dict[str, _Placed],
    *,
    before: bool,
) -> list[_Placed]:
    """Column ``index`` sorted by the mean relative position of each node's neighbours in the
    columns on one side (relative: columns differ in length); a node without any keeps its own."""
    column_number = columns[index][0].column
    rank: dict[str, float] = {}
    for other in columns:
        if (other[0].column < column_number) == before and other[0].column != column_number:
            for position, item in enumerate(other):
                rank[item.node.id] = (position + 0.5) / len(other)
    keys: dict[str, float] = {}
    for position, item in enumerate(columns[index]):
        seen = [rank[n] for n in neighbours[item.node.id] if n in rank]
        keys[item.node.id] = (
            sum(seen) / len(seen) if seen else (position + 0.5) / len(columns[index])
        )
    return sorted(columns[index], key=lambda p: (keys[p.node.id], p.node.id))


# -- sizes and positions -------------------------------------------------------------------------


def _layout(
    columns: list[list[_Placed]], edges: list[FlowEdge], placed: dict[str, _Placed]
) -> tuple[float, float]:
    """Sets every node's box; returns the drawing's width and height.

    The longest column is stacked from the top; the others are placed, column by column
    outwards from it, each node at the mean height of its already placed neighbours (pushed
    down just enough to keep the column's order without overlaps)."""
    x = float(MARGIN)
    for column in columns:
        widest = max(max(_text_width(_shown(p.node)), _detail_width(p.node)) for p in column)
        heading = _text_width(COLUMN_TITLES[column[0].column])
        width = max(MIN_NODE_WIDTH, widest + 2 * PADDING_X, heading)
        for item in column:
            item.x = x
            item.width = width
            item.height = TWO_LINE_HEIGHT if item.node.detail else ONE_LINE_HEIGHT
        x += width + COLUMN_GAP
    neighbours: dict[str, list[str]] = {key: [] for key in placed}
    for edge in edges:
        neighbours[edge.source].append(edge.target)
        neighbours[edge.target].append(edge.source)
    top = float(MARGIN + HEADER_HEIGHT)
    spans = [sum(p.height + ROW_GAP for p in column) for column in columns]
    anchor = spans.index(max(spans))
    done: set[str] = set()
    outwards = sorted(range(len(columns)), key=lambda c: (abs(c - anchor), c))
    for index in outwards:
        bottom = top - ROW_GAP
        for item in columns[index]:
            seen = [placed[n].middle for n in neighbours[item.node.id] if n in done]
            wanted = sum(seen) / len(seen) - item.height / 2 if seen else top
            item.y = max(wanted, bottom + ROW_GAP)
            bottom = item.y + item.height
        done.update(p.node.id for p in columns[index])
    height = max(p.y + p.height for p in placed.values()) + MARGIN
    return x - COLUMN_GAP + MARGIN, height


def _shown(node: FlowNode) -> str:
    return _cut(node.label, MAX_LABEL_CHARS)


def _detail_width(node: FlowNode) -> float:
    if not node.detail:
        return 0.0
    return _text_width(_cut(node.detail, MAX_DETAIL_CHARS)) * DETAIL_FONT_SIZE / FONT_SIZE


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _text_width(text: str) -> float:
    """An estimate: wide (CJK) characters count twice, combining marks not at all."""
    units = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        units += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return units * CHAR_WIDTH


# -- writing the SVG ------------------------------------------------------------------------------


def _svg(
    title: str,
    marker: str,
    columns: list[list[_Placed]],
    edges: list[FlowEdge],
    placed: dict[str, _Placed],
    width: float,
    height: float,
) -> str:
    parts = [_open(title, width, height), _defs(marker)]
    for column in columns:
        first = column[0]
        parts.append(
            f'<text class="column-title" x="{_n(first.x)}" y="{_n(MARGIN + FONT_SIZE)}" '
            f'font-size="{FONT_SIZE}" font-weight="bold" fill="#444">'
            f"{COLUMN_TITLES[first.column]}</text>"
        )
    parts.append('<g class="edges">')
    parts.extend(_edge(edge, placed, marker) for edge in edges)
    parts.append("</g>")
    parts.append('<g class="nodes">')
    parts.extend(_node(item) for column in columns for item in column)
    parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _open(title: str, width: float, height: float) -> str:
    return (
        f'<svg class="flow" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
        f'font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" '
        f'font-size="{FONT_SIZE}">\n<title>{_escape(title)}</title>'
    )


def _defs(marker: str) -> str:
    return (
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#777"/></marker></defs>'
    )


def _edge(edge: FlowEdge, placed: dict[str, _Placed], marker: str) -> str:
    start, end = placed[edge.source], placed[edge.target]
    y1, y2 = start.middle, end.middle
    if start.column < end.column:  # the usual way: right side to left side
        x1, x2 = start.x + start.width, end.x
        bend = max(30.0, (x2 - x1) / 2)
        c1, c2 = x1 + bend, x2 - bend
    elif start.column > end.column:  # backwards: left side to right side
        x1, x2 = start.x, end.x + end.width
        bend = max(30.0, (x1 - x2) / 2)
        c1, c2 = x1 - bend, x2 + bend
    else:  # within one column: a loop out on the right
        x1, x2 = start.x + start.width, end.x + end.width
        c1 = c2 = x1 + 40
    path = f"M{_n(x1)},{_n(y1)} C{_n(c1)},{_n(y1)} {_n(c2)},{_n(y2)} {_n(x2)},{_n(y2)}"
    attributes = (
        f'class="edge" data-source="{_escape(edge.source)}" data-target="{_escape(edge.target)}" '
        f'd="{path}" fill="none" stroke="#999" stroke-width="1.2" marker-end="url(#{marker})"'
    )
    if not edge.label:
        return f"<path {attributes}/>"
    # The curve's middle (t = 1/2) carries the label.
    mx = (x1 + 3 * c1 + 3 * c2 + x2) / 8
    my = (y1 + y2) / 2
    return (
        f"<path {attributes}><title>{_escape(edge.label)}</title></path>"
        f'<text class="edge-label" x="{_n(mx)}" y="{_n(my - 3)}" text-anchor="middle" '
        f'font-size="{DETAIL_FONT_SIZE}" fill="#666">{_escape(_cut(edge.label, 24))}</text>'
    )


def _node(item: _Placed) -> str:
    node = item.node
    label = _shown(node)
    detail = _cut(node.detail, MAX_DETAIL_CHARS) if node.detail else None
    cut = label != node.label or (detail is not None and detail != node.detail)
    full = node.label + (f"\n{node.detail}" if node.detail else "")
    text_x = item.x + PADDING_X
    lines = [
        f'<rect x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.width)}" '
        f'height="{_n(item.height)}" rx="6" ry="6" fill="{FILL_OF[node.kind]}" stroke="#666"/>',
        f'<text class="label" x="{_n(text_x)}" y="{_n(item.y + 17)}" fill="#222">'
        f"{_escape(label)}</text>",
    ]
    if detail is not None:
        lines.append(
            f'<text class="detail" x="{_n(text_x)}" y="{_n(item.y + 32)}" '
            f'font-size="{DETAIL_FONT_SIZE}" fill="#555">{_escape(detail)}</text>'
        )
    tooltip = f"<title>{_escape(full)}</title>" if cut else ""
    group = (
        f'<g class="node {node.kind}" data-id="{_escape(node.id)}">{tooltip}{"".join(lines)}</g>'
    )
    href = safe_href(node.href)
    return f'<a href="{_escape(href)}">{group}</a>' if href is not None else group


def _empty(title: str) -> str:
    return (
        '<svg class="flow empty" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 240 40" width="240" height="40" font-size="12">\n'
        f"<title>{_escape(title)}</title>\n"
        '<text x="120" y="24" text-anchor="middle" fill="#666">nothing to draw</text>\n'
        "</svg>\n"
    )


def safe_href(href: str | None) -> str | None:
    """``href`` when it is a relative path we may link to; None for anything else: a scheme
    (``javascript:``, ``data:``, ``https:``), a network path (``//host``, ``\\\\host``), an
    absolute path (it would leave the site on file:// and S3), or control characters and spaces
    (browsers drop some of them before reading the scheme: ``java\\tscript:``)."""
    if not href or href[0] in "/\\":
        return None
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in href):
        return None
    if _SCHEME.match(href):
        return None
    return href


def _escape(text: str) -> str:
    """Text safe in an XML or HTML text node or quoted attribute."""
    return html.escape(_NOT_XML.sub("\ufffd", text), quote=True)


def _n(value: float) -> str:
    """A coordinate, written the same on every machine: whole numbers without a point."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"
