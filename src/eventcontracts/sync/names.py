"""Which local schema a registry schema is: the one rule ``pull`` files by and ``sync`` finds by.

A local schema is the folder ``registry/<source>/<Name>``, and ``sync`` names it
``<source>@<Name>`` on the registry. A registry filled by hand may name it otherwise:
``OrderCreated`` (no ``@``), or ``s1@Same`` declaring another source in its content. ``pull``
files such a schema by what it declares (:func:`local_identity`), and ``sync`` must then write
to the schema ``pull`` read, not create a second one beside it: both ask this module.

When several registry schemas would file into one folder, the one ``sync`` itself would name
(``<source>@<Name>``) is that folder's schema; else the first by name (:func:`owner`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from eventcontracts.schema.keywords import SOURCE_KEY

# A schema folder name must be usable on every file system and must not climb out of the
# registry (the source folder is encoded, reversibly, by sourcefolder).
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def folder_name(remote_name: str) -> str:
    """The ``<Name>`` folder a registry schema goes to: the part of its name after ``@`` (the
    whole name without one), made a safe folder name."""
    short = remote_name.rpartition("@")[2]
    cleaned = _SAFE.sub("-", short or remote_name).strip(".-_") or "unnamed"
    return cleaned[:100]


def local_identity(remote_name: str, document: Any) -> tuple[str, str] | None:
    """``(source, Name)``: the folder ``registry/<source>/<Name>`` one version of
    ``remote_name`` belongs in. The source is the one the content declares, else the name's part
    before ``@``; None without either."""
    source = declared_source(document) or remote_name.rpartition("@")[0]
    if not source:
        return None
    return source, folder_name(remote_name)


def local_name(identity: tuple[str, str]) -> str:
    """The name the loader (and so ``sync``) gives the schema in that folder."""
    source, name = identity
    return f"{source}@{name}"


def owner(local: str, remote_names: Iterable[str]) -> str:
    """Of the registry schemas that file into local schema ``local``, the one that is it."""
    names = sorted(remote_names)
    return local if local in names else names[0]


def declared_source(document: Any) -> str | None:
    """The ``x-amazon-events-source`` of an OpenApi3 (``AWSEvent``) or JSON Schema document."""
    if not isinstance(document, dict):
        return None
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    event = schemas.get("AWSEvent") if isinstance(schemas, dict) else document
    value = event.get(SOURCE_KEY) if isinstance(event, dict) else None
    return value if isinstance(value, str) and value else None
