"""Filing sample events under ``examples/v<N>/`` of the newest version they validate against.

Events come as delivered envelopes, bare details (with ``--source``/``--detail-type``), or
PutEvents requests (``{"Entries": [...]}`` or the bare list), whose ``Detail`` is a JSON string.
An event that fits no version is reported with why, one line each; nothing is overwritten.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import referencing.exceptions
from jsonschema.exceptions import best_match

from eventcontracts import bounded
from eventcontracts.findings import printable
from eventcontracts.importer.reading import Refused, read_input
from eventcontracts.importer.versions import display_path
from eventcontracts.registry.layout import EXAMPLES_DIR
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.model import Registry, SchemaVersion
from eventcontracts.registry.refloops import endless_ref
from eventcontracts.registry.resolver import Resolver
from eventcontracts.schema.canonical import canonical_text

# What EventBridge fills in when it delivers a PutEvents entry; fixed, so a re-import of the
# same request files the same sample (and says "unchanged").
_DELIVERY = {"account": "123456789012", "region": "us-east-1", "time": "2020-01-01T00:00:00Z"}
_NAMESPACE = uuid.UUID("6f1c0a52-7d0e-4c1e-9a57-3f3f3c1f5e10")


@dataclass
class FiledEvents:
    lines: list[str] = field(default_factory=list)  # filed, or unchanged
    rejected: list[str] = field(default_factory=list)  # fits no version: exit 1
    refused: list[str] = field(default_factory=list)  # cannot tell what it is: exit 2


def file_events(
    paths: list[Path],
    registry_root: Path,
    display_base: Path,
    source: str | None,
    detail_type: str | None,
    allow_remote_refs: bool = False,
) -> FiledEvents:
    registry = load_registry(registry_root, display_base=display_base)
    # allow-remote-refs, as every other command's resolver: off unless the team turns it on.
    resolver = Resolver(registry, allow_remote_refs=allow_remote_refs)
    result = FiledEvents()
    loops: dict[Path, str | None] = {}  # each version's endless $ref, looked for once
    for path in paths:
        display = display_path(path, display_base)
        try:
            events = _events(read_input(path, display), display, source, detail_type)
            for event in events:
                _refuse_unbounded(event, display)
        except Refused as refused:
            result.refused.append(str(refused))
            continue
        for index, event in enumerate(events):
            label = display if len(events) == 1 else f"{display} entry {index + 1}"
            stem = path.stem if len(events) == 1 else f"{path.stem}-{index + 1}"
            _file_one(registry, resolver, loops, event, label, stem, display_base, result)
    return result


def file_event_values(
    samples: list[tuple[dict[str, Any], str, str]],
    registry: Registry,
    resolver: Resolver,
    display_base: Path,
) -> FiledEvents:
    """File events already read (``infer`` reads them from captured traffic) as ``file_events``
    files those of files: each ``(event, label, stem)`` under the newest version it fits, as
    ``examples/v<N>/<stem>.json``; ``label`` names it in the report. What EventBridge fills in
    on delivery and a captured PutEvents entry lacks gets the fixed placeholders import gives
    PutEvents entries. The caller loads ``registry`` (once for all its calls: a run of infer
    files the samples of every detail-type it wrote)."""
    result = FiledEvents()
    loops: dict[Path, str | None] = {}
    for event, label, stem in samples:
        event = as_delivered(event, f"{label}:{canonical_text(event)}")
        try:
            _refuse_unbounded(event, label)
        except Refused as refused:
            result.refused.append(str(refused))
            continue
        _file_one(registry, resolver, loops, event, label, stem, display_base, result)
    return result


def _file_one(
    registry: Registry,
    resolver: Resolver,
    loops: dict[Path, str | None],
    event: dict[str, Any],
    label: str,
    stem: str,
    display_base: Path,
    result: FiledEvents,
) -> None:
    wanted = (event.get("source"), event.get("detail-type"))
    candidates = sorted(
        (v for v in registry.all_versions() if (v.source, v.detail_type) == wanted),
        key=lambda v: (v.schema_name, -v.version),
    )
    if not candidates:
        result.rejected.append(
            f"{label}: no schema in the registry has source {wanted[0]!r} and detail-type "
            f"{wanted[1]!r}; import its schema first"
        )
        return
    why = ""
    for version in sorted(candidates, key=lambda v: -v.version):
        loop = _endless_ref(resolver, loops, version)
        if loop is not None:
            result.refused.append(_loop_line(label, version, loop))
            return
        problem = _problem(resolver, version, event)
        if problem is None:
            line = _write(version, event, stem, display_base)
            result.lines.append(f"{line} from {label}")
            return
        why = why or f"{version.schema_name} v{version.version}: {problem}"
    more = f" (and {len(candidates) - 1} older)" if len(candidates) > 1 else ""
    result.rejected.append(f"{label}: fits no version; newest {why}{more}")


@dataclass(frozen=True)
class Sample:
    """An event whose version is known (an AsyncAPI message's example), filed under it."""

    event: dict[str, Any]
    label: str  # how the report names it
    stem: str  # its file name, without ``.json``
    version_file: Path  # the version file it belongs to


def file_samples(
    samples: list[Sample], registry_root: Path, display_base: Path, allow_remote_refs: bool = False
) -> FiledEvents:
    """File each sample under its own version when it validates against it (an example that
    does not fit the schema it illustrates is rejected, not filed under another version)."""
    registry = load_registry(registry_root, display_base=display_base)
    resolver = Resolver(registry, allow_remote_refs=allow_remote_refs)
    by_file = {version.path.resolve(): version for version in registry.all_versions()}
    result = FiledEvents()
    loops: dict[Path, str | None] = {}
    for sample in samples:
        try:
            _refuse_unbounded(sample.event, sample.label)
        except Refused as refused:
            result.refused.append(str(refused))
            continue
        version = by_file.get(sample.version_file.resolve())
        if version is None:
            where = display_path(sample.version_file, display_base)
            result.refused.append(f"{sample.label}: {where} cannot be loaded; run "
                                  "'eventcontracts lint' and fix it")  # fmt: skip
            continue
        loop = _endless_ref(resolver, loops, version)
        if loop is not None:
            result.refused.append(_loop_line(sample.label, version, loop))
            continue
        problem = _problem(resolver, version, sample.event)
        if problem is None:
            line = _write(version, sample.event, sample.stem, display_base)
            result.lines.append(f"{line} from {sample.label}")
        else:
            result.rejected.append(f"{sample.label}: does not fit {version.schema_name} "
                                   f"v{version.version}: {problem}")  # fmt: skip
    return result


def _loop_line(label: str, version: SchemaVersion, loop: str) -> str:
    return (
        f"{label}: {version.document.display}: the $ref at {printable(loop)} comes back to "
        "itself through $ref, allOf, anyOf, oneOf or not without going into the event, "
        "so no event can be validated against it; run 'eventcontracts lint' (L402)"
    )


def _endless_ref(
    resolver: Resolver, loops: dict[Path, str | None], version: SchemaVersion
) -> str | None:
    """Validating against a version whose refs loop in place never ends (RecursionError)."""
    if version.path not in loops:
        loops[version.path] = endless_ref(resolver, version)
    return loops[version.path]


def _problem(resolver: Resolver, version: SchemaVersion, event: dict[str, Any]) -> str | None:
    try:
        error = best_match(resolver.event_validator(version).iter_errors(event))
    except (referencing.exceptions.Unresolvable, jsonschema.exceptions.SchemaError) as exc:
        return f"the schema cannot be used ({type(exc).__name__}); run 'eventcontracts lint'"
    if error is None:
        return None
    pointer = "".join(f"/{token}" for token in error.absolute_path) or "/"
    message = " ".join(error.message.split())
    return f"{pointer}: {message[:200]}"


def _write(version: SchemaVersion, event: dict[str, Any], stem: str, base: Path) -> str:
    folder = version.path.parent / EXAMPLES_DIR / f"v{version.version}"
    text = json.dumps(event, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    for attempt in range(1, 1000):
        target = folder / (f"{stem}.json" if attempt == 1 else f"{stem}-{attempt}.json")
        if not target.exists():
            folder.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            return f"filed {display_path(target, base)}"
        try:
            sample = bounded.load_json(target.read_text(encoding="utf-8"))
            same = canonical_text(sample) == canonical_text(event)
        except (OSError, ValueError, bounded.Refused):
            same = False
        if same:
            return f"unchanged {display_path(target, base)}"
    raise Refused(str(folder), "a thousand samples of one name; rename the input file")


def _events(
    content: Any, display: str, source: str | None, detail_type: str | None
) -> list[dict[str, Any]]:
    if isinstance(content, dict) and isinstance(content.get("Entries"), list):
        return [_entry(entry, display, i) for i, entry in enumerate(content["Entries"])]
    if isinstance(content, list):
        return [_entry(entry, display, i) for i, entry in enumerate(content)]
    if not isinstance(content, dict):
        raise Refused(display, "not an event (a JSON object), a PutEvents request or a list of "
                      "entries")  # fmt: skip
    if "detail" in content and ("source" in content or "detail-type" in content):
        return [content]
    if not (source and detail_type):
        raise Refused(display, "a bare detail (no source, detail-type, detail): pass --source "
                      "and --detail-type to say which event it is")  # fmt: skip
    return [delivered(source, detail_type, content, [], f"{display}:{canonical_text(content)}")]


def _refuse_unbounded(event: dict[str, Any], display: str) -> None:
    """The sample as it will be filed (a detail one level inside its envelope) must be one
    the registry can read back: refused here rather than by lint later."""
    try:
        bounded.check_value(event, text=None)
    except bounded.Refused as refused:
        raise Refused(display, f"as a delivered event: {refused}") from None


def _entry(entry: Any, display: str, index: int) -> dict[str, Any]:
    where = f"entry {index + 1}"
    if not isinstance(entry, dict) or not all(
        isinstance(entry.get(key), str) for key in ("Source", "DetailType", "Detail")
    ):
        raise Refused(display, f"{where} is not a PutEvents entry with Source, DetailType and "
                      "Detail strings")  # fmt: skip
    try:
        # Bounded: the Detail is untrusted text inside the file, read as the file itself is
        # (no endless nesting, no duplicate key silently dropped, no 1e400 filed as Infinity).
        detail = bounded.load_json(entry["Detail"])
    except bounded.Refused as refused:
        raise Refused(display, f"{where}: Detail: {refused}") from None
    except ValueError as exc:
        raise Refused(display, f"{where}: Detail is not a JSON string ({exc})") from None
    resources = entry.get("Resources")
    return delivered(
        entry["Source"],
        entry["DetailType"],
        detail,
        resources if isinstance(resources, list) else [],
        f"{display}:{index}:{canonical_text(entry)}",
    )


def as_delivered(event: dict[str, Any], seed: str) -> dict[str, Any]:
    """``event`` with the envelope fields it lacks filled in as :func:`delivered` fills them."""
    missing = [key for key in _ENVELOPE if key not in event]
    if not missing:
        return event
    placeholders = delivered("", "", None, [], seed)
    return {key: event[key] if key in event else placeholders[key] for key in _ENVELOPE} | event


_ENVELOPE = ("version", "id", "detail-type", "source", "account", "time", "region", "resources",
             "detail")  # fmt: skip


def delivered(
    source: str, detail_type: str, detail: Any, resources: list[Any], seed: str
) -> dict[str, Any]:
    """The event as EventBridge would deliver it (fixed placeholders for what it fills in)."""
    return {
        "version": "0",
        "id": str(uuid.uuid5(_NAMESPACE, seed)),
        "detail-type": detail_type,
        "source": source,
        "account": _DELIVERY["account"],
        "time": _DELIVERY["time"],
        "region": _DELIVERY["region"],
        "resources": resources,
        "detail": detail,
    }
