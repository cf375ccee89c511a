"""``eventcontracts pull``: a registry on AWS (or the emulator) into ``registry/`` as files.

For teams adopting the tool from what they already have: every version of every schema
becomes ``registry/<source>/<Name>/v<N>.json``, in the order the registry numbered them
(``<source>`` is the source's folder name, see :mod:`eventcontracts.registry.sourcefolder`).
Files that exist are never overwritten: pulling twice is safe, and local work is never lost.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcontracts.errors import EventContractsError
from eventcontracts.registry.sourcefolder import folder_of_source
from eventcontracts.sync.remote import version_contents

# A schema folder name must be usable on every file system and must not climb out of the
# registry (the source folder is encoded, reversibly, by sourcefolder).
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class PullResult:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # existed already, left as they were
    skipped: list[str] = field(default_factory=list)  # one line each: what and why


def pull(client: Any, registry_name: str, root: Path) -> PullResult:
    result = PullResult()
    try:
        pages = list(client.get_paginator("list_schemas").paginate(RegistryName=registry_name))
    except client.exceptions.NotFoundException:
        raise EventContractsError(f"no registry {registry_name!r} there to pull from") from None
    for page in pages:
        for summary in page.get("Schemas", []):
            _pull_schema(client, registry_name, summary["SchemaName"], root, result)
    return result


def _pull_schema(
    client: Any, registry_name: str, name: str, root: Path, result: PullResult
) -> None:
    versions = version_contents(client, registry_name, name)
    for local, (number, content) in enumerate(versions, start=1):
        try:
            document = json.loads(content)
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
        path = folder / f"v{local}.json"
        if path.exists():
            result.kept.append(path)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        result.written.append(path)


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
    value = event.get("x-amazon-events-source") if isinstance(event, dict) else None
    return value if isinstance(value, str) and value else None


def _safe(text: str) -> str:
    cleaned = _SAFE.sub("-", text).strip(".-_") or "unnamed"
    return cleaned[:100]
