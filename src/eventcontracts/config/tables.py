"""The declared shape of ``eventcontracts.toml``: one model per table, and its mistakes in one
line each (the file, the key, what is wrong, what to do).

Loaded by :func:`eventcontracts.config.load_config` only when there is a file to read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from annotated_types import MinLen
from pydantic import AfterValidator, Field, ValidationError, WrapValidator, model_validator
from pydantic_core import ErrorDetails

from eventcontracts.config import MODES, POLICIES, REGISTRY_NAME_RE, python_name
from eventcontracts.errors import ConfigError
from eventcontracts.settings_model import (
    NOT_A_TABLE,
    UNKNOWN_KEY,
    SettingsTable,
    explanation,
    first_error,
    must_be,
    refused_as,
    table_or,
    valid_when,
)
from eventcontracts.wording import did_you_mean

NonEmpty = Annotated[str, MinLen(1)]
AnyString = Annotated[NonEmpty, must_be("a non-empty string")]
DISTRIBUTION_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")
RegistryName = Annotated[
    AnyString,
    valid_when(
        lambda name: REGISTRY_NAME_RE.match(name) is not None,
        "is not a valid EventBridge registry name; use 1-64 characters of letters, digits, "
        "'.', '-' and '_'",
    ),
]
PackageName = Annotated[
    AnyString,
    valid_when(
        python_name,
        "is not a Python package name; use letters, digits and underscores, not a keyword, "
        "e.g. mycompany_events",
    ),
]
ModuleName = Annotated[
    str,
    valid_when(python_name, "is not a Python module name"),
    # an entry of [codegen.modules] is told as it is written: "<source>" = <value>
    refused_as(
        lambda value: (
            f"= {value!r} is not a Python module name; use letters, digits and "
            "underscores, not a keyword, e.g. orders"
        )
    ),
]


def _distinct_modules(modules: dict[str, str]) -> dict[str, str]:
    """Two sources in one module would overwrite each other's classes."""
    seen: dict[str, str] = {}
    for source, name in modules.items():
        if name in seen:
            raise ValueError(
                f'"{source}" and [codegen.modules] "{seen[name]}" are both {name!r}; give '
                "each source its own module name"
            )
        seen[name] = source
    return modules


class RegistryTable(SettingsTable):
    """``[registry]``: where the schemas are, and the EventBridge registry they sync to."""

    path: AnyString = "registry"
    name: RegistryName = "eventcontracts"
    allow_remote_refs: Annotated[bool, must_be("true or false")] = Field(
        False, alias="allow-remote-refs"
    )


def _one_of(choices: tuple[str, ...]) -> WrapValidator:
    """A string among ``choices``; anything else (a number too) told with the choices."""

    def validate(value: Any, handler: Callable[[Any], Any]) -> Any:
        if not isinstance(value, str) or value not in choices:
            raise ValueError(f"{value!r} is not one of {', '.join(choices)}")
        return handler(value)

    return WrapValidator(validate)


class CompatibilityTable(SettingsTable):
    """``[compatibility]``, and ``[schemas."<name>"]``, which overrides the keys it sets."""

    mode: Annotated[str, _one_of(MODES)] = "FULL"
    policy: Annotated[str, _one_of(POLICIES)] = "lenient"


class LintTable(SettingsTable):
    """``[lint]``."""

    ignore: Annotated[list[str], must_be('a list of rule IDs, e.g. ["L060"]')] = Field(
        default_factory=list
    )


# npm's rules for a package name (validate-npm-package-name): lower case, URL-safe, an
# optional @scope/, at most 214 characters, no leading dot or underscore.
NPM_NAME = re.compile(r"(?:@[a-z0-9~-][a-z0-9._~-]*/)?[a-z0-9~-][a-z0-9._~-]*")
NPM_NAME_LENGTH = 214
NpmName = Annotated[
    AnyString,
    valid_when(
        lambda name: len(name) <= NPM_NAME_LENGTH and NPM_NAME.fullmatch(name) is not None,
        "is not an npm package name; use lower-case letters, digits, '-', '.', '_' and an "
        "optional @scope/, e.g. @mycompany/events",
    ),
]


