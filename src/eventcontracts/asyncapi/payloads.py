"""The schemas of one message: a registry version's event schema split into the detail (the
payload) and the envelope (the headers), every ``$ref`` followed so the document stands alone.

Refs are inlined with the schema toolkit's inliner (:mod:`eventcontracts.schema.inline`), as
the registry resolves them (:class:`~eventcontracts.registry.refs.VersionRefs`: refs across
files, ``$id``s). A recursive schema cannot be inlined whole: its target is kept once in the
document's ``components.schemas`` and each ref to it inside itself becomes a ref there
(:data:`~eventcontracts.asyncapi.names.COMPONENT_SCHEMA_REF`). Nothing else is changed: what
the author wrote (descriptions, titles, formats, ``nullable``) stays as written, so importing
the message back gives the same schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from eventcontracts.asyncapi.names import (
    COMPONENT_SCHEMA_REF,
    OPENAPI_SCHEMA_FORMAT,
    dialect_name,
    json_schema_format,
    safe_key,
)
from eventcontracts.errors import EventContractsError
from eventcontracts.registry.model import SchemaFormat, SchemaVersion
from eventcontracts.registry.refs import VersionRefs
from eventcontracts.registry.resolver import Resolver
from eventcontracts.schema.inline import Inliner, entering_ids_below

# Refs followed for one version: a schema that refers to one definition from many places,
# nested, would otherwise grow without bound when inlined (every corpus schema needs < 500).
MAX_REFS = 20_000
DETAIL = "detail"


class ExportError(EventContractsError):
    """A version that cannot be written as an AsyncAPI message: one line naming its file."""


@dataclass(frozen=True)
class MessageSchemas:
    """The schemas of one version's message, each a Multi Format Schema Object's ``schema``."""

    schema_format: str
    payload: Any  # the detail's schema
    headers: dict[str, Any]  # the envelope: the event schema without its detail
    detail_required: bool
    description: str | None  # the detail's, else the event's


def schema_format(version: SchemaVersion) -> str:
    """The ``schemaFormat`` of a version's schemas: OpenAPI 3.0, or its JSON Schema draft."""
    if version.format is SchemaFormat.OPENAPI3:
        return OPENAPI_SCHEMA_FORMAT
    return json_schema_format(dialect_name(version.dialect))


def message_schemas(
    version: SchemaVersion, resolver: Resolver, *, key: str, kept: dict[str, Any]
) -> MessageSchemas:
    """The payload and headers of ``version`` (its message is ``key``). The targets of its
    recursive refs are added to ``kept`` (the document's ``components.schemas``), under keys
    starting with ``key``."""
    refs = VersionRefs(resolver, version)
    display = version.document.display
    if not isinstance(refs.schema, dict):
        raise ExportError(
            f"{display}: no event schema (components.schemas.AWSEvent in OpenApi3); "
            "run 'eventcontracts lint'"
        )
    fmt = schema_format(version)

    def inlined(drop: frozenset[str]) -> Any:
        inliner = Inliner(
            _counting(refs.resolve, display),
            enter=entering_ids_below(refs.schema, refs.enter),
            legacy_refs=refs.legacy_refs,
            recurse=_keeping(key, fmt, kept),
            drop=drop,
        )
        return inliner.inline(refs.schema)

    # Definitions are read through the refs, never needed in the result; $schema is the
    # schemaFormat. An $id is kept (the author's, and compat tells a changed one), unless the
    # schema is recursive: then an $id would re-base the refs into components.schemas.
    before = set(kept)
    event = inlined(_DROPPED)
    if set(kept) != before:
        for added in set(kept) - before:
            del kept[added]
        event = inlined(_DROPPED | _ids(version))
    properties = event.get("properties") if isinstance(event, dict) else None
    if not isinstance(properties, dict) or DETAIL not in properties:
        raise ExportError(
            f"{display}: the event schema declares no properties.detail; run 'eventcontracts "
            "lint' (L105) and put the detail under properties.detail"
        )
    assert isinstance(event, dict)
    payload = properties[DETAIL]
    headers = {**event, "properties": {k: v for k, v in properties.items() if k != DETAIL}}
    required = event.get("required")
    detail_required = isinstance(required, list) and DETAIL in required
    if isinstance(required, list):
        rest = [name for name in required if name != DETAIL]
        if rest:
            headers["required"] = rest
        else:  # draft 4 and OpenAPI 3.0 allow no empty "required"
            del headers["required"]
    return MessageSchemas(fmt, payload, headers, detail_required, _description(payload, event))


_DROPPED = frozenset({"$schema", "definitions", "$defs"})


def _ids(version: SchemaVersion) -> frozenset[str]:
    """The keywords that re-base refs in the version's dialect."""
    if version.format is SchemaFormat.JSONSCHEMA_DRAFT4 and dialect_name(version.dialect) == (
        "draft-04"
    ):
        return frozenset({"$id", "id"})  # draft 4's is "id"
    return frozenset({"$id"})


def _counting(
    resolve: Callable[[str, Any], tuple[Any, Any]], display: str
) -> Callable[[str, Any], tuple[Any, Any]]:
    """``resolve``, refusing an unresolvable ref (a message must say what the schema says) and
    a schema whose refs, inlined, would not end."""
    followed = 0

    def counted(ref: str, scope: Any) -> tuple[Any, Any]:
        nonlocal followed
        followed += 1
        if followed > MAX_REFS:
            raise ExportError(
                f"{display}: more than {MAX_REFS:,} $refs to follow; refer to shared "
                "definitions from fewer places"
            )
        try:
            return resolve(ref, scope)
        except Exception:  # whatever a malformed or dangling ref makes the resolver raise
            raise ExportError(
                f"{display}: $ref {ref!r} cannot be resolved; run 'eventcontracts lint'"
            ) from None

    return counted


def _keeping(
    key: str, fmt: str, kept: dict[str, Any]
) -> Callable[[str, Any, Callable[[], Any]], Any]:
    """The inliner's ``recurse``: a recursive target kept once in ``kept``, a ref to it."""
    copies: dict[int, str] = {}  # id(target) -> its key in kept

    def recurse(ref: str, target: Any, expand: Callable[[], Any]) -> Any:
        copy_key = copies.get(id(target))
        if copy_key is None:
            copy_key = _free_key(f"{key}.{_last_token(ref)}", kept)
            copies[id(target)] = copy_key
            kept[copy_key] = None  # taken while the copy is made (refs inside it come here)
            kept[copy_key] = {"schemaFormat": fmt, "schema": expand()}
        return {"$ref": COMPONENT_SCHEMA_REF.format(key=copy_key)}

    return recurse


def _last_token(ref: str) -> str:
    """``Node`` of ``#/definitions/Node`` (or of ``node.json``): a readable key."""
    fragment = ref.partition("#")[2]
    token = unquote(fragment.rstrip("/").rsplit("/", 1)[-1]) if fragment else ""
    if not token:
        token = ref.partition("#")[0].rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0]
    return token or "Schema"


def _free_key(wanted: str, taken: dict[str, Any]) -> str:
    key, number = safe_key(wanted), 1
    while key in taken:
        number += 1
        key = safe_key(f"{wanted}{number}")
    return key


def _description(payload: Any, event: Any) -> str | None:
    for schema in (payload, event):
        if isinstance(schema, dict) and isinstance(schema.get("description"), str):
            return str(schema["description"])
    return None
