"""A generated sample event per version, built directly (STUB: replaced by the examples part)."""

from __future__ import annotations

from typing import Any

from eventcontracts.registry.model import SchemaVersion
from eventcontracts.registry.resolver import Resolver


def generated_event(version: SchemaVersion, resolver: Resolver) -> dict[str, Any] | None:
    """A realistic whole event that ``version`` accepts (checked with its validator), the same
    on every run; None when the direct builder cannot make one (the caller falls back)."""
    raise NotImplementedError
