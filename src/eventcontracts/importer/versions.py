"""Writing each imported event schema as the next version of its schema folder.

Never overwrites: the next free version number, or nothing when the content equals the newest
version already there (importing the same export twice is safe).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcontracts.findings import Finding
from eventcontracts.importer.reading import Refused, read_input
from eventcontracts.importer.splitting import EventSchema, Given, split_document
from eventcontracts.registry.documents import read_document
from eventcontracts.registry.formats import identify
from eventcontracts.registry.layout import VERSION_FILE
from eventcontracts.registry.sourcefolder import folder_of_source
from eventcontracts.schema.canonical import canonical_text


@dataclass
class Imported:
    """What an import run did: a line per file written or left alone, a line per refusal."""

    lines: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def import_schema_files(
    paths: list[Path], registry_root: Path, display_base: Path, given: Given
) -> Imported:
    """Import every file in order (a series imported in order becomes v1..vN)."""
    result = Imported()
    for path in paths:
        display = display_path(path, display_base)
        try:
            events = split_document(read_input(path, display), display, path.stem, given)
            _refuse_shared_folders(events, display)
            planner = VersionPlanner(registry_root)
            planned = [planner.plan(event, display) for event in events]
        except Refused as refused:
            result.refused.append(str(refused))
            continue
        except OSError as exc:  # looking into the schema folder (a name too long, ...)
            result.refused.append(f"{display}: {_os_problem(exc, display_base)}")
            continue
        for version in planned:
            write_version(version, display, display_base, result)
    return result


@dataclass
class PlannedVersion:
    """What one event becomes: ``folder/v<number>.json``, or nothing when ``unchanged``."""

    event: EventSchema
    folder: Path
    number: int
    unchanged: bool
    file: Path  # the version's file: the one there (maybe ``.yaml``) when unchanged


def same_text(old: Any, new: Any) -> bool:
    """Two documents are the same version when their canonical texts are equal."""
    return canonical_text(old) == canonical_text(new)


class VersionPlanner:
    """The version each event becomes, all planned before anything is written: per schema
    folder, the newest version is the one on disk or the one already planned in this run.

    ``same`` says whether a new document is the same version as an older one (``import``
    compares texts; a caller may compare meaning)."""

    def __init__(self, root: Path, same: Callable[[Any, Any], bool] = same_text) -> None:
        self.root = root
        self.same = same
        # folder -> number -> the version's file, and its content once read or planned
        self._versions: dict[Path, dict[int, _Known]] = {}

    def plan(self, event: EventSchema, display: str, number: int | None = None) -> PlannedVersion:
        """The next version (or ``number``, when the input says which version it is)."""
        folder = self.root / folder_of_source(event.source) / event.name
        versions = self._known(folder)
        newest = max(versions, default=0)
        if number is not None and number in versions:
            if self.same(self._content(versions[number], display), event.document):
                return PlannedVersion(event, folder, number, True, versions[number].file)
            raise Refused(display, f"{folder.name} v{number} is already in the registry with "
                          "other content; a version never changes: give this one the next "
                          f"version number (v{newest + 1})")  # fmt: skip
        if number is not None and number != newest + 1:
            raise Refused(display, f"{folder.name} v{number} would leave a gap after "
                          f"v{newest}; import its earlier versions first (or with it)")  # fmt: skip
        if versions:
            content = self._content(versions[newest], display)
            if number is None and self.same(content, event.document):
                return PlannedVersion(event, folder, newest, True, versions[newest].file)
            identity = identify(content)
            if identity is not None and identity.detail_type not in (None, event.detail_type):
                raise Refused(display, f"{folder.name} already holds detail-type "
                              f"{identity.detail_type!r}, this is {event.detail_type!r}: a "
                              "different event; pass --name for a schema of its own")  # fmt: skip
        file = folder / f"v{newest + 1}.json"
        versions[newest + 1] = _Known(file, event.document, read=True)
        return PlannedVersion(event, folder, newest + 1, False, file)

    def _known(self, folder: Path) -> dict[int, _Known]:
        if folder not in self._versions:
            files: dict[int, _Known] = {}
            if folder.is_dir():
                for entry in sorted(folder.iterdir()):
                    match = VERSION_FILE.match(entry.name)
                    if match:
                        files.setdefault(int(match.group(1)), _Known(entry))
            self._versions[folder] = files
        return self._versions[folder]

    @staticmethod
    def _content(known: _Known, display: str) -> Any:
        """A version's content, read from its file the first time it is needed."""
        if not known.read:
            document = read_document(known.file, str(known.file))
            if isinstance(document, Finding):
                raise Refused(display, f"{known.file} cannot be read ({document.message}); fix "
                              "it before importing a new version of it")  # fmt: skip
            known.content, known.read = document.content, True
        return known.content


@dataclass
class _Known:
    """A version of a schema folder: its file, and its content once read (or planned)."""

    file: Path
    content: Any = None
    read: bool = False


def write_version(
    planned: PlannedVersion, display: str, display_base: Path, result: Imported
) -> None:
    """Write one planned version (or report it unchanged), a line in ``result`` either way."""
    event, folder, number = planned.event, planned.folder, planned.number
    origin = f" ({event.origin})" if event.origin else ""
    target = planned.file
    if planned.unchanged:
        where = display_path(target, display_base)
        result.lines.append(f"unchanged {where} (same as {display}{origin})")
        return
    try:
        write_document(folder, number, event.document)
    except OSError as exc:
        result.refused.append(f"{display}{origin}: {_os_problem(exc, display_base)}")
        return
    result.written.append(target)
    result.lines.append(f"wrote {display_path(target, display_base)} from {display}{origin}")


def write_document(folder: Path, number: int, document: Any) -> Path:
    """Write ``document`` as ``v<number>.json`` of the schema ``folder``; ``infer`` writes its
    versions with it too, so inferred and imported versions look alike. OSError passes through."""
    target = folder / f"v{number}.json"
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _refuse_shared_folders(events: list[EventSchema], display: str) -> None:
    """Two events of one document that land in one schema folder: every target is planned
    before anything is written, so both would become the same version and one would be lost."""
    first: dict[tuple[str, str], EventSchema] = {}
    for event in events:
        other = first.setdefault((event.source, event.name), event)
        if other is not event:
            raise Refused(display, f"{other.origin or 'one event'} (detail-type "
                          f"{other.detail_type!r}) and {event.origin or 'another'} (detail-type "
                          f"{event.detail_type!r}) both become schema folder {event.name}; give "
                          "them distinct names and import again")  # fmt: skip


def _os_problem(exc: OSError, base: Path) -> str:
    """One line for a schema folder or file the system refuses: the path, why, what to do."""
    where = display_path(Path(exc.filename), base) if exc.filename else "the schema folder"
    return (
        f"cannot write {where} ({exc.strerror or exc}); use a shorter source or name "
        "(--source, --name), or clear the way to that path"
    )


def display_path(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return str(path)
