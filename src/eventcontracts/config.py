"""Settings from ``eventcontracts.toml``, found by walking up from the working directory."""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcontracts import bounded
from eventcontracts.errors import ConfigError
from eventcontracts.findings import printable

# Re-exported: check/ imports it from here.
from eventcontracts.wording import did_you_mean as did_you_mean

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

# Every table and key eventcontracts.toml may hold: anything else is a typo that would
# silently not apply (``[compatability]``, ``mdoe = "NONE"``), so it is refused.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "registry": ("path", "name", "allow-remote-refs"),
    "compatibility": ("mode", "policy"),
    "schemas": (),  # one table per schema name; each holds COMPATIBILITY_KEYS
    "lint": ("ignore",),
    "codegen": ("package", "distribution", "out", "enums", "modules", "field-names"),
    "rules": ("paths",),
}
# A [schemas."<name>"] table overrides the [compatibility] settings, so it takes their keys.
COMPATIBILITY_KEYS = TABLE_KEYS["compatibility"]

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
    # Where each setting is written: ("compatibility", "mode") or ("schemas", name, "mode")
    # (a table's own header under its path alone) -> its 1-based line in ``file``.
    lines: dict[tuple[str, ...], int] = field(default_factory=dict, compare=False)

    def compatibility_for(self, schema_name: str) -> Compatibility:
        return self.overrides.get(schema_name, self.compatibility)


def find_config(start: Path) -> Path | None:
    """The nearest ``eventcontracts.toml`` in ``start`` or a parent folder."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE_NAME
        if candidate.is_file():
            return candidate
    return None


# A settings file is a page of text; more than this is not one (``--config /dev/zero``).
MAX_SETTINGS_BYTES = 1024 * 1024


def read_toml(path: Path, what: str) -> tuple[str, dict[str, Any]]:
    """The text and table of a settings file (the config, the waivers), read within bounds;
    anything wrong is one ConfigError line (FileNotFoundError passes through)."""
    try:
        text = bounded.strip_bom(bounded.read_bytes(path, MAX_SETTINGS_BYTES).decode("utf-8"))
        raw = tomllib.loads(text)
        bounded.check_value(raw, text=None)
    except FileNotFoundError:
        raise
    except bounded.Refused as refused:
        raise ConfigError(f"{path}: {what}: {printable(refused)}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the {what} is not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {printable(exc)}") from None
    except (ValueError, RecursionError) as exc:  # a 5,000-digit integer, nesting too deep
        raise ConfigError(f"{path}: the {what} cannot be read: {printable(exc)}") from None
    return text, raw


def load_config(
    path: Path | None = None, *, start: Path | None = None, strict: bool = True
) -> Config:
    """Read the config file at ``path``, or the nearest one above ``start`` (default: cwd).

    With no config file anywhere, the defaults apply and the registry is ``./registry``.
    ``strict`` refuses unknown tables and keys; only the base ref's copy, which the branch
    cannot fix, is read without it. The commands read the file through
    :func:`eventcontracts.lint.settings.load_checked_config`, which also refuses rule IDs in
    ``[lint] ignore`` that name no lint rule.
    """
    if path is None:
        path = find_config((start or Path.cwd()).resolve())
        if path is None:
            root = (start or Path.cwd()).resolve()
            return Config(root=root, registry_path=root / "registry")
    try:
        text, raw = read_toml(path, "config file")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file; run 'eventcontracts init'") from None
    lines = setting_lines(text)
    if strict:
        _refuse_unknown_keys(raw, path, lines)
    return _parse(raw, path.resolve(), lines)


def _parse(raw: dict[str, Any], path: Path, lines: dict[tuple[str, ...], int]) -> Config:
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
        lines=lines,
    )


# --- strictness: what is not a setting is a mistake ---------------------------------------


def _refuse_unknown_keys(
    raw: dict[str, Any], path: Path, lines: dict[tuple[str, ...], int]
) -> None:
    def where(*keys: str) -> str:
        line = lines.get(keys)
        return f"{path}:{line}" if line else f"{path}"

    for key, value in raw.items():
        if key not in TABLE_KEYS:
            raise ConfigError(
                f"{where(key)}: unknown table [{key}]{did_you_mean(key, TABLE_KEYS)} "
                f"(the tables are {', '.join(f'[{name}]' for name in TABLE_KEYS)})"
            )
        if not isinstance(value, dict):
            continue  # the parser says it must be a table
        if key == "schemas":
            for schema_name, table in value.items():
                if isinstance(table, dict):
                    label = f'[schemas."{schema_name}"]'
                    _refuse_keys(table, COMPATIBILITY_KEYS, label, where, ("schemas", schema_name))
            continue
        _refuse_keys(value, TABLE_KEYS[key], f"[{key}]", where, (key,))


def _refuse_keys(
    table: dict[str, Any],
    known: tuple[str, ...],
    label: str,
    where: Any,
    keys: tuple[str, ...],
) -> None:
    for key in table:
        if key in known:
            continue
        raise ConfigError(
            f"{where(*keys, key)}: unknown key {key!r} in {label}{did_you_mean(key, known)} "
            f"({label} has {', '.join(known)})"
        )


# --- where each setting is written, for messages that point at its line --------------------

_HEADER = re.compile(r"^\s*\[\s*(?P<keys>[^\[\]]+?)\s*\]\s*(?:#.*)?$")
_SIMPLE_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*(?P<keys>{_SIMPLE_KEY}(?:\s*\.\s*{_SIMPLE_KEY})*)\s*=")
_PART = re.compile(
    r"""\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[A-Za-z0-9_-]+))\s*"""
)


def setting_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of each table header and key of a TOML text, by its full key path.

    Only for pointing at lines: a key inside a multi-line string could be mistaken for one,
    which costs at most a wrong line number, never a setting.
    """
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = _key_path(header["keys"])
            found.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            found.setdefault((*table, *_key_path(key["keys"])), number)
    return found


def _key_path(text: str) -> tuple[str, ...]:
    parts = []
    for part in re.findall(r"""(?:"[^"]*"|'[^']*'|[^.])+""", text):
        match = _PART.fullmatch(part)
        if match:
            parts.append(match["double"] or match["single"] or match["bare"] or "")
    return tuple(parts)


def python_name(name: str) -> bool:
    """A name ``import`` accepts for a package: an identifier, not a keyword, not private."""
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and not keyword.issoftkeyword(name)
        and not name.startswith("_")
    )


_python_name = python_name


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
