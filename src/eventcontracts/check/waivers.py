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
WAIVER_KEYS = ("schema", "version", "rule", "consumer", "field", "reason", "expires")
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
    entries = raw.get("waiver", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: waivers are [[waiver]] tables")
    for key in raw:
        if key != "waiver":
            raise ConfigError(
                f"{path}: unknown table [{key}]{did_you_mean(key, ['waiver'])} (waivers are "
                "[[waiver]] tables)"
            )
    text_lines = text.splitlines()
    lines = _waiver_lines(text_lines, len(entries))
    return [
        _waiver(path, entry, line, text_lines) for entry, line in zip(entries, lines, strict=True)
    ]


def _waiver_lines(text_lines: list[str], count: int) -> list[int]:
    """The line each of ``count`` waivers starts at: its ``[[waiver]]`` header, or, for an
    array of inline tables, the ``waiver = [`` line (0: not found)."""
    headers = [n for n, line in enumerate(text_lines, start=1) if WAIVER_HEADER.fullmatch(line)]
    if len(headers) == count:
        return headers
    array = next((n for n, line in enumerate(text_lines, 1) if WAIVER_ARRAY.match(line)), 0)
    return [array] * count


def _waiver(path: Path, entry: Any, line: int, text_lines: list[str]) -> Waiver:
    where = f"{path}:{line}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: a waiver is a table")
    for key in entry:
        if key not in WAIVER_KEYS:
            # An unknown key is not a restriction: left unread, the waiver would cover more.
            raise ConfigError(
                f"{path}:{_key_line(text_lines, line, key)}: unknown key {key!r} in a waiver"
                f"{did_you_mean(key, WAIVER_KEYS)} (a waiver has {', '.join(WAIVER_KEYS)})"
            )
    for key in ("schema", "rule", "reason", "expires"):
        if key not in entry:
            raise ConfigError(f"{where}: the waiver needs {key!r} (schema, rule, reason, expires)")
    schema, rule, reason = entry["schema"], entry["rule"], entry["reason"]
    if not all(isinstance(value, str) and value.strip() for value in (schema, rule, reason)):
        raise ConfigError(f"{where}: schema, rule and reason are non-empty strings")
    if schema == EVERY_SCHEMA and rule not in (*LOOSENED, *SECURITY):
        raise ConfigError(
            f'{where}: schema = "*" is for a K107 waiver only (accepting a loosened default '
            "for every schema), or a K110 one (a security setting); a break is waived for the "
            "schema it is in"
        )
    if rule in SECURITY and schema != EVERY_SCHEMA:
        raise ConfigError(
            f'{where}: a K110 waiver is about the settings file, not a schema: schema = "*"'
        )
    known = _gate_rules()
    if rule not in known:
        raise ConfigError(
            f"{where}: rule {rule!r} is no rule the gate reports{did_you_mean(rule, known)} "
            "(eventcontracts explain lists the C###, K### and P### rules)"
        )
    expires = entry["expires"]
    if isinstance(expires, dt.datetime):
        expires = expires.date()
    if not isinstance(expires, dt.date):
        raise ConfigError(f"{where}: expires is a date, e.g. expires = 2026-12-31")
    version = entry.get("version")
    if version is not None and (not isinstance(version, int) or version < 1):
        raise ConfigError(f"{where}: version is a positive integer")
    consumer = entry.get("consumer")
    if consumer is not None and not (isinstance(consumer, str) and consumer.strip()):
        raise ConfigError(f"{where}: consumer is the name of a consumers/<name>.yaml file")
    field = entry.get("field")
    if field is not None and not (isinstance(field, str) and field.strip()):
        raise ConfigError(
            f'{where}: field is where the break is, e.g. field = "detail.customer.firstName"'
        )
    return Waiver(schema, version, rule, reason.strip(), expires, line, consumer, field)


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
