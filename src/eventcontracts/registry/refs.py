"""Following the refs of one registry version's event schema, with the registry's resolver.

:class:`VersionRefs` gives what the schema toolkit's inliner (:mod:`eventcontracts.schema.inline`)
asks of a caller: the event schema to start from, ``resolve(ref, scope)``, ``enter(schema,
scope)`` and whether the dialect's ``$ref`` replaces its siblings. Code generation inlines a
detail with it; compat's inputs share :func:`rebased`, the one reading of an ``$id``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import referencing
import referencing._core
import referencing.jsonschema

from eventcontracts.registry.model import SchemaFormat, SchemaVersion
from eventcontracts.registry.resolver import Resolved, Resolver
from eventcontracts.schema.keywords import DIALECTS
from eventcontracts.schema.pointer import resolve as value_at

_NOWHERE = object()
# The dialects in which a $ref replaces its siblings.
_LEGACY_REF_DIALECTS = frozenset({"draft-04", "draft-06", "draft-07"})


def rebased(
    specification: referencing.Specification[Any],
    scope: referencing._core.Resolver[Any],
    raw: dict[str, Any],
) -> referencing._core.Resolver[Any] | None:
    """The scope refs inside ``raw`` resolve from when it declares an ``$id`` (``id`` in draft
    4), None when it declares none. An aws-samples detail pasted in with ``"$id":
    "https://..."`` and its own ``#/definitions/...`` refs needs it."""
    resource = specification.create_resource(raw)
    if resource.id() is None:
        return None
    entered = scope.in_subresource(resource)
    # Bound to this very schema: several versions of one schema often share an $id (every
    # aws-samples version has the same one), and a registry that knows them all would
    # otherwise hand back whichever it crawled last. referencing keeps a resolver's base
    # URI and registry private; these are the only ways to reach them.
    uri = entered._base_uri
    bound: referencing._core.Resolver[Any] = entered._registry.with_resource(
        uri, resource
    ).resolver(base_uri=uri)
    return bound


def dialect_specification(document: Any) -> referencing.Specification[Any]:
    """The referencing specification of a JSON Schema document's ``$schema``: draft 4 when it
    declares none, or one the tool does not read (draft 3)."""
    declared = document.get("$schema") if isinstance(document, dict) else None
    if not isinstance(declared, str):
        return referencing.jsonschema.DRAFT4
    found = referencing.jsonschema.specification_with(
        declared, default=referencing.jsonschema.DRAFT4
    )
    return found if found in DIALECTS.values() else referencing.jsonschema.DRAFT4


class VersionRefs:
    """The refs of ``version``'s event schema (the OpenApi3 envelope component, or the whole
    JSON Schema document), as the registry resolves them.

    Scopes are the registry's :class:`Resolved` (None: the document's own scope).
    """

    def __init__(self, resolver: Resolver, version: SchemaVersion) -> None:
        self._resolver = resolver
        self._version = version
        view = resolver.view(version)
        if version.format is SchemaFormat.OPENAPI3:
            self.schema: Any = view.get("components", {}).get("schemas", {}).get("AWSEvent")
            self._specification = referencing.jsonschema.DRAFT4  # OpenAPI 3.0 reads as draft 4
        else:
            self.schema = view
            self._specification = dialect_specification(view)
        self.legacy_refs = self._specification.name in _LEGACY_REF_DIALECTS
        # Without $ids a local ref is a plain JSON pointer into the document: no resolver needed.
        self._plain_root = None if resolver.declares_ids(version) else view

    def resolve(self, ref: str, scope: Resolved | None) -> tuple[Any, Resolved | None]:
        """The target of ``ref`` as written at ``scope``; raises ``UnresolvableRef``."""
        if scope is None and self._plain_root is not None and ref.startswith("#/"):
            target = value_at(self._plain_root, unquote(ref[1:]), _NOWHERE)
            if target is not _NOWHERE:
                return target, None
        found = self._resolver.lookup(ref, scope if scope is not None else self._version.uri)
        return found.contents, found

    def enter(self, raw: dict[str, Any], scope: Resolved | None) -> Resolved | None:
        """The scope inside ``raw``: ``scope``, re-based when ``raw`` declares an ``$id``."""
        base = (
            scope.scope
            if scope is not None
            else self._resolver.referencing_registry.resolver(base_uri=self._version.uri)
        )
        entered = rebased(self._specification, base, raw)
        return scope if entered is None else Resolved(raw, entered)
