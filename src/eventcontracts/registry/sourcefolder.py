"""An event source as one folder name of the registry, and back.

An EventBridge source is any string of up to 256 characters: partner sources carry slashes
(``aws.partner/zendesk.com/123/default``), deploy templates leave ``{{resolve:ssm:...}}`` or
``${...}`` in them. A folder name holds no ``/`` and, to work on every file system and in
every shell, should hold only the POSIX portable file name characters. So the folder of a
source is the source percent-encoded (RFC 3986 style, UTF-8 bytes, upper-case hex):

- ``A-Z a-z 0-9 . _ - ~`` stay as they are, so ordinary sources (``com.example.orders``) are
  their own folder name;
- every other character, ``%`` included, becomes ``%XX`` per UTF-8 byte:
  ``aws.partner/zendesk.com/123/default`` -> ``aws.partner%2Fzendesk.com%2F123%2Fdefault``;
- a leading ``.``, ``_`` or ``~`` is encoded too (``%2E``, ``%5F``, ``%7E``): the loader hides
  folders that start with ``.`` and reads those starting with ``_`` as shared documents, and a
  shell expands a leading ``~``.

Exactly one folder name encodes each source (``folder_of_source``), and ``source_of_folder``
accepts only that name, so two folders can never claim the same source.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

# The POSIX portable file name characters (and "~", which quote() always keeps).
_KEEP = "._-~"
_NOT_FIRST = "._~"
_ESCAPE = re.compile(r"%[0-9A-F]{2}")


class NotASourceFolder(ValueError):
    """A folder name that is not the encoding of any source; the message says what to do."""


def folder_of_source(source: str) -> str:
    """The registry folder name of ``source``."""
    if not source:
        raise ValueError("an event source is a non-empty string")
    folder = quote(source, safe=_KEEP, encoding="utf-8", errors="strict")
    if folder[0] in _NOT_FIRST:
        folder = f"%{ord(folder[0]):02X}{folder[1:]}"
    return folder


def source_of_folder(name: str) -> str:
    """The source a registry folder ``name`` holds; NotASourceFolder if ``name`` is not the
    encoding :func:`folder_of_source` gives (a stray ``%``, lower-case hex, a character that
    should have been encoded, or one that should not)."""
    plain = _ESCAPE.sub("", name)
    if "%" in plain:
        raise NotASourceFolder(
            f"{name!r} has a '%' that is not followed by two upper-case hex digits; a source "
            "folder is the source with '/', '%' and other characters percent-encoded"
        )
    try:
        source = unquote(name, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise NotASourceFolder(
            f"{name!r} decodes to bytes that are not UTF-8; encode the source as UTF-8"
        ) from None
    if not source:
        raise NotASourceFolder("an empty folder name is no source")
    canonical = folder_of_source(source)
    if canonical != name:
        raise NotASourceFolder(
            f"{name!r} is not how the registry writes source {source!r}; rename the folder "
            f"to {canonical!r}"
        )
    return source
