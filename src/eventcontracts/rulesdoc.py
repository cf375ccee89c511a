"""The shape every generated rules page shares: a header, a table, then a section per rule."""

from __future__ import annotations

from collections.abc import Iterable


def rules_page(
    title: str,
    source: str,
    intro: list[str],
    columns: list[str],
    rows: Iterable[list[str]],
    sections: Iterable[tuple[str, list[str]]],
) -> str:
    """Markdown: ``# title``, a do-not-edit marker naming ``source``, ``intro``, a table of
    ``rows`` under ``columns``, and one ``## heading`` section per entry of ``sections``."""
    lines = [
        f"# {title}",
        "",
        f"<!-- Generated from {source} by `make docs`; do not edit. -->",
        "",
        *intro,
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    for heading, body in sections:
        lines += ["", f"## {heading}", "", *body]
    return "\n".join(lines) + "\n"
