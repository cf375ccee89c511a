"""Reading untrusted files within bounds: size, nesting, YAML aliases, numbers, duplicate keys.

Every file the tool reads can come from a pull request, so reading one must cost time and
memory in proportion to its size, and what cannot be represented faithfully is refused, not
guessed at:

- a file is read up to ``MAX_FILE_BYTES`` (5 MiB) and refused beyond (``/dev/zero`` included);
- arrays and objects nest at most ``MAX_DEPTH`` (64) deep: real event schemas stay under 12,
  and every engine behind the reader (compat, codegen, sampling) recurses per level;
- YAML anchors and aliases are refused in registry documents (``aliases=False``); elsewhere
  (rule templates) an alias may repeat a value only while the expanded document stays under
  ``MAX_EXPANDED_NODES``, so a billion-laughs file is refused after reading its 1 KB;
- an integer of more than ``MAX_INT_DIGITS`` digits, a number beyond a double's range (1e400)
  and NaN/Infinity are refused: JSON has no such numbers and Python would fail on them later;
- a JSON object with the same key twice is refused: which one wins differs between tools.

A refusal is a :class:`Refused` with the kind of problem (for the lint rule), a message that
says what to do, and the line where known. Callers turn it into a finding or one line.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventcontracts.findings import printable
from eventcontracts.schema.pointer import escape_token

if TYPE_CHECKING:
    pass

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_INT_DIGITS = 4300  # Python's own limit on int <-> str conversion
MAX_EXPANDED_NODES = 100_000

# The kinds of refusal, one lint rule each (eventcontracts.lint.catalog maps them).
TOO_LARGE = "too-large"
ALIAS = "alias"
TOO_DEEP = "too-deep"
VALUE = "value"
DUPLICATE_KEY = "duplicate-key"

_YAML_INT = re.compile(r"[-+]?[0-9][0-9_]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Refused(Exception):
    """A file the bounded reader will not take; ``message`` says why and what to do."""

    kind: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return self.message


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """At most ``limit`` bytes of ``path``; a longer file is refused (OSError passes through)."""
    with path.open("rb") as stream:
        raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise Refused(
            TOO_LARGE,
            f"larger than {limit // (1024 * 1024)} MiB, the most this tool reads of one file; "
            "split it or move data out of it",
        )
    return raw


def strip_bom(text: str) -> str:
    """A byte-order mark is harmless (editors on Windows add it): every reader drops it."""
    return text.removeprefix("\ufeff")


# -- JSON ------------------------------------------------------------------------------------


def load_json(text: str) -> Any:
    """``json.loads`` within bounds; a refusal is :class:`Refused`, bad syntax JSONDecodeError."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    raise Refused(
                        DUPLICATE_KEY,
                        f"key {_shown(key)} appears twice in one object; tools disagree on "
                        "which one counts: keep one",
                        _line_of_key(text, key),
                    )
                seen.add(key)
        return result

    def integer(token: str) -> int:
        if len(token.lstrip("-")) > MAX_INT_DIGITS:
            raise _number_refused(text, token, f"an integer of {len(token.lstrip('-')):,} digits")
        return int(token)

    def number(token: str) -> float:
        value = float(token)
        if not math.isfinite(value):
            raise _number_refused(text, token, f"the number {token[:40]} is beyond a double")
        return value

    def constant(token: str) -> float:
        raise _number_refused(text, token, f"{token} is not a JSON number")

    try:
        content = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_int=integer,
            parse_float=number,
            parse_constant=constant,
        )
    except RecursionError:
        raise _too_deep(None) from None
    check_value(content, text=text)
    return content


# -- YAML ------------------------------------------------------------------------------------


def load_yaml_documents(text: str, loader: type[Any], *, aliases: bool) -> list[Any]:
    """Every document of a YAML text, within bounds; YAMLError for bad syntax.

    The events are scanned first (linear in the text): aliases, nesting and huge integers
    are refused before anything is built, so no alias can multiply the work.

    PyYAML is imported here, by the first YAML file: a registry of JSON files never needs it.
    """
    import yaml

    _scan_events(text, loader, aliases=aliases)
    try:
        documents = list(yaml.load_all(text, Loader=loader))
    except RecursionError:
        raise _too_deep(None) from None
    for document in documents:
        check_value(document, text=None)
    return documents


