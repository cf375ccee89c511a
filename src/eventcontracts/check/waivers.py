"""Waivers: reviewed, expiring acceptances of named breaks. Nothing else silences the gate.

``eventcontracts-waivers.toml`` beside ``eventcontracts.toml``::

    [[waiver]]
    schema = "com.mycompany.orders@OrderCancelled"
    version = 2                 # the version the break is in (omit for schema-removed)
    rule = "C500"               # a rule ID (or its name)
    consumer = "shipping-service"   # optional, for K106: only the break of that consumer
    field = "detail.status"     # optional: only the break at that field (or JSON pointer)
    reason = "All consumers upgraded to v2 on 2026-11-20 (PLAT-1234)."
    expires = 2026-12-31
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventcontracts.config import did_you_mean, read_toml
from eventcontracts.errors import ConfigError

WAIVERS_FILE = "eventcontracts-waivers.toml"
# `schema = "*"`: a K107 waiver accepting a loosened default for every schema it covers (one
# reviewed decision, not one waiver per schema). No other rule takes it: a break is a schema's.
# A K110 waiver (a security setting the PR turns on) is about the settings file, no schema:
# it takes "*" alone.
EVERY_SCHEMA = "*"
LOOSENED = ("K107", "compatibility-loosened")
SECURITY = ("K110", "security-setting-changed")
# The header of one waiver, as TOML allows it: spaces inside the brackets, a quoted key, a
# comment after it (`[[ waiver ]]  # PLAT-1`).
WAIVER_HEADER = re.compile(r"""\s*\[\[\s*(?:waiver|"waiver"|'waiver')\s*\]\]\s*(?:#.*)?""")
# `waiver = [{...}, {...}]`: the waivers as an array of inline tables, all under this line.
WAIVER_ARRAY = re.compile(r"""\s*(?:waiver|"waiver"|'waiver')\s*=""")


@dataclass(frozen=True)
class Waiver:
    schema: str
    version: int | None
    rule: str
    reason: str
    expires: dt.date
    line: int  # where it starts, for messages (an array of inline tables shares one line)
    consumer: str | None = None
    field: str | None = None  # a detail path (detail.status) or a JSON pointer of the break

    def matches(
        self,
        schema: str,
        version: int | None,
        rule_id: str,
        rule_name: str,
        consumer: str | None = None,
        places: tuple[str | None, ...] = (),
    ) -> bool:
        """``places``: where the break is (its detail path, its pointer)."""
        return (
            self.schema in (schema, EVERY_SCHEMA)
            and (self.version is None or self.version == version)
            and self.rule in (rule_id, rule_name)
            and (self.consumer is None or self.consumer == consumer)
            and (self.field is None or self.field in places)
        )


def load_waivers(path: Path) -> list[Waiver]:
    """The waivers in ``path`` (none when nothing is there; anything but a file is refused:
    ignored, it would fail every waived break with no word of why)."""
    if not path.exists() and not path.is_symlink():
        return []
    if not path.is_file():  # a folder, a link to nothing, a pipe (which would block the read)
        kind = "a folder" if path.is_dir() else "not a regular file"
        raise ConfigError(
            f"{path}: {kind}; the waivers file is a TOML file of [[waiver]] tables: move what "
            "is there and write the file (or remove it: no waivers)"
        )
    try:
        text, raw = read_toml(path, "waivers file")
    except FileNotFoundError:
        return []
    # The declared waivers, read only when there is a file: pydantic is not free to import.
    from eventcontracts.check.waiver_model import read_waivers_file, waiver_problem

    entries = read_waivers_file(raw)
    text_lines = text.splitlines()
    count = len(raw["waiver"]) if isinstance(raw.get("waiver"), list) else 0
    lines = _waiver_lines(text_lines, count)
    if not isinstance(entries, list):
        raise _refusal(path, waiver_problem(entries), lines, text_lines)
    known = _gate_rules() if entries else set()
    for entry, line in zip(entries, lines, strict=True):
        if entry.rule not in known:
            raise ConfigError(
                f"{path}:{line}: rule {entry.rule!r} is no rule the gate reports"
                f"{did_you_mean(entry.rule, known)} (eventcontracts explain lists the C###, "
                "K### and P### rules)"
            )
    return [
        Waiver(
            entry.schema_name,
            entry.version,
            entry.rule,
            entry.reason.strip(),
            entry.expires,
            line,
            entry.consumer,
            entry.field,
        )
        for entry, line in zip(entries, lines, strict=True)
    ]


def _refusal(
    path: Path, problem: tuple[int | None, str | None, str], lines: list[int], text_lines: list[str]
) -> ConfigError:
    """The one line for what is wrong with the file, or with the waiver at ``lines[index]``."""
    from eventcontracts.check.waiver_model import WaiverEntry

    index, unknown, what = problem
    if index is None:
        if unknown is None:
            return ConfigError(f"{path}: {what}")
        return ConfigError(
            f"{path}: unknown table [{unknown}]{did_you_mean(unknown, ['waiver'])} (waivers "
            "are [[waiver]] tables)"
        )
    if unknown is None:
        return ConfigError(f"{path}:{lines[index]}: {what}")
    # An unknown key is not a restriction: left unread, the waiver would cover more.
    keys = WaiverEntry.keys()
    return ConfigError(
        f"{path}:{_key_line(text_lines, lines[index], unknown)}: unknown key {unknown!r} in a "
        f"waiver{did_you_mean(unknown, keys)} (a waiver has {', '.join(keys)})"
    )


def _waiver_lines(text_lines: list[str], count: int) -> list[int]:
    """The line each of ``count`` waivers starts at: its ``[[waiver]]`` header, or, for an
    array of inline tables, the ``waiver = [`` line (0: not found)."""
    headers = [n for n, line in enumerate(text_lines, start=1) if WAIVER_HEADER.fullmatch(line)]
    if len(headers) == count:
        return headers
    array = next((n for n, line in enumerate(text_lines, 1) if WAIVER_ARRAY.match(line)), 0)
    return [array] * count


def _gate_rules() -> set[str]:
    """The IDs and names of every rule a gate finding can carry."""
    from eventcontracts.check.rules import GATE_RULES
    from eventcontracts.compat.rules import RULES
    from eventcontracts.patterns.catalog import PATTERN_RULES

    catalogs: list[dict[str, Any]] = [RULES, GATE_RULES, PATTERN_RULES]
    return {
        word for catalog in catalogs for rule in catalog.values() for word in (rule.id, rule.name)
    }


def _key_line(text_lines: list[str], start: int, key: str) -> int:
    """The line of ``key = ...`` in the waiver that starts at line ``start``."""
    for number in range(start, len(text_lines)):
        stripped = text_lines[number].strip()
        if stripped.startswith("["):
            break
        if stripped.split("=", 1)[0].strip().strip("\"'") == key:
            return number + 1
    return start
