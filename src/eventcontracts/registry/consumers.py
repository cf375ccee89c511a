"""Consumer expectations: what one consumer of an event reads, declared beside the schema.

``registry/<source>/<Name>/consumers/<consumer>.yaml`` (or ``.json``)::

    consumer: shipping-service        # optional; when given it is the file's stem
    owner: team-fulfilment            # optional, shown with every finding
    versions: [1, 2]                  # the versions it is written against
    reads:
      - field: orderId                # a path in the event's detail
      - field: items[].quantity       # ``[]`` steps into an array's items
        type: integer
        maximum: 1000
      - field: couponCode
        required: false               # read when present

Each read may constrain the value with a small part of JSON Schema (``FIELD_KEYWORDS``); the
whole file is a reader schema of the event (:mod:`eventcontracts.check.consumers` builds it).
Parsing never raises: a malformed file comes back as (pointer, message) pairs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eventcontracts.registry.consumer_schema import shape_problems
from eventcontracts.registry.documents import Document
from eventcontracts.schema.pointer import join
from eventcontracts.wording import did_you_mean

CONSUMERS_DIR = "consumers"
TOP_LEVEL_KEYS = ("consumer", "owner", "description", "versions", "reads")
READ_KEYS = ("field", "required", "description")
JSON_TYPES = ("string", "number", "integer", "boolean", "object", "array", "null")
# A step of a field path: a property name (no dots, brackets or spaces), then one ``[]`` per
# level of array it steps into.
_STEP = re.compile(r"(?P<name>[^.\[\]\s]+)(?P<arrays>(?:\[\])*)")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@dataclass(frozen=True)
class Step:
    """``items[]``: the property ``items``, then into its array items (``arrays`` levels)."""

    name: str
    arrays: int = 0


@dataclass(frozen=True)
class FieldRead:
    """One field a consumer reads: where, how sure it is to be there, what values it handles.

    ``constraints`` are JSON Schema keywords on the field's value; ``pointer`` is where the
    read is written in the consumer file.
    """

    field: str
    steps: tuple[Step, ...]
    required: bool
    constraints: dict[str, Any]
    pointer: str


@dataclass
class ConsumerExpectation:
    """What one consumer reads of one schema's events."""

    name: str
    owner: str | None
    versions: tuple[int, ...]
    reads: tuple[FieldRead, ...]
    document: Document

    @property
    def oldest(self) -> int:
        """The oldest version it is written against: every later one must keep it working."""
        return min(self.versions)

    @property
    def label(self) -> str:
        """``shipping-service (team-fulfilment)``: how findings name it."""
        return f"{self.name} ({self.owner})" if self.owner else self.name

    def line_of(self, read: FieldRead) -> int | None:
        return self.document.line_of(read.pointer)


Problems = list[tuple[str, str]]  # (JSON pointer in the consumer file, message)


