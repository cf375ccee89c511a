"""The typed model of a registry on disk."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from eventcontracts.errors import RegistryError
from eventcontracts.findings import Finding
from eventcontracts.registry.consumers import CONSUMERS_DIR, ConsumerExpectation
from eventcontracts.registry.documents import Document
from eventcontracts.registry.layout import EXAMPLES_DIR, SHARED_PREFIX


class SchemaFormat(str, enum.Enum):
    """EventBridge's schema types: the ``Type`` of CreateSchema."""

    OPENAPI3 = "OpenApi3"
    JSONSCHEMA_DRAFT4 = "JSONSchemaDraft4"


@dataclass
class SchemaVersion:
    """One version file of one schema.

    ``detail_pointer`` locates the schema of the event's ``detail`` in ``document``; ``uri`` is
    the base URI the resolver knows the document by.
    """

    schema_name: str
    source: str
    detail_type: str
    format: SchemaFormat
    version: int
    document: Document
    uri: str
    envelope_pointer: str
    detail_pointer: str | None
    dialect: str | None = None  # the $schema URI of a JSON Schema document
    examples: list[Document] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.document.path


@dataclass
class Schema:
    """A schema of the registry: ``<source>@<Name>`` and its versions, oldest first."""

    name: str
    source: str
    folder: Path
    versions: list[SchemaVersion] = field(default_factory=list)
    # Every version number a file claims, loaded or not: what the version-gap check reads.
    version_numbers: list[int] = field(default_factory=list)
    # What its consumers declare they read (consumers/<name>.yaml), by file name.
    consumers: list[ConsumerExpectation] = field(default_factory=list)

    @property
    def latest(self) -> SchemaVersion:
        return self.versions[-1]

    def version(self, number: int) -> SchemaVersion:
        for version in self.versions:
            if version.version == number:
                return version
        raise KeyError(f"{self.name} has no version {number}")


@dataclass
class Registry:
    """Everything read from a registry folder.

    ``problems`` holds what stopped a file from being loaded (unparsable, misplaced, ...);
    a file with a problem is left out of ``schemas`` rather than guessed at.
    """

    root: Path
    schemas: dict[str, Schema] = field(default_factory=dict)
    shared: list[Document] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    # The folder the paths of ``problems`` are shown from (the loader's; else root's parent).
    display_base: Path | None = None

    def all_versions(self) -> list[SchemaVersion]:
        return [version for schema in self.schemas.values() for version in schema.versions]

    def require_clean(self, *, for_schema: Schema | None = None) -> None:
        """Raise a one-line RegistryError naming the first problem, if any file failed to load.

        Commands other than ``lint`` must not act on a registry with files left out of it:
        a missing version would look like a removed one. A command that reads one schema
        passes it as ``for_schema``: then only the files that reading needs count, the
        schema's own version files and the shared documents (its refs may reach them); a broken
        file of another schema, or one of its own sample events or consumer files, stops the
        commands that read those, not this.
        """
        problems = self.problems
        if for_schema is not None:
            folder = self.shown(for_schema.folder)
            needed = (f"{folder}/", f"{self.shown(self.root)}/{SHARED_PREFIX}")
            # Its sample events and consumer files are not read to draw or check an event:
            # `sample X > registry/.../X/examples/v1/new.json` makes an empty file there first.
            unread = (f"{folder}/{EXAMPLES_DIR}/", f"{folder}/{CONSUMERS_DIR}/")
            problems = [
                p
                for p in problems
                if (p.file == folder or p.file.startswith(needed)) and not p.file.startswith(unread)
            ]
        if not problems:
            return
        first = problems[0]
        place = f"{first.file}:{first.line}" if first.line else first.file
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise RegistryError(
            f"{place}: {first.message}{more}; run 'eventcontracts lint' and fix it first"
        )

    def shown(self, path: Path) -> str:
        """A path of the registry as ``problems`` show it (see the loader's ``display``)."""
        base = self.display_base or self.root.parent
        return path.relative_to(base).as_posix() if path.is_relative_to(base) else path.as_posix()

    def documents(self) -> list[Document]:
        """Every loaded document: version files, then shared files."""
        return [version.document for version in self.all_versions()] + self.shared
