"""The site's pages from the model: one jinja2 environment, templates compiled once per process.

Every text from the registry, consumer files and rule files is untrusted: the environment
escapes everything (``autoescape``), and nothing untrusted is marked safe. The only markup put
in as it is: the flow drawings (:func:`.graph.render_flow`) and the property trees
(:mod:`.treehtml`, written in Python because a template costs too much per node for thousands
of versions), both built with every text escaped where they are made.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from eventcontracts.catalog.model import (
    BusRuleEntry,
    Catalog,
    ConsumerEntry,
    RouteOnVersion,
    SchemaEntry,
    VersionDiff,
)
from eventcontracts.catalog.slugs import consumer_anchor, source_anchor
from eventcontracts.catalog.treehtml import tree_html
from eventcontracts.version import __version__

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)
# Links in the sidebar of a schema page to the other events of its source, at most.
SIDEBAR_EVENTS = 40


@cache
def environment() -> jinja2.Environment:
    """The templates, compiled on first use; a forked worker inherits them compiled."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("eventcontracts", "templates/catalog"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["pretty"] = pretty_json
    env.filters["value"] = value_json
    env.globals.update(
        csp=CSP,
        tool_version=__version__,
        source_anchor=source_anchor,
        consumer_anchor=consumer_anchor,
    )
    return env


def warm_up() -> None:
    """Compile every template now (before worker processes fork, so each inherits them)."""
    env = environment()
    for name in ("schema.html.j2", "index.html.j2", "rules.html.j2", "consumers.html.j2"):
        env.get_template(name)


def pretty_json(value: Any) -> str:
    """An event or pattern as a reader wants it: indented, keys in their written order."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def value_json(value: Any) -> str:
    """An enum value, const or default on one line, as JSON (strings quoted)."""
    return json.dumps(value, ensure_ascii=False, default=str)


def schema_page(
    catalog: Catalog, entry: SchemaEntry, rules: Sequence[BusRuleEntry], flow_svg: str
) -> str:
    """``schemas/<slug>.html``; ``rules`` are the bus rules that target the schema."""
    source = next((s for s in catalog.sources if s.source == entry.source), None)
    siblings = list(source.schemas) if source else [entry.name]
    return (
        environment()
        .get_template("schema.html.j2")
        .render(
            catalog=catalog,
            root="../",
            page="schema",
            entry=entry,
            versions=list(reversed(entry.versions)),  # the latest first
            trees={v.version: tree_html(v.tree, v.version) for v in entry.versions},
            diffs=list(reversed(entry.diffs)),
            default_diff=_default_diff(entry.diffs),
            rules=rules,
            routes=_routes_by_rule(entry),
            siblings=siblings[:SIDEBAR_EVENTS],
            more_siblings=max(0, len(siblings) - SIDEBAR_EVENTS),
            slugs=catalog.slugs,
            flow=Markup(flow_svg),  # drawn by render_flow, its text escaped there
        )
    )


def _default_diff(diffs: Sequence[VersionDiff]) -> tuple[int, int] | None:
    """The pair shown first: the two latest versions."""
    pairs = [(diff.old, diff.new) for diff in diffs]
    return max(pairs, key=lambda pair: (pair[1], pair[0])) if pairs else None


def _routes_by_rule(entry: SchemaEntry) -> dict[str, list[RouteOnVersion]]:
    found: dict[str, list[RouteOnVersion]] = {}
    for version in entry.versions:
        for route in version.routes:
            found.setdefault(route.rule_id, []).append(route)
    return found


def index_page(catalog: Catalog, flow_svg: str) -> str:
    """``index.html``: sources and their events, the whole-catalog drawing."""
    versions = sum(len(entry.versions) for entry in catalog.schemas.values())
    return (
        environment()
        .get_template("index.html.j2")
        .render(
            catalog=catalog,
            root="./",
            page="index",
            version_count=versions,
            consumer_count=len(consumers_by_name(catalog)),
            flow=Markup(flow_svg),  # drawn by render_flow, its text escaped there
        )
    )


def rules_page(catalog: Catalog) -> str:
    """``rules.html``: every bus rule with its pattern, targets and the versions it routes."""
    routes: dict[str, dict[str, list[RouteOnVersion]]] = {}
    for entry in catalog.schemas.values():
        for rule_id, found in _routes_by_rule(entry).items():
            routes.setdefault(rule_id, {})[entry.name] = found
    return (
        environment()
        .get_template("rules.html.j2")
        .render(
            catalog=catalog,
            root="./",
            page="rules",
            routes=routes,
            files=_rules_by_file(catalog.rules),
        )
    )


def _rules_by_file(rules: Sequence[BusRuleEntry]) -> list[tuple[str, list[BusRuleEntry]]]:
    files: dict[str, list[BusRuleEntry]] = {}
    for rule in rules:
        files.setdefault(rule.file, []).append(rule)
    return sorted(files.items())


def consumers_by_name(
    catalog: Catalog,
) -> list[tuple[str, list[tuple[SchemaEntry, ConsumerEntry]]]]:
    """Every consumer (by name, over all the events it reads), its events in name order."""
    found: dict[str, list[tuple[SchemaEntry, ConsumerEntry]]] = {}
    for name in sorted(catalog.schemas):
        entry = catalog.schemas[name]
        for consumer in entry.consumers:
            found.setdefault(consumer.name, []).append((entry, consumer))
    return sorted(found.items())


def consumers_page(catalog: Catalog) -> str:
    """``consumers.html``: every consumer, its owner, the events and fields it reads."""
    return (
        environment()
        .get_template("consumers.html.j2")
        .render(
            catalog=catalog,
            root="./",
            page="consumers",
            consumers=consumers_by_name(catalog),
        )
    )
