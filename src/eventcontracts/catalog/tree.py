"""A version's detail schema as a readable property tree (STUB: replaced by the tree part)."""

from __future__ import annotations

from eventcontracts.catalog.model import PropertyNode
from eventcontracts.registry.model import SchemaVersion
from eventcontracts.registry.resolver import Resolver


def property_tree(version: SchemaVersion, resolver: Resolver) -> PropertyNode:
    """The property tree of ``version``'s detail (the whole event when it has no detail schema):
    ``$ref``s resolved across files, recursion shown once, bounded work on hostile input."""
    raise NotImplementedError
