"""Where a JSON pointer's value sits in the source text: the line a finding points the user to.

Only asked for when there is something to report, so the cost stays off the happy path; each
document builds its whole pointer-to-line map once, on the first question.
"""

from __future__ import annotations

import bisect
import contextlib
import json.decoder
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from eventcontracts.schema.pointer import escape_token

if TYPE_CHECKING:
    import yaml

# scanstring is public in json.decoder, but typeshed does not declare it.
_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?[0-9][0-9.eE+\-]*|true|false|null")


def json_pointer_lines(text: str) -> dict[str, int]:
    """Map every pointer of a well-formed JSON text to a 1-based line.

    An object member maps to the line of its key (where an editor should put the cursor),
    an array item to the line where the item starts.
    """
    newlines = [match.start() for match in re.finditer("\n", text)]
    lines: dict[str, int] = {}

    def line_at(offset: int) -> int:
        return bisect.bisect_left(newlines, offset) + 1

    def skip(pos: int) -> int:
        match = _WHITESPACE.match(text, pos)
        return match.end() if match else pos

    def value(pos: int, pointer: str) -> int:
        pos = skip(pos)
        lines.setdefault(pointer, line_at(pos))
        char = text[pos]
        if char == "{":
            pos = skip(pos + 1)
            if text[pos] == "}":
                return pos + 1
            while True:
                key_start = pos
                key, pos = _scanstring(text, pos + 1)
                child = f"{pointer}/{escape_token(key)}"
                lines[child] = line_at(key_start)
                pos = skip(pos)  # the colon
                pos = skip(value(pos + 1, child))
                if text[pos] == "}":
                    return pos + 1
                pos = skip(pos + 1)  # past the comma
        if char == "[":
            pos = skip(pos + 1)
            if text[pos] == "]":
                return pos + 1
            index = 0
            while True:
                pos = skip(value(pos, f"{pointer}/{index}"))
                index += 1
                if text[pos] == "]":
                    return pos + 1
                pos += 1
        if char == '"':
            end: int = _scanstring(text, pos + 1)[1]
            return end
        match = _SCALAR.match(text, pos)
        return match.end() if match else pos + 1

    with contextlib.suppress(IndexError, ValueError, RecursionError):
        value(0, "")  # on a failure the partial map still answers what it reached
    return lines


def yaml_pointer_lines(text: str) -> dict[str, int]:
    """Map every pointer of a YAML text to a 1-based line, from PyYAML's node marks."""
    import yaml  # only asked of YAML files, when there is something to report

    lines: dict[str, int] = {}
    try:
        root = yaml.compose(text, Loader=_safe_loader())
    except yaml.YAMLError:
        return lines
    stack: list[tuple[Any, str]] = [(root, "")] if root is not None else []
    while stack:
        node, pointer = stack.pop()
        lines.setdefault(pointer, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, child in node.value:
                child_pointer = f"{pointer}/{escape_token(str(key.value))}"
                lines[child_pointer] = key.start_mark.line + 1
                stack.append((child, child_pointer))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, f"{pointer}/{i}") for i, child in enumerate(node.value))
    return lines


class PointerIndex:
    """Where each object and array of a parsed document sits in it: its JSON pointer.

    A ``$ref`` resolved through ``$id``s (``"$id": "https://example.com/customer.json"`` on the
    detail) comes back as an object of the same parsed document, but its URI says where it is
    relative to that ``$id``, not to the file. Findings point into the file: the object's
    identity says where, whatever ids led to it. Built on the first question only.
    """

    def __init__(self, document: Any) -> None:
        self._document = document
        self._pointers: dict[int, str] | None = None

    def pointer_of(self, node: Any) -> str | None:
        """The pointer of ``node`` in the document, None if it is not one of the document's
        objects or arrays (a scalar, or something of another document)."""
        if not isinstance(node, (dict, list)):
            return None  # True, False and numbers are shared by every document
        if self._pointers is None:
            self._pointers = _pointers_by_identity(self._document)
        return self._pointers.get(id(node))


def _pointers_by_identity(document: Any) -> dict[int, str]:
    pointers: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(document, "")] if isinstance(document, (dict, list)) else []
    while stack:
        node, pointer = stack.pop()
        if id(node) in pointers:
            continue  # a YAML alias: the first place it is written is where it is
        pointers[id(node)] = pointer
        if isinstance(node, dict):
            children = [(escape_token(str(key)), value) for key, value in node.items()]
        else:
            children = [(str(index), value) for index, value in enumerate(node)]
        # Reversed onto the stack: visited in document order.
        stack.extend(
            (value, f"{pointer}/{token}")
            for token, value in reversed(children)
            if isinstance(value, (dict, list))
        )
    return pointers


class PointerLines(Mapping[str, int]):
    """The pointer-to-line map of a JSON or YAML text, built on the first question: a file is
    asked for lines only when something in it is reported, so most never build theirs."""

    def __init__(self, text: str, syntax: str) -> None:
        self.text = text
        self.syntax = syntax  # "json" or "yaml"
        self._lines: dict[str, int] | None = None

    @property
    def lines(self) -> dict[str, int]:
        if self._lines is None:
            reader = json_pointer_lines if self.syntax == "json" else yaml_pointer_lines
            self._lines = reader(self.text)
        return self._lines

    def __getitem__(self, pointer: str) -> int:
        return self.lines[pointer]

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)


def nearest_line(lines: Mapping[str, int], pointer: str) -> int | None:
    """The line of ``pointer``, or of its nearest ancestor that exists in the document."""
    while True:
        if pointer in lines:
            return lines[pointer]
        if not pointer:
            return None
        pointer = pointer.rsplit("/", 1)[0]


def _safe_loader() -> type[yaml.SafeLoader]:
    import yaml

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader
