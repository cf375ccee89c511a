"""``eventcontracts pull``: a registry on AWS (or the emulator) into ``registry/`` as files.

For teams adopting the tool from what they already have: every version of every schema
becomes ``registry/<source>/<Name>/v<N>.json``, in the order the registry numbered them
(``<source>`` is the source's folder name, see :mod:`eventcontracts.registry.sourcefolder`).
Files that exist are never overwritten: pulling twice is safe, and local work is never lost
(a file whose content differs from the registry's is kept, and reported). Anything not pulled
(no event source, not JSON, two schemas that would share one folder) is one line each.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcontracts import bounded
from eventcontracts.errors import EventContractsError
from eventcontracts.registry.sourcefolder import folder_of_source
from eventcontracts.schema.keywords import SOURCE_KEY
from eventcontracts.sync.remote import version_contents

# A schema folder name must be usable on every file system and must not climb out of the
# registry (the source folder is encoded, reversibly, by sourcefolder).
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class PullResult:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # there already with the same content
    differing: list[str] = field(default_factory=list)  # there already, other content: kept
    skipped: list[str] = field(default_factory=list)  # one line each: what and why

    @property
    def complete(self) -> bool:
        """Every version of every schema is in a file with its content."""
        return not (self.skipped or self.differing)


@dataclass
class _Remote:
    """One schema as read from the registry: the folder its versions go to, or why none."""

    name: str
    versions: list[tuple[int, Any]] = field(default_factory=list)  # (number, parsed content)
    folders: set[Path] = field(default_factory=set)


def pull(client: Any, registry_name: str, root: Path) -> PullResult:
    """Every version of every schema of ``registry_name`` into ``root``; what was done, a line
    for each thing that was not. Two schemas that would share a folder are never merged: the
    first by name is pulled, each other one skipped with a line."""
    result = PullResult()
    try:
        pages = list(client.get_paginator("list_schemas").paginate(RegistryName=registry_name))
    except client.exceptions.NotFoundException:
        raise EventContractsError(f"no registry {registry_name!r} there to pull from") from None
    names = sorted(summary["SchemaName"] for page in pages for summary in page.get("Schemas", []))
    claimed: dict[Path, str] = {}  # folder -> the schema pulled into it
    for name in names:
        remote = _read_schema(client, registry_name, name, root, result)
        if len(remote.folders) > 1:
            shown = ", ".join(sorted(_shown(f, root) for f in remote.folders))
            result.skipped.append(
                f"{name}: its versions declare different event sources ({shown}); one schema "
                "is one folder: export the versions and import them with 'eventcontracts import'"
            )
            continue
        if not remote.folders:
            continue  # every version skipped already, with its own line
        folder = next(iter(remote.folders))
        owner = claimed.setdefault(folder, name)
        if owner != name:
            result.skipped.append(
                f"{name}: maps to {_shown(folder, root)}, the folder of {owner} (the same "
                "source and name once made a folder name); not pulled: export it and import it "
                "under another name with 'eventcontracts import FILE --name NAME'"
            )
            continue
        _write_versions(remote, folder, result)
    return result


def _read_schema(
    client: Any, registry_name: str, name: str, root: Path, result: PullResult
) -> _Remote:
    remote = _Remote(name)
    for number, content in version_contents(client, registry_name, name):
        try:
            # Bounded as every file the tool reads: the registry's content may nest past
            # Python's recursion limit, and a file lint would refuse is not worth writing.
            document = bounded.load_json(content)
        except bounded.Refused as refused:
            result.skipped.append(f"{name} version {number}: content refused: {refused}")
            continue
        except ValueError:
            result.skipped.append(f"{name} version {number}: content is not JSON")
            continue
        folder = _folder(root, name, document)
        if folder is None:
            result.skipped.append(
                f"{name} version {number}: no event source (the name has no '<source>@' and "
                "the content no x-amazon-events-source); export it and run 'eventcontracts "
                "import FILE --source S'"
            )
            continue
        remote.versions.append((number, document))
        remote.folders.add(folder)
    return remote


def _write_versions(remote: _Remote, folder: Path, result: PullResult) -> None:
    """Remote version N (counting those there are, oldest first) as v<N>.json, unless a file
    is there: the same content is kept quietly, other content kept and reported."""
    for local, (number, document) in enumerate(remote.versions, start=1):
        path = folder / f"v{local}.json"
        if path.exists():
            try:
                same = bounded.load_json(path.read_text(encoding="utf-8")) == document
            except (OSError, ValueError, bounded.Refused):
                same = False
            if same:
                result.kept.append(path)
            else:
                result.differing.append(
                    f"{path}: differs from {remote.name} version {number}; the local file "
                    "is kept as it is"
                )
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        result.written.append(path)


def _shown(folder: Path, root: Path) -> str:
    return (
        folder.relative_to(root.parent).as_posix()
        if folder.is_relative_to(root.parent)
        else str(folder)
    )


def _folder(root: Path, name: str, document: Any) -> Path | None:
    """registry/<source>/<Name>: the source the document declares (else the part of the
    schema name before '@'), as its folder name; the name after '@'. None without a source."""
    source, _, short = name.rpartition("@")
    source = _declared_source(document) or source
    if not source:
        return None
    return root / folder_of_source(source) / _safe(short or name)


def _declared_source(document: Any) -> str | None:
    if not isinstance(document, dict):
        return None
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    event = schemas.get("AWSEvent") if isinstance(schemas, dict) else document
    value = event.get(SOURCE_KEY) if isinstance(event, dict) else None
    return value if isinstance(value, str) and value else None


def _safe(text: str) -> str:
    cleaned = _SAFE.sub("-", text).strip(".-_") or "unnamed"
    return cleaned[:100]
