"""Settings from ``eventcontracts.toml``, found by walking up from the working directory."""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcontracts.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

CONFIG_FILE_NAME = "eventcontracts.toml"

MODES = (
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
    "NONE",
)
POLICIES = ("strict", "lenient")

# EventBridge's CreateRegistry limit: 1-64 characters of [.\-_A-Za-z0-9].
REGISTRY_NAME_RE = re.compile(r"^[.\-_A-Za-z0-9]{1,64}$")


@dataclass(frozen=True)
class Compatibility:
    mode: str = "FULL"
    policy: str = "lenient"


@dataclass(frozen=True)
class Codegen:
    """``[codegen]``: the generated package."""

    package: str = "events"  # its import name
    distribution: str = "events"  # its name on an index (pyproject [project] name)
    out: str = "generated"  # relative to the config file
    enums: str = "literal"  # "literal" (Literal["USD", ...]) or "enum" (an Enum class)
    # [codegen.modules]: a short subpackage name chosen for a source ("com.mycompany.orders" =
    # "orders"); other sources get the whole source as one identifier (com_mycompany_orders).
    modules: tuple[tuple[str, str], ...] = ()
    # "snake_case" (order_id, read and written as "orderId") or "wire" (orderId as it is)
    field_names: str = "snake_case"


@dataclass(frozen=True)
class Config:
    """The settings a run uses. ``root`` is the folder that holds the config file."""

    root: Path
    registry_path: Path
    registry_name: str = "eventcontracts"
    compatibility: Compatibility = field(default_factory=Compatibility)
    overrides: dict[str, Compatibility] = field(default_factory=dict)
    lint_ignore: tuple[str, ...] = ()
    allow_remote_refs: bool = False
    codegen: Codegen = field(default_factory=lambda: Codegen())
    # ``[rules] paths``: globs of bus-rule files (event patterns, templates), relative to root.
    rule_paths: tuple[str, ...] = ()
    file: Path | None = None

    def compatibility_for(self, schema_name: str) -> Compatibility:
        return self.overrides.get(schema_name, self.compatibility)


def find_config(start: Path) -> Path | None:
    """The nearest ``eventcontracts.toml`` in ``start`` or a parent folder."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Read the config file at ``path``, or the nearest one above ``start`` (default: cwd).

    With no config file anywhere, the defaults apply and the registry is ``./registry``.
    """
    if path is None:
        path = find_config((start or Path.cwd()).resolve())
        if path is None:
            root = (start or Path.cwd()).resolve()
            return Config(root=root, registry_path=root / "registry")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file; run 'eventcontracts init'") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return _parse(raw, path.resolve())


def _parse(raw: dict[str, Any], path: Path) -> Config:
    root = path.parent
    registry = _table(raw, "registry", path)
    registry_path = root / _string(registry, "path", path, "registry", "[registry] path")
    name = _string(registry, "name", path, "eventcontracts", "[registry] name")
    if not REGISTRY_NAME_RE.match(name):
        raise ConfigError(
            f"{path}: [registry] name {name!r} is not a valid EventBridge registry name; "
            "use 1-64 characters of letters, digits, '.', '-' and '_'"
        )
    allow_remote = registry.get("allow-remote-refs", False)
    if not isinstance(allow_remote, bool):
        raise ConfigError(f"{path}: [registry] allow-remote-refs must be true or false")

    compatibility = _compatibility(_table(raw, "compatibility", path), path, "[compatibility]")
    overrides: dict[str, Compatibility] = {}
    for schema_name, table in _table(raw, "schemas", path).items():
        where = f'[schemas."{schema_name}"]'
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {where} must be a table")
        overrides[schema_name] = _compatibility(table, path, where, default=compatibility)

    lint = _table(raw, "lint", path)
    ignore = lint.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(item, str) for item in ignore):
        raise ConfigError(f'{path}: [lint] ignore must be a list of rule IDs, e.g. ["L060"]')

    codegen = _codegen(_table(raw, "codegen", path), path)
    rule_paths = _table(raw, "rules", path).get("paths", [])
    if not isinstance(rule_paths, list) or not all(
        isinstance(item, str) and item for item in rule_paths
    ):
        raise ConfigError(
            f'{path}: [rules] paths must be a list of globs, e.g. ["rules/*.json", "infra/*.yaml"]'
        )
    return Config(
        root=root,
        registry_path=registry_path,
        codegen=codegen,
        registry_name=name,
        compatibility=compatibility,
        overrides=overrides,
        lint_ignore=tuple(ignore),
        allow_remote_refs=allow_remote,
        rule_paths=tuple(rule_paths),
        file=path,
    )


