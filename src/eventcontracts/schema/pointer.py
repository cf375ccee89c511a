"""JSON pointers (RFC 6901): the one way the tool writes, reads and follows them.

A pointer is ``""`` (the whole document) or ``/``-separated reference tokens, in which ``~1``
stands for ``/`` and ``~0`` for ``~``. A URI fragment (``#/definitions/a%20b``) is a pointer
only once percent-decoded; that is the caller's business (it knows it has a fragment).
"""

from __future__ import annotations

from typing import Any


def escape_token(token: str) -> str:
    """One reference token as written in a pointer (``~`` first, so ``/`` stays ``~1``)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    """One written reference token as the key it names (``~1`` first: ``~01`` is ``~1``)."""
    return token.replace("~1", "/").replace("~0", "~")


def parse(pointer: str) -> list[str]:
    """The keys a pointer names, in order (``"/a~1b/0"`` -> ``["a/b", "0"]``)."""
    return [unescape_token(token) for token in pointer.split("/")[1:]]


def join(pointer: str, *tokens: str | int) -> str:
    """``pointer`` extended by ``tokens`` (keys or array indexes), each escaped."""
    return pointer + "".join(f"/{escape_token(str(token))}" for token in tokens)


def resolve(document: Any, pointer: str, default: Any = None) -> Any:
    """The value ``pointer`` names in ``document``, or ``default`` where it leads nowhere
    (a missing key, an index past the end, a step into a string or number)."""
    node = document
    for key in parse(pointer):
        if isinstance(node, dict):
            if key not in node:
                return default
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return default
    return node
