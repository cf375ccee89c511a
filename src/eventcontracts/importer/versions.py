"""Writing each imported event schema as the next version of its schema folder.

Never overwrites: the next free version number, or nothing when the content equals the newest
version already there (importing the same export twice is safe).
"""

from __future__ import annotations

import json
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
            planned = [(event, version_target(registry_root, event, display)) for event in events]
        except Refused as refused:
            result.refused.append(str(refused))
            continue
        except OSError as exc:  # looking into the schema folder (a name too long, ...)
            result.refused.append(f"{display}: {_os_problem(exc, display_base)}")
            continue
        for event, (folder, number, unchanged) in planned:
            origin = f" ({event.origin})" if event.origin else ""
            if unchanged:
                where = display_path(folder / f"v{number}.json", display_base)
                result.lines.append(f"unchanged {where} (same as {display}{origin})")
                continue
            try:
                target = write_version(folder, number, event.document)
            except OSError as exc:
                result.refused.append(f"{display}{origin}: {_os_problem(exc, display_base)}")
                continue
            result.written.append(target)
            result.lines.append(
                f"wrote {display_path(target, display_base)} from {display}{origin}"
            )
    return result


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


def write_version(folder: Path, number: int, document: dict[str, Any]) -> Path:
    """Write ``document`` as ``v<number>.json`` of the schema ``folder`` (``infer`` writes its
    versions with it too, so both look alike); an OSError passes through."""
    target = folder / f"v{number}.json"
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def version_target(root: Path, event: EventSchema, display: str) -> tuple[Path, int, bool]:
    """The schema folder, the version number to write, and whether the newest version there
    already has this content."""
    folder = root / folder_of_source(event.source) / event.name
    numbers: dict[int, Path] = {}
    if folder.is_dir():
        for entry in folder.iterdir():
            match = VERSION_FILE.match(entry.name)
            if match:
                numbers.setdefault(int(match.group(1)), entry)
    if not numbers:
        return folder, 1, False
    newest = max(numbers)
    document = read_document(numbers[newest], str(numbers[newest]))
    if isinstance(document, Finding):
        raise Refused(display, f"{numbers[newest]} cannot be read ({document.message}); fix it "
                      "before importing a new version of it")  # fmt: skip
    if canonical_text(document.content) == canonical_text(event.document):
        return folder, newest, True
    identity = identify(document.content)
    if identity is not None and identity.detail_type not in (None, event.detail_type):
        raise Refused(display, f"{folder.name} already holds detail-type "
                      f"{identity.detail_type!r}, this is {event.detail_type!r}: a different "
                      "event; pass --name for a schema of its own")  # fmt: skip
    return folder, newest + 1, False


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
