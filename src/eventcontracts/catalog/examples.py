"""A generated sample event per version, built directly from its schema: no search.

The builder is the samples engine's (:mod:`eventcontracts.samples.event`), which
``eventcontracts sample`` uses too; the catalog takes its fixed event: the first of every
choice (the author's first example, the first enum value), fixed envelope values, ids derived
from the schema's name and version. The same on every run and machine; None where the direct
builder makes no valid event (the caller falls back to hypothesis).
"""

from __future__ import annotations

from eventcontracts.samples.event import generated_event, inline_event_schema

__all__ = ["generated_event", "inline_event_schema"]
