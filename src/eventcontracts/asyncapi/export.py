"""``eventcontracts asyncapi export``: one AsyncAPI 3.0 document per source of the registry.

The mapping (README: "AsyncAPI"; the names are :mod:`eventcontracts.asyncapi.names`): the bus
is the one channel; each schema version is a message whose payload is the detail's schema and
whose headers are the envelope's (:mod:`eventcontracts.asyncapi.payloads`); the producer sends
every version of each of its schemas, each consumer file receives the versions it reads; the
bus rules that route the source's events are on the channel under ``x-eventbridge``.

The same registry, consumer files and rule files give the same bytes: maps are written in key
order, lists in the registry's order (versions oldest first) or sorted, and ``info.version``
is a hash of the rest of the document, so it changes exactly when the document does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventcontracts.asyncapi.names import (
    ASYNCAPI_VERSION,
    CHANNEL_MESSAGE_REF,
    CHANNEL_REF,
    CONTENT_TYPE,
    DOCUMENT_SUFFIXES,
    MESSAGE_REF,
    X_CONSUMER,
    X_DETAIL_REQUIRED,
    X_DETAIL_TYPE,
    X_EVENTBRIDGE,
    X_FORMAT,
    X_OWNER,
    X_READS,
    X_REGISTRY,
    X_SCHEMA,
    X_SOURCE,
    X_VERSION,
    message_key,
    receive_key,
    safe_key,
    send_key,
)
from eventcontracts.asyncapi.payloads import DETAIL, ExportError, message_schemas
from eventcontracts.catalog.slugs import page_slugs
from eventcontracts.config import Config
from eventcontracts.patterns.against_schema import targeted_by
from eventcontracts.patterns.sources import BusRule, config_rule_files, display_path, load_rules
from eventcontracts.registry.consumers import ConsumerExpectation
from eventcontracts.registry.loader import load_project_registry
from eventcontracts.registry.model import Registry, Schema, SchemaVersion
from eventcontracts.registry.resolver import Resolver

__all__ = ["ExportError", "Written", "export", "source_documents"]

FORMATS = tuple(DOCUMENT_SUFFIXES)


@dataclass(frozen=True)
class Written:
    """One document written: its file, and what it holds."""

    path: Path
    source: str
    messages: int
    operations: int


def export(config: Config, out: Path, *, output_format: str = "json") -> list[Written]:
    """Write the document of every source of the registry ``config`` names into ``out``, and
    remove the documents of sources the registry no longer has."""
    if output_format not in DOCUMENT_SUFFIXES:
        raise ExportError(f"--format {output_format!r} is not one of {', '.join(FORMATS)}")
    if out.exists() and not out.is_dir():
        raise ExportError(
            f"{out}: is a file; the documents go in a folder (--out, or [asyncapi] out)"
        )
    registry = load_project_registry(config)
    documents = source_documents(
        registry,
        _bus_rules(config),
        allow_remote_refs=config.allow_remote_refs,
        bus=config.asyncapi.bus,
        registry_label=_registry_label(config),
    )
    suffix = DOCUMENT_SUFFIXES[output_format]
    stems = page_slugs(documents)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for source, document in documents.items():
        path = out / f"{stems[source]}{suffix}"
        if path.is_symlink():  # written in the folder, never through a link to elsewhere
            path.unlink()
        path.write_text(serialize(document, output_format), encoding="utf-8", newline="\n")
        written.append(
            Written(
                path,
                source,
                len(document["components"]["messages"]),
                len(document.get("operations", {})),
            )
        )
    keep = {each.path.name for each in written}
    for stale in sorted(out.glob(f"*{suffix}")):
        if stale.name not in keep and stale.is_file():
            stale.unlink()
    return written


def _registry_label(config: Config) -> str:
    """The registry folder as the settings name it (relative to the config file), or its name
    when it is elsewhere: never a path of this machine, so every machine writes the same."""
    folder = config.registry_path.resolve()
    if folder.is_relative_to(config.root.resolve()):
        return folder.relative_to(config.root.resolve()).as_posix() or "."
    return folder.name


def serialize(document: dict[str, Any], output_format: str = "json") -> str:
    """The document's text: JSON indented by 2 (or YAML), in the order it was built, one
    trailing newline."""
    if output_format == "yaml":
        import yaml

        text: str = yaml.safe_dump(
            document, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False
        )
        return text
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _bus_rules(config: Config) -> list[BusRule]:
    """The rules of ``[rules] paths`` (none configured: none)."""
    rules: list[BusRule] = []
    for path in config_rule_files(config.root, config.rule_paths):
        rules.extend(load_rules(path, display_path(path, config.root)))
    return sorted(rules, key=lambda rule: (rule.file, rule.name, rule.pointer))


def source_documents(
    registry: Registry,
    rules: Sequence[BusRule],
    *,
    bus: str,
    registry_label: str,
    allow_remote_refs: bool = False,
) -> dict[str, dict[str, Any]]:
    """The AsyncAPI document of each source, by source, sources sorted."""
    # OpenApi3 payloads are written as OpenAPI: nullable as the author wrote it.
    resolver = Resolver(registry, allow_remote_refs=allow_remote_refs, openapi_as_written=True)
    by_source: dict[str, list[Schema]] = {}
    for schema in registry.schemas.values():
        if schema.versions:
            by_source.setdefault(schema.source, []).append(schema)
    return {
        source: source_document(
            source,
            sorted(by_source[source], key=lambda schema: schema.name),
            resolver,
            rules,
            bus=bus,
            registry_label=registry_label,
        )
        for source in sorted(by_source)
    }


def source_document(
    source: str,
    schemas: Sequence[Schema],
    resolver: Resolver,
    rules: Sequence[BusRule],
    *,
    bus: str,
    registry_label: str,
) -> dict[str, Any]:
    """The AsyncAPI document of one source (the producer) and its ``schemas``."""
    channel = safe_key(bus)
    messages: dict[str, Any] = {}
    kept: dict[str, Any] = {}  # components.schemas: the targets of recursive refs
    keys: dict[tuple[str, int], str] = {}  # (schema name, version) -> message key
    for schema in schemas:
        for version in schema.versions:
            key = _free(message_key(_short_name(schema), version.version), messages)
            keys[(schema.name, version.version)] = key
            messages[key] = _message(schema, version, resolver, key, kept)

    def refs(wanted: Sequence[tuple[str, int]]) -> list[dict[str, str]]:
        """Refs to the channel's messages, as operations must list them."""
        return [
            {"$ref": CHANNEL_MESSAGE_REF.format(channel=channel, key=keys[each])}
            for each in wanted
            if each in keys
        ]

    operations: dict[str, Any] = {}
    for schema in schemas:
        name = _short_name(schema)
        operations[_free(send_key(name), operations)] = {
            "action": "send",
            "channel": {"$ref": CHANNEL_REF.format(key=channel)},
            "title": f"Send {name}",
            "summary": "The producer puts these events on the bus.",
            "messages": refs([(schema.name, v.version) for v in schema.versions]),
        }
        for consumer in sorted(schema.consumers, key=lambda each: each.name):
            operations[_free(receive_key(consumer.name, name), operations)] = _receive(
                consumer, schema, channel, refs([(schema.name, n) for n in consumer.versions])
            )

    document: dict[str, Any] = {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": source,
            "version": "",  # set below: a hash of everything else
            "description": (
                "The events one source puts on an Amazon EventBridge bus, one message per "
                "schema version, exported from an eventcontracts registry."
            ),
            X_REGISTRY: registry_label,
        },
        "defaultContentType": CONTENT_TYPE,
        "channels": {
            channel: {
                "address": bus,
                "title": "EventBridge bus",
                "messages": {
                    key: {"$ref": MESSAGE_REF.format(key=key)} for key in sorted(messages)
                },
                X_EVENTBRIDGE: {"rules": _rules(rules, schemas, refs)},
            }
        },
        "operations": {key: operations[key] for key in sorted(operations)},
        "components": {"messages": {key: messages[key] for key in sorted(messages)}},
    }
    if kept:
        document["components"]["schemas"] = {key: kept[key] for key in sorted(kept)}
    document["info"]["version"] = _content_version(document)
    return document


