"""The compatibility engine: will consumers and producers that deploy independently keep working?

    >>> from eventcontracts.compat import compare
    >>> report = compare({"type": "string"}, {"type": "string", "maxLength": 3}, mode="BACKWARD")
    >>> report.compatible, report.changes[0].name
    (False, 'max-length-added')

``old`` and ``new`` are JSON Schema documents or EventBridge OpenApi3 documents (compared by
their ``AWSEvent`` schema). Modes are Confluent's; policies ``strict`` (Confluent's open content
model) and ``lenient`` (readers ignore properties they do not know).
"""

from __future__ import annotations

from typing import Any

from eventcontracts.compat.engine import Change, Report, compare_documents, compare_inputs
from eventcontracts.compat.inputs import InputError, SchemaInput, from_document, from_file
from eventcontracts.config import MODES


def compare(
    old: Any, new: Any, mode: str = "FULL", policy: str = "lenient", *, counterexamples: bool = True
) -> Report:
    """Compare two schema documents; ``report.compatible`` and ``report.changes`` say how.

    Every breaking change carries a counterexample (an event one side accepts and the other
    rejects, checked with jsonschema) unless ``counterexamples=False`` or none was found.
    """
    return compare_documents(old, new, mode=mode, policy=policy, counterexamples=counterexamples)


__all__ = [
    "MODES",
    "Change",
    "InputError",
    "Report",
    "SchemaInput",
    "compare",
    "compare_inputs",
    "from_document",
    "from_file",
]
