"""Vendor keys with which schema text would choose generated code (lint rule L701).

datamodel-code-generator honours keys that name a Python type, a module to import or a base
class (``x-python-type: "pwn_helper.T"`` makes it write ``from pwn_helper import T``). Code
generation drops them (``eventcontracts.codegen.models._IMPORTING_KEYS``, the one list of
them); lint says so where they are written, so a pull request cannot hide one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventcontracts.findings import Finding, printable
from eventcontracts.lint import catalog
from eventcontracts.registry.documents import Document
from eventcontracts.schema.keywords import DATA_KEYWORDS, SCHEMA_MAP_KEYWORDS
from eventcontracts.schema.pointer import escape_token

# Found by reading datamodel-code-generator's parser: keys it turns into imports, types,
# base classes or class variables. Any other "x-python-*" key is refused by lint as well.
CODE_CHOOSING_KEYS = (
    "customTypePath",
    "customBasePath",
    "x-python-import",
    "x-python-type",
    "x-python-union-branch",
    "x-python-unserializable",
    "x-is-base-class",
    "x-is-classvar",
)
# Keywords whose value maps names to schemas: the names are data (a property may be called
# "customTypePath"), the schemas below them are schemas again. OpenAPI's components/schemas
# is such a map too: the walk starts at the document's root.
_NAME_MAPS = SCHEMA_MAP_KEYWORDS | {"schemas"}
# Keywords whose value is data, never a schema; "required" lists property names (data too).
_DATA = DATA_KEYWORDS | {"required"}


def code_choosing_keys(document: Document) -> Iterator[Finding]:
    """A finding for each code-choosing key in the document's schemas."""
    stack: list[tuple[Any, str, bool]] = [(document.content, "", False)]
    while stack:
        value, pointer, names = stack.pop()
        if isinstance(value, list):
            stack.extend((item, f"{pointer}/{i}", False) for i, item in enumerate(value))
            continue
        if not isinstance(value, dict):
            continue
        for key, child in value.items():
            child_pointer = f"{pointer}/{escape_token(str(key))}"
            if not names and is_code_choosing(key):
                yield document.finding(
                    catalog.CODE_CHOOSING_KEY,
                    child_pointer,
                    f"{printable(repr(key))} lets the schema choose generated code (a type, "
                    "module or base class); code generation ignores it: remove it",
                )
                continue
            if not names and key in _DATA:
                continue
            stack.append((child, child_pointer, not names and key in _NAME_MAPS))


def is_code_choosing(key: object) -> bool:
    return isinstance(key, str) and (key in CODE_CHOOSING_KEYS or key.startswith("x-python-"))