class TypeScriptTable(SettingsTable):
    """``[codegen.typescript]``: the generated TypeScript package (none when the table is
    absent)."""

    out: AnyString = "generated-ts"
    # the npm name; by default [codegen]'s distribution name, in lower case
    package: NpmName | None = None
    module: Annotated[Literal["esm", "commonjs"], must_be('"esm" or "commonjs"')] = "esm"


class CodegenTable(SettingsTable):
    """``[codegen]``: the generated package."""

    package: PackageName = "events"
    distribution: AnyString | None = None  # the package's name with dashes
    out: AnyString = "generated"
    enums: Annotated[Literal["literal", "enum"], must_be('"literal" or "enum"')] = "literal"
    modules: Annotated[
        dict[str, ModuleName],
        AfterValidator(_distinct_modules),
        table_or('a table, e.g. "com.mycompany.orders" = "orders"'),
    ] = Field(default_factory=dict)
    field_names: Annotated[Literal["snake_case", "wire"], must_be('"snake_case" or "wire"')] = (
        Field("snake_case", alias="field-names")
    )
    typescript: Annotated[
        TypeScriptTable | None, table_or('a table, e.g. out = "generated-ts"')
    ] = None

    @property
    def distribution_name(self) -> str:
        return self.distribution or self.package.replace("_", "-")

    @model_validator(mode="after")
    def _valid_distribution(self) -> CodegenTable:
        if not DISTRIBUTION_NAME.fullmatch(self.distribution_name):
            raise ValueError(f"distribution {self.distribution_name!r} is not a valid name")
        return self

    @model_validator(mode="after")
    def _own_typescript_folder(self) -> CodegenTable:
        """Each package cleans up its own folder: the two must not share one."""
        if self.typescript is not None and os.path.normpath(
            self.typescript.out
        ) == os.path.normpath(self.out):
            raise ValueError(
                f"and [codegen.typescript] out are both {self.out!r}; give the TypeScript "
                'package its own folder, e.g. out = "generated-ts"'
            )
        return self


class RulesTable(SettingsTable):
    """``[rules]``: the bus-rule files checked against the schemas."""

    paths: Annotated[
        list[NonEmpty], must_be('a list of globs, e.g. ["rules/*.json", "infra/*.yaml"]')
    ] = Field(default_factory=list)


OwnerName = Annotated[
    str,
    valid_when(lambda name: bool(name.strip()), "is not a team name"),
    refused_as(lambda value: f'= {value!r} is not a team name; write e.g. "team-orders"'),
]


class CatalogTable(SettingsTable):
    """``[catalog]``: the event catalog site ``eventcontracts catalog build`` writes."""

    title: AnyString | None = None  # default: the registry name
    out: AnyString = "site"
    # who owns what is produced, by source or by schema name ("<source>@<Name>", which wins)
    owners: Annotated[
        dict[str, OwnerName],
        table_or('a table, e.g. "com.mycompany.orders" = "team-orders"'),
    ] = Field(default_factory=dict)


# An EventBridge bus: its name (PutEvents' EventBusName: 1-256 of [/.-_A-Za-z0-9]) or its ARN.
BUS_NAME = re.compile(
    r"(?:arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus/)?[/.\-_A-Za-z0-9]{1,256}"
)
BusName = Annotated[
    AnyString,
    valid_when(
        lambda name: BUS_NAME.fullmatch(name) is not None,
        "is not an EventBridge bus name; use 1-256 characters of letters, digits, '/', '.', "
        "'-' and '_' (or the bus's ARN), e.g. orders-bus",
    ),
]


class AsyncApiTable(SettingsTable):
    """``[asyncapi]``: the AsyncAPI documents ``eventcontracts asyncapi export`` writes."""

    bus: BusName = "default"  # the channel's address: the bus the sources put their events on
    out: AnyString = "asyncapi"