def parse_path(text: str) -> tuple[Step, ...] | None:
    """``shippingAddress.country`` or ``items[].sku`` as steps; None when it is not a path."""
    steps = []
    for part in text.split("."):
        match = _STEP.fullmatch(part)
        if match is None:
            return None
        steps.append(Step(match["name"], len(match["arrays"]) // 2))
    return tuple(steps)


def parse_consumer(document: Document, stem: str) -> ConsumerExpectation | Problems:
    """The expectation in ``document`` (a file named ``<stem>.yaml``), or what is wrong."""
    content = document.content
    if not isinstance(content, dict):
        return [("", "a consumer file is a mapping with versions and reads")]
    problems: Problems = [
        (
            join("", key),
            f"unknown key {key!r}{did_you_mean(key, TOP_LEVEL_KEYS)} (a consumer file has "
            f"{', '.join(TOP_LEVEL_KEYS)})",
        )
        for key in content
        if key not in TOP_LEVEL_KEYS
    ]
    name = _consumer_name(content, stem, problems)
    owner = content.get("owner")
    if owner is not None and not (isinstance(owner, str) and owner.strip() and owner.isprintable()):
        problems.append(("/owner", "owner is a one-line string, e.g. team-fulfilment"))
    versions = _versions(content.get("versions"), problems)
    reads = _reads(content.get("reads"), problems)
    if not problems:
        problems = shape_problems(reads)
    if problems:
        return problems
    return ConsumerExpectation(
        name=name,
        owner=owner.strip() if isinstance(owner, str) else None,
        versions=versions,
        reads=reads,
        document=document,
    )


def _consumer_name(content: dict[str, Any], stem: str, problems: Problems) -> str:
    # One name per consumer, and the file is found by it: the stem is the name.
    if not _NAME.fullmatch(stem):
        problems.append(
            (
                "",
                f"{stem!r} is not a consumer name; name the file <consumer>.yaml with letters, "
                "digits, '.', '_' and '-'",
            )
        )
    declared = content.get("consumer")
    if declared is not None and declared != stem:
        problems.append(
            (
                "/consumer",
                f"consumer {declared!r} differs from the file name {stem!r}; "
                "rename the file or drop the key",
            )
        )
    return stem


def _versions(value: Any, problems: Problems) -> tuple[int, ...]:
    if value is None:
        problems.append(("", "versions is missing: list the versions it reads, e.g. [1, 2]"))
        return ()
    if not isinstance(value, list) or not value:
        problems.append(("/versions", "versions is a non-empty list of version numbers"))
        return ()
    numbers = []
    for index, number in enumerate(value):
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            problems.append(
                (f"/versions/{index}", f"{number!r} is not a version number (1, 2, 3, ...)")
            )
        else:
            numbers.append(number)
    return tuple(sorted(set(numbers)))


def _reads(value: Any, problems: Problems) -> tuple[FieldRead, ...]:
    if not isinstance(value, list) or not value:
        problems.append(
            ("/reads" if value is not None else "", "reads is a non-empty list of fields read")
        )
        return ()
    reads: list[FieldRead] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(value):
        pointer = f"/reads/{index}"
        read = _read(entry, pointer, problems)
        if read is None:
            continue
        if read.field in seen:
            problems.append(
                (
                    f"{pointer}/field",
                    f"{read.field} is also read at {seen[read.field]}; merge the two entries",
                )
            )
            continue
        seen[read.field] = pointer
        reads.append(read)
    return tuple(reads)


def _read(entry: Any, pointer: str, problems: Problems) -> FieldRead | None:
    if isinstance(entry, str):
        entry = {"field": entry}  # `- orderId` is shorthand for `- field: orderId`
    if not isinstance(entry, dict):
        problems.append((pointer, "a read is a mapping with field and optional constraints"))
        return None
    found: Problems = []
    path = entry.get("field")
    steps = parse_path(path) if isinstance(path, str) else None
    if steps is None:
        found.append(
            (
                f"{pointer}/field" if "field" in entry else pointer,
                f"field {path!r} is not a path in the detail; write e.g. shippingAddress.country "
                "or items[].sku",
            )
        )
    required = entry.get("required", True)
    if not isinstance(required, bool):
        found.append((f"{pointer}/required", "required is true or false"))
    constraints = {}
    for key, keyword_value in entry.items():
        if key in READ_KEYS:
            continue
        check = FIELD_KEYWORDS.get(key)
        if check is None:
            found.append(
                (
                    join(pointer, key),
                    f"unknown key {key!r}{did_you_mean(key, [*READ_KEYS, *FIELD_KEYWORDS])} "
                    f"(a read has {', '.join(READ_KEYS)} and {', '.join(FIELD_KEYWORDS)})",
                )
            )
            continue
        message = check(keyword_value)
        if message is not None:
            found.append((f"{pointer}/{key}", f"{key}: {message}"))
        constraints[key] = keyword_value
    problems.extend(found)
    if found or steps is None or not isinstance(path, str):
        return None
    return FieldRead(path, steps, bool(required), constraints, pointer)


# --- the keywords a read may use: one check each, like a metaschema's ----------------------


def _type(value: Any) -> str | None:
    names = value if isinstance(value, list) else [value]
    if not names or not all(isinstance(name, str) and name in JSON_TYPES for name in names):
        return f"{value!r} is not one of {', '.join(JSON_TYPES)} (or a list of them)"
    return None


def _enum(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return "a non-empty list of the values it handles"
    return None


def _anything(value: Any) -> str | None:
    return None


def _number(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{value!r} is not a number"
    return None


def _count(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return f"{value!r} is not a non-negative integer"
    return None


def _pattern(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"{value!r} is not a regular expression string"
    try:
        re.compile(value)
    except re.error as exc:
        return f"{value!r} is not a regular expression ({exc})"
    return None


def _format(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return f"{value!r} is not a format name such as date-time, email or uuid"
    return None


FIELD_KEYWORDS: dict[str, Callable[[Any], str | None]] = {
    "type": _type,
    "enum": _enum,
    "const": _anything,
    "minimum": _number,
    "maximum": _number,
    "exclusiveMinimum": _number,
    "exclusiveMaximum": _number,
    "minLength": _count,
    "maxLength": _count,
    "pattern": _pattern,
    "format": _format,
}
