"""Which string formats a sample value has, as the validators will check them.

A format is inferred only when every string at a path has it, and only formats whose check is
the one validation runs: ``date-time`` (RFC 3339, with a time zone), ``date``, ``uuid`` and
``email`` are asked of ``jsonschema``'s :class:`~jsonschema.FormatChecker`, the checker the
registry's validators (lint, import, drift) use, so every sample validates against what is
inferred. Two are held to a stricter rule than the checker's, because the checker's accepts far
more than anyone would call the format:

- ``email``: the checker asks only for an ``@``; inferred for ``local@domain.tld`` alone (no
  spaces, one ``@``, a dot in the domain), so ``version@1`` or ``a@b`` stay plain strings;
- ``uri``: the checker checks it only with the optional ``rfc3987`` package, which the tool does
  not depend on, so it is inferred by this module's own rule: an absolute URI with an authority
  (``scheme://host...``, no spaces). ARNs and ``urn:`` names are URIs to RFC 3986 but not what a
  reader expects of a ``uri`` field, so they stay strings. Validation does not check it: the
  format documents the field.
"""

from __future__ import annotations

import re
from functools import cache

import jsonschema

# Tried in this order; the first one every sample has is the one inferred.
FORMATS = ("date-time", "date", "uuid", "email", "uri")

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#@]*@?[^\s/?#]+[^\s]*")
# Longer strings are not dates, ids or addresses: not worth checking.
_LONGEST = 2048


@cache
def _checker() -> jsonschema.FormatChecker:
    return jsonschema.FormatChecker(("date-time", "date", "uuid", "email"))


def formats_of(value: str) -> frozenset[str]:
    """Every format of :data:`FORMATS` that ``value`` has."""
    if not value or len(value) > _LONGEST:
        return frozenset()
    checker = _checker()
    found = {name for name in ("date-time", "date", "uuid") if checker.conforms(value, name)}
    if "@" in value and _EMAIL.fullmatch(value) and checker.conforms(value, "email"):
        found.add("email")
    if "://" in value and _URI.fullmatch(value):
        found.add("uri")
    return frozenset(found)


def chosen_format(formats: frozenset[str] | None) -> str | None:
    """The format to write for a path whose strings all have ``formats``."""
    for name in FORMATS:
        if formats and name in formats:
            return name
    return None
