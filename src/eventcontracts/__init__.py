"""eventcontracts: event schemas as the contract between services on Amazon EventBridge.

The public API is small on purpose; everything else lives in private modules:

- :func:`load_registry` reads a registry folder into a typed :class:`Registry`;
- :class:`Resolver` resolves ``$ref``s for every feature that reads schemas;
- :func:`load_config` reads ``eventcontracts.toml``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from eventcontracts.version import __version__

if TYPE_CHECKING:
    from eventcontracts.config import Config
    from eventcontracts.lint.settings import load_checked_config as load_config
    from eventcontracts.registry import (
        Registry,
        Resolver,
        Schema,
        SchemaFormat,
        SchemaVersion,
        load_registry,
    )

# Each public name is imported when first used, not with the package: every module of the tool
# is imported through this package, the runtime in a service's Lambda included, and importing
# it must not load the registry, jsonschema or yaml (tests/test_architecture.py).
_SOURCE_OF: dict[str, tuple[str, str]] = {  # public name -> (module, name there)
    "Config": ("eventcontracts.config", "Config"),
    "Registry": ("eventcontracts.registry", "Registry"),
    "Resolver": ("eventcontracts.registry", "Resolver"),
    "Schema": ("eventcontracts.registry", "Schema"),
    "SchemaFormat": ("eventcontracts.registry", "SchemaFormat"),
    "SchemaVersion": ("eventcontracts.registry", "SchemaVersion"),
    "load_config": ("eventcontracts.lint.settings", "load_checked_config"),
    "load_registry": ("eventcontracts.registry", "load_registry"),
}


def __getattr__(name: str) -> Any:
    source = _SOURCE_OF.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = source
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
