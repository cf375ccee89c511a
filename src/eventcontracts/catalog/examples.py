"""A generated sample event per version, built directly from its schema: no search.

A hypothesis draw costs ~38 ms a version; a catalog of 5,000 versions needs one in well under a
millisecond. The event is the version's whole event schema (envelope and detail, every ``$ref``
inlined) built by :class:`~eventcontracts.catalog.realistic.Realistic`, with the envelope
filled the way EventBridge fills it (:func:`envelope_values`), and then validated by the
version's own validator. Where that fails, the failing places are built again carefully (each
choice checked against its subschema), twice at most; what still fails is None, and the caller
falls back to hypothesis. Like ``eventcontracts sample``, a version without a detail schema
gets no event.

The result is the same on every run and machine: fixed envelope values, ids derived from the
schema's name and version (uuid5), nothing random.
"""

from __future__ import annotations

import re
import uuid
from functools import cache
from itertools import islice
from typing import Any

from eventcontracts.catalog.realistic import (
    ACCOUNT,
    CUT,
    ID_NAMESPACE,
    REGION,
    TIME,
    Path,
    Realistic,
    TooLarge,
    arn_like,
)
from eventcontracts.registry.model import SchemaVersion
from eventcontracts.registry.refs import VersionRefs
from eventcontracts.registry.resolver import Resolver, validator_class
from eventcontracts.schema.inline import Inliner, entering_ids_below, step

# Builds per event: the fast one, then careful at the failing places, then careful everywhere.
ATTEMPTS = 3
# The validator's errors read per attempt (each names a place to be careful at).
MAX_ERRORS = 20
# Refs followed while inlining one event schema: a diamond of refs doubles per level, and a
# schema needing more than this is no schema an example helps with.
MAX_REFS = 2_000
# Refs followed one inside another; recursion is cut after one expansion of itself anyway.
MAX_INLINE_DEPTH = 16
# Resources an event lists when its schema requires some (minItems), at most.
MAX_RESOURCES = 3


def generated_event(version: SchemaVersion, resolver: Resolver) -> dict[str, Any] | None:
    """A realistic whole event that ``version`` accepts (checked with its validator), the same
    on every run; None when the direct builder cannot make one (the caller falls back)."""
    try:
        return _generated_event(version, resolver)
    except Exception:  # TooLarge, RecursionError, a schema jsonschema cannot read...
        return None


def _generated_event(version: SchemaVersion, resolver: Resolver) -> dict[str, Any] | None:
    if version.detail_pointer is None:
        return None  # as `eventcontracts sample` refuses it: an envelope is no sample (L105)
    refs = VersionRefs(resolver, version)
    if not isinstance(refs.schema, dict):
        return None
    schema = inline_event_schema(refs)
    validator = resolver.event_validator(version)
    given = envelope_values(version, schema)
    accepts = _acceptor(validator_class(version))
    careful: set[Path] = set()
    for attempt in range(ATTEMPTS):
        build = Realistic(
            seed=f"{version.schema_name}:v{version.version}",
            accepts=accepts,
            given=given,
            careful=careful,
            everywhere_careful=attempt == ATTEMPTS - 1,
        )
        event = build.build(schema)
        if not isinstance(event, dict):
            return None
        errors = list(islice(validator.iter_errors(event), MAX_ERRORS))
        if not errors:
            return _in_envelope_order(event)
        careful |= {tuple(error.absolute_path) for error in errors}
    return None


# The envelope as EventBridge writes it: its fields in this order, the detail last.
ENVELOPE_ORDER = (
    "version",
    "id",
    "detail-type",
    "source",
    "account",
    "time",
    "region",
    "resources",
)


def _in_envelope_order(event: dict[str, Any]) -> dict[str, Any]:
    first = {key: event[key] for key in ENVELOPE_ORDER if key in event}
    rest = {key: value for key, value in event.items() if key not in first and key != "detail"}
    return {**first, **rest, **({"detail": event["detail"]} if "detail" in event else {})}


def inline_event_schema(refs: VersionRefs) -> Any:
    """The version's event schema with every ``$ref`` inlined; recursion is expanded once and
    then cut (:data:`CUT`, as is a ref that does not resolve). Raises TooLarge."""
    followed = 0

    def resolve(ref: str, scope: Any) -> tuple[Any, Any] | None:
        nonlocal followed
        followed += 1
        if followed > MAX_REFS:
            raise TooLarge("too many refs to inline")
        try:
            return refs.resolve(ref, scope)
        except Exception:  # unresolvable: cut there, the validator says the rest
            return None

    inliner = Inliner(
        resolve,
        enter=entering_ids_below(refs.schema, refs.enter),
        legacy_refs=refs.legacy_refs,
        max_depth=MAX_INLINE_DEPTH,
        max_repeats=1,
        cut=CUT,
        unresolved=CUT,
        drop=frozenset({"definitions", "$defs"}),  # read through refs, not built
    )
    return inliner.inline(refs.schema)


def envelope_values(version: SchemaVersion, schema: Any) -> dict[Path, Any]:
    """The envelope's fields as EventBridge fills them, for a version's event schema."""
    return {
        ("version",): "0",
        ("id",): str(uuid.uuid5(ID_NAMESPACE, f"{version.schema_name}/v{version.version}")),
        ("detail-type",): version.detail_type,
        ("source",): version.source,
        ("account",): ACCOUNT,
        ("time",): TIME,
        ("region",): REGION,
        ("resources",): _resources(version, step(schema, "resources")),
    }


def _resources(version: SchemaVersion, schema: Any) -> list[str]:
    """None, as most events list; ARNs in the envelope's account and region when the schema
    requires some (``aws.ec2`` -> ``arn:aws:ec2:...``)."""
    wanted = schema.get("minItems") if isinstance(schema, dict) else None
    if not isinstance(wanted, int) or isinstance(wanted, bool) or wanted < 1:
        return []
    kind = re.sub(r"[^a-z0-9-]", "-", version.schema_name.rsplit("@", 1)[-1].lower())
    return [
        arn_like(version.source, f"{kind or 'resource'}/example-{index}")
        for index in range(1, min(wanted, MAX_RESOURCES) + 1)
    ]


@cache
def _acceptor(cls: Any) -> Any:
    """``accepts(schema, value)`` for inlined subschemas in a version's dialect, regexes by RE2
    and formats checked, as the version's own validator does."""
    import jsonschema

    from eventcontracts.registry.safe_validators import safe_validator_class

    safe = safe_validator_class(cls)
    checker = jsonschema.FormatChecker()

    def accepts(schema: Any, value: Any) -> bool:
        try:
            return bool(safe(schema, format_checker=checker).is_valid(value))
        except Exception:  # a subschema jsonschema cannot read: not accepted
            return False

    return accepts
