"""TEMPORARY stand-in for the real strategies (feat/strategies): samples the example events."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from eventcontracts.registry import Registry


def events(
    schema: str, version: int | None = None, *, registry: Registry | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    assert registry is not None
    found = registry.schemas[schema]
    chosen = found.latest if version is None else found.version(version)
    return st.sampled_from([doc.content for doc in chosen.examples])
