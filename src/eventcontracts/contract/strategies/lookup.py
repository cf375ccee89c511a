"""Finding the schema version a strategy is for: the registry, the schema name, the version.

Schema names come from test code and the command line; they are only ever used as keys and
shown with ``repr``, so a hostile name cannot reach a path or a terminal as anything else.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

from eventcontracts.config import CONFIG_FILE_NAME, Config
from eventcontracts.errors import EventContractsError
from eventcontracts.lint.settings import load_checked_config
from eventcontracts.registry import Registry, Resolver, Schema, SchemaVersion, load_registry

# How many names an error lists before it says "and N more".
_LISTED = 8


def no_detail(version: SchemaVersion) -> EventContractsError:
    """An event without its detail is no sample of the schema: say what lint says (L105)."""
    return EventContractsError(
        f"{version.path}: {version.schema_name} v{version.version} has no detail schema "
        "(no properties.detail); run 'eventcontracts lint' (L105) and put the detail under "
        "properties.detail, or adopt the file with 'eventcontracts import'"
    )


@dataclass(frozen=True)
class Target:
    """One schema version, with the resolver its refs resolve through."""

    registry: Registry
    resolver: Resolver
    schema: Schema
    version: SchemaVersion

    @property
    def digest(self) -> str:
        """What the compiled strategy depends on: the version file and the shared documents."""
        hasher = hashlib.sha256(self.version.document.text.encode("utf-8"))
        for shared in sorted(self.registry.shared, key=lambda document: document.uri):
            hasher.update(b"\0" + shared.uri.encode("utf-8") + b"\0")
            hasher.update(shared.text.encode("utf-8"))
        return hasher.hexdigest()


RegistryLike = Registry | Config | Path | str | None


def open_registry(registry: RegistryLike) -> tuple[Registry, bool]:
    """The registry ``registry`` names, and whether remote refs are allowed for it.

    ``None``: the one ``eventcontracts.toml`` (found from the working folder upwards) names;
    a path: a registry folder, or a project folder holding ``eventcontracts.toml``; a
    :class:`Config`: its registry, under its ``allow-remote-refs``. Files that did not load
    are in its ``problems``: :func:`find_target` refuses those the target needs.
    """
    if isinstance(registry, Registry):
        return registry, False
    if isinstance(registry, Config):
        return _load_project(registry), registry.allow_remote_refs
    folder = Path(registry) if registry is not None else None
    if folder is None or (folder / CONFIG_FILE_NAME).is_file():
        config = load_checked_config(folder / CONFIG_FILE_NAME if folder is not None else None)
        return _load_project(config), config.allow_remote_refs
    return load_registry(folder), False


def _load_project(config: Config) -> Registry:
    return load_registry(config.registry_path, display_base=config.root)


def find_schema(registry: Registry, name: str) -> Schema:
    """The schema called ``name`` (``source@Name``), or the one schema whose bare name it is."""
    if not isinstance(name, str) or not name:
        raise EventContractsError(
            "a schema name is needed, e.g. 'com.mycompany.orders@OrderCreated'"
        )
    found = registry.schemas.get(name)
    if found is not None:
        return found
    if "@" not in name:
        candidates = [
            schema for key, schema in registry.schemas.items() if key.split("@", 1)[-1] == name
        ]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            raise EventContractsError(
                f"schema {_shown(name)} is ambiguous: it is "
                f"{_listing([schema.name for schema in candidates])}; name it as source@Name"
            )
    known = sorted(registry.schemas)
    if not known:
        raise EventContractsError(
            f"schema {_shown(name)}: the registry at {registry.root} is empty"
        )
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if not close and "@" not in name:  # a bare name with a typo: compare bare names
        bare = {key.split("@", 1)[-1]: key for key in known}
        close = [bare[match] for match in difflib.get_close_matches(name, list(bare), n=1)]
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise EventContractsError(
        f"no schema {_shown(name)} in the registry{hint} (it has {_listing(known)})"
    )


def find_version(schema: Schema, version: int | None) -> SchemaVersion:
    """Version ``version`` of ``schema``; its latest for ``None``."""
    if not schema.versions:
        raise EventContractsError(f"schema {schema.name!r} has no loadable version")
    if version is None:
        return schema.latest
    if isinstance(version, bool) or not isinstance(version, int):
        raise EventContractsError(f"version must be a whole number, not {version!r}")
    for candidate in schema.versions:
        if candidate.version == version:
            return candidate
    numbers = ", ".join(str(candidate.version) for candidate in schema.versions)
    raise EventContractsError(
        f"schema {schema.name!r} has no version {version}; its versions are {numbers}"
    )


def find_target(schema: str, version: int | None, registry: RegistryLike) -> Target:
    loaded, allow_remote = open_registry(registry)
    found = find_schema(loaded, schema)
    # A broken file of another schema does not stop this one; one of its own, or a shared
    # document its refs may need, does (a missing version must not make another the latest).
    loaded.require_clean(for_schema=found)
    chosen = find_version(found, version)
    return Target(loaded, Resolver(loaded, allow_remote_refs=allow_remote), found, chosen)


def _shown(name: str) -> str:
    """A name as an error shows it: quoted, escaped, and cut short when very long."""
    return repr(name if len(name) <= 200 else name[:200] + "...")


def _listing(names: list[str]) -> str:
    shown = ", ".join(repr(name) for name in names[:_LISTED])
    more = f" and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
    return shown + more
