"""One sample value per string format: a value that has the format, and for some a near miss.

Read where a plausible value of a ``format`` is built without a search (the base event of a
counterexample) and where values at the edge of a format are tried (a counterexample for a
changed format). A near miss is a string that looks like the format but is not it (a date where a
date-time is asked for): the value that tells a schema checking the format from one that does
not. Every format the runtime's models check (``runtime.types.FORMAT_TYPES``) has a sample.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormatSample:
    valid: str
    near_miss: str | None = None


SAMPLES: dict[str, FormatSample] = {
    "date-time": FormatSample("2026-11-23T10:15:30Z", near_miss="2026-11-23"),
    "date": FormatSample("2026-11-23"),
    "time": FormatSample("10:15:30Z"),
    "email": FormatSample("orders@example.com"),
    "idn-email": FormatSample("orders@example.com"),
    "uuid": FormatSample("6a7e8feb-b491-4cf7-a9f1-bf3703467718"),
    "uri": FormatSample("https://example.com/a"),
    "uri-reference": FormatSample("https://example.com/a"),
    "iri": FormatSample("https://example.com/a"),
    "hostname": FormatSample("example.com"),
    "idn-hostname": FormatSample("example.com"),
    "ipv4": FormatSample("192.0.2.1"),
    "ipv6": FormatSample("2001:db8::1"),
    "duration": FormatSample("PT1M"),
    "regex": FormatSample("a"),
    "json-pointer": FormatSample("/a"),
    "relative-json-pointer": FormatSample("0"),
}


def sample(format_name: object) -> str | None:
    """A value of the format, None for a format without a sample (or no format at all)."""
    found = SAMPLES.get(format_name) if isinstance(format_name, str) else None
    return found.valid if found is not None else None
