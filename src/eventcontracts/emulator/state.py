"""The emulator's state: registries, their schemas and versions; kept in memory, optionally
saved to a JSON file atomically after every write and loaded again at start."""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from eventcontracts.errors import EventContractsError

STATE_FORMAT = 1
# mkstemp's random part: 8 of [a-z0-9_]. A temporary file is ".<state name>.<random>.tmp".
_TEMP_SUFFIX = ".tmp"
_RANDOM = r"[a-z0-9_]{8}"


class StateFileError(EventContractsError, ValueError):
    """The ``--state`` file exists but is not one the emulator wrote: it is left untouched.

    A ValueError too, as ``Emulator`` has always raised for a bad state file."""


def now_iso() -> str:
    """Now, as the rest-json ``iso8601`` timestamp format (UTC, milliseconds, ``Z``)."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class SchemaVersion:
    version: str
    type: str
    content: str
    created: str


@dataclass
class Schema:
    name: str
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    last_modified: str = field(default_factory=now_iso)
    versions: list[SchemaVersion] = field(default_factory=list)
    next_version: int = 1
    # UpdateSchema's ClientTokenId (an idempotencyToken in the model) -> the version that call
    # answered, newest last, so that a retried call makes no second version.
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def latest(self) -> SchemaVersion:
        return self.versions[-1]

    def version(self, number: str) -> SchemaVersion | None:
        return next((v for v in self.versions if v.version == number), None)

    def add_version(self, type_: str, content: str) -> SchemaVersion:
        stamp = now_iso()
        version = SchemaVersion(str(self.next_version), type_, content, stamp)
        self.next_version += 1
        self.versions.append(version)
        self.last_modified = stamp
        return version

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schema:
        versions = [SchemaVersion(**v) for v in data.pop("versions")]
        return cls(**data, versions=versions)


@dataclass
class Registry:
    name: str
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    schemas: dict[str, Schema] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Registry:
        schemas = {name: Schema.from_dict(s) for name, s in data.pop("schemas").items()}
        return cls(**data, schemas=schemas)


class State:
    """All registries behind one lock; ``save`` writes the file (if any) atomically."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.registries: dict[str, Registry] = {}
        if path is not None:
            self.remove_stale_temporary_files()
            if path.exists():
                self.load()

    def _temporary_file(self) -> re.Pattern[str]:
        assert self.path is not None
        return re.compile(rf"\.{re.escape(self.path.name)}\.{_RANDOM}{re.escape(_TEMP_SUFFIX)}")

    def remove_stale_temporary_files(self) -> None:
        """Delete the temporary files a save killed mid-way (kill -9) left beside the state.

        One process serves a state file, so at start every such file is a dead one's: the
        state file itself is whole (os.replace is atomic), and these would pile up."""
        assert self.path is not None
        if not self.path.parent.is_dir():
            return
        pattern = self._temporary_file()
        for entry in self.path.parent.iterdir():
            if pattern.fullmatch(entry.name) and entry.is_file() and not entry.is_symlink():
                with contextlib.suppress(OSError):
                    entry.unlink()

    def load(self) -> None:
        assert self.path is not None
        advice = "point --state at a new file, or move this one away"
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise StateFileError(f"{self.path}: cannot be read as JSON ({exc}); {advice}") from None
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            raise StateFileError(
                f"{self.path}: not an emulator state file (format {STATE_FORMAT}); {advice}"
            )
        try:
            self.registries = {
                name: Registry.from_dict(r) for name, r in data["registries"].items()
            }
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise StateFileError(
                f"{self.path}: damaged emulator state ({type(exc).__name__}: {exc}); {advice}"
            ) from None

    def save(self) -> None:
        if self.path is None:
            return
        data = {
            "format": STATE_FORMAT,
            "registries": {name: asdict(r) for name, r in self.registries.items()},
        }
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=_TEMP_SUFFIX, dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=1, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
