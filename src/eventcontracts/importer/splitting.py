"""Finding the events a schema document describes, each as a complete registry document.

What registries and teams really hold, and what becomes of it:

- an OpenApi3 export with ``components.schemas.AWSEvent``: one event, kept as it is;
- an OpenApi3 document whose components carry the ``x-amazon-events-*`` keys themselves
  (several events in one file): one document per such component, with the components it uses;
- an OpenApi3 or JSON Schema document of the detail alone: wrapped in the envelope, its
  source and detail-type from ``--source``/``--detail-type`` or its vendor keys;
- a JSON Schema export with the envelope at its root: one event, kept as it is.

What cannot be decided is a :class:`Refused` naming the file and what to do.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from eventcontracts.importer.envelope import (
    defs_keyword,
    json_schema_document,
    openapi_document,
)
from eventcontracts.importer.reading import Refused
from eventcontracts.registry.formats import MAX_SOURCE
from eventcontracts.registry.sourcefolder import folder_of_source
from eventcontracts.schema import pointer as json_pointer
from eventcontracts.schema.keywords import DETAIL_TYPE_KEY, SOURCE_KEY
from eventcontracts.schema.pointer import unescape_token
from eventcontracts.schema.walk import find_refs, iter_document_schemas, iter_schemas

# Spellings of the vendor keys seen in the wild; named in the refusal so the fix is obvious.
_MISSPELLED_SOURCE = ("x-amazon-event-source", "x-amazon-events-sources", "x-amazon-source")
_MISSPELLED_DETAIL_TYPE = ("x-amazon-event-detail-type", "x-amazon-events-detailtype")
_VENDOR_KEYS = (SOURCE_KEY, DETAIL_TYPE_KEY, *_MISSPELLED_SOURCE, *_MISSPELLED_DETAIL_TYPE)
_EVENT_FIELDS = ("source", "detail-type", "detail")
# Root keywords that make an object a JSON Schema; a map of named schemas has none of them.
_SCHEMA_KEYWORDS = frozenset(
    {
        "$schema", "$id", "$ref", "type", "properties", "items", "allOf", "anyOf", "oneOf",
        "not", "enum", "const", "required", "definitions", "$defs", "additionalProperties",
        "patternProperties", "if", "format", "title", "description",
    }
)  # fmt: skip
_NAME_PARTS = re.compile(r"[A-Za-z0-9._-]+")
_PLACEHOLDER = re.compile(r"\{\{.*\}\}|\$\{.*\}")
_NOWHERE = object()  # where a $ref leads when it leads to nothing


@dataclass(frozen=True)
class Given:
    """What the command line says: it wins over what the document says."""

    source: str | None = None
    detail_type: str | None = None
    name: str | None = None


@dataclass
class EventSchema:
    """One event's schema, ready to be written as a version."""

    name: str  # the schema folder name
    source: str
    detail_type: str
    document: dict[str, Any]
    origin: str  # where in the input it came from, for the report ("" for the whole file)


def split_document(content: Any, display: str, stem: str, given: Given) -> list[EventSchema]:
    if not isinstance(content, dict):
        raise Refused(display, f"a {_kind(content)}, not a schema; import an OpenApi3 or JSON "
                      "Schema document")  # fmt: skip
    if all(isinstance(content.get(key), (str, dict)) for key in _EVENT_FIELDS) and not (
        _SCHEMA_KEYWORDS & set(content)
    ):
        raise Refused(display, "an event, not a schema; file it with 'eventcontracts import "
                      "--events' once its schema is in the registry")  # fmt: skip
    if "openapi" in content or set(content) == {"components"}:
        events = _openapi(content, display, stem, given)
    elif _SCHEMA_KEYWORDS & set(content):
        events = [_json_schema(content, display, stem, given)]
    else:
        keys = ", ".join(list(content)[:4])
        raise Refused(display, f"no JSON Schema keyword at the root ({keys}, ...): a map of "
                      "named schemas is not an event; put it under registry/_shared/ and $ref "
                      "its parts")  # fmt: skip
    for event in events:
        _check_refs(event, display)
    return events