def _message(
    schema: Schema, version: SchemaVersion, resolver: Resolver, key: str, kept: dict[str, Any]
) -> dict[str, Any]:
    schemas = message_schemas(version, resolver, key=key, kept=kept)
    name = _short_name(schema)
    message: dict[str, Any] = {
        "name": name,
        "title": f"{name} v{version.version}",
        "summary": version.detail_type,
    }
    if schemas.description is not None:
        message["description"] = schemas.description
    message["headers"] = {"schemaFormat": schemas.schema_format, "schema": schemas.headers}
    message["payload"] = {"schemaFormat": schemas.schema_format, "schema": schemas.payload}
    examples = _examples(version)
    if examples:
        message["examples"] = examples
    message[X_SOURCE] = version.source
    message[X_DETAIL_TYPE] = version.detail_type
    message[X_SCHEMA] = schema.name
    message[X_VERSION] = version.version
    message[X_FORMAT] = version.format.value
    message[X_DETAIL_REQUIRED] = schemas.detail_required
    return message


def _examples(version: SchemaVersion) -> list[dict[str, Any]]:
    """The version's sample events: the detail as the payload, the rest as the headers."""
    examples = []
    for document in sorted(version.examples, key=lambda each: each.display):
        event = document.content
        if not isinstance(event, dict):
            continue  # lint says what is wrong with it
        example: dict[str, Any] = {
            "name": Path(document.display).stem,
            "headers": {key: value for key, value in event.items() if key != DETAIL},
        }
        if DETAIL in event:
            example["payload"] = event[DETAIL]
        examples.append(example)
    return examples


