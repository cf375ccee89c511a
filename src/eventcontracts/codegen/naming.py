"""Python names for schema names, sources and versions: valid, unique, and never code.

Schema names, titles and sources are untrusted input: whatever they hold, what reaches the
generated code is an identifier checked with ``str.isidentifier`` (or a string literal written
with ``repr``), never text pasted into source.
"""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata

# Names a generated class or module must not take: they would shadow what the code uses.
RESERVED = frozenset(
    {"EventModel", "EventEnvelope", "ClassVar", "Annotated", "Field", "Literal", "publish"}
)


def identifier(text: str, *, fallback: str) -> str:
    """``text`` as a Python identifier: unicode letters kept, everything else an underscore."""
    normal = unicodedata.normalize("NFKC", text)
    cleaned = re.sub(r"\W+", "_", normal).strip("_")
    if cleaned and cleaned[0].isdigit():
        cleaned = f"_{cleaned}"
    if not cleaned or not cleaned.isidentifier():
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        cleaned = f"{fallback}_{digest}"
    if keyword.iskeyword(cleaned) or keyword.issoftkeyword(cleaned) or cleaned.startswith("__"):
        cleaned = f"{cleaned}_"
    return cleaned


def class_name(schema_name: str) -> str:
    """PascalCase class name of a schema folder name (``OrderCreated``, ``order-created``)."""
    words = re.split(r"[\W_]+", unicodedata.normalize("NFKC", schema_name))
    joined = "".join(word[:1].upper() + word[1:] for word in words if word)
    name = identifier(joined, fallback="Event")
    return f"{name}Event_" if name in RESERVED else name


def module_name(schema_name: str, version: int) -> str:
    """``order_created_v2`` for version 2 of ``OrderCreated``."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", unicodedata.normalize("NFKC", schema_name))
    return f"{identifier(snake.lower(), fallback='event')}_v{version}"


def source_packages(sources: list[str]) -> dict[str, str]:
    """A subpackage name per event source: its last segment (``com.mycompany.orders`` ->
    ``orders``) unless two sources share it, then the whole source."""
    short = {
        source: identifier(source.rsplit(".", 1)[-1].lower(), fallback="source")
        for source in sources
    }
    counts: dict[str, int] = {}
    for name in short.values():
        counts[name] = counts.get(name, 0) + 1
    chosen = {
        source: name if counts[name] == 1 else identifier(source.lower(), fallback="source")
        for source, name in short.items()
    }
    return _unique(chosen)


def unique_names(names: dict[str, str]) -> dict[str, str]:
    """The same mapping with repeated values made distinct (``Name``, ``Name_2``, ...)."""
    return _unique(names)


def _unique(names: dict[str, str]) -> dict[str, str]:
    seen: dict[str, int] = {}
    result = {}
    for key in sorted(names):
        name = names[key]
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        result[key] = name
    return result