# --- OpenApi3 ---------------------------------------------------------------------------------


def _openapi(content: dict[str, Any], display: str, stem: str, given: Given) -> list[EventSchema]:
    components = content.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict) or not schemas:
        raise Refused(display, "an OpenApi3 document without components.schemas describes no "
                      "event; export the schema with its components")  # fmt: skip
    info = content.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    aws_event = schemas.get("AWSEvent")
    if isinstance(aws_event, dict):
        return [_openapi_export(content, aws_event, display, stem, title, given)]
    carriers = [
        name for name, schema in schemas.items()
        if isinstance(schema, dict) and any(key in schema for key in _VENDOR_KEYS)
    ]  # fmt: skip
    if carriers:
        if len(carriers) > 1 and (given.name or given.detail_type):
            raise Refused(display, f"holds {len(carriers)} events ({', '.join(carriers)}); "
                          "--name and --detail-type name one event: drop them, the document "
                          "names each")  # fmt: skip
        return [_openapi_carrier(schemas, name, display, given) for name in carriers]
    detail = _detail_component(schemas, title, display, given)
    source, detail_type = _identity({}, display, given, what="a detail-only schema")
    document = openapi_document(
        str(title or detail), source, detail_type, detail, copy.deepcopy(schemas)
    )
    name = folder_name(given.name or detail, display)
    return [EventSchema(name, source, detail_type, document, "")]


def _openapi_export(
    content: dict[str, Any],
    aws_event: dict[str, Any],
    display: str,
    stem: str,
    title: object,
    given: Given,
) -> EventSchema:
    source, detail_type = _identity(aws_event, display, given, what="AWSEvent")
    document = copy.deepcopy(content)
    # A fragment ("components" alone, as CDK specs embed them) becomes a whole document.
    document.setdefault("openapi", "3.0.0")
    document.setdefault("info", {"version": "1.0.0", "title": str(title or stem)})
    document.setdefault("paths", {})
    envelope = document["components"]["schemas"]["AWSEvent"]
    envelope[SOURCE_KEY], envelope[DETAIL_TYPE_KEY] = source, detail_type
    detail = _ref_target_name(aws_event, "#/components/schemas/")
    name = folder_name(given.name or detail or (title if isinstance(title, str) else stem), display)
    return EventSchema(name, source, detail_type, document, "")


def _openapi_carrier(schemas: dict[str, Any], name: str, display: str, given: Given) -> EventSchema:
    """One of several events of a document: the component carries the vendor keys and is
    either the whole envelope (it has ``properties.detail``) or the detail itself."""
    carrier = copy.deepcopy(schemas[name])
    source, detail_type = _identity(carrier, display, given, what=f"component {name!r}")
    for key in _VENDOR_KEYS:
        carrier.pop(key, None)
    properties = carrier.get("properties")
    if isinstance(properties, dict) and "detail" in properties:
        carrier.update({SOURCE_KEY: source, DETAIL_TYPE_KEY: detail_type})
        used = _reachable(schemas, carrier, skip=name)
        document = openapi_document(name, source, detail_type, name, used)
        document["components"]["schemas"]["AWSEvent"] = carrier
    else:
        used = _reachable(schemas, carrier, skip=name)
        document = openapi_document(name, source, detail_type, name, {name: carrier, **used})
    folder = folder_name(given.name or name, display)
    return EventSchema(folder, source, detail_type, document, f"component {name}")


