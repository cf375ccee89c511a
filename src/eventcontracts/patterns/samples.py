"""Sample events of a schema version for ``rules test``: the one seam event generation sits behind.

``rules test`` only needs a :data:`Samples` callable, ``samples(version, count, seed)`` ->
events. The implementation here is interim: the version's example events (registry
``examples/v<N>/*.json``) first, then events drawn by hypothesis-jsonschema from the version's
event schema (refs inlined), with ``source`` and ``detail-type`` set to the version's own,
since schemas type them only as strings. It is meant to be replaced by
``eventcontracts.contract.events`` (a hypothesis strategy of whole events) in :func:`samples_for`.
"""

from __future__ import annotations

import contextlib
import copy
import warnings
from collections.abc import Callable
from typing import Any

from eventcontracts.registry.model import SchemaVersion
from eventcontracts.registry.resolver import Resolved, Resolver, UnresolvableRef

Samples = Callable[[SchemaVersion, int, int], list[dict[str, Any]]]
INLINE_DEPTH = 8  # a recursive schema is cut off here: deeper values are left unconstrained


def samples_for(resolver: Resolver) -> Samples:
    """The event generator ``rules test`` uses."""

    def samples(version: SchemaVersion, count: int, seed: int) -> list[dict[str, Any]]:
        events = [doc.content for doc in version.examples if isinstance(doc.content, dict)]
        events = events[:count]
        if len(events) < count:
            events += _drawn(version, resolver, count - len(events), seed)
        return events

    return samples


def _drawn(
    version: SchemaVersion, resolver: Resolver, count: int, seed: int
) -> list[dict[str, Any]]:
    from eventcontracts.compat.examples import quiet_hypothesis

    quiet_hypothesis()
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis_jsonschema import from_schema

    start = resolver.lookup(f"#{version.envelope_pointer}", version.uri)
    schema = _inline(start.contents, start, resolver, 0)
    drawn: list[dict[str, Any]] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(from_schema(schema))
    def collect(event: Any) -> None:
        if isinstance(event, dict) and len(drawn) < count:
            drawn.append({**event, "source": version.source, "detail-type": version.detail_type})

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # A schema hypothesis-jsonschema cannot draw from leaves the examples to stand alone.
        with contextlib.suppress(Exception):
            collect()
    return drawn


def _inline(schema: Any, scope: Resolved | str, resolver: Resolver, depth: int) -> Any:
    """``schema`` with every ``$ref`` replaced by its target (to ``INLINE_DEPTH`` levels)."""
    if isinstance(schema, list):
        return [_inline(item, scope, resolver, depth) for item in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if depth >= INLINE_DEPTH:
            return {}
        try:
            target = resolver.lookup(ref, scope)
        except UnresolvableRef:
            return {}
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        inlined = _inline(target.contents, target, resolver, depth + 1)
        return {"allOf": [inlined, _inline(rest, scope, resolver, depth)]} if rest else inlined
    result = copy.copy(schema)
    for key, value in schema.items():
        if key in ("properties", "patternProperties", "definitions", "$defs"):
            if isinstance(value, dict):
                result[key] = {
                    name: _inline(v, scope, resolver, depth) for name, v in value.items()
                }
        elif key in (
            "items",
            "additionalProperties",
            "not",
            "allOf",
            "anyOf",
            "oneOf",
            "prefixItems",
        ):
            result[key] = _inline(value, scope, resolver, depth)
    result.pop("definitions", None)
    result.pop("$defs", None)
    result.pop("$schema", None)
    result.pop("$id", None)
    result.pop("id", None)
    return result
