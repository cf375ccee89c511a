"""What the registry holds, read without parsing a document: enough to decide what to
regenerate, so an unchanged registry of thousands of versions is never parsed at all.

It follows the registry layout (``registry/<source>/<Name>/v<N>.json|yaml``) the way the loader
does; documents whose module must be generated are then loaded and parsed by the loader itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from eventcontracts.registry.containment import link_leaves
from eventcontracts.registry.documents import SCHEMA_FILE_SUFFIXES
from eventcontracts.registry.layout import VERSION_FILE, entries, is_shared
from eventcontracts.registry.resolver import URI_ROOT
from eventcontracts.registry.sourcefolder import NotASourceFolder, source_of_folder


def folder_source(folder: str) -> str:
    """The event source a source folder holds (see ``registry.sourcefolder``). A folder that is
    no source's encoding is taken as it is: loading it for generation then stops with lint's
    finding (L304), which says what to rename it to."""
    try:
        return source_of_folder(folder)
    except NotASourceFolder:
        return folder


@dataclass(frozen=True)
class VersionFile:
    source_folder: str  # the source folder, as on disk
    # The real source (never the folder name): what module paths are derived from. Decoded
    # once per source folder by scan(), not on every read (sources x schemas reads otherwise).
    source: str
    schema: str  # the schema folder (<Name>)
    number: int
    text: str  # as the loader reads it: UTF-8, a leading BOM dropped ("" when unreadable)

    @property
    def schema_name(self) -> str:
        return f"{self.source}@{self.schema}"

    @property
    def folder(self) -> str:
        return f"{self.source_folder}/{self.schema}"


def scan(root: Path) -> tuple[dict[str, list[VersionFile]], list[tuple[str, str]]]:
    """Version files by schema folder (``<source>/<Name>``, versions in order), and the shared
    documents as ``(uri, text)``."""
    schemas: dict[str, list[VersionFile]] = {}
    shared: list[tuple[str, str]] = []
    for source in _dirs(root, root):
        if is_shared(source.name):
            shared += _shared(root, Path(source.path))
            continue
        real_source = folder_source(source.name)
        for schema in _dirs(Path(source.path), root):
            versions: dict[int, VersionFile] = {}
            # A link out of the registry is left out (the loader refuses it, L305, when
            # generating).
            for entry in entries(Path(schema.path), root):
                match = VERSION_FILE.match(entry.name)
                # The first file of a number wins, as in the loader (which reports the other).
                if match and entry.is_file() and int(match[1]) not in versions:
                    number = int(match[1])
                    text = _text(Path(entry.path))
                    versions[number] = VersionFile(
                        source.name, real_source, schema.name, number, text
                    )
            if versions:
                schemas[f"{source.name}/{schema.name}"] = [versions[n] for n in sorted(versions)]
    return schemas, shared


def _dirs(folder: Path, root: Path) -> list[os.DirEntry[str]]:
    """The folders in ``folder`` the loader reads (hidden ones and links out of ``root`` left
    out), in its order."""
    return [entry for entry in entries(folder, root) if entry.is_dir()]


def _shared(root: Path, folder: Path) -> list[tuple[str, str]]:
    found = []
    for directory, names, files in os.walk(folder):
        names[:] = sorted(name for name in names if not name.startswith("."))
        for name in sorted(files):
            path = Path(directory, name)
            if path.suffix in SCHEMA_FILE_SUFFIXES and not link_leaves(path, root):
                relative = path.relative_to(root).as_posix()
                found.append((URI_ROOT + relative, _text(path)))
    return found


def _text(path: Path) -> str:
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""  # the loader will say what is wrong when the module is generated
    return text[1:] if text.startswith("\ufeff") else text
