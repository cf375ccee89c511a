"""``eventcontracts asyncapi import``: AsyncAPI 2.6 and 3.0 documents into the registry layout.

Each message becomes a version of a registry schema, written as ``eventcontracts import``
writes one (:mod:`eventcontracts.importer.versions`): which event it is comes from the
message's extensions (what ``asyncapi export`` writes), else from the document or the command
line; its examples are filed under that version (:mod:`eventcontracts.importer.filing`).

All or nothing: every message of every file is planned before anything is written, and
anything ambiguous (no source, two messages claiming one schema version with different
payloads, a schema format import cannot read, a message without a payload) is one line naming
the file and the JSON pointer, and nothing is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcontracts.asyncapi.import_documents import registry_document
from eventcontracts.asyncapi.import_messages import Message, find_messages
from eventcontracts.asyncapi.import_refs import Documents
from eventcontracts.asyncapi.names import (
    X_DETAIL_REQUIRED,
    X_DETAIL_TYPE,
    X_SCHEMA,
    X_SOURCE,
    X_VERSION,
    safe_key,
)
from eventcontracts.importer.filing import Sample, delivered, file_samples
from eventcontracts.importer.reading import Refused
from eventcontracts.importer.splitting import EventSchema, Given, folder_name, split_document
from eventcontracts.importer.versions import (
    Imported,
    PlannedVersion,
    VersionPlanner,
    display_path,
    same_text,
    write_version,
)
from eventcontracts.registry.documents import MAX_CONTENT_CHARS
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.model import SchemaVersion
from eventcontracts.registry.resolver import Resolver
from eventcontracts.registry.sourcefolder import folder_of_source
from eventcontracts.schema.canonical import canonical_text

# At most this many messages a run: each is a version file of up to 100,000 characters, so a
# run writes at most ~500 MB however the documents refer to one schema from many messages.
MAX_MESSAGES = 5_000
# The longest file name most file systems take, in bytes: a source folder is checked before
# anything is written (a percent-encoded source can be three times as long as the source).
MAX_NAME_BYTES = 255


@dataclass
class AsyncApiImported:
    """What a run did: a line per version written or left alone and per example filed."""

    lines: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # an example that fits not its schema
    refused: list[str] = field(default_factory=list)  # nothing was written (exit 2)
    written: list[Path] = field(default_factory=list)


@dataclass
class _Event:
    """One message as a registry version to be: the schema, its version if the message says."""

    schema: EventSchema
    number: int | None
    display: str
    where: str  # the message's JSON pointer
    examples: list[tuple[dict[str, Any], str, str]]  # (event, label, file stem)


def import_asyncapi_files(
    paths: list[Path],
    registry_root: Path,
    display_base: Path,
    *,
    source: str | None = None,
    allow_remote_refs: bool = False,
) -> AsyncApiImported:
    result = AsyncApiImported()
    try:
        events: list[_Event] = []
        counted = 0
        for path in paths:
            display = display_path(path, display_base)
            documents = Documents(path, display, allow_remote_refs=allow_remote_refs)
            default_source = _document_source(documents.content) or source
            messages = find_messages(documents)
            counted += len(messages)
            if counted > MAX_MESSAGES:
                raise Refused(display, f"more than {MAX_MESSAGES:,} messages in one run; "
                              "import the documents a few at a time")  # fmt: skip
            events += [_event(documents, message, default_source) for message in messages]
        plans = _plan(_distinct(events), registry_root)
    except Refused as refused:
        result.refused.append(str(refused))
        return result
    except OSError as exc:  # a schema folder the system refuses (a name too long, ...)
        result.refused.append(f"cannot plan the import: {exc}; use a shorter source or name")
        return result
    imported = Imported()
    samples: list[Sample] = []
    for event, plan in plans:
        write_version(plan, event.display, display_base, imported)
        samples += [Sample(e, label, stem, plan.file) for e, label, stem in event.examples]
    result.lines += imported.lines
    result.refused += imported.refused
    result.written += imported.written
    if samples and not imported.refused:
        filed = file_samples(samples, registry_root, display_base, allow_remote_refs)
        result.lines += filed.lines
        result.rejected += filed.rejected
        result.refused += filed.refused
    return result


def _document_source(content: Any) -> str | None:
    """The document's own source: ``x-amazon-events-source`` at its root or on ``info``."""
    info = content.get("info") if isinstance(content, dict) else None
    for holder in (content, info):
        value = holder.get(X_SOURCE) if isinstance(holder, dict) else None
        if isinstance(value, str) and value:
            return value
    return None


