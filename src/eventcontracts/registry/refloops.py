"""The ``$ref`` loops that never reach the end of an event: a chain of bare refs, or a loop
through ``$ref`` and the in-place keywords (``allOf``, ``not``...).

Lint reports them (L402); every command that validates or compares refuses such a version up
front with :func:`endless_ref`, since following it never ends (inside ``referencing`` it even ends
in a Rust panic). Kept apart from lint's checks so that those commands do not import lint's
whole machinery (jsonschema and the metaschemas) to ask.
"""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import quote

from eventcontracts.registry.documents import Document
from eventcontracts.registry.model import SchemaFormat, SchemaVersion
from eventcontracts.registry.resolver import Resolved, Resolver, UnresolvableRef
from eventcontracts.schema.walk import find_refs

# A chain of $refs longer than this is reported as a cycle (L402): no real schema comes near it.
MAX_REF_CHAIN = 64


def base_of(resolver: Resolver, document: Document, at: str, has_ids: bool) -> str | Resolved:
    """Where the $ref at ``at`` is resolved from: the document, or, when an ``$id`` on the way
    re-bases it (an aws-samples detail with ``"$id": "https://..."`` and its own definitions),
    the schema that holds the ref, reached through the resolver so every ``$id`` applies."""
    holder = at.removesuffix("/$ref")
    if not has_ids or holder == at:
        return document.uri
    try:
        return resolver.lookup("#" + quote(holder, safe="/~"), document.uri)
    except UnresolvableRef:
        return document.uri


def ref_cycle(
    resolver: Resolver, ref: str, target: Resolved
) -> tuple[list[str], frozenset[int]] | None:
    """A chain of pure ``$ref`` schemas that loops: its refs, and the identity of the loop
    (the same whichever of its refs the chain started from)."""
    chain = [ref]
    visited = [id(target.contents)]
    while isinstance(target.contents, dict) and "$ref" in target.contents:
        next_ref = target.contents["$ref"]
        try:
            target = resolver.lookup(next_ref, target)
        except UnresolvableRef:
            return None  # reported where that ref is written
        chain.append(str(next_ref))
        key = id(target.contents)
        if key in visited:
            return chain, frozenset(visited[visited.index(key) :])
        if len(chain) > MAX_REF_CHAIN:
            return chain, frozenset(visited)
        visited.append(key)
    return None


def endless_ref(resolver: Resolver, version: SchemaVersion) -> str | None:
    """The pointer of a $ref of ``version`` that leads back to itself without going into the
    event (L402), or None: commands that validate or compare refuse such a version up front,
    since following it never ends (inside ``referencing`` it even ends in a Rust panic)."""
    openapi = version.format is SchemaFormat.OPENAPI3
    refs, has_ids = find_refs(version.document.content, openapi=openapi)
    visited: set[int] = set()
    for at, ref in refs:
        base = base_of(resolver, version.document, at, has_ids)
        try:
            target = resolver.lookup(ref, base)
        except UnresolvableRef:
            continue
        if ref_cycle(resolver, ref, target) or in_place_cycle(resolver, target, visited):
            return at
    return None


# Keywords that apply a subschema to the same value (not to a property or an item): a loop
# through them never reaches the end of the event.
_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
_IN_PLACE_ONE = ("not", "if", "then", "else")
IN_PLACE_KEYWORDS = frozenset(_IN_PLACE_LISTS + _IN_PLACE_ONE)


def in_place_cycle(
    resolver: Resolver, start: Resolved, visited: set[int]
) -> tuple[list[str], frozenset[int]] | None:
    """A loop from ``start`` back to a schema on the way through $ref and the in-place
    keywords: the keywords taken, and the loop's identity. Each schema is searched once per
    document (``visited``), so the whole search is linear in the document."""
    path: list[tuple[int, str]] = []  # the schemas on the way, with the step into the next
    on_path: dict[int, int] = {}
    stack: list[tuple[Resolved | None, str]] = [(start, "")]
    while stack:
        node, step = stack.pop()
        if node is None:  # every step out of the schema on top of the path has been taken
            key, _ = path.pop()
            del on_path[key]
            visited.add(key)
            continue
        key = id(node.contents)
        if key in on_path:
            loop = path[on_path[key] :]
            steps = [taken for _, taken in loop[1:]] + [step]
            return steps, frozenset(k for k, _ in loop)
        if key in visited or not isinstance(node.contents, dict):
            continue
        on_path[key] = len(path)
        path.append((key, step))
        stack.append((None, ""))
        stack.extend(_in_place_steps(resolver, node))
    return None


def _in_place_steps(resolver: Resolver, node: Resolved) -> list[tuple[Resolved | None, str]]:
    contents = node.contents
    steps: list[tuple[Resolved | None, str]] = []
    if "$ref" in contents:
        with contextlib.suppress(UnresolvableRef):  # reported where that ref is written
            steps.append((resolver.lookup(contents["$ref"], node), "$ref"))
    for keyword in _IN_PLACE_LISTS:
        items = contents.get(keyword)
        if isinstance(items, list):
            steps.extend(
                (Resolved(item, node.scope), f"{keyword}/{index}")
                for index, item in enumerate(items)
                if _same_scope(item)
            )
    for keyword in _IN_PLACE_ONE:
        if _same_scope(contents.get(keyword)):
            steps.append((Resolved(contents[keyword], node.scope), keyword))
    return steps


def _same_scope(value: Any) -> bool:
    """A subschema whose refs resolve like its parent's (one with an $id re-bases them: the
    search stops there rather than guess)."""
    return isinstance(value, dict) and "$id" not in value and "id" not in value
