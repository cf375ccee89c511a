"""The registry a contract suite tests: config, loaded schemas, validators, generated models."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from jsonschema.protocols import Validator

from eventcontracts.config import Config
from eventcontracts.errors import EventContractsError
from eventcontracts.lint.settings import load_checked_config
from eventcontracts.registry import Registry, Resolver, SchemaVersion
from eventcontracts.registry.loader import load_project_registry

ModelKey = tuple[str, int]  # (registry schema name, version)


@dataclass
class Catalog:
    """One project's registry, loaded once per test session and shared by every item."""

    config: Config
    registry: Registry
    _validators: dict[tuple[str, int, bool], Validator] = field(default_factory=dict)

    @classmethod
    def load(cls, project: Path) -> Catalog:
        config_file = project if project.is_file() else project / "eventcontracts.toml"
        config = load_checked_config(config_file if config_file.is_file() else None, start=project)
        return cls(config, load_project_registry(config))

    @cached_property
    def resolver(self) -> Resolver:
        return Resolver(self.registry, allow_remote_refs=self.config.allow_remote_refs)

    def validator(self, version: SchemaVersion, *, detail: bool = False) -> Validator:
        key = (version.schema_name, version.version, detail)
        if key not in self._validators:
            self._validators[key] = (
                self.resolver.detail_validator(version)
                if detail
                else self.resolver.event_validator(version)
            )
        return self._validators[key]

    def mode_of(self, schema_name: str) -> str:
        return self.config.compatibility_for(schema_name).mode


def first_error(validator: Validator, instance: Any) -> str | None:
    """The most relevant validation error as "at /pointer: message", or None when valid."""
    from jsonschema.exceptions import best_match

    error = best_match(validator.iter_errors(instance))
    if error is None:
        return None
    pointer = "".join(f"/{part}" for part in error.absolute_path) or "/"
    return f"at {pointer}: {error.message}"


def generated_models(config: Config, package: str | None) -> dict[ModelKey, type[Any]]:
    """The generated detail models by (schema name, version), from the generated package.

    The package is imported by name when it is installed; otherwise from the project's own
    ``[codegen] out`` folder, so a repository's contract tests test the code it commits.
    """
    name = package or config.codegen.package
    module = _import_package(name, config.root / config.codegen.out)
    models: dict[ModelKey, type[Any]] = {}
    for info in pkgutil.walk_packages(module.__path__, prefix=f"{name}."):
        try:
            submodule = importlib.import_module(info.name)
        except Exception as exc:  # a broken or hand-edited module: say which, not a traceback
            raise EventContractsError(
                f"the generated module {info.name} does not import ({type(exc).__name__}: "
                f"{exc}); run 'eventcontracts generate'"
            ) from None
        for _, cls in inspect.getmembers(submodule, inspect.isclass):
            schema_name = cls.__dict__.get("SCHEMA_NAME")
            version = cls.__dict__.get("SCHEMA_VERSION")
            if isinstance(schema_name, str) and isinstance(version, int):
                models[(schema_name, version)] = cls
    return models


def _import_package(name: str, out: Path) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError:
        pass
    if (out / name.replace(".", "/") / "__init__.py").is_file():
        sys.path.insert(0, str(out))
        try:
            return importlib.import_module(name)
        except ImportError as exc:
            raise EventContractsError(
                f"{out}: the generated package {name!r} does not import: {exc}"
            ) from None
    raise EventContractsError(
        f"the generated package {name!r} is neither installed nor in {out}; run "
        "'eventcontracts generate', or pass models=False to skip the round-trip checks"
    )
