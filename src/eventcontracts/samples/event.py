"""Whole sample events of a version, built directly from its schema: no search.

A hypothesis draw costs ~38 ms a version; a catalog of 5,000 versions needs one in well under a
millisecond, and ``eventcontracts sample --count 50`` fifty that read like production. The
event is the version's whole event schema (envelope and detail, every ``$ref`` inlined) built
by :class:`~eventcontracts.samples.builder.Realistic`, with the envelope filled the way
EventBridge fills it (:func:`envelope_values`), and then validated by the version's own
validator. Where that fails, the failing places are built again carefully (each choice checked
against its subschema), twice at most; what still fails is None, and the caller falls back to
hypothesis. A version without a detail schema gets no event (as ``sample`` refuses it, L105).

:meth:`EventBuilder.fixed` is the catalog's one event per version: fixed envelope values, ids
derived from the schema's name and version (uuid5), nothing random.
:meth:`EventBuilder.seeded` is the ``index``-th event of a seed: its choices drawn from a
:class:`random.Random` seeded by (seed, index, schema, version). Both are the same on every run
and machine.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Callable
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from eventcontracts.registry.model import SchemaVersion
from eventcontracts.registry.refs import VersionRefs
from eventcontracts.registry.resolver import Resolver, validator_class
from eventcontracts.samples.builder import CUT, Accepts, Path, Realistic, TooLarge
from eventcontracts.samples.choices import ID_NAMESPACE, Fixed, Seeded
from eventcontracts.samples.scene import (
    FIXED_SCENE,
    Scene,
    seeded_scene,
    service_of,
    service_resource,
)
from eventcontracts.schema.inline import Inliner, entering_ids_below, step

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

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
    """The catalog's realistic whole event of ``version`` (checked with its validator), the
    same on every run; None when the direct builder cannot make one (the caller falls back)."""
    builder = EventBuilder.of(version, resolver)
    return None if builder is None else builder.fixed()


class EventBuilder:
    """Events of one version: its schema inlined, its validator and acceptor, found once."""

    def __init__(self, version: SchemaVersion, resolver: Resolver, schema: Any) -> None:
        self.version = version
        self.schema = schema
        self.validator = resolver.event_validator(version)
        self.accepts = acceptor(validator_class(version))

    @classmethod
    def of(cls, version: SchemaVersion, resolver: Resolver) -> EventBuilder | None:
        """The builder of ``version``; None for one without a detail or with a schema the
        builder cannot read (too large, unresolvable...)."""
        try:
            return cls.create(version, resolver)
        except Exception:  # TooLarge, RecursionError, a schema jsonschema cannot read...
            return None

    @classmethod
    def create(
        cls, version: SchemaVersion, resolver: Resolver, *, every_ref: bool = False
    ) -> EventBuilder | None:
        """:meth:`of`, raising what stops it: :class:`TooLarge` for a schema whose refs expand
        beyond any example (a diamond of refs), what reading the schema raises. With
        ``every_ref``, a ref that does not resolve raises too (``sample`` then lets the
        hypothesis path name it) instead of being cut, which would quietly leave out an
        optional property whose schema is in a broken file."""
        if version.detail_pointer is None:
            return None  # as `eventcontracts sample` refuses it: an envelope is no sample (L105)
        refs = VersionRefs(resolver, version)
        if not isinstance(refs.schema, dict):
            return None
        return cls(version, resolver, inline_event_schema(refs, every_ref=every_ref))

    def fixed(self) -> dict[str, Any] | None:
        """The catalog's event: the first of every choice, the fixed scene."""
        return self._event(lambda attempt: Fixed(), FIXED_SCENE)

    def seeded(self, seed: int, index: int) -> dict[str, Any] | None:
        """The ``index``-th event of ``seed``: the same on every run and machine."""
        name = f"eventcontracts-sample:{seed}:{index}:{self.version.schema_name}"
        key = f"{name}:v{self.version.version}"
        scene = seeded_scene(seed, random.Random(f"{key}:scene"))
        # Each attempt draws afresh from its own stream: attempt 2 is the same on every run.
        return self._event(lambda attempt: Seeded(random.Random(f"{key}:{attempt}"), index), scene)

    def _event(self, choose: Callable[[int], Fixed], scene: Scene) -> dict[str, Any] | None:
        try:
            return self._build(choose, scene)
        except Exception:  # TooLarge, RecursionError, a value jsonschema cannot check...
            return None

    def _build(self, choose: Callable[[int], Fixed], scene: Scene) -> dict[str, Any] | None:
        version = self.version
        careful: set[Path] = set()
        for attempt in range(ATTEMPTS):
            choices = choose(attempt)
            build = Realistic(
                seed=f"{version.schema_name}:v{version.version}",
                accepts=self.accepts,
                given=envelope_values(version, self.schema, choices, scene),
                careful=careful,
                everywhere_careful=attempt == ATTEMPTS - 1,
                choices=choices,
                scene=scene,
                source=version.source,
            )
            event = build.build(self.schema)
            if not isinstance(event, dict):
                return None
            errors = list(islice(self.validator.iter_errors(event), MAX_ERRORS))
            if not errors:
                return _in_envelope_order(self._enveloped(event, build.given))
            careful |= {tuple(error.absolute_path) for error in errors}
        return None

    def _enveloped(self, event: dict[str, Any], given: dict[Path, Any]) -> dict[str, Any]:
        """``event`` with the envelope fields its schema leaves undeclared, as EventBridge
        sends them all, where the schema allows them (else ``event`` as built)."""
        missing: dict[str, Any] = {
            str(path[0]): value for path, value in given.items() if path[0] not in event
        }
        if not missing:
            return event
        whole = {**missing, **event}
        return whole if self.validator.is_valid(whole) else event


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


