"""File names of the schema pages: safe on every file system and on S3, and never shared.

A name is kept as it is when it only holds ``[A-Za-z0-9._-]`` and no other name differs from it
only in case (S3 tells ``a`` from ``A``; macOS and Windows do not, so one page would overwrite
the other there). Otherwise every other character becomes ``_`` and the first 8 hex digits of
the name's sha256 are added, so two names that read alike stay two pages.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
# File names end at 255 bytes on most file systems: a longer name is cut, and its digest added.
_LONGEST = 120


def page_slugs(names: Iterable[str]) -> dict[str, str]:
    """The page file stem of each schema name (without ``.html``). A name starting with a dot
    is changed too: a hidden file is easily left out of an upload."""
    names = sorted(set(names))
    folded = Counter(name.casefold() for name in names)
    slugs: dict[str, str] = {}
    for name in names:
        safe = _UNSAFE.sub("_", name)
        clash = folded[name.casefold()] > 1
        if safe != name or clash or safe.startswith(".") or len(safe) > _LONGEST:
            digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
            safe = f"{safe[:_LONGEST]}-{digest}"
        slugs[name] = safe
    return slugs


def anchor_slug(text: str) -> str:
    """An ``id`` (and link fragment) of safe characters only; text that had to change gets
    its digest, so two names never share an anchor."""
    safe = _UNSAFE.sub("-", text)[:_LONGEST]
    if safe != text or not safe:
        safe = f"{safe}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"
    return safe


def source_anchor(source: str) -> str:
    """The anchor of a source's section on index.html."""
    return f"source-{anchor_slug(source)}"


def consumer_anchor(name: str) -> str:
    """The anchor of a consumer on consumers.html."""
    return f"consumer-{anchor_slug(name)}"
