"""What compiling one schema version needs to know: its dialect, its refs, its mode."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jsonschema
import referencing
import referencing._core
import referencing.jsonschema
from jsonschema.protocols import Validator

from eventcontracts.errors import EventContractsError
from eventcontracts.registry import Resolved, Resolver, SchemaFormat, SchemaVersion, UnresolvableRef
from eventcontracts.registry.formats import DRAFT4_URI
from eventcontracts.registry.resolver import validator_class
from eventcontracts.registry.safe_validators import safe_validator_class

# Where refs inside a subschema resolve from (a ``referencing`` resolver).
Scope = referencing._core.Resolver[Any]

# The validators whose $ref ignores its sibling keywords.
_LEGACY_REF_DIALECTS = (
    jsonschema.Draft3Validator,
    jsonschema.Draft4Validator,
    jsonschema.Draft6Validator,
    jsonschema.Draft7Validator,
)


@dataclass
class Context:
    """One schema version's compilation settings and helpers.

    ``realistic`` asks for values that read well in docs rather than ones that explore every
    corner; ``recursion_depth`` is how many times one ref may expand inside itself.
    """

    resolver: Resolver
    version: SchemaVersion
    realistic: bool = False
    # How many objects the compiler is inside: realistic objects cost hypothesis more draws
    # per level, so deep ones are drawn the plain way (see builders.REALISTIC_OBJECT_DEPTH).
    object_depth: int = field(default=0, init=False)
    recursion_depth: int = 3
    validator_class: type[Validator] = field(init=False)
    dialect_uri: str = field(init=False)
    legacy_refs: bool = field(init=False)
    _specification: referencing.Specification[Any] = field(init=False)
    _format_checker: jsonschema.FormatChecker = field(init=False)

    def __post_init__(self) -> None:
        self.validator_class = validator_class(self.version)
        self.legacy_refs = self.validator_class in _LEGACY_REF_DIALECTS
        if self.version.format is SchemaFormat.OPENAPI3:
            self.dialect_uri = DRAFT4_URI
        else:
            self.dialect_uri = self.version.dialect or DRAFT4_URI
        self._specification = referencing.jsonschema.specification_with(
            self.dialect_uri, default=referencing.jsonschema.DRAFT4
        )
        self._format_checker = jsonschema.FormatChecker()

    @property
    def draft4(self) -> bool:
        """draft-04 (and OpenAPI 3.0): boolean ``exclusiveMinimum``/``exclusiveMaximum``."""
        return self.validator_class in (jsonschema.Draft3Validator, jsonschema.Draft4Validator)

    def start(self, pointer: str) -> tuple[Any, Scope]:
        """The subschema at ``pointer`` in the version's document, and its scope."""
        return self.lookup(f"{self.version.uri}#{pointer}", None)

    def enter(self, schema: dict[str, Any], scope: Scope) -> Scope:
        """The scope inside ``schema``: changed only by an ``$id`` (``id`` in draft-04)."""
        if "$id" not in schema and "id" not in schema:
            return scope
        return scope.in_subresource(self._specification.create_resource(schema))

    def lookup(self, ref: str, scope: Scope | None) -> tuple[Any, Scope]:
        base: str | Resolved = self.version.uri if scope is None else Resolved(None, scope)
        try:
            found = self.resolver.lookup(ref, base)
        except UnresolvableRef as exc:
            raise EventContractsError(
                f"{self.version.path}: {exc}; run 'eventcontracts lint' and fix it first"
            ) from None
        return found.contents, found.scope

    def validator(self, schema: Any, scope: Scope) -> Validator:
        """A validator of ``schema`` as written at ``scope``, formats checked like events are."""
        return safe_validator_class(self.validator_class)(  # type: ignore[call-arg]
            schema, _resolver=scope, format_checker=self._format_checker
        )
