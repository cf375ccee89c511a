"""The registry on disk: loading it into a typed model, and resolving refs in it."""

from eventcontracts.registry.documents import Document
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.model import Registry, Schema, SchemaFormat, SchemaVersion
from eventcontracts.registry.resolver import Resolved, Resolver, UnresolvableRef

__all__ = [
    "Document",
    "Registry",
    "Resolved",
    "Resolver",
    "Schema",
    "SchemaFormat",
    "SchemaVersion",
    "UnresolvableRef",
    "load_registry",
]
