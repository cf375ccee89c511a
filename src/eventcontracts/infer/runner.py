"""``eventcontracts infer``: schemas from captured events, as new schemas or next versions.

One pass over the traffic groups events by (source, detail-type) and, per group, counts the
shape of the details (a new event) or widens the latest version by them (a known one), and
keeps a few samples. Each candidate is then checked on a second pass (every detail of the group
must validate against it, with the registry's own validators) and, for a known event, compared
with the version(s) before it as the gate will (the schema's mode and policy). Then, unless it
is a dry run, the versions are written and the samples filed with the importer's writers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema.exceptions import best_match

from eventcontracts.compat import Report, compare_inputs
from eventcontracts.compat.inputs import from_version
from eventcontracts.config import Config
from eventcontracts.errors import EventContractsError
from eventcontracts.importer.filing import file_event_values
from eventcontracts.importer.reading import Refused
from eventcontracts.importer.splitting import EventSchema
from eventcontracts.importer.versions import VersionPlanner, display_path, write_document
from eventcontracts.infer.document import registry_document, type_name
from eventcontracts.infer.samples import Samples, stem_of
from eventcontracts.infer.schema import DRAFT4, OPENAPI3, Options, schema_of
from eventcontracts.infer.shape import Shape, observe
from eventcontracts.infer.widen import Widening
from eventcontracts.registry.documents import MAX_CONTENT_CHARS, Document
from eventcontracts.registry.formats import identify
from eventcontracts.registry.loader import document_uri, load_registry
from eventcontracts.registry.model import Registry, Schema, SchemaFormat, SchemaVersion
from eventcontracts.registry.resolver import Resolver, validator_class
from eventcontracts.registry.sourcefolder import folder_of_source
from eventcontracts.schema.canonical import canonical_text
from eventcontracts.traffic import CapturedEvent, TrafficError, read_events


class InferError(EventContractsError):
    """Traffic or a registry infer cannot work with: one line, exit 2."""


@dataclass
class Comparison:
    against: int  # the version compared with
    against_file: str  # as shown
    report: Report


@dataclass
class Outcome:
    """What infer made of one (source, detail-type)."""

    source: str
    detail_type: str
    events: int = 0
    schema_name: str = ""
    version: int = 0
    target: str = ""  # the version file, as shown
    known: bool = False  # a next version of a schema already in the registry
    unchanged: bool = False  # known, and the traffic adds nothing to its latest version
    mode: str = ""
    policy: str = ""
    comparisons: list[Comparison] = field(default_factory=list)
    unfit: int = 0  # details the candidate still rejects
    first_unfit: str = ""
    lines: list[str] = field(default_factory=list)  # written, filed
    rejected: list[str] = field(default_factory=list)  # samples that fit no version
    refused: str = ""  # could not be written: why
    samples: int = 0  # the events filed (or to be filed) as examples
    document: Any = None  # the candidate

    @property
    def breaking(self) -> bool:
        return any(not comparison.report.compatible for comparison in self.comparisons)


@dataclass
class InferResult:
    outcomes: list[Outcome]
    dry_run: bool

    @property
    def exit_code(self) -> int:
        if any(outcome.refused for outcome in self.outcomes):
            return 2
        problems = any(
            outcome.breaking or outcome.unfit or outcome.rejected for outcome in self.outcomes
        )
        return 1 if problems else 0


@dataclass
class _Group:
    """One (source, detail-type) while the traffic is read."""

    outcome: Outcome
    samples: Samples = field(default_factory=Samples)
    shape: Shape | None = None  # a new event: what its details held
    widening: Widening | None = None  # a known one: its latest version, widened
    latest: SchemaVersion | None = None
    folder: Path | None = None
    document: Any = None  # the candidate
    candidate: SchemaVersion | None = None


def infer(
    paths: Sequence[Path],
    config: Config,
    options: Options,
    *,
    dry_run: bool = False,
    source: str | None = None,
    detail_type: str | None = None,
) -> InferResult:
    registry = load_registry(config.registry_path, display_base=config.root)
    registry.require_clean()
    groups: dict[tuple[str, str], _Group] = {}
    for captured, key, detail in _events(paths, config.root, source, detail_type):
        group = groups.get(key)
        if group is None:
            group = groups[key] = _new_group(registry, key, options)
        group.outcome.events += 1
        group.samples.offer(captured, detail)
        if group.widening is not None:
            group.widening.add(detail)
        else:
            assert group.shape is not None
            observe(group.shape, detail, options.enum_threshold)
    if not groups:  # an empty folder or file: nothing inferred is not "nothing breaking"
        shown = ", ".join(str(path) for path in paths[:3])
        raise InferError(f"no events in {shown}; name captured event files or folders")
    ordered = [groups[key] for key in sorted(groups)]
    for group in ordered:
        group.outcome.samples = len(group.samples.kept)
    for group in ordered:
        _candidate(registry, group, options)
    resolver = Resolver(registry, allow_remote_refs=config.allow_remote_refs)
    _check_fit(ordered, groups, paths, config.root, resolver, source, detail_type)
    for group in ordered:
        if group.candidate is not None and group.latest is not None:
            _compare(config, registry, resolver, group)
    if not dry_run:
        written = [group for group in ordered if _write(group, config)]
        if written:  # the registry as written, loaded once to file every group's samples
            on_disk = load_registry(config.registry_path, display_base=config.root)
            on_disk_resolver = Resolver(on_disk, allow_remote_refs=config.allow_remote_refs)
            for group in written:
                _file_samples(group, on_disk, on_disk_resolver, config.root)
    return InferResult([group.outcome for group in ordered], dry_run)


def _events(
    paths: Sequence[Path], root: Path, source: str | None, detail_type: str | None
) -> Iterator[tuple[CapturedEvent, tuple[str, str], Any]]:
    """Every captured event with its (source, detail-type) and detail."""
    try:
        for captured in read_events(paths, display_root=root, source=source,
                                    detail_type=detail_type):  # fmt: skip
            event = captured.event
            key = (event.get("source"), event.get("detail-type"))
            if not (isinstance(key[0], str) and key[0] and isinstance(key[1], str) and key[1]):
                raise InferError(
                    f"{captured.where}: an event without a source and detail-type string; "
                    "EventBridge would refuse it: drop it"
                )
            yield captured, (key[0], key[1]), event.get("detail", {})
    except TrafficError as error:
        raise InferError(str(error)) from None


def _new_group(registry: Registry, key: tuple[str, str], options: Options) -> _Group:
    source, detail_type = key
    outcome = Outcome(source, detail_type)
    group = _Group(outcome)
    known = _known_schema(registry, source, detail_type)
    if known is None:
        group.shape = Shape()
        return group
    latest = known.latest
    outcome.known = True
    outcome.schema_name = known.name
    group.latest = latest
    group.folder = known.folder
    if latest.detail_pointer is None:
        outcome.refused = f"{latest.document.display} has no detail schema to widen"
        group.shape = Shape()  # counted, never written
        return group
    fmt = OPENAPI3 if latest.format is SchemaFormat.OPENAPI3 else DRAFT4
    widening_options = Options(format=fmt, enum_threshold=options.enum_threshold)
    group.widening = Widening(
        latest.document.content, latest.detail_pointer, widening_options, validator_class(latest)
    )
    return group


def _known_schema(registry: Registry, source: str, detail_type: str) -> Schema | None:
    for name in sorted(registry.schemas):
        schema = registry.schemas[name]
        if schema.versions and (schema.latest.source, schema.latest.detail_type) == (
            source,
            detail_type,
        ):
            return schema
    return None


# --- the candidate of each group ---------------------------------------------------------------


def _candidate(registry: Registry, group: _Group, options: Options) -> None:
    outcome = group.outcome
    if outcome.refused:
        return
    if group.widening is not None:
        assert group.latest is not None and group.folder is not None
        document = group.widening.result()
        if canonical_text(document) == canonical_text(group.latest.document.content):
            outcome.unchanged = True
            outcome.version = group.latest.version
            outcome.target = group.latest.document.display
            return
        _bump_info_version(document, group.latest.version)
        number = group.latest.version + 1
        folder = group.folder
    else:
        assert group.shape is not None
        name = _free_name(registry, outcome.source, type_name(outcome.detail_type, "Event"))
        detail = schema_of(group.shape, options)
        document = registry_document(
            detail, outcome.source, outcome.detail_type, name, options.format
        )
        outcome.schema_name = f"{outcome.source}@{name}"
        number = 1
        folder = registry.root / folder_of_source(outcome.source) / name
    text = _text(document)
    if len(text) > MAX_CONTENT_CHARS:
        outcome.refused = (
            f"the schema inferred for {outcome.detail_type!r} would be {len(text):,} characters, "
            f"over EventBridge's {MAX_CONTENT_CHARS:,}; capture fewer kinds of detail per "
            "detail-type, or write this schema by hand"
        )
        return
    group.document = outcome.document = document
    group.folder = folder
    outcome.version = number
    group.candidate = _add_version(registry, outcome, folder, number, document, text)
    outcome.target = group.candidate.document.display


def _free_name(registry: Registry, source: str, name: str) -> str:
    """``name``, or ``name2``... when a schema of the source already has that folder (for
    another detail-type: one with this detail-type would have been found as known)."""
    taken = {schema.folder.name for schema in registry.schemas.values() if schema.source == source}
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}{number}", number + 1
    return candidate


def _bump_info_version(document: Any, number: int) -> None:
    """An OpenApi3 ``info.version`` that follows the version number (``2.0.0`` in v2) follows
    it in the candidate too; any other is the team's own and stays."""
    info = document.get("info") if isinstance(document, dict) else None
    if isinstance(info, dict) and info.get("version") == f"{number}.0.0":
        info["version"] = f"{number + 1}.0.0"


