"""Walking a registry folder into a :class:`Registry`.

Layout::

    registry/<source>/<Name>/v<N>.json|yaml|yml      one version of <source>@<Name>
    registry/<source>/<Name>/examples/v<N>/*.json     sample events of that version
    registry/<source>/<Name>/consumers/<name>.yaml    what one consumer reads of its events
    registry/_<anything>/**.json|yaml                 shared documents that versions $ref

<source> is the event source as one folder name (see :mod:`sourcefolder`: ``/`` and other
characters a folder name cannot hold are percent-encoded); ``Schema.source`` and the schema's
name carry the source itself.

What cannot be loaded becomes a Finding in ``Registry.problems``; loading never raises for a
bad file, only for a registry folder that does not exist.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from eventcontracts.errors import RegistryError
from eventcontracts.findings import Finding
from eventcontracts.registry import reading_rules
from eventcontracts.registry.consumers import CONSUMERS_DIR, parse_consumer
from eventcontracts.registry.containment import link_leaves, link_target
from eventcontracts.registry.documents import (
    MAX_CONTENT_CHARS,
    SCHEMA_FILE_SUFFIXES,
    Document,
    read_document,
)
from eventcontracts.registry.formats import identify
from eventcontracts.registry.layout import (
    EXAMPLES_DIR,
    VERSION_FILE,
    entries,
    is_shared,
    split_entries,
)
from eventcontracts.registry.model import Registry, Schema, SchemaFormat, SchemaVersion
from eventcontracts.registry.resolver import URI_ROOT
from eventcontracts.registry.sourcefolder import NotASourceFolder, source_of_folder
from eventcontracts.rules import Rule

if TYPE_CHECKING:
    from eventcontracts.config import Config

# Folders a schema may hold besides its versions; later features own them.
RESERVED_DIRS = frozenset({EXAMPLES_DIR, CONSUMERS_DIR})


def document_uri(relative: str) -> str:
    return URI_ROOT + relative


@dataclass(frozen=True)
class Shard:
    """Part ``index`` of ``count`` of a registry, for loading it on several cores.

    Schemas are dealt out in turn in the order of the walk; everything outside the schema
    folders (shared documents, misplaced files) belongs to shard 0.
    """

    index: int = 0
    count: int = 1

    def owns(self, ordinal: int) -> bool:
        return ordinal % self.count == self.index

    @property
    def first(self) -> bool:
        return self.index == 0


def check_registry_folder(root: Path) -> Path:
    """``root`` resolved, or a RegistryError that says what to do."""
    root = root.resolve()
    if not root.is_dir():
        raise RegistryError(
            f"{root}: no registry folder here; run 'eventcontracts init' or set "
            "[registry] path in eventcontracts.toml"
        )
    return root


def count_schema_folders(root: Path) -> int:
    """How many schemas a registry has, from its folders alone (no file is read)."""
    root = check_registry_folder(root)
    return sum(
        1
        for source in entries(root, root)
        if source.is_dir() and not is_shared(source.name)
        for schema in entries(Path(source.path), root)
        if schema.is_dir()
    )


def load_project_registry(config: Config) -> Registry:
    """The whole registry ``config`` names, paths shown from the project folder; a file that
    did not load stops here with one line (commands other than lint must not act on a registry
    with files left out: a missing version would look like a removed one)."""
    registry = load_registry(config.registry_path, display_base=config.root)
    registry.require_clean()
    return registry


def load_registry(
    root: Path,
    *,
    display_base: Path | None = None,
    shard: Shard | None = None,
    only: Collection[str] | None = None,
) -> Registry:
    """Load every schema, version, sample event and shared document under ``root``.

    ``display_base`` is the folder paths are shown relative to (default: ``root``'s parent,
    so paths read ``registry/...``). With ``shard``, only that part of the registry; with
    ``only``, only the schema folders named there (``"<source>/<Name>"``).
    """
    root = check_registry_folder(root)
    loader = _Loader(root, (display_base or root.parent).resolve(), shard or Shard(), only)
    loader.load()
    return loader.registry


class _Loader:
    def __init__(
        self, root: Path, display_base: Path, shard: Shard, only: Collection[str] | None
    ) -> None:
        self.root = root
        self.display_base = display_base
        self.shard = shard
        self.only = None if only is None else frozenset(only)
        self.schema_ordinal = 0
        self.registry = Registry(root=root, display_base=display_base)

    # Plain string work rather than Path.relative_to: this runs for every file of registries
    # with thousands of them, and every path here was built by joining onto these roots.
    def display(self, path: Path) -> str:
        return _relative(str(path), str(self.display_base)) or path.as_posix()

    def relative(self, path: Path) -> str:
        return _relative(str(path), str(self.root)) or path.as_posix()

    def problem(self, path: Path, rule: Rule, message: str) -> None:
        self.registry.problems.append(Finding(self.display(path), None, rule.id, "", message))

    def entries(self, folder: Path, *, report: bool = True) -> list[os.DirEntry[str]]:
        """``folder``'s entries (see :func:`layout.entries`); each symbolic link out of the registry
        left out, and reported when ``report`` (by the part of the loader that owns it)."""
        kept, refused = split_entries(folder, self.root)
        if report:
            for entry in refused:
                self.refuse_link(Path(entry.path))
        return kept

    def refuse_link(self, path: Path) -> None:
        self.problem(
            path,
            reading_rules.SYMLINK_OUTSIDE_REGISTRY,
            f"a symbolic link to {link_target(path)!r}, outside the registry: not read; copy "
            "the file into the registry or remove the link",
        )

    def load(self) -> None:
        for entry in self.entries(self.root, report=self.shard.first):
            path = Path(entry.path)
            if is_shared(entry.name) and entry.is_dir():
                if self.shard.first:
                    self.load_shared(path)
            elif entry.is_dir():
                self.load_source(path)
            elif self.shard.first and not _ignored(entry.name):
                self.problem(
                    path,
                    reading_rules.UNEXPECTED_FILE,
                    "files at the top of the registry have no place; move it to "
                    "registry/<source>/<Name>/v<N>.json or registry/_shared/",
                )

    def load_shared(self, folder: Path) -> None:
        # os.walk does not descend into linked folders; a linked file it lists like any other.
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
            for name in dirnames:
                if link_leaves(Path(dirpath, name), self.root):
                    self.refuse_link(Path(dirpath, name))
            for name in sorted(filenames):
                path = Path(dirpath, name)
                if link_leaves(path, self.root):
                    self.refuse_link(path)
                elif path.suffix in SCHEMA_FILE_SUFFIXES:
                    document = self.read(path)
                    if document is not None:
                        self.registry.shared.append(document)

    def load_source(self, folder: Path) -> None:
        try:
            source = source_of_folder(folder.name)
        except NotASourceFolder as exc:
            if self.shard.first:
                self.problem(folder, reading_rules.UNEXPECTED_FILE, f"{exc}")
            return
        for entry in self.entries(folder, report=self.shard.first):
            path = Path(entry.path)
            if entry.is_dir():
                wanted = self.only is None or f"{folder.name}/{entry.name}" in self.only
                if wanted and self.shard.owns(self.schema_ordinal):
                    self.load_schema(source, path)
                self.schema_ordinal += 1
            elif self.shard.first and not _ignored(entry.name):
                self.problem(
                    path,
                    reading_rules.UNEXPECTED_FILE,
                    f"a source folder holds one folder per schema; move it to "
                    f"{self.display(folder)}/<Name>/v<N>.json",
                )

    def load_schema(self, source: str, folder: Path) -> None:
        name = f"{source}@{folder.name}"
        schema = Schema(name=name, source=source, folder=folder)
        versions: dict[int, Path] = {}
        examples_dir: Path | None = None
        consumers_dir: Path | None = None
        for entry in self.entries(folder):
            path = Path(entry.path)
            match = VERSION_FILE.match(entry.name)
            if entry.is_dir():
                if entry.name == EXAMPLES_DIR:
                    examples_dir = path
                elif entry.name == CONSUMERS_DIR:
                    consumers_dir = path
                elif entry.name not in RESERVED_DIRS:
                    self.problem(
                        path,
                        reading_rules.UNEXPECTED_FILE,
                        "a schema folder holds v<N> files, examples/ and consumers/ only",
                    )
            elif match:
                number = int(match.group(1))
                if number in versions:
                    self.problem(
                        path,
                        reading_rules.DUPLICATE_VERSION,
                        f"version {number} is also in {versions[number].name}; keep one file",
                    )
                    continue
                versions[number] = path
            elif not _ignored(entry.name):
                self.problem(
                    path,
                    reading_rules.BAD_VERSION_FILE,
                    f"{entry.name!r} is not a version file name; name versions v1.json, "
                    "v2.json, ... (or .yaml)",
                )
        schema.version_numbers = sorted(versions)
        for number in sorted(versions):
            version = self.load_version(schema, number, versions[number])
            if version is not None:
                schema.versions.append(version)
        if examples_dir is not None:
            self.load_examples(schema, examples_dir)
        if consumers_dir is not None:
            self.load_consumers(schema, consumers_dir)
        self.registry.schemas[name] = schema

    def load_version(self, schema: Schema, number: int, path: Path) -> SchemaVersion | None:
        document = self.read(path, max_chars=MAX_CONTENT_CHARS)
        if document is None:
            return None
        identity = identify(document.content)
        if identity is None:
            self.registry.problems.append(
                document.finding(
                    reading_rules.NOT_A_SCHEMA,
                    "",
                    f"the document is a {type(document.content).__name__}, not an EventBridge "
                    "schema; write an OpenAPI 3.0 document or a JSON Schema object",
                )
            )
            return None
        return SchemaVersion(
            schema_name=schema.name,
            source=identity.source if isinstance(identity.source, str) else schema.source,
            detail_type=identity.detail_type if isinstance(identity.detail_type, str) else "",
            format=SchemaFormat(identity.format),
            version=number,
            document=document,
            uri=document.uri,
            envelope_pointer=identity.envelope_pointer,
            detail_pointer=identity.detail_pointer,
            dialect=identity.dialect,
        )

    def load_examples(self, schema: Schema, folder: Path) -> None:
        by_number = {version.version: version for version in schema.versions}
        for entry in self.entries(folder):
            path = Path(entry.path)
            match = re.fullmatch(r"v([1-9][0-9]*)", entry.name)
            if not entry.is_dir() or not match:
                if not _ignored(entry.name):
                    self.problem(
                        path,
                        reading_rules.UNEXPECTED_FILE,
                        "sample events go in examples/v<N>/<name>.json",
                    )
                continue
            number = int(match.group(1))
            if number not in schema.version_numbers:
                self.problem(
                    path,
                    reading_rules.EXAMPLE_ORPHANED,
                    f"{schema.name} has no version {number}; move these samples under the "
                    "examples/v<N>/ of an existing version",
                )
                continue
            for sample in self.entries(path):
                sample_path = Path(sample.path)
                # Every file here is taken for a sample event, notes too (unlike beside a
                # schema): a sample saved as .txt would otherwise be skipped without a word.
                if sample.is_dir() or Path(sample.name).suffix not in SCHEMA_FILE_SUFFIXES:
                    self.problem(
                        sample_path,
                        reading_rules.UNEXPECTED_FILE,
                        "a sample event is a .json (or .yaml) file: rename it if it is one, "
                        f"else move it out of examples/v{number}/",
                    )
                    continue
                document = self.read(sample_path)
                if document is not None and number in by_number:
                    by_number[number].examples.append(document)

    def load_consumers(self, schema: Schema, folder: Path) -> None:
        for entry in self.entries(folder):
            path = Path(entry.path)
            if entry.is_dir() or path.suffix not in SCHEMA_FILE_SUFFIXES:
                if not _ignored(entry.name):
                    self.problem(
                        path,
                        reading_rules.UNEXPECTED_FILE,
                        "a consumer's expectations are one file, consumers/<consumer>.yaml",
                    )
                continue
            document = self.read(path)
            if document is None:
                continue
            parsed = parse_consumer(document, path.stem)
            if isinstance(parsed, list):
                # A malformed expectation stops the gate like an unreadable version would:
                # checking without it would pass a break it was written to catch.
                self.registry.problems += [
                    document.finding(reading_rules.CONSUMER_MALFORMED, pointer, message)
                    for pointer, message in parsed
                ]
            elif any(known.name == parsed.name for known in schema.consumers):
                self.problem(
                    path,
                    reading_rules.CONSUMER_MALFORMED,
                    f"consumer {parsed.name!r} already has a file in this folder; keep one",
                )
            else:
                schema.consumers.append(parsed)

    def read(self, path: Path, *, max_chars: int | None = None) -> Document | None:
        result = read_document(path, self.display(path), max_chars=max_chars)
        if isinstance(result, Finding):
            self.registry.problems.append(result)
            return None
        result.uri = document_uri(self.relative(path))
        return result


def _relative(path: str, base: str) -> str | None:
    prefix = base.rstrip(os.sep) + os.sep
    if not path.startswith(prefix):
        return None
    return path[len(prefix) :].replace(os.sep, "/")


def _ignored(name: str) -> bool:
    """Files people keep beside schemas for humans: not part of the registry."""
    return name.lower().endswith((".md", ".txt", ".rst")) or name in {"LICENSE", "OWNERS"}
