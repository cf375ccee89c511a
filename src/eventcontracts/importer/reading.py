"""Reading one input file of ``import`` into a JSON value, or a one-line refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eventcontracts.findings import Finding
from eventcontracts.registry.documents import read_document


class Refused(Exception):
    """Import cannot decide what to do with a file: one line naming it and what to do."""

    def __init__(self, display: str, message: str) -> None:
        super().__init__(f"{display}: {message}")
        self.display = display
        self.message = message


def read_input(path: Path, display: str) -> Any:
    """The file's JSON value: YAML for .yaml/.yml, JSON otherwise (as the registry reads)."""
    document = read_document(path, display)
    if isinstance(document, Finding):
        # Most readers' messages name the line already ("... (line 2, column 1)").
        named = not document.line or f"line {document.line}" in document.message
        where = "" if named else f" (line {document.line})"
        raise Refused(display, f"{document.message}{where}; fix the file and import it again")
    return document.content
