"""A version's property tree as HTML, written in one pass over its steps.

A template loop costs several attribute look-ups per node through jinja2's sandbox-free but
still general ``getattr``; a catalog of 5,000 versions has ~100,000 nodes, so the tree is the
one part of a page written here. Every piece of text taken from the schema (names, paths,
types, titles, descriptions, enum values, constraints, refs) goes through :func:`html.escape`
(quotes too): the result is :class:`~markupsafe.Markup` only because every part of it was
escaped or is our own markup.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from markupsafe import Markup

from eventcontracts.catalog.model import PropertyNode
from eventcontracts.catalog.treewalk import tree_steps


def tree_html(root: PropertyNode, version: int) -> Markup:
    """``ul.tree`` of ``li.prop[data-path]`` (the DOM contract's names), ids from
    :func:`.treewalk.tree_steps` (the search index links to them)."""
    parts: list[str] = []
    add = parts.append
    for step in tree_steps(root, version):
        if step.kind == "open":
            if step.variants:
                add(f'<ul class="tree variants" data-variants="{escape(step.variants)}">\n')
            else:
                add('<ul class="tree">\n')
        elif step.kind == "close":
            add("</ul>\n")
        elif step.kind == "end":
            add("</li>\n")
        elif step.node is not None:
            _item(step.node, step.anchor, add)
    return Markup("".join(parts))  # every text above went through escape()


def _item(node: PropertyNode, anchor: str, add: Any) -> None:
    css = "prop has-variants" if node.variants else "prop"
    types = " | ".join(node.types) if node.types else "any"
    if node.nullable:
        types += " | null"
    line = [
        f'<li class="{css}" id="{escape(anchor)}" data-path="{escape(node.path)}">'
        f'<div class="prop-line"><span class="prop-name">{escape(node.name or "detail")}</span> '
        f'<span class="prop-type">{escape(types)}</span>'
    ]
    if node.format:
        line.append(f' <span class="format chip">{escape(node.format)}</span>')
    if node.required:
        line.append(' <span class="required">required</span>')
    if node.additional is False:
        line.append(' <span class="closed chip">closed</span>')
    if node.ref:
        line.append(f' <span class="ref">↪ {escape(node.ref)}</span>')
    if node.recursive_to is not None:
        line.append(
            f' <span class="recursive">↻ same as {escape(node.recursive_to or "the detail")}</span>'
        )
    line.append("</div>")
    if node.title and node.title != node.name:
        line.append(f'<div class="prop-title">{escape(node.title)}</div>')
    if node.description:
        line.append(f'<div class="prop-description">{escape(node.description)}</div>')
    if node.enum is not None:
        values = "".join(f' <code class="enum-value">{escape(_json(v))}</code>' for v in node.enum)
        line.append(f'<div class="enum"><span class="eyebrow">one of</span>{values}</div>')
    if node.has_const:
        line.append(
            '<div class="enum const"><span class="eyebrow">always</span> '
            f'<code class="enum-value">{escape(_json(node.const))}</code></div>'
        )
    chips = [_chip(keyword, text) for keyword, text in node.constraints]
    if node.has_default:
        chips.append(_chip("default", _json(node.default)))
    chips.extend(_chip("e.g.", _json(example)) for example in node.examples)
    if chips:
        line.append(f'<div class="constraints">{"".join(chips)}</div>')
    add("".join(line) + "\n")


def _chip(keyword: str, text: str) -> str:
    keyword_html = f'<span class="keyword">{escape(keyword)}</span>'
    return f'<span class="constraint">{keyword_html} {escape(text)}</span>'


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
