"""Comparing the local registry with the remote one: what to create, what drifted."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from eventcontracts import bounded
from eventcontracts.registry.model import Registry, SchemaVersion
from eventcontracts.schema.canonical import canonical_text
from eventcontracts.sync import names
from eventcontracts.sync.remote import version_contents

DIGEST_TAG = "eventcontracts:digest"


@dataclass(frozen=True)
class Action:
    """One write: create the registry, or put local version ``version`` of ``schema``."""

    kind: str  # "create-registry", "create-schema", "update-schema", "tag", "delete-schema"
    schema: str = ""
    version: int = 0
    content: str = ""
    type: str = ""
    tags: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        if self.kind == "create-registry":
            return "create the registry"
        if self.kind == "tag":
            return f"tag {self.schema} as synced"
        if self.kind == "delete-schema":
            return f"delete {self.schema} and all its versions (not in git; --prune)"
        verb = "create" if self.kind == "create-schema" else "add to"
        return f"{verb} {self.schema}: local v{self.version}"


@dataclass
class Plan:
    registry_name: str
    actions: list[Action] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    # Local versions that cannot be synced as they are (a line each, saying what to do).
    problems: list[str] = field(default_factory=list)
    unchanged: int = 0
    reads: int = 0

    @property
    def writes(self) -> list[Action]:
        return [a for a in self.actions if a.kind != "tag"]


def local_digest(versions: list[SchemaVersion]) -> str:
    joined = "\0".join(canonical_text(v.document.content) for v in versions)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def plan(registry: Registry, registry_name: str, client: Any, *, prune: bool = False) -> Plan:
    """What ``apply`` will do to bring the remote registry to the local versions.

    Schemas on the registry that git does not have are drift, or with ``prune`` deletions
    (listed like every other write before anything is done). A local schema is synced to the
    registry schema ``pull`` would have filed into its folder (:mod:`names`), ``<source>@<Name>``
    when there is none.
    """
    result = Plan(registry_name)
    try:
        client.describe_registry(RegistryName=registry_name)
        result.reads += 1
        remote = _remote_schemas(client, registry_name, result)
    except client.exceptions.NotFoundException:
        result.actions.append(Action("create-registry"))
        remote = {}
    read: dict[str, list[str]] = {}  # remote contents already read, by schema name
    targets = _targets(registry, remote, client, registry_name, result, read)
    for local, schema in sorted(registry.schemas.items()):
        if not schema.versions:
            continue
        name = targets.get(local, local)
        digest = local_digest(schema.versions)
        summary = remote.pop(name, None)
        if (
            summary is not None
            and summary.get("Tags", {}).get(DIGEST_TAG) == digest
            and int(summary.get("VersionCount", 0)) == len(schema.versions)
        ):
            result.unchanged += 1
            continue
        if summary is None:
            remote_versions = []
        elif name in read:
            remote_versions = [_canonical(content) for content in read[name]]
        else:
            remote_versions = _remote_versions(client, registry_name, name, result)
        _plan_schema(result, name, schema.versions, remote_versions, digest)
    if prune:
        result.actions += [Action("delete-schema", name) for name in sorted(remote)]
    else:
        result.drift += [f"{name}: on the registry, not in git" for name in sorted(remote)]
    return result


def _plan_schema(
    result: Plan, name: str, local: list[SchemaVersion], remote: list[str], digest: str
) -> None:
    local_contents = [canonical_text(v.document.content) for v in local]
    for index, content in enumerate(remote):
        if index >= len(local_contents) or content != local_contents[index]:
            match = local_contents.index(content) + 1 if content in local_contents else None
            where = f"matches local v{match}" if match else "matches no local version"
            result.drift.append(f"{name}: remote version {index + 1} {where}; not synced")
            return
    repeated = _first_repeat(local_contents)
    if repeated is not None and repeated >= len(remote):
        # The registry makes a version only from content that differs from the latest one,
        # so this version would never arrive: say so, and sync the versions before it.
        result.problems.append(
            f"{name}: local v{local[repeated].version} has the same content as "
            f"v{local[repeated - 1].version} (the same JSON, whatever the formatting); the "
            "registry makes no new version of it, so it and the versions after it cannot be "
            f"synced: make v{local[repeated].version} a real change, or remove it"
        )
    for version in local[len(remote) : repeated]:
        kind = "create-schema" if version.version == 1 and not remote else "update-schema"
        # JSON files go as written; YAML ones as the JSON the registry stores.
        document = version.document
        content = document.text if document.syntax == "json" else json.dumps(document.content)
        result.actions.append(Action(kind, name, version.version, content, version.format.value))
    if repeated is None or repeated < len(remote):
        result.actions.append(Action("tag", name, tags=((DIGEST_TAG, digest),)))


def _first_repeat(contents: list[str]) -> int | None:
    """The index of the first version whose content equals the one before it, if any."""
    return next((i for i in range(1, len(contents)) if contents[i] == contents[i - 1]), None)


def _remote_schemas(client: Any, registry_name: str, result: Plan) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for page in client.get_paginator("list_schemas").paginate(RegistryName=registry_name):
        result.reads += 1
        for summary in page.get("Schemas", []):
            found[summary["SchemaName"]] = summary
    return found


def _targets(
    registry: Registry,
    remote: dict[str, dict[str, Any]],
    client: Any,
    registry_name: str,
    result: Plan,
    read: dict[str, list[str]],
) -> dict[str, str]:
    """The registry schema each local schema that has none of its own name is synced to: the
    one pull files into its folder (a name without ``<source>@``, or one whose content declares
    another source). Only registry schemas that could be one (their name gives a local schema's
    folder name) are read, in name order, as pull claims folders (names.owner)."""
    unmatched = {
        local: schema.folder.name
        for local, schema in registry.schemas.items()
        if schema.versions and local not in remote
    }
    folder_names = set(unmatched.values())
    targets: dict[str, str] = {}
    for name in sorted(remote):
        if name in registry.schemas or names.folder_name(name) not in folder_names:
            continue
        read[name] = _raw_versions(client, registry_name, name, result)
        identities = {
            identity
            for document in _parsed(read[name])
            if (identity := names.local_identity(name, document)) is not None
        }
        if len(identities) != 1:
            continue  # pull files it nowhere (or in two folders): it stays drift
        local = names.local_name(identities.pop())
        if local in unmatched and local not in targets:
            targets[local] = name
    return targets


def _parsed(contents: list[str]) -> Iterator[Any]:
    """The contents pull would file (bounded, as pull reads them)."""
    for content in contents:
        try:
            yield bounded.load_json(content)
        except (ValueError, bounded.Refused):
            continue


def _raw_versions(client: Any, registry_name: str, name: str, result: Plan) -> list[str]:
    """The remote versions' contents as stored, in version order."""

    def count() -> None:
        result.reads += 1

    return [content for _, content in version_contents(client, registry_name, name, count)]


def _remote_versions(client: Any, registry_name: str, name: str, result: Plan) -> list[str]:
    """The remote versions' contents, canonical, in version order."""
    return [_canonical(content) for content in _raw_versions(client, registry_name, name, result)]


def _canonical(content: str) -> str:
    try:
        return canonical_text(json.loads(content))
    except (ValueError, RecursionError):  # compared as text: differs from any local version
        return content
