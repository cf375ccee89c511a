"""Reading one registry file: bytes to text to a JSON value, with every failure as a Finding.

JSON and YAML are both accepted. YAML is read as JSON would be: timestamps stay strings and
keys must be strings, so a document means the same thing in either syntax.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventcontracts import bounded
from eventcontracts.findings import Finding, printable
from eventcontracts.registry import reading_rules
from eventcontracts.registry.locate import (
    json_pointer_lines,
    nearest_line,
    yaml_pointer_lines,
)
from eventcontracts.rules import Rule

if TYPE_CHECKING:
    import yaml

# EventBridge's limit on a schema's content; a larger file is refused before parsing it.
MAX_CONTENT_CHARS = 100_000
JSON_SUFFIXES = (".json",)
YAML_SUFFIXES = (".yaml", ".yml")
SCHEMA_FILE_SUFFIXES = JSON_SUFFIXES + YAML_SUFFIXES


@dataclass
class Document:
    """One parsed file. ``display`` is the path shown to users; ``content`` the JSON value."""

    path: Path
    display: str
    text: str
    content: Any
    syntax: str  # "json" or "yaml"
    uri: str = ""  # the URI refs resolve against; set by the registry loader
    _lines: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def line_of(self, pointer: str) -> int | None:
        if self._lines is None:
            if self.syntax == "json":
                self._lines = json_pointer_lines(self.text)
            else:
                self._lines = yaml_pointer_lines(self.text)
        return nearest_line(self._lines, pointer)

    def finding(self, rule: Rule, pointer: str, message: str) -> Finding:
        return Finding(self.display, self.line_of(pointer), rule.id, pointer, message)


@cache
def _jsonish_loader() -> type[yaml.SafeLoader]:
    """YAML loader that keeps timestamps as the strings they were written as. Made on the
    first YAML file: PyYAML is imported then, and a registry of JSON files never pays for it."""
    import yaml

    class JsonishLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    JsonishLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    loader: type[yaml.SafeLoader] = JsonishLoader
    return loader


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    return loader.construct_scalar(node)  # type: ignore[arg-type]


def read_document(path: Path, display: str, *, max_chars: int | None = None) -> Document | Finding:
    """Parse ``path`` within the bounds of :mod:`eventcontracts.bounded`; a problem comes back
    as a Finding (never an exception)."""
    try:
        raw = bounded.read_bytes(path)
    except OSError as exc:
        return Finding(display, None, reading_rules.UNREADABLE_FILE.id, "", f"cannot read: {exc}")
    except bounded.Refused as refused:
        return _refused(display, refused)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return Finding(
            display,
            line,
            reading_rules.UNREADABLE_FILE.id,
            "",
            f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
        )
    text = bounded.strip_bom(text)
    if max_chars is not None and len(text) > max_chars:
        return Finding(
            display,
            None,
            reading_rules.CONTENT_TOO_LARGE.id,
            "",
            f"{len(text):,} characters; EventBridge accepts schema content of at most "
            f"{max_chars:,}: split shared parts into definitions or drop examples",
        )
    try:
        if path.suffix in YAML_SUFFIXES:
            return _parse_yaml(path, display, text)
        return _parse_json(path, display, text)
    except bounded.Refused as refused:
        return _refused(display, refused)


def _is_tab_problem(problem: str, text: str, line: int, column: int) -> bool:
    """Whether YAML stopped at a tab: its words are about tokens ("found character that cannot
    start any token", libyaml does not even show the character), the user's problem is the tab.
    ``line`` and ``column`` count from 0, as YAML's marks do."""
    if "tab character" in problem:
        return True
    lines = text.split("\n")
    return line < len(lines) and lines[line][column : column + 1] == "\t"


def _refused(display: str, refused: bounded.Refused) -> Finding:
    rule = reading_rules.BOUNDED_READING_RULES[refused.kind]
    return Finding(display, refused.line, rule.id, "", refused.message)


def _parse_json(path: Path, display: str, text: str) -> Document | Finding:
    try:
        content = bounded.load_json(text)
    except json.JSONDecodeError as exc:
        return Finding(
            display,
            exc.lineno,
            reading_rules.PARSE_ERROR.id,
            "",
            f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
        )
    return Document(path, display, text, content, "json")


def _parse_yaml(path: Path, display: str, text: str) -> Document | Finding:
    import yaml

    try:
        documents = bounded.load_yaml_documents(text, _jsonish_loader(), aliases=False)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "syntax error"
        if mark is not None and _is_tab_problem(problem, text, mark.line, mark.column):
            message = (
                f"a tab character at line {line}, column {mark.column + 1}: YAML indents with "
                "spaces only; replace the tab with spaces"
            )
        else:
            where = f" (line {line}, column {mark.column + 1})" if mark is not None else ""
            message = f"{problem}{where}"
        return Finding(display, line, reading_rules.PARSE_ERROR.id, "", f"invalid YAML: {message}")
    except yaml.YAMLError as exc:
        return Finding(display, None, reading_rules.PARSE_ERROR.id, "", f"invalid YAML: {exc}")
    if len(documents) != 1:
        return Finding(
            display,
            None,
            reading_rules.PARSE_ERROR.id,
            "",
            f"a schema file holds exactly one YAML document, found {len(documents)}",
        )
    document = Document(path, display, text, documents[0], "yaml")
    bad_key = bounded.first_non_string_key(document.content)
    if bad_key is not None:
        pointer, key = bad_key
        return document.finding(
            reading_rules.PARSE_ERROR,
            pointer,
            f"invalid YAML for a schema: key {printable(repr(key))} at {pointer or '/'} is not "
            "a string; quote it",
        )
    return document
