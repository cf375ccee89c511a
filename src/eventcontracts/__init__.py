"""eventcontracts: event schemas as the contract between services on Amazon EventBridge.

The public API is small on purpose; everything else lives in private modules:

- :func:`load_registry` reads a registry folder into a typed :class:`Registry`;
- :class:`Resolver` resolves ``$ref``s for every feature that reads schemas;
- :func:`load_config` reads ``eventcontracts.toml``.
"""

from eventcontracts.config import Config, load_config
from eventcontracts.registry import (
    Registry,
    Resolver,
    Schema,
    SchemaFormat,
    SchemaVersion,
    load_registry,
)

__version__ = "0.1.0"

__all__ = [
    "Config",
    "Registry",
    "Resolver",
    "Schema",
    "SchemaFormat",
    "SchemaVersion",
    "__version__",
    "load_config",
    "load_registry",
]
