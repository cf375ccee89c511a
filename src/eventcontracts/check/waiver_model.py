"""The declared shape of ``eventcontracts-waivers.toml``: ``[[waiver]]`` tables of known keys.

An unknown key is not a restriction: left unread, the waiver would cover more than its author
meant, so it is refused like any other mistake. Loaded by :func:`load_waivers` only when there
is a waivers file.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from annotated_types import Gt
from pydantic import BeforeValidator, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from eventcontracts.check.waivers import EVERY_SCHEMA, LOOSENED, SECURITY
from eventcontracts.settings_model import (
    MISSING_KEY,
    NOT_A_TABLE,
    UNKNOWN_KEY,
    SettingsTable,
    explanation,
    refused_as,
    valid_when,
)

REQUIRED = ("schema", "rule", "reason", "expires")


def _day(value: Any) -> Any:
    """TOML's offset or local date-time, as the day it falls on; a waiver expires by the day."""
    return value.date() if isinstance(value, dt.datetime) else value


NOT_BLANK = valid_when(lambda text: bool(text.strip()), "is blank")
NAMED = "schema, rule and reason are non-empty strings"
Named = Annotated[str, NOT_BLANK, refused_as(lambda _: NAMED)]


class WaiverEntry(SettingsTable):
    """One ``[[waiver]]``: which break it accepts, why, and until when."""

    schema_name: Named = Field(alias="schema")
    version: Annotated[int, Gt(0), refused_as(lambda _: "version is a positive integer")] | None = (
        None
    )
    rule: Named
    consumer: (
        Annotated[
            str,
            NOT_BLANK,
            refused_as(lambda _: "consumer is the name of a consumers/<name>.yaml file"),
        ]
        | None
    ) = None
    field: (
        Annotated[
            str,
            NOT_BLANK,
            refused_as(
                lambda _: 'field is where the break is, e.g. field = "detail.customer.firstName"'
            ),
        ]
        | None
    ) = None
    reason: Named
    expires: Annotated[
        dt.date,
        BeforeValidator(_day),
        refused_as(lambda _: "expires is a date, e.g. expires = 2026-12-31"),
    ]

    @model_validator(mode="after")
    def _every_schema_only_for_settings_rules(self) -> WaiverEntry:
        if self.schema_name == EVERY_SCHEMA and self.rule not in (*LOOSENED, *SECURITY):
            raise ValueError(
                'schema = "*" is for a K107 waiver only (accepting a loosened default for every '
                "schema), or a K110 one (a security setting); a break is waived for the schema "
                "it is in"
            )
        if self.rule in SECURITY and self.schema_name != EVERY_SCHEMA:
            raise ValueError('a K110 waiver is about the settings file, not a schema: schema = "*"')
        return self


def _not_a_list(value: Any) -> Any:
    if not isinstance(value, list):
        raise ValueError("waivers are [[waiver]] tables")
    return value


class WaiversFile(SettingsTable):
    """The whole file: ``[[waiver]]`` tables and nothing else."""

    waiver: Annotated[
        list[WaiverEntry],
        BeforeValidator(_not_a_list),
    ] = Field(default_factory=list)


def read_waivers_file(raw: dict[str, Any]) -> list[WaiverEntry] | ErrorDetails:
    """The waivers of a parsed waivers file, or the one error to tell about it: an unknown
    table, else the first waiver that is wrong (its unknown key, else a missing one, else its
    first wrong value)."""
    try:
        return WaiversFile.read(raw).waiver
    except ValidationError as error:
        return min(error.errors(include_url=False), key=_told_first)


def _told_first(error: ErrorDetails) -> tuple[int, int, int]:
    """The file's own mistakes first (no list of waivers, then an unknown table), then waiver by
    waiver: its unknown key, else a missing one, else its first wrong value."""
    loc, kinds = error["loc"], (UNKNOWN_KEY, MISSING_KEY)
    if len(loc) == 1:
        return (0, 0 if loc == ("waiver",) else 1, 0)
    index = loc[1] if isinstance(loc[1], int) else 0
    return (1, index, kinds.index(error["type"]) if error["type"] in kinds else len(kinds))


def waiver_problem(error: ErrorDetails) -> tuple[int | None, str | None, str]:
    """(which waiver, the unknown key if that is the problem, what is wrong) of an error of
    :func:`read_waivers_file`; no waiver when the file itself is wrong."""
    loc = error["loc"]
    if len(loc) < 2 or not isinstance(loc[1], int):
        what = "waivers are [[waiver]] tables" if loc == ("waiver",) else explanation(error)
        return None, str(loc[0]) if error["type"] == UNKNOWN_KEY else None, what
    index, keys = loc[1], [str(part) for part in loc[2:]]
    if error["type"] == UNKNOWN_KEY:
        return index, keys[0], ""
    if error["type"] == MISSING_KEY:
        return index, None, f"the waiver needs {keys[0]!r} ({', '.join(REQUIRED)})"
    if error["type"] in NOT_A_TABLE and not keys:
        return index, None, "a waiver is a table"
    return index, None, explanation(error)
