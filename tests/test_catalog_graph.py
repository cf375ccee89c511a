"""The catalog's flow drawing: an inline SVG laid out at build time, safe against hostile text."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET

import pytest

from eventcontracts.catalog.graph import FlowEdge, FlowNode, render_flow, safe_href

SVG = "{http://www.w3.org/2000/svg}"

NODES = [
    FlowNode("p:orders", "com.mycompany.orders", "producer", detail="team-orders"),
    FlowNode("e:created", "Order Created", "event", href="schemas/created.html", detail="v1-v3"),
    FlowNode("e:shipped", "Order Shipped", "event", href="schemas/shipped.html"),
    FlowNode("r:intl", "InternationalShipmentRule", "rule", href="rules.html#intl"),
    FlowNode("t:customs", "!GetAtt CustomsQueue.Arn", "target"),
    FlowNode("c:billing", "billing", "consumer", detail="team-billing"),
]
EDGES = [
    FlowEdge("p:orders", "e:created"),
    FlowEdge("p:orders", "e:shipped"),
    FlowEdge("e:shipped", "r:intl"),
    FlowEdge("r:intl", "t:customs"),
    FlowEdge("e:created", "c:billing", label="v2-v3"),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def nodes_of(root: ET.Element) -> dict[str, ET.Element]:
    return {
        g.attrib["data-id"]: g
        for g in root.iter(f"{SVG}g")
        if g.attrib.get("class", "").startswith("node ")
    }


def box(node: ET.Element) -> tuple[float, float]:
    rect = node.find(f"{SVG}rect")
    assert rect is not None
    return float(rect.attrib["x"]), float(rect.attrib["y"])


def test_the_drawing_is_an_accessible_svg_element_that_parses_standalone() -> None:
    svg = render_flow(NODES, EDGES, title="Order flow")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.attrib["class"] == "flow"
    assert root.attrib["role"] == "img"
    assert root.findtext(f"{SVG}title") == "Order flow"
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    assert (float(root.attrib["width"]), float(root.attrib["height"])) == (width, height)
    # Every node box lies inside the drawing.
    for node in nodes_of(root).values():
        x, y = box(node)
        assert 0 <= x < width and 0 <= y < height


def test_the_same_input_draws_the_same_bytes_whatever_the_input_order() -> None:
    first = render_flow(NODES, EDGES, title="Order flow")
    assert render_flow(NODES, EDGES, title="Order flow") == first
    assert render_flow(NODES[::-1], EDGES, title="Order flow") == first


def test_nodes_stand_in_columns_by_kind_targets_and_consumers_share_the_last() -> None:
    root = parse(render_flow(NODES, EDGES, title="t"))
    found = nodes_of(root)
    assert {g.attrib["class"] for g in found.values()} == {
        "node producer",
        "node event",
        "node rule",
        "node target",
        "node consumer",
    }
    x = {key: box(node)[0] for key, node in found.items()}
    assert x["p:orders"] < x["e:created"] == x["e:shipped"] < x["r:intl"] < x["t:customs"]
    assert x["t:customs"] == x["c:billing"]


def test_there_is_one_edge_per_edge_and_unknown_ends_are_left_out() -> None:
    edges = [
        *EDGES,
        FlowEdge("p:orders", "e:nowhere"),
        FlowEdge("ghost", "c:billing"),
        FlowEdge("e:created", "e:created"),  # a loop: nothing to show
    ]
    root = parse(render_flow(NODES, edges, title="t"))
    drawn = [
        (p.attrib["data-source"], p.attrib["data-target"])
        for p in root.iter(f"{SVG}path")
        if p.attrib.get("class") == "edge"
    ]
    assert sorted(drawn) == sorted((e.source, e.target) for e in EDGES)
    for path in root.iter(f"{SVG}path"):
        if path.attrib.get("class") == "edge":
            assert re.fullmatch(r"M[\d.]+,[\d.]+ C[\d.]+,[\d.]+ [\d.]+,[\d.]+ [\d.]+,[\d.]+",
                                path.attrib["d"])  # fmt: skip
            assert path.attrib["marker-end"].startswith("url(#flow-arrow-")


def test_each_drawing_has_its_own_arrowhead_id() -> None:
    ids = set()
    for title in ("whole catalog", "Order Created", "Order Shipped"):
        root = parse(render_flow(NODES, EDGES, title=title))
        marker = root.find(f"{SVG}defs/{SVG}marker")
        assert marker is not None
        ids.add(marker.attrib["id"])
        for path in root.iter(f"{SVG}path"):
            if path.attrib.get("class") == "edge":
                assert path.attrib["marker-end"] == f"url(#{marker.attrib['id']})"
    assert len(ids) == 3


HOSTILE = [
    '<script>alert("x")</script>',
    "\"' onmouseover='alert(1)",
    "]]><script>alert(2)</script>",
    "a & b </svg><img src=x onerror=alert(3)>",
    "bell\x07 and \ud800 lone surrogate",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_labels_details_ids_and_titles_stay_text(text: str) -> None:
    nodes = [
        FlowNode(text, text, "event", detail=text, href="schemas/x.html"),
        FlowNode("c", text * 5, "consumer"),
    ]
    svg = render_flow(nodes, [FlowEdge(text, "c", label=text)], title=text)
    assert "<script" not in svg and "<img" not in svg and "]]>" not in svg
    assert "onmouseover='" not in svg and 'onmouseover="' not in svg
    root = parse(svg)  # still one well-formed element
    assert [g.attrib["data-id"] for g in root.iter(f"{SVG}g") if "data-id" in g.attrib] == [
        text.replace("\x07", "\ufffd").replace("\ud800", "\ufffd"),
        "c",
    ]
    # No element or attribute beyond what the drawing itself writes.
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {"svg", "title", "defs", "marker", "path", "g", "a", "rect", "text"}
    for element in root.iter():
        assert not any(name.startswith("on") for name in element.attrib)


def test_long_labels_are_cut_with_an_ellipsis_and_kept_whole_in_a_tooltip() -> None:
    long = "com.mycompany.logistics@" + "VeryLongEventName" * 6
    root = parse(render_flow([FlowNode("e", long, "event")], [], title="t"))
    node = nodes_of(root)["e"]
    shown = node.findtext(f"{SVG}text")
    assert shown is not None and shown.endswith("\u2026") and len(shown) < len(long)
    assert node.findtext(f"{SVG}title") == long
    short = parse(render_flow([FlowNode("e", "Order Created", "event")], [], title="t"))
    assert nodes_of(short)["e"].find(f"{SVG}title") is None


def test_a_column_is_as_wide_as_its_longest_label() -> None:
    narrow = parse(render_flow([FlowNode("e", "A", "event")], [], title="t"))
    long = FlowNode("e", "An Event Called Something Rather Long", "event")
    wide = parse(render_flow([long], [], title="t"))
    assert float(narrow.attrib["width"]) < float(wide.attrib["width"])


def test_a_node_links_only_to_relative_paths() -> None:
    hrefs = {
        "ok": "schemas/com.mycompany.orders_OrderCreated-1a2b3c4d.html",
        "js": "javascript:alert(1)",
        "js-upper": "JavaScript:alert(1)",
        "js-tab": "java\tscript:alert(1)",
        "js-space": " javascript:alert(1)",
        "data": "data:text/html,<script>alert(1)</script>",
        "http": "https://evil.example/",
        "net": "//evil.example/",
        "back": "\\\\evil.example\\",
        "abs": "/etc/passwd",
    }
    nodes = [FlowNode(key, key, "event", href=href) for key, href in hrefs.items()]
    root = parse(render_flow(nodes, [], title="t"))
    links = {
        a.find(f"{SVG}g").attrib["data-id"]: a.attrib["href"]  # type: ignore[union-attr]
        for a in root.iter(f"{SVG}a")
    }
    assert links == {"ok": hrefs["ok"]}
    assert safe_href("../index.html#orders") == "../index.html#orders"
    assert safe_href("rules.html?x=a:b") == "rules.html?x=a:b"


def test_barycenter_order_uncrosses_two_chains() -> None:
    # Alphabetical order alone would cross: a->z and b->y.
    nodes = [
        FlowNode("pa", "a", "producer"),
        FlowNode("pb", "b", "producer"),
        FlowNode("ey", "y", "event"),
        FlowNode("ez", "z", "event"),
    ]
    edges = [FlowEdge("pa", "ez"), FlowEdge("pb", "ey")]
    found = nodes_of(parse(render_flow(nodes, edges, title="t")))
    y = {key: box(node)[1] for key, node in found.items()}
    assert (y["pa"] < y["pb"]) == (y["ez"] < y["ey"])


def test_nothing_to_draw() -> None:
    for nodes, edges in (([], []), ([], [FlowEdge("a", "b")])):
        root = parse(render_flow(nodes, edges, title="empty"))
        assert "flow" in root.attrib["class"].split()
        assert root.attrib["role"] == "img"
        assert "nothing to draw" in "".join(root.itertext())


def test_a_thousand_events_draw_in_well_under_a_second() -> None:
    nodes = [FlowNode(f"p{i}", f"com.example.source{i}", "producer") for i in range(50)]
    edges = []
    for i in range(1000):
        nodes.append(FlowNode(f"e{i}", f"com.example.source{i % 50}@Event{i}", "event",
                              href=f"schemas/e{i}.html", detail=f"v1-v{1 + i % 5}"))  # fmt: skip
        edges.append(FlowEdge(f"p{i % 50}", f"e{i}"))
    for i in range(200):
        nodes.append(FlowNode(f"r{i}", f"Rule{i}", "rule"))
        nodes.append(FlowNode(f"t{i}", f"!GetAtt Queue{i}.Arn", "target"))
        edges += [FlowEdge(f"e{(i * 7) % 1000}", f"r{i}"), FlowEdge(f"r{i}", f"t{i}")]
    for i in range(300):
        nodes.append(FlowNode(f"c{i}", f"consumer-{i}", "consumer", detail="team"))
        edges += [FlowEdge(f"e{(i * 13) % 1000}", f"c{i}"), FlowEdge(f"e{(i * 3) % 1000}", f"c{i}")]
    started = time.perf_counter()
    svg = render_flow(nodes, edges, title="whole catalog")
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5, f"{elapsed:.2f} s"
    root = parse(svg)
    assert len(nodes_of(root)) == len(nodes)
    assert sum(1 for p in root.iter(f"{SVG}path") if p.attrib.get("class") == "edge") == len(
        set(edges)  # an edge given twice is drawn once
    )