def _scan_events(text: str, loader_class: type[Any], *, aliases: bool) -> None:
    import yaml

    collection_start = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    collection_end = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    loader = loader_class(text)
    # For each open collection: its expanded node count so far, its anchor, its height.
    stack: list[list[Any]] = [[0, None, 0]]
    anchored: dict[str, tuple[int, int]] = {}  # anchor -> (expanded nodes, height)
    total = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            anchor = getattr(event, "anchor", None)
            if not aliases and anchor is not None:
                raise Refused(
                    ALIAS,
                    f"YAML anchor or alias ({'*' if isinstance(event, yaml.AliasEvent) else '&'}"
                    f"{anchor}) at line {line}; registry files do not take them: write the "
                    "value out, or share it through a $ref",
                    line,
                )
            depth = len(stack) - 1
            if isinstance(event, yaml.AliasEvent):
                size, height = anchored.get(anchor or "", (1, 0))
                _added(stack, size, height)
                total += size
                if depth + height > MAX_DEPTH:
                    raise _too_deep(line)
            elif isinstance(event, yaml.ScalarEvent):
                if event.style in (None, "") and _YAML_INT.fullmatch(event.value):
                    digits = len(event.value.lstrip("+-").replace("_", ""))
                    if digits > MAX_INT_DIGITS:
                        raise Refused(
                            VALUE,
                            f"an integer of {digits:,} digits at line {line}; the most this "
                            f"tool reads is {MAX_INT_DIGITS:,}: quote it to keep it as text",
                            line,
                        )
                _added(stack, 1, 0)
                total += 1
                if anchor is not None:
                    anchored[anchor] = (1, 0)
            elif isinstance(event, collection_start):
                if depth + 1 > MAX_DEPTH:
                    raise _too_deep(line)
                stack.append([1, anchor, 0])
                total += 1
            elif isinstance(event, collection_end):
                size, name, height = stack.pop()
                _added(stack, size, height + 1)
                if name is not None:
                    anchored[name] = (size, height + 1)
            if total > MAX_EXPANDED_NODES:
                raise Refused(
                    ALIAS,
                    f"the YAML expands to more than {MAX_EXPANDED_NODES:,} values (aliases "
                    f"repeat them, line {line}); write a smaller file",
                    line,
                )
    finally:
        loader.dispose()


def _added(stack: list[list[Any]], size: int, height: int) -> None:
    frame = stack[-1]
    frame[0] += size
    frame[2] = max(frame[2], height)


# -- the parsed value ------------------------------------------------------------------------


def check_value(value: Any, *, text: str | None) -> None:
    """Refuse nesting beyond ``MAX_DEPTH`` and numbers JSON cannot hold, without recursion
    (a value from anywhere: parsed here, or built by a YAML loader)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth + 1 > MAX_DEPTH:
                raise _too_deep(None)
            for key in item:
                if isinstance(key, str) and _SURROGATE.search(key):
                    raise _surrogate(key)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            if depth + 1 > MAX_DEPTH:
                raise _too_deep(None)
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str) and _SURROGATE.search(item):
            raise _surrogate(item)
        elif isinstance(item, float) and not math.isfinite(item):
            raise Refused(
                VALUE,
                f"{item} is not a JSON number (NaN and infinities have no JSON form); "
                "write a finite number",
            )


def first_non_string_key(value: Any) -> tuple[str, object] | None:
    """The pointer and key of the first key that is not a string (YAML allows ``1:``)."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, pointer = stack.pop()
        if isinstance(item, dict):
            for key in item:
                if not isinstance(key, str):
                    return pointer, key
            stack.extend(
                (child, f"{pointer}/{escape_token(key)}") for key, child in reversed(item.items())
            )
        elif isinstance(item, list):
            stack.extend((child, f"{pointer}/{i}") for i, child in reversed(list(enumerate(item))))
    return None


# -- messages --------------------------------------------------------------------------------


def _too_deep(line: int | None) -> Refused:
    where = f" (line {line})" if line else ""
    return Refused(
        TOO_DEEP,
        f"nested more than {MAX_DEPTH} levels deep{where}; flatten it with definitions and $refs",
        line,
    )


def _surrogate(text: str) -> Refused:
    return Refused(
        VALUE,
        f"the text {_shown(text)} holds a lone surrogate (half of a UTF-16 pair), which is not "
        "Unicode: write the whole character",
    )


def _number_refused(text: str, token: str, what: str) -> Refused:
    return Refused(
        VALUE,
        f"{what}; JSON numbers here must be finite with at most {MAX_INT_DIGITS:,} digits: "
        "write it as a string",
        _line_at(text, text.find(token)),
    )


def _line_of_key(text: str, key: str) -> int | None:
    """The line of the second ``"key":`` in the text (an approximation: good enough to point)."""
    quoted = re.escape(json.dumps(key, ensure_ascii=False))
    places = [match.start() for match in re.finditer(quoted + r"\s*:", text)]
    return _line_at(text, places[1]) if len(places) > 1 else None


def _line_at(text: str, offset: int) -> int | None:
    return text.count("\n", 0, offset) + 1 if offset >= 0 else None


def _shown(key: str) -> str:
    return printable(repr(key if len(key) <= 80 else key[:80] + "..."))
