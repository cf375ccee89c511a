"""Compiled strategies, kept for the life of the process.

Compiling walks the schema and builds validators; drawing from a cached strategy costs
nothing of that. The key holds everything the strategy depends on: the registry's folder, the
schema and version, a digest of the documents, what is drawn (events or details) and the mode,
so an edited schema compiles afresh and the same request returns the very same object.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

CacheKey = tuple[str, str, int, str, str, bool]

_compiled: dict[CacheKey, st.SearchStrategy[Any]] = {}
_lock = threading.Lock()


def cached(key: CacheKey, build: Callable[[], st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    with _lock:
        found = _compiled.get(key)
    if found is not None:
        return found
    built = build()
    with _lock:
        return _compiled.setdefault(key, built)


def clear() -> None:
    """Forget every compiled strategy (tests that measure a cold build use it)."""
    with _lock:
        _compiled.clear()
