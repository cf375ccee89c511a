"""Settings from ``eventcontracts.toml``, found by walking up from the working directory.

The file's tables are declared in :mod:`eventcontracts.config.tables` (pydantic, loaded only when
there is a file); this module holds what a run uses, :class:`Config`, plain dataclasses.
"""

from __future__ import annotations

import dataclasses
import keyword
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventcontracts import bounded
from eventcontracts.errors import ConfigError
from eventcontracts.findings import printable

# Re-exported: check/ imports it from here.
from eventcontracts.wording import did_you_mean as did_you_mean

if TYPE_CHECKING:
    from eventcontracts.config.tables import ConfigFile

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
class TypeScript:
    """``[codegen.typescript]``: the generated TypeScript package."""

    out: str = "generated-ts"  # relative to the config file
    package: str = "events"  # its npm name
    module: str = "esm"  # "esm" or "commonjs": package.json "type", the emitted module format


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
    # [codegen.typescript]: the TypeScript package too; None when the table is absent
    typescript: TypeScript | None = None


@dataclass(frozen=True)
class Catalog:
    """``[catalog]``: the event catalog site."""

    title: str | None = None  # default: the registry name
    out: str = "site"  # relative to the config file
    # who owns what is produced: a source, or a schema name ("<source>@<Name>", which wins)
    owners: tuple[tuple[str, str], ...] = ()

    def owner_of(self, schema_name: str, source: str) -> str | None:
        owners = dict(self.owners)
        return owners.get(schema_name, owners.get(source))


@dataclass(frozen=True)
class AsyncApi:
    """``[asyncapi]``: the AsyncAPI documents."""

    bus: str = "default"  # the bus the channel stands for (its address)
    out: str = "asyncapi"  # relative to the config file


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
    catalog: Catalog = field(default_factory=Catalog)
    asyncapi: AsyncApi = field(default_factory=AsyncApi)
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
    # The declared tables, read only when there is a file: pydantic is not free to import.
    from eventcontracts.config.tables import read_config_file

    return _config(read_config_file(raw, path, lines, strict=strict), path.resolve(), lines)


def _config(file: ConfigFile, path: Path, lines: dict[tuple[str, ...], int]) -> Config:
    """The settings a run uses, from the file's tables: paths made absolute, each
    ``[schemas."<name>"]`` filled in from ``[compatibility]``."""
    root = path.parent
    compatibility = Compatibility(file.compatibility.mode, file.compatibility.policy)
    overrides = {
        name: dataclasses.replace(
            compatibility,
            **{key: getattr(table, key) for key in table.model_fields_set},
        )
        for name, table in file.schemas.items()
    }
    codegen = file.codegen
    return Config(
        root=root,
        registry_path=root / file.registry.path,
        codegen=Codegen(
            package=codegen.package,
            distribution=codegen.distribution_name,
            out=codegen.out,
            enums=codegen.enums,
            modules=tuple(sorted(codegen.modules.items())),
            field_names=codegen.field_names,
            typescript=_typescript(codegen),
        ),
        registry_name=file.registry.name,
        compatibility=compatibility,
        overrides=overrides,
        lint_ignore=tuple(file.lint.ignore),
        allow_remote_refs=file.registry.allow_remote_refs,
        rule_paths=tuple(file.rules.paths),
        catalog=Catalog(
            title=file.catalog.title,
            out=file.catalog.out,
            owners=tuple(sorted(file.catalog.owners.items())),
        ),
        asyncapi=AsyncApi(bus=file.asyncapi.bus, out=file.asyncapi.out),
        file=path,
        lines=lines,
    )


def _typescript(codegen: Any) -> TypeScript | None:
    """``[codegen.typescript]`` as a run uses it: its npm name defaults to the Python
    distribution's name in lower case (a valid npm name: letters, digits, '.', '_', '-')."""
    table = codegen.typescript
    if table is None:
        return None
    package = table.package or codegen.distribution_name.lower()
    return TypeScript(out=table.out, package=package, module=table.module)


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