def _text(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _add_version(
    registry: Registry, outcome: Outcome, folder: Path, number: int, document: Any, text: str
) -> SchemaVersion:
    """The candidate as a version of the registry in memory: validated, resolved and compared
    as the written file will be (written or not)."""
    path = folder / f"v{number}.json"
    relative = path.relative_to(registry.root).as_posix()
    display = display_path(path, registry.root.parent)
    shown = Document(path, display, text, document, "json", uri=document_uri(relative))
    identity = identify(document)
    assert identity is not None
    version = SchemaVersion(
        schema_name=outcome.schema_name,
        source=outcome.source,
        detail_type=outcome.detail_type,
        format=SchemaFormat(identity.format),
        version=number,
        document=shown,
        uri=shown.uri,
        envelope_pointer=identity.envelope_pointer,
        detail_pointer=identity.detail_pointer,
        dialect=identity.dialect,
    )
    schema = registry.schemas.get(outcome.schema_name)
    if schema is None:
        schema = registry.schemas[outcome.schema_name] = Schema(
            outcome.schema_name, outcome.source, folder
        )
    schema.versions.append(version)
    return version


# --- checking the candidates -----------------------------------------------------------------


def _check_fit(
    ordered: list[_Group],
    groups: dict[tuple[str, str], _Group],
    paths: Sequence[Path],
    root: Path,
    resolver: Resolver,
    source: str | None,
    detail_type: str | None,
) -> None:
    """Every detail of a group must validate against its candidate (the second pass)."""
    validators = {
        id(group): resolver.detail_validator(group.candidate)
        for group in ordered
        if group.candidate is not None
    }
    for captured, key, detail in _events(paths, root, source, detail_type):
        group = groups.get(key)
        if group is None:  # read again, a capture still being written holds more
            raise InferError(
                f"{captured.where}: an event of {key[0]!r} {key[1]!r} the first read did not "
                "see: the captures changed while infer read them; run it on finished captures"
            )
        validator = validators.get(id(group))
        if validator is None:
            continue
        error = best_match(validator.iter_errors(detail))
        if error is None:
            continue
        outcome = group.outcome
        outcome.unfit += 1
        if not outcome.first_unfit:
            pointer = "".join(f"/{token}" for token in error.absolute_path) or "/"
            message = " ".join(error.message.split())[:200]
            outcome.first_unfit = f"{captured.where}: detail{pointer}: {message}"


def _compare(config: Config, registry: Registry, resolver: Resolver, group: _Group) -> None:
    """The candidate against the version(s) its schema's mode compares it with, as the gate."""
    outcome = group.outcome
    assert group.candidate is not None
    compatibility = config.compatibility_for(outcome.schema_name)
    outcome.mode, outcome.policy = compatibility.mode, compatibility.policy
    base_mode = compatibility.mode.removesuffix("_TRANSITIVE")
    if base_mode == "NONE":
        return
    schema = registry.schemas[outcome.schema_name]
    earlier = [v for v in schema.versions if v.version < group.candidate.version]
    if not compatibility.mode.endswith("_TRANSITIVE"):
        earlier = earlier[-1:]
    new = from_version(group.candidate, resolver)
    for old in reversed(earlier):
        report = compare_inputs(
            from_version(old, resolver), new, mode=base_mode, policy=compatibility.policy
        )
        outcome.comparisons.append(Comparison(old.version, old.document.display, report))


# --- writing ---------------------------------------------------------------------------------


def _write(group: _Group, config: Config) -> bool:
    """Write the group's candidate; whether it was written (else ``outcome.refused`` says why,
    or there was nothing to write)."""
    outcome = group.outcome
    if group.candidate is None or group.folder is None or outcome.refused:
        return False
    planned = EventSchema(
        name=group.folder.name,
        source=outcome.source,
        detail_type=outcome.detail_type,
        document=group.document,
        origin="",
    )
    try:
        target = VersionPlanner(config.registry_path).plan(planned, "infer")
        folder, number = target.folder, target.number
        if target.unchanged or number != outcome.version:
            outcome.refused = (
                f"{outcome.target} changed while infer ran (the registry now has v{number}); "
                "run infer again"
            )
            return False
        written = write_document(folder, number, group.document)
    except Refused as refused:
        outcome.refused = str(refused)
        return False
    except OSError as exc:
        outcome.refused = f"cannot write {outcome.target} ({exc.strerror or exc})"
        return False
    outcome.lines.append(f"wrote {display_path(written, config.root)}")
    return True


def _file_samples(group: _Group, registry: Registry, resolver: Resolver, root: Path) -> None:
    """File the group's samples under the version written for it."""
    outcome = group.outcome
    samples = [
        (captured.event | {"detail": captured.event.get("detail", {})}, captured.where,
         stem_of(captured))
        for captured in group.samples.kept
    ]  # fmt: skip
    filed = file_event_values(samples, registry, resolver, root)
    outcome.lines.extend(filed.lines)
    outcome.rejected.extend(filed.rejected + filed.refused)