def _receive(
    consumer: ConsumerExpectation, schema: Schema, channel: str, messages: list[dict[str, str]]
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "action": "receive",
        "channel": {"$ref": CHANNEL_REF.format(key=channel)},
        "title": f"{consumer.name} receives {_short_name(schema)}",
        "summary": "A consumer of these events, and the fields it reads (its consumer file).",
        "messages": messages,
        X_CONSUMER: consumer.name,
    }
    if consumer.owner is not None:
        operation[X_OWNER] = consumer.owner
    operation[X_READS] = [
        {"field": read.field, "required": read.required, "constraints": read.constraints}
        for read in consumer.reads
    ]
    return operation


def _rules(rules: Sequence[BusRule], schemas: Sequence[Schema], refs: Any) -> list[Any]:
    """The bus rules whose pattern matches some version of ``schemas``, and those versions."""
    found = []
    for rule in rules:
        wanted = [
            (schema.name, version.version)
            for schema in schemas
            for version in schema.versions
            if targeted_by(rule, [_only(schema, version)])
        ]
        if not wanted:
            continue
        found.append(
            {
                "name": rule.name,
                "file": rule.file,
                "pattern": rule.pattern,
                "targets": [
                    {**({"id": target.id} if target.id is not None else {}), "arn": target.arn}
                    for target in rule.targets
                ],
                "messages": refs(wanted),
            }
        )
    return found


def _only(schema: Schema, version: SchemaVersion) -> Schema:
    """``schema`` with one version: a rule may route v1's detail-type and not v2's."""
    return Schema(schema.name, schema.source, schema.folder, versions=[version])


def _short_name(schema: Schema) -> str:
    """``OrderPlaced`` of ``com.mycompany.orders@OrderPlaced``."""
    return schema.name.rpartition("@")[2] or schema.name


def _free(key: str, taken: dict[str, Any]) -> str:
    """``key``, or (when another text made the same key) ``key`` with a number."""
    candidate, number = key, 1
    while candidate in taken:
        number += 1
        candidate = safe_key(f"{key}-{number}")
    return candidate


def _content_version(document: dict[str, Any]) -> str:
    """``1.0.0+<12 hex>``: a semantic version whose build metadata is the document's hash."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"1.0.0+{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"