def _event(documents: Documents, message: Message, default_source: str | None) -> _Event:
    display, where = documents.display, documents.shown(message.place)
    fields = message.fields

    def refuse(problem: str) -> Refused:
        return Refused(display, f"{where}: {problem}")

    label = _text(fields.get("name")) or message.key or _text(fields.get("messageId"))
    label = label or _text(fields.get("title"))
    source = _text(fields.get(X_SOURCE)) or default_source
    if not source:
        raise refuse(f"no event source: no {X_SOURCE} on the message or the document; pass "
                     "--source S")  # fmt: skip
    detail_type = _text(fields.get(X_DETAIL_TYPE)) or label
    if not detail_type:
        raise refuse(f"no detail-type: no {X_DETAIL_TYPE}, name or title on the message; add "
                     f"{X_DETAIL_TYPE}")  # fmt: skip
    name = _schema_name(fields.get(X_SCHEMA), source, refuse) or label or detail_type
    number = fields.get(X_VERSION)
    if number is not None and (type(number) is not int or number < 1):
        raise refuse(f"{X_VERSION} is {number!r}, not a version number (1, 2, ...)")
    if message.payload is None:
        raise refuse("the message has no payload: nothing says what its detail is")
    _confirm_headers(message, source, detail_type, refuse)
    schema_name = folder_name(name, f"{display}: {where}")
    document = registry_document(
        documents,
        message.payload,
        message.headers,
        source=source,
        detail_type=detail_type,
        name=schema_name,
        detail_required=fields.get(X_DETAIL_REQUIRED) is not False,
    )
    size = len(json.dumps(document, indent=2, ensure_ascii=False))
    if size > MAX_CONTENT_CHARS:
        raise refuse(f"its schema would be {size:,} characters, more than the "
                     f"{MAX_CONTENT_CHARS:,} EventBridge accepts; split the payload")  # fmt: skip
    try:
        (schema,) = split_document(document, display, schema_name, Given(source, detail_type, name))
    except Refused as refused:
        raise refuse(refused.message) from None
    folder = folder_of_source(source)  # split_document made sure it is one
    if len(folder.encode("utf-8")) > MAX_NAME_BYTES:
        raise refuse(f"source {source[:40]!r} is a folder name of {len(folder)} characters, "
                     f"more than the {MAX_NAME_BYTES} a file system takes; pass the real source "
                     "in x-amazon-events-source")  # fmt: skip
    schema.origin = f"message {where}"
    examples = _examples(fields.get("examples"), source, detail_type, display, where, message)
    return _Event(schema, number, display, where, examples)


def _schema_name(value: Any, source: str, refuse: Any) -> str | None:
    """The name part of ``x-eventcontracts-schema`` (``<source>@<Name>``), whose source part
    must be the message's."""
    if value is None:
        return None
    text = _text(value)
    declared, at, name = (text or "").rpartition("@")
    if not at or not name:
        raise refuse(f"{X_SCHEMA} is {value!r}, not '<source>@<Name>'")
    if declared != source:
        raise refuse(f"{X_SCHEMA} names source {declared!r} but the message's source is "
                     f"{source!r}; make them agree")  # fmt: skip
    return name


def _confirm_headers(message: Message, source: str, detail_type: str, refuse: Any) -> None:
    """Headers that pin ``source`` or ``detail-type`` (``const``, or a one-value ``enum``) must
    pin the event the message says it is."""
    headers = message.headers.node if message.headers is not None else None
    properties = headers.get("properties") if isinstance(headers, dict) else None
    for field_name, expected in (("source", source), ("detail-type", detail_type)):
        schema = properties.get(field_name) if isinstance(properties, dict) else None
        if not isinstance(schema, dict):
            continue
        enum = schema.get("enum")
        pinned = schema.get("const")
        if pinned is None and isinstance(enum, list) and len(enum) == 1:
            pinned = enum[0]
        if pinned is not None and pinned != expected:
            raise refuse(f"its headers say {field_name} is {pinned!r}, the message says "
                         f"{expected!r}; make them agree")  # fmt: skip