def _python_name(name: str) -> bool:
    """A name ``import`` accepts for a package: an identifier, not a keyword, not private."""
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and not keyword.issoftkeyword(name)
        and not name.startswith("_")
    )


def _codegen(table: dict[str, Any], path: Path) -> Codegen:
    package = _string(table, "package", path, "events", "[codegen] package")
    if not _python_name(package):
        raise ConfigError(
            f"{path}: [codegen] package {package!r} is not a Python package name; use letters, "
            "digits and underscores, not a keyword, e.g. mycompany_events"
        )
    distribution = _string(
        table, "distribution", path, package.replace("_", "-"), "[codegen] distribution"
    )
    if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?", distribution):
        raise ConfigError(f"{path}: [codegen] distribution {distribution!r} is not a valid name")
    out = _string(table, "out", path, "generated", "[codegen] out")
    enums = _string(table, "enums", path, "literal", "[codegen] enums")
    if enums not in ("literal", "enum"):
        raise ConfigError(f'{path}: [codegen] enums must be "literal" or "enum"')
    field_names = _string(table, "field-names", path, "snake_case", "[codegen] field-names")
    if field_names not in ("snake_case", "wire"):
        raise ConfigError(f'{path}: [codegen] field-names must be "snake_case" or "wire"')
    return Codegen(
        package=package,
        distribution=distribution,
        out=out,
        enums=enums,
        modules=_modules(table.get("modules", {}), path),
        field_names=field_names,
    )


def _modules(table: Any, path: Path) -> tuple[tuple[str, str], ...]:
    """``[codegen.modules]``: source -> subpackage name, each a Python name, all distinct."""
    if not isinstance(table, dict):
        raise ConfigError(
            f'{path}: [codegen.modules] must be a table, e.g. "com.mycompany.orders" = "orders"'
        )
    seen: dict[str, str] = {}
    for source, name in table.items():
        where = f'[codegen.modules] "{source}"'
        if not isinstance(name, str) or not _python_name(name):
            raise ConfigError(
                f"{path}: {where} = {name!r} is not a Python module name; use letters, digits "
                "and underscores, not a keyword, e.g. orders"
            )
        if name in seen:
            raise ConfigError(
                f'{path}: {where} and [codegen.modules] "{seen[name]}" are both {name!r}; give '
                "each source its own module name"
            )
        seen[name] = source
    return tuple(sorted(table.items()))


def _table(raw: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{key}] must be a table")
    return value


def _string(table: dict[str, Any], key: str, path: Path, default: str, where: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path}: {where} must be a non-empty string")
    return value


def _compatibility(
    table: dict[str, Any], path: Path, where: str, default: Compatibility | None = None
) -> Compatibility:
    base = default or Compatibility()
    mode = table.get("mode", base.mode)
    policy = table.get("policy", base.policy)
    if mode not in MODES:
        raise ConfigError(f"{path}: {where} mode {mode!r} is not one of {', '.join(MODES)}")
    if policy not in POLICIES:
        raise ConfigError(f"{path}: {where} policy {policy!r} is not one of strict, lenient")
    return Compatibility(mode=mode, policy=policy)
