"""Building the :class:`~eventcontracts.catalog.model.Catalog` from a project's settings.

The inputs are read once (:func:`read_inputs`: the registry, its resolver and the bus rules);
each schema is then collected on its own (:func:`schema_entry`), so the site can spread the
schemas over worker processes. Everything is sorted here: rendering only writes it out.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from eventcontracts.catalog import examples, routes, tree
from eventcontracts.catalog.diffs import version_diffs
from eventcontracts.catalog.model import (
    BusRuleEntry,
    Catalog,
    ConsumerEntry,
    ConsumerRead,
    RouteOnVersion,
    RuleTarget,
    SampleEvent,
    SchemaEntry,
    SourceEntry,
    VersionEntry,
)
from eventcontracts.catalog.slugs import anchor_slug, page_slugs
from eventcontracts.config import Config
from eventcontracts.patterns.sources import BusRule, config_rule_files, display_path, load_rules
from eventcontracts.patterns.syntax import pattern_problems
from eventcontracts.registry.consumers import ConsumerExpectation
from eventcontracts.registry.loader import load_project_registry
from eventcontracts.registry.model import Registry, Schema, SchemaVersion
from eventcontracts.registry.resolver import Resolver
from eventcontracts.schema.pointer import resolve

# The generated event of a version when the direct builder makes none, made outside this
# package (the CLI draws it from the contract strategies, which the catalog must not import);
# given the version and the resolver of its registry.
Fallback = Callable[[SchemaVersion, Resolver], "dict[str, Any] | None"]

DEFAULT_TITLE = "Event catalog"
GENERATED = "generated"


@dataclass
class CatalogInputs:
    """What the whole catalog is built from, read once."""

    config: Config
    registry: Registry
    resolver: Resolver
    rules: list[tuple[BusRuleEntry, BusRule]]
    slugs: dict[str, str]
    fallback: Fallback | None = None
    _rules_by_schema: dict[str, list[tuple[BusRuleEntry, BusRule]]] | None = None

    def rules_for(self, name: str) -> list[tuple[BusRuleEntry, BusRule]]:
        """The bus rules that target schema ``name`` (indexed once: a catalog of a thousand
        schemas often has a thousand rules)."""
        if self._rules_by_schema is None:
            index: dict[str, list[tuple[BusRuleEntry, BusRule]]] = {}
            for entry, rule in self.rules:
                for schema_name in entry.schemas:
                    index.setdefault(schema_name, []).append((entry, rule))
            self._rules_by_schema = index
        return self._rules_by_schema.get(name, [])

    @property
    def schema_names(self) -> list[str]:
        """The schemas the catalog shows, sorted: those with a version (a folder holding only
        consumer files or examples is not a schema yet)."""
        return sorted(name for name, schema in self.registry.schemas.items() if schema.versions)


def read_inputs(config: Config, fallback: Fallback | None = None) -> CatalogInputs:
    """The registry (every file loaded, else one line), the bus rules of ``[rules] paths``
    (none configured: no rules) and the page name of each schema."""
    registry = load_project_registry(config)
    resolver = Resolver(registry, allow_remote_refs=config.allow_remote_refs)
    bus_rules: list[BusRule] = []
    if config.rule_paths:
        for path in config_rule_files(config.root, config.rule_paths):
            bus_rules.extend(load_rules(path, display_path(path, config.root)))
    return CatalogInputs(
        config=config,
        registry=registry,
        resolver=resolver,
        rules=rule_entries(bus_rules, registry),
        slugs=page_slugs(name for name, schema in registry.schemas.items() if schema.versions),
        fallback=fallback,
    )


def rule_entries(
    bus_rules: list[BusRule], registry: Registry
) -> list[tuple[BusRuleEntry, BusRule]]:
    """Each bus rule as the catalog shows it, with an id unique in the catalog (its anchor),
    sorted by file and name."""
    ordered = sorted(bus_rules, key=lambda rule: (rule.file, rule.name, rule.pointer))
    names = Counter(rule.name.casefold() for rule in ordered)
    by_source: dict[str, dict[str, Schema]] = {}
    for name, schema in registry.schemas.items():
        by_source.setdefault(schema.source, {})[name] = schema
    taken: set[str] = set()
    entries = []
    for rule in ordered:
        # its name when no other rule has it, else the file's name too
        shared = names[rule.name.casefold()] > 1
        base = anchor_slug(f"{PurePosixPath(rule.file).name}-{rule.name}" if shared else rule.name)
        rule_id, number = base, 1
        while rule_id.casefold() in taken:
            number += 1
            rule_id = f"{base}-{number}"
        taken.add(rule_id.casefold())
        entry = BusRuleEntry(
            id=rule_id,
            name=rule.name,
            file=rule.file,
            pattern=rule.pattern,
            targets=_targets(rule),
            unresolved=rule.unresolved,
            invalid=_invalid(rule),
            schemas=routes.targeted_schemas(rule, _candidates(rule, registry, by_source)),
        )
        entries.append((entry, rule))
    return entries


def _invalid(rule: BusRule) -> str | None:
    """Why EventBridge would refuse the rule's pattern, as ``rules check`` says it first: such
    a rule routes nothing, and its entry must say why rather than look like one that matches
    no event."""
    if rule.unresolved is not None:
        return None
    problems = pattern_problems(rule.pattern)
    if not problems:
        return None
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{first.message} (at {first.pointer or '/'}){more}"


def _candidates(
    rule: BusRule, registry: Registry, by_source: dict[str, dict[str, Schema]]
) -> Registry:
    """The schemas a rule could target: only those of its sources when its pattern lists them
    as plain strings (exact matches, as most patterns do), else all. Checking each rule against
    every schema of a thousand-schema registry cost seconds; the result is the same."""
    pattern = rule.pattern
    sources = pattern.get("source") if isinstance(pattern, dict) else None
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        return registry
    schemas = {name: schema for s in sources for name, schema in by_source.get(s, {}).items()}
    return Registry(root=registry.root, schemas=schemas)


def _targets(rule: BusRule) -> tuple[RuleTarget, ...]:
    """The rule's targets as its file declares them (patterns' own type, converted)."""
    return tuple(
        RuleTarget(id=target.id, arn=target.arn, resource=target.resource)
        for target in rule.targets
    )


def catalog_shell(inputs: CatalogInputs) -> Catalog:
    """The catalog without its schemas: title, sources with owners, rules."""
    config = inputs.config
    names_by_source: dict[str, list[str]] = {}
    for name in inputs.schema_names:
        names_by_source.setdefault(inputs.registry.schemas[name].source, []).append(name)
    sources = [
        SourceEntry(
            source=source,
            owner=config.catalog.owner_of(source, source),
            schemas=tuple(sorted(names)),
        )
        for source, names in sorted(names_by_source.items())
    ]
    return Catalog(
        title=config.catalog.title or config.registry_name or DEFAULT_TITLE,
        registry_name=config.registry_name,
        sources=sources,
        rules=[entry for entry, _ in inputs.rules],
        slugs=inputs.slugs,
    )


def collect(config: Config, fallback: Fallback | None = None) -> Catalog:
    """The whole catalog, in this process."""
    inputs = read_inputs(config, fallback)
    catalog = catalog_shell(inputs)
    for name in inputs.schema_names:
        catalog.schemas[name] = schema_entry(inputs, inputs.registry.schemas[name])
    return catalog


def schema_entry(inputs: CatalogInputs, schema: Schema) -> SchemaEntry:
    """One schema: every version (tree, samples, routes), every diff, its consumers."""
    config = inputs.config
    compatibility = config.compatibility_for(schema.name)
    rules = inputs.rules_for(schema.name)
    versions = tuple(
        _version_entry(inputs, version, rules)
        for version in sorted(schema.versions, key=lambda v: v.version)
    )
    return SchemaEntry(
        name=schema.name,
        source=schema.source,
        short_name=schema.name.partition("@")[2] or schema.name,
        slug=inputs.slugs[schema.name],
        owner=config.catalog.owner_of(schema.name, schema.source),
        mode=compatibility.mode,
        policy=compatibility.policy,
        versions=versions,
        diffs=version_diffs(schema, inputs.resolver, compatibility),
        consumers=tuple(
            _consumer_entry(consumer) for consumer in sorted(schema.consumers, key=lambda c: c.name)
        ),
    )


def _version_entry(
    inputs: CatalogInputs, version: SchemaVersion, rules: list[tuple[BusRuleEntry, BusRule]]
) -> VersionEntry:
    node = tree.property_tree(version, inputs.resolver)
    samples, note = _samples(inputs, version)
    events = [sample.event for sample in samples]
    return VersionEntry(
        version=version.version,
        format=version.format.value,
        file=version.document.display,
        detail_type=version.detail_type,
        title=node.title,
        description=node.description or _info(version, "description"),
        tree=node,
        samples=samples,
        routes=tuple(_route(entry, rule, version, events) for entry, rule in rules),
        generated_note=note,
    )


def _route(
    entry: BusRuleEntry, rule: BusRule, version: SchemaVersion, events: list[Any]
) -> RouteOnVersion:
    return routes.routes_on_version(entry.id, rule, version, events)


def _info(version: SchemaVersion, key: str) -> str | None:
    """``info.<key>`` of an OpenApi3 document (the version's own words when the detail schema
    has none)."""
    content = version.document.content
    info = content.get("info") if isinstance(content, dict) else None
    value = info.get(key) if isinstance(info, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def _samples(
    inputs: CatalogInputs, version: SchemaVersion
) -> tuple[tuple[SampleEvent, ...], str | None]:
    """The version's own example events, then one generated event (the direct builder, else
    the fallback); when none can be generated, why not."""
    own = [
        SampleEvent(
            label=PurePosixPath(document.display).name,
            event=document.content,
            file=document.display,
        )
        for document in sorted(version.examples, key=lambda d: d.display)
    ]
    event, note = _generated(inputs, version)
    if event is not None:
        own.append(SampleEvent(label=GENERATED, event=event))
    return tuple(own), note


def _generated(inputs: CatalogInputs, version: SchemaVersion) -> tuple[Any, str | None]:
    event = examples.generated_event(version, inputs.resolver)
    if event is not None:
        return event, None
    if inputs.fallback is None:
        return None, "no event could be generated for this version"
    try:
        event = inputs.fallback(version, inputs.resolver)
    except Exception as exc:  # a schema no generator satisfies: said on its page, not fatal
        return None, f"no event could be generated for this version: {_one_line(exc)}"
    if event is None:
        return None, "no event could be generated for this version"
    return event, None


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def _consumer_entry(consumer: ConsumerExpectation) -> ConsumerEntry:
    content = consumer.document.content
    return ConsumerEntry(
        name=consumer.name,
        owner=consumer.owner,
        description=_text(content.get("description") if isinstance(content, dict) else None),
        versions=tuple(sorted(consumer.versions)),
        reads=tuple(
            ConsumerRead(
                field=read.field,
                required=read.required,
                constraints=tuple(
                    (key, _value_text(value)) for key, value in read.constraints.items()
                ),
                description=_text(_read_description(content, read.pointer)),
            )
            for read in consumer.reads
        ),
        file=consumer.document.display,
    )


def _read_description(content: Any, pointer: str) -> Any:
    entry = resolve(content, pointer)
    return entry.get("description") if isinstance(entry, dict) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _value_text(value: Any) -> str:
    """A constraint's value as written: a string as it is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
