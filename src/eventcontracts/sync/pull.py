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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcontracts import bounded
from eventcontracts.errors import EventContractsError
from eventcontracts.registry.sourcefolder import folder_of_source
from eventcontracts.sync import names
from eventcontracts.sync.remote import version_contents


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
    # (source, Name) of the folder each version declares; one schema must declare one.
    identities: set[tuple[str, str]] = field(default_factory=set)

    def folder(self, root: Path, identity: tuple[str, str]) -> Path:
        source, short = identity
        return root / folder_of_source(source) / short


def pull(client: Any, registry_name: str, root: Path) -> PullResult:
    """Every version of every schema of ``registry_name`` into ``root``; what was done, a line
    for each thing that was not. Two schemas that would share a folder are never merged: the
    one ``sync`` writes to is pulled (named ``<source>@<Name>``, else the first by name), each
    other one skipped with a line."""
    result = PullResult()
    try:
        pages = list(client.get_paginator("list_schemas").paginate(RegistryName=registry_name))
    except client.exceptions.NotFoundException:
        raise EventContractsError(f"no registry {registry_name!r} there to pull from") from None
    schema_names = sorted(
        summary["SchemaName"] for page in pages for summary in page.get("Schemas", [])
    )
    remotes = [_read_schema(client, registry_name, name, result) for name in schema_names]
    owners = _owners(remotes)
    for remote in remotes:
        if len(remote.identities) > 1:
            folders = (remote.folder(root, identity) for identity in remote.identities)
            shown = ", ".join(sorted(_shown(f, root) for f in folders))
            result.skipped.append(
                f"{remote.name}: its versions declare different event sources ({shown}); one "
                "schema is one folder: export the versions and import them with 'eventcontracts "
                "import'"
            )
            continue
        if not remote.identities:
            continue  # every version skipped already, with its own line
        identity = next(iter(remote.identities))
        folder = remote.folder(root, identity)
        if owners[identity] != remote.name:
            result.skipped.append(
                f"{remote.name}: maps to {_shown(folder, root)}, the folder of {owners[identity]} "
                "(the same source and name once made a folder name); not pulled: export it and "
                "import it under another name with 'eventcontracts import FILE --name NAME'"
            )
            continue
        _write_versions(remote, folder, result)
    return result


def _owners(remotes: list[_Remote]) -> dict[tuple[str, str], str]:
    """Each folder's schema, the one sync writes to (:func:`names.owner`)."""
    claims: dict[tuple[str, str], list[str]] = {}
    for remote in remotes:
        if len(remote.identities) == 1:
            claims.setdefault(next(iter(remote.identities)), []).append(remote.name)
    return {
        identity: names.owner(names.local_name(identity), claimed)
        for identity, claimed in claims.items()
    }


def _read_schema(client: Any, registry_name: str, name: str, result: PullResult) -> _Remote:
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
        identity = names.local_identity(name, document)
        if identity is None:
            result.skipped.append(
                f"{name} version {number}: no event source (the name has no '<source>@' and "
                "the content no x-amazon-events-source); export it and run 'eventcontracts "
                "import FILE --source S'"
            )
            continue
        remote.versions.append((number, document))
        remote.identities.add(identity)
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
