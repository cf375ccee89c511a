"""``eventcontracts init``: what a repository needs to adopt the tool."""

from __future__ import annotations

import re
from pathlib import Path

from eventcontracts.config import CONFIG_FILE_NAME, REGISTRY_NAME_RE
from eventcontracts.errors import ConfigError

CONFIG_TEMPLATE = """\
# eventcontracts settings (https://github.com/eventcontracts/eventcontracts). Paths are
# relative to this file.

[registry]
# Where the versioned schemas live: {registry}/<source>/<Name>/v<N>.json
path = "{registry}"
# The EventBridge Schema Registry that `eventcontracts sync` writes to.
name = "{name}"

[compatibility]
# Default for every schema. FULL: consumers on the old and on the new version both keep working.
# lenient: consumers ignore properties they do not know.
mode = "FULL"
policy = "lenient"

# Per-schema overrides, keyed by the registry schema name <source>@<Name>:
# [schemas."com.example.orders@OrderCreated"]
# mode = "BACKWARD"

[lint]
# Rule IDs to skip everywhere (see `eventcontracts explain`).
ignore = []

[codegen]
# The typed package `eventcontracts generate` writes: import name, distribution name, folder.
package = "{package}"
distribution = "{distribution}"
out = "generated"
# "literal" (Literal["USD", ...]) or "enum" (Enum classes).
enums = "literal"

# One subpackage per event source, named after all of the source (com.example.orders ->
# {package}.com_example_orders). Give a source a shorter name here; names never change by
# themselves when schemas are added.
# [codegen.modules]
# "com.example.orders" = "orders"

# EventBridge rules `eventcontracts rules check` checks against the schemas (globs):
# [rules]
# paths = ["rules/*.json", "infra/*.yaml"]
"""

REGISTRY_README = """\
# Event schema registry

One folder per event source, one folder per event, one file per version:

    {registry}/<source>/<Name>/v1.json           OpenApi3 or JSON Schema (draft-04 .. 2020-12)
    {registry}/<source>/<Name>/v2.yaml           versions are 1, 2, 3, ... without gaps
    {registry}/<source>/<Name>/examples/v1/*.json  sample events, checked by `eventcontracts lint`
    {registry}/<source>/<Name>/consumers/<name>.yaml  what a consumer reads, kept working by `check`
    {registry}/_shared/*.json                     definitions that versions `$ref`

A published version never changes: a change is a new version file.
"""


def default_registry_name(folder: Path) -> str:
    name = re.sub(r"[^.\-_A-Za-z0-9]+", "-", folder.resolve().name).strip("-")[:64]
    return name if name and REGISTRY_NAME_RE.match(name) else "events"


def default_package_name(folder: Path) -> str:
    """``<folder>_events`` as a Python package name (``events`` when the folder's name has
    nothing usable)."""
    stem = re.sub(r"[^a-z0-9]+", "_", folder.resolve().name.lower()).strip("_")
    name = f"{stem}_events" if stem else "events"
    return name if name.isidentifier() and not name[0].isdigit() else "events"


def init_project(
    folder: Path, *, registry: str = "registry", name: str | None = None, force: bool = False
) -> list[Path]:
    """Write the config and an empty registry; the paths written, in order."""
    config_path = folder / CONFIG_FILE_NAME
    if config_path.exists() and not force:
        raise ConfigError(
            f"{config_path}: already exists; edit it, or pass --force to overwrite it"
        )
    registry_name = name or default_registry_name(folder)
    if not REGISTRY_NAME_RE.match(registry_name):
        raise ConfigError(
            f"registry name {registry_name!r} is not valid for EventBridge; use 1-64 characters "
            "of letters, digits, '.', '-' and '_'"
        )
    written = []
    folder.mkdir(parents=True, exist_ok=True)
    package = default_package_name(folder)
    config_path.write_text(
        CONFIG_TEMPLATE.format(
            registry=registry,
            name=registry_name,
            package=package,
            distribution=package.replace("_", "-"),
        ),
        encoding="utf-8",
    )
    written.append(config_path)
    registry_dir = folder / registry
    registry_dir.mkdir(parents=True, exist_ok=True)
    readme = registry_dir / "README.md"
    if not readme.exists():
        readme.write_text(REGISTRY_README.format(registry=registry), encoding="utf-8")
        written.append(readme)
    return written