class ConfigFile(SettingsTable):
    """The whole file. A table's mistakes are checked in this order; a table that is not one
    is told as such (``[registry] must be a table``)."""

    # A table the file leaves out is its declared defaults (made without a validator of its own).
    registry: RegistryTable = RegistryTable.model_construct()
    compatibility: CompatibilityTable = CompatibilityTable.model_construct()
    # one table per schema name, each overriding [compatibility]
    schemas: dict[str, CompatibilityTable] = Field(default_factory=dict)
    lint: LintTable = LintTable.model_construct()
    codegen: CodegenTable = CodegenTable.model_construct()
    rules: RulesTable = RulesTable.model_construct()
    catalog: CatalogTable = CatalogTable.model_construct()
    asyncapi: AsyncApiTable = AsyncApiTable.model_construct()


# The model of each table, by its name in the file.
TABLES: dict[str, type[SettingsTable]] = {
    "registry": RegistryTable,
    "compatibility": CompatibilityTable,
    "schemas": CompatibilityTable,  # a table per schema name
    "lint": LintTable,
    "codegen": CodegenTable,
    "rules": RulesTable,
    "catalog": CatalogTable,
    "asyncapi": AsyncApiTable,
}


def read_config_file(
    raw: dict[str, Any], path: Path, lines: dict[tuple[str, ...], int], *, strict: bool
) -> ConfigFile:
    """``raw`` (the parsed TOML of ``path``) as its model; ConfigError, one line, if it is not
    one. Not ``strict``: unknown tables and keys are ignored instead of refused.

    An unknown key is told at its line in ``path`` as given, a wrong value in the file by its
    whole path (as the messages always were)."""
    try:
        return ConfigFile.read(raw, extra=None if strict else "ignore")
    except ValidationError as error:
        raise ConfigError(_message(first_error(error), path, lines)) from None


def _message(error: ErrorDetails, path: Path, lines: dict[tuple[str, ...], int]) -> str:
    keys = tuple(str(part) for part in error["loc"])
    if error["type"] == UNKNOWN_KEY:
        line = lines.get(keys)
        return f"{path}:{line}: {_unknown(keys)}" if line else f"{path}: {_unknown(keys)}"
    what = "must be a table" if error["type"] in NOT_A_TABLE else explanation(error)
    return f"{path.resolve()}: {_where(keys)} {what}"


def _unknown(keys: tuple[str, ...]) -> str:
    """An unknown table or key, the closest known one, and what there is."""
    *table, key = keys
    if not table:
        return (
            f"unknown table [{key}]{did_you_mean(key, TABLES)} "
            f"(the tables are {', '.join(f'[{name}]' for name in TABLES)})"
        )
    known = _table_model(tuple(table)).keys()
    label = _label(tuple(table))
    return (
        f"unknown key {key!r} in {label}{did_you_mean(key, known)} ({label} has {', '.join(known)})"
    )


# Tables declared inside another one, by their full path.
NESTED_TABLES: dict[tuple[str, ...], type[SettingsTable]] = {
    ("codegen", "typescript"): TypeScriptTable,
}


def _table_model(table: tuple[str, ...]) -> type[SettingsTable]:
    """The model of a table by its path (``[codegen.typescript]`` is its own table)."""
    return NESTED_TABLES.get(table, TABLES[table[0]])


def _label(table: tuple[str, ...]) -> str:
    """A table as its header is written: ``[codegen]``, ``[schemas."<name>"]``."""
    if table[0] == "schemas" and len(table) > 1:
        return f'[schemas."{table[1]}"]'
    return f"[{'.'.join(table)}]"


def _where(keys: tuple[str, ...]) -> str:
    """The table and key a value error is at: ``[codegen] package``, ``[schemas."x"]``,
    ``[codegen.modules] "com.a"`` (an entry of a table of the user's own keys)."""
    if keys[0] == "schemas":
        return " ".join((_label(keys[:2]), *keys[2:]))
    for table in (("codegen", "modules"), ("catalog", "owners")):  # tables of the user's keys
        if keys[:2] == table:
            return " ".join((f"[{'.'.join(table)}]", *(f'"{key}"' for key in keys[2:])))
    if keys[:2] in NESTED_TABLES:
        return " ".join((_label(keys[:2]), *keys[2:]))
    return " ".join((f"[{keys[0]}]", *keys[1:]))
