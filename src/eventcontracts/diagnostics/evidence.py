"""A finding's evidence (a counterexample event) as the formats show it."""

from __future__ import annotations

import json

from eventcontracts.findings import Evidence, printable

SHOWN_MAX = 300  # characters of a counterexample shown inline; the formats with room show all


def shown(evidence: Evidence) -> str:
    """The heart of a counterexample: a value at a place, a missing property, or the event."""
    example = evidence.example
    if example.get("missing"):
        text = f"{example['at'] or 'the event'} without {json.dumps(example['missing'])}"
    elif example.get("at"):
        value = json.dumps(example.get("value"), ensure_ascii=False, sort_keys=True)
        text = f"{example['at']} = {value}"
    else:
        text = json.dumps(example.get("event"), ensure_ascii=False, sort_keys=True)
    text = printable(text)
    return text if len(text) <= SHOWN_MAX else f"{text[: SHOWN_MAX - 3]}..."


def sentence(evidence: Evidence) -> str:
    """``counterexample (valid for v2, rejected by v3): detail.x = 1``."""
    return f"{evidence.label}: {shown(evidence)}"


def in_full(evidence: Evidence) -> str:
    """The whole counterexample as indented JSON, each line printable."""
    text = json.dumps(evidence.example, indent=2, ensure_ascii=False, sort_keys=True)
    return "\n".join(printable(line) for line in text.split("\n"))
