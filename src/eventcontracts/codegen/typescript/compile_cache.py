"""Compiled validators kept between runs: Ajv's compile is most of a TypeScript generate's time.

A validator's source depends only on what is compiled (the item: its schema, dialect, patterns,
runtime import), the module format, the checked formats and the compiler (ajv_compile.mjs and
the versions of the npm packages it runs). The cache is addressed by a hash of all of them, so
an entry can never be stale: a change anywhere is another key. `generate` after a one-schema
change and `generate --check` then compile only what changed.

The folder is ``$XDG_CACHE_HOME/eventcontracts/ts-validators-v2`` (``~/.cache/...``), or
``EVENTCONTRACTS_CACHE_DIR``/ts-validators-v2; ``EVENTCONTRACTS_CACHE_DIR=off`` turns it off. A
cache that cannot be read or written is no cache: generation never fails because of it. An entry
starts with the length of its text: one left truncated or empty (a crash between write and
rename on some filesystems, a full disk) is a miss, never a broken validator in the package.
(A length, not a hash: a --check reads thousands of entries, and hashing them costs more.)
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

# The entries' layout is versioned in the folder name: a tool that wrote another layout (an older
# or newer release sharing this user's cache) never reads these entries as validators.
FOLDER = "ts-validators-v2"

__all__ = ["ValidatorCache"]

OFF = "off"


def _folder() -> Path | None:
    chosen = os.environ.get("EVENTCONTRACTS_CACHE_DIR")
    if chosen == OFF:
        return None
    if chosen:
        return Path(chosen) / FOLDER
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eventcontracts" / FOLDER


class ValidatorCache:
    """Validator sources by the hash of everything they are compiled from."""

    def __init__(self, compiler: Path, node_modules: Path, packages: tuple[str, ...]) -> None:
        self._folder = _folder()
        identity = hashlib.sha256(compiler.read_bytes())
        for name in packages:  # the compiler's own version is part of every key
            try:
                identity.update((node_modules / name / "package.json").read_bytes())
            except OSError:
                self._folder = None
        self._identity = identity.hexdigest()

    def key(self, item: dict[str, Any], module: str, formats: list[str]) -> str:
        text = json.dumps(
            [self._identity, module, formats, item], sort_keys=True, ensure_ascii=False
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, key: str) -> str | None:
        if self._folder is None:
            return None
        try:
            entry = (self._folder / key[:2] / key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        length, _, source = entry.partition("\n")
        return source if length == str(len(source)) else None

    def put(self, key: str, source: str) -> None:
        if self._folder is None:
            return
        path = self._folder / key[:2] / key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside then renamed: a reader never sees half an entry.
            temporary = path.with_name(f"{key}.{os.getpid()}.tmp")
            temporary.write_text(f"{len(source)}\n{source}", encoding="utf-8")
            os.replace(temporary, path)
        except OSError:
            self._folder = None  # read-only or full: carry on without