def _examples(
    examples: Any, source: str, detail_type: str, display: str, where: str, message: Message
) -> list[tuple[dict[str, Any], str, str]]:
    """Each example as the event EventBridge delivers: its headers, its payload as detail."""
    found: list[tuple[dict[str, Any], str, str]] = []
    base = safe_key(message.key or detail_type)
    for index, example in enumerate(examples if isinstance(examples, list) else []):
        label = f"{display} {where}/examples/{index}"
        if not isinstance(example, dict) or "payload" not in example:
            continue  # an example of headers alone illustrates no event
        headers = example.get("headers")
        event = delivered(source, detail_type, example["payload"], [], label)
        if isinstance(headers, dict):
            event = {**event, **headers, "detail": example["payload"]}
        name = _text(example.get("name"))
        stem = safe_key(name) if name else f"{base}-example-{index + 1}"
        found.append((event, label, stem))
    return found


def _distinct(events: list[_Event]) -> list[_Event]:
    """One event per schema version: a message repeated (the same payload under two keys) is
    one; two different payloads for one version, or for one schema without version numbers
    to order them, are refused."""
    by_schema: dict[tuple[str, str], list[_Event]] = {}
    for event in events:
        by_schema.setdefault((event.schema.source, event.schema.name), []).append(event)
    kept: list[_Event] = []
    for group in by_schema.values():
        distinct: list[_Event] = []
        for event in group:
            twin = next((e for e in distinct if e.number == event.number), None)
            if twin is None:
                distinct.append(event)
            elif same_meaning(twin.schema.document, event.schema.document):
                twin.examples += event.examples
            else:
                version = f" v{event.number}" if event.number is not None else ""
                raise Refused(event.display, f"{twin.where} and {event.where} both claim "
                              f"{event.schema.source}@{event.schema.name}{version} with "
                              f"different payloads; give each its own {X_VERSION} or "
                              f"{X_SCHEMA}")  # fmt: skip
        unnumbered = [e for e in distinct if e.number is None]
        if len(distinct) > 1 and unnumbered:
            other = next(e for e in distinct if e is not unnumbered[0])
            raise Refused(unnumbered[0].display, f"{unnumbered[0].where} and {other.where} "
                          f"both become {other.schema.source}@{other.schema.name} and nothing "
                          f"orders them; give each its {X_VERSION}")  # fmt: skip
        kept += sorted(distinct, key=lambda e: e.number or 0)
    return kept


def _plan(events: list[_Event], root: Path) -> list[tuple[_Event, PlannedVersion]]:
    planner = VersionPlanner(root, same=_SameInRegistry(root))
    plans: list[tuple[_Event, PlannedVersion]] = []
    for event in events:
        try:
            plans.append((event, planner.plan(event.schema, event.display, event.number)))
        except Refused as refused:
            raise Refused(refused.display, f"{event.where}: {refused.message}") from None
    return plans


def same_meaning(old: Any, new: Any) -> bool:
    """The same version: equal texts, or schemas the compatibility engine finds no change
    between at all (an export imported back names its parts differently)."""
    if same_text(old, new):
        return True
    from eventcontracts.compat import compare

    try:
        report = compare(old, new, mode="FULL", counterexamples=False)
    except Exception:  # a schema compat cannot read alone (a ref to registry/_shared/, ...)
        return False
    return report.compatible and not report.changes


class _SameInRegistry:
    """:func:`same_meaning`, and for a version on disk whose refs lead to other registry
    files (``registry/_shared/``), the comparison the gate makes: through the registry."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._loaded: tuple[list[SchemaVersion], Resolver] | None = None
        self._texts: dict[Path, str] = {}  # each version's canonical text

    def __call__(self, old: Any, new: Any) -> bool:
        if same_meaning(old, new):
            return True
        text = canonical_text(old)
        version = next((v for v in self._versions() if self._texts[v.path] == text), None)
        if version is None:
            return False
        from eventcontracts.compat import compare_inputs, from_document
        from eventcontracts.compat.inputs import from_version

        try:
            report = compare_inputs(
                from_version(version, self._resolver()),
                from_document(new, "file:///imported.json"),
                mode="FULL",
                counterexamples=False,
            )
        except Exception:  # a version compat cannot read is not the same one
            return False
        return report.compatible and not report.changes

    def _versions(self) -> list[SchemaVersion]:
        if self._loaded is None:
            registry = load_registry(self.root)
            self._loaded = (registry.all_versions(), Resolver(registry))
            self._texts = {v.path: canonical_text(v.document.content) for v in self._loaded[0]}
        return self._loaded[0]

    def _resolver(self) -> Resolver:
        self._versions()
        assert self._loaded is not None
        return self._loaded[1]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