def _detail_component(schemas: dict[str, Any], title: object, display: str, given: Given) -> str:
    """Which component of a detail-only document is the detail: the one --name or the title
    names, else the only one no other component refers to."""
    for candidate in (given.name, title):
        if isinstance(candidate, str) and candidate in schemas:
            return candidate
    referenced = {
        unescape_token(ref[len("#/components/schemas/") :].split("/")[0])
        for _, ref in find_refs({"components": {"schemas": schemas}}, openapi=True)[0]
        if isinstance(ref, str) and ref.startswith("#/components/schemas/")
    }
    roots = [name for name in schemas if name not in referenced]
    if len(roots) == 1:
        return roots[0]
    raise Refused(display, f"components {', '.join(roots or list(schemas))} and none is "
                  "marked as the detail; pass --name with the one that is")  # fmt: skip


def _reachable(schemas: dict[str, Any], start: Any, skip: str) -> dict[str, Any]:
    """The components ``start`` uses, directly or not (``skip`` left out), in document order."""
    found: set[str] = set()
    pending = [start]
    while pending:
        node = pending.pop()
        for _, ref in find_refs({"components": {"schemas": {"x": node}}}, openapi=True)[0]:
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                target = unescape_token(ref[len("#/components/schemas/") :].split("/")[0])
                if target in schemas and target not in found and target != skip:
                    found.add(target)
                    pending.append(schemas[target])
    return {name: copy.deepcopy(schemas[name]) for name in schemas if name in found}


# --- JSON Schema ------------------------------------------------------------------------------


def _json_schema(content: dict[str, Any], display: str, stem: str, given: Given) -> EventSchema:
    title = content.get("title")
    properties = content.get("properties")
    if isinstance(properties, dict) and "detail" in properties:
        source, detail_type = _identity(content, display, given, what="the root")
        document = copy.deepcopy(content)
        document[SOURCE_KEY], document[DETAIL_TYPE_KEY] = source, detail_type
        detail = _ref_target_name(content, "#/definitions/") or _ref_target_name(
            content, "#/$defs/"
        )
        name = folder_name(given.name or detail or (title if isinstance(title, str) else stem),
                            display)  # fmt: skip
        return EventSchema(name, source, detail_type, document, "")
    source, detail_type = _identity(content, display, given, what="a detail-only schema")
    name = folder_name(given.name or (title if isinstance(title, str) else stem), display)
    dialect = content.get("$schema")
    dialect = dialect if isinstance(dialect, str) else None
    document = _wrap_detail(content, dialect, source, detail_type, name)
    return EventSchema(name, source, detail_type, document, "")


def _wrap_detail(
    content: dict[str, Any], dialect: str | None, source: str, detail_type: str, name: str
) -> dict[str, Any]:
    """The detail under ``definitions/<name>`` of an envelope; its own named subschemas move
    up beside it and every local ``$ref`` is rewritten to where its target now is."""
    keyword = defs_keyword(dialect)
    detail = copy.deepcopy(content)
    for key in ("$schema", *_VENDOR_KEYS):
        detail.pop(key, None)
    identifier = detail.pop("$id", None)  # the document's id stays the document's
    hoisted: dict[str, Any] = {}
    for container in ("definitions", "$defs"):
        named = detail.pop(container, None)
        if isinstance(named, dict):
            hoisted.update(named)
    detail_name = name if name not in hoisted else f"{name}Detail"
    inside = f"#/{keyword}/{detail_name}"
    for root in (detail, *hoisted.values()):
        for _, node in iter_schemas(root):
            ref = node.get("$ref")
            if not isinstance(ref, str) or not ref.startswith("#"):
                continue
            if ref == "#":
                node["$ref"] = inside
            elif ref.startswith(("#/definitions/", "#/$defs/")):
                node["$ref"] = f"#/{keyword}/" + ref.split("/", 2)[2]
            elif ref.startswith("#/"):
                node["$ref"] = inside + ref[1:]
    return json_schema_document(
        dialect, source, detail_type, detail_name, {detail_name: detail, **hoisted}, identifier
    )


# --- shared -----------------------------------------------------------------------------------