def inline_event_schema(refs: VersionRefs, *, every_ref: bool = False) -> Any:
    """The version's event schema with every ``$ref`` inlined; recursion is expanded once and
    then cut (:data:`CUT`, as is a ref that does not resolve, unless ``every_ref``: then that
    raises). Raises TooLarge."""
    followed = 0

    def resolve(ref: str, scope: Any) -> tuple[Any, Any] | None:
        nonlocal followed
        followed += 1
        if followed > MAX_REFS:
            raise TooLarge("too many refs to inline")
        try:
            return refs.resolve(ref, scope)
        except Exception:  # unresolvable: cut there, the validator says the rest
            if every_ref:
                raise
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


def envelope_values(
    version: SchemaVersion, schema: Any, choices: Fixed | None = None, scene: Scene = FIXED_SCENE
) -> dict[Path, Any]:
    """The envelope's fields as EventBridge fills them, for a version's event schema: the
    scene's account, region and time; an id of the version (fixed) or drawn (seeded)."""
    choices = choices or Fixed()
    seeded = choices.varied
    name = f"{version.schema_name}/v{version.version}"
    return {
        ("version",): "0",
        ("id",): choices.uuid("", ()) if seeded else str(uuid.uuid5(ID_NAMESPACE, name)),
        ("detail-type",): version.detail_type,
        ("source",): version.source,
        ("account",): scene.account,
        ("time",): scene.time,
        ("region",): scene.region,
        ("resources",): _resources(version, step(schema, "resources"), choices, scene, seeded),
    }


def _resources(
    version: SchemaVersion, schema: Any, choices: Fixed, scene: Scene, seeded: bool
) -> list[str]:
    """ARNs in the scene's account and region: what an AWS service's event is about (one, in
    a seeded event of a service :data:`~eventcontracts.samples.scene.SERVICE_RESOURCES`
    knows), and as many as the schema requires (``minItems``) of the event's own kind
    (``aws.ec2`` -> ``arn:aws:ec2:...``)."""
    wanted = schema.get("minItems") if isinstance(schema, dict) else None
    wanted = wanted if isinstance(wanted, int) and not isinstance(wanted, bool) else 0
    most = schema.get("maxItems") if isinstance(schema, dict) else None
    service = service_of(version.source)
    found = []
    if seeded and version.source.startswith("aws.") and most != 0:
        resource = service_resource(version.source, choices)
        found += [] if resource is None else [scene.arn(service, resource)]
    kind = re.sub(r"[^a-z0-9-]", "-", version.schema_name.rsplit("@", 1)[-1].lower())
    for index in range(len(found) + 1, min(wanted, MAX_RESOURCES) + 1):
        label = f"example-{index}" if not seeded else f"{choices.hex(8)}"
        found.append(scene.arn(service, f"{kind or 'resource'}/{label}"))
    return found


@cache
def acceptor(cls: type[Validator]) -> Accepts:
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
