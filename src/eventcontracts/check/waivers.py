"""Waivers: reviewed, expiring acceptances of named breaks. Nothing else silences the gate.

``eventcontracts-waivers.toml`` beside ``eventcontracts.toml``::

    [[waiver]]
    schema = "com.mycompany.orders@OrderCancelled"
    version = 2                 # the version the break is in (omit for schema-removed)
    rule = "C500"               # a rule ID (or its name)
    consumer = "shipping-service"   # optional, for K106: only the break of that consumer
    reason = "All consumers upgraded to v2 on 2026-11-20 (PLAT-1234)."
    expires = 2026-12-31
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventcontracts.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

WAIVERS_FILE = "eventcontracts-waivers.toml"


@dataclass(frozen=True)
class Waiver:
    schema: str
    version: int | None
    rule: str
    reason: str
    expires: dt.date
    line: int
    consumer: str | None = None

    def matches(
        self,
        schema: str,
        version: int | None,
        rule_id: str,
        rule_name: str,
        consumer: str | None = None,
    ) -> bool:
        return (
            self.schema == schema
            and (self.version is None or self.version == version)
            and self.rule in (rule_id, rule_name)
            and (self.consumer is None or self.consumer == consumer)
        )


def load_waivers(path: Path) -> list[Waiver]:
    """The waivers in ``path`` (none when the file does not exist)."""
    if not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the waivers ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    entries = raw.get("waiver", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: waivers are [[waiver]] tables")
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == "[[waiver]]"]
    return [
        _waiver(path, entry, lines[i] if i < len(lines) else 0) for i, entry in enumerate(entries)
    ]


def _waiver(path: Path, entry: Any, line: int) -> Waiver:
    where = f"{path}:{line}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: a waiver is a table")
    for key in ("schema", "rule", "reason", "expires"):
        if key not in entry:
            raise ConfigError(f"{where}: the waiver needs {key!r} (schema, rule, reason, expires)")
    schema, rule, reason = entry["schema"], entry["rule"], entry["reason"]
    if not all(isinstance(value, str) and value.strip() for value in (schema, rule, reason)):
        raise ConfigError(f"{where}: schema, rule and reason are non-empty strings")
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
    return Waiver(schema, version, rule, reason.strip(), expires, line, consumer)