def _identity(node: dict[str, Any], display: str, given: Given, *, what: str) -> tuple[str, str]:
    """Source and detail-type: the command line's, else the document's vendor keys."""
    declared_source = node.get(SOURCE_KEY)
    declared_type = node.get(DETAIL_TYPE_KEY)
    source = given.source or (declared_source if isinstance(declared_source, str) else None)
    detail_type = given.detail_type or (declared_type if isinstance(declared_type, str) else None)
    if not source:
        misspelled = [key for key in _MISSPELLED_SOURCE if key in node]
        hint = f" ({misspelled[0]!r} is not {SOURCE_KEY!r})" if misspelled else ""
        raise Refused(display, f"no event source for {what}{hint}; pass --source S")
    if len(source) > MAX_SOURCE:
        raise Refused(
            display,
            f"source {source[:40]!r}... has {len(source)} characters, more than EventBridge's "
            f"{MAX_SOURCE}; pass --source with the real source",
        )
    try:
        folder_of_source(source)  # the source names a folder: it must be encodable text
    except ValueError:
        raise Refused(display, f"source {source!r} is not text that can be written as UTF-8; "
                      "pass --source with the real source") from None  # fmt: skip
    if _PLACEHOLDER.search(source):
        raise Refused(display, f"source {source!r} is a deploy-time template placeholder; pass "
                      "--source with the value it resolves to")  # fmt: skip
    if not detail_type:
        misspelled = [key for key in _MISSPELLED_DETAIL_TYPE if key in node]
        hint = f" ({misspelled[0]!r} is not {DETAIL_TYPE_KEY!r})" if misspelled else ""
        raise Refused(display, f"no detail-type for {what}{hint}; pass --detail-type D")
    return source, detail_type


def _ref_target_name(envelope: dict[str, Any], prefix: str) -> str | None:
    properties = envelope.get("properties")
    detail = properties.get("detail") if isinstance(properties, dict) else None
    ref = detail.get("$ref") if isinstance(detail, dict) else None
    if isinstance(ref, str) and ref.startswith(prefix):
        return unescape_token(ref[len(prefix) :])
    return None


def folder_name(text: str, display: str) -> str:
    """A schema folder name from a component name or title: the portable characters kept,
    words joined in CamelCase ("Some Awesome Schema" -> "SomeAwesomeSchema")."""
    parts = _NAME_PARTS.findall(text)
    if len(parts) > 1:
        parts = [part[:1].upper() + part[1:] for part in parts]
    name = "".join(parts).lstrip("._-")[:100]
    if not name:
        raise Refused(display, f"{text!r} gives no usable schema name; pass --name N")
    return name


def _check_refs(event: EventSchema, display: str) -> None:
    """Every $ref resolves inside the document: import writes one self-contained file."""
    document = event.document
    openapi = "openapi" in document
    ids = {
        node["$id"]
        for _, node in iter_document_schemas(document, openapi=openapi)
        if isinstance(node.get("$id"), str)
    }
    for at, ref in find_refs(document, openapi=openapi)[0]:
        if not isinstance(ref, str) or ref in ids or (ref.startswith("#") and not
                                                      ref.startswith("#/")):  # fmt: skip
            continue  # an $id or anchor: lint resolves those
        where = f"{event.origin}: " if event.origin else ""
        if not ref.startswith("#/"):
            raise Refused(display, f"{where}$ref {ref!r} at {at} points outside this document; "
                          "copy what it points to into the document (or registry/_shared/) and "
                          "import again")  # fmt: skip
        if json_pointer.resolve(document, unquote(ref[1:]), _NOWHERE) is _NOWHERE:
            raise Refused(display, f"{where}$ref {ref!r} at {at} points to nothing; point it "
                          "at a definition that exists ('/' in a name is written ~1) and "
                          "import again")  # fmt: skip


def _kind(value: Any) -> str:
    return {list: "list", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), type(value).__name__
    )
