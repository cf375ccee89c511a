"""The messages of an AsyncAPI 2.6 or 3.0 document, each with its payload's schema format.

Where messages are:

- 2.x: ``channels.<c>.publish.message`` and ``subscribe.message`` (a message, or ``oneOf`` a
  list of them), and ``components.messages``;
- 3.x: ``channels.<c>.messages`` and ``components.messages`` (``operations`` only refer to the
  channels' messages, so they add none).

A message reached twice (a channel's ``$ref`` to a component) is one message. Its traits are
applied as the version's specification says: in 2.x a trait's field wins, in 3.x the
message's own. The payload is a schema, or in 3.x a Multi Format Schema Object
``{schemaFormat, schema}``; in 2.x the message's ``schemaFormat`` says its format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from eventcontracts.asyncapi.import_refs import Documents, Place
from eventcontracts.asyncapi.names import OPENAPI_SCHEMA_FORMAT, dialect_of_format
from eventcontracts.importer.reading import Refused

_ASYNCAPI_FORMAT = re.compile(r"application/vnd\.aai\.asyncapi(?:\+json|\+yaml)?;version=[0-9.]+")
_OPENAPI_FORMAT = re.compile(r"application/vnd\.oai\.openapi(?:\+json|\+yaml)?;version=3\.0\.\d+")
# An AsyncAPI schema is JSON Schema draft-07 with a few keywords of its own.
ASYNCAPI_DIALECT = "draft-07"


@dataclass(frozen=True)
class Format:
    """How a payload (or headers) schema is written: OpenAPI 3.0, or a JSON Schema dialect;
    ``asyncapi`` when it is an AsyncAPI schema (draft-07 and AsyncAPI's own keywords)."""

    openapi: bool
    dialect: str
    asyncapi: bool = False


@dataclass(frozen=True)
class Schema:
    node: Any
    place: Place
    format: Format


@dataclass
class Message:
    place: Place  # where the message object is (after following $refs)
    key: str | None  # its key in components.messages or a channel's messages
    fields: dict[str, Any]  # the message object with its traits applied
    payload: Schema | None
    headers: Schema | None


def find_messages(documents: Documents) -> list[Message]:
    content = documents.content
    display = documents.display
    if not isinstance(content, dict):
        raise Refused(display, "not an AsyncAPI document (a JSON object with 'asyncapi')")
    version = content.get("asyncapi")
    if version is None:  # another kind of document (OpenAPI, a JSON Schema, an event...)
        raise Refused(display, "not an AsyncAPI document: no 'asyncapi' version at its root; "
                      "import reads AsyncAPI 2.x (2.6) and 3.x (3.0) documents")  # fmt: skip
    if not isinstance(version, str) or not re.fullmatch(r"[23]\.\d+\.\d+", version):
        raise Refused(display, f"'asyncapi' is {version!r}: import reads AsyncAPI 2.x (2.6) "
                      "and 3.x (3.0) documents")  # fmt: skip
    major = int(version[0])
    root = Place(documents.root, "")
    found: dict[Place, Message] = {}
    for node, place, key in _message_places(documents, content, root, major):
        message, message_place = documents.follow(node, place)
        if message_place in found:
            continue
        if not isinstance(message, dict):
            raise Refused(display, f"{documents.shown(message_place)}: a message is an object")
        fields = _with_traits(documents, message, message_place, major)
        found[message_place] = Message(
            message_place,
            key,
            fields,
            _schema(documents, fields, message_place, "payload", major),
            _schema(documents, fields, message_place, "headers", major),
        )
    return list(found.values())


def _message_places(
    documents: Documents, content: dict[str, Any], root: Place, major: int
) -> list[tuple[Any, Place, str | None]]:
    """Every message of the document, as written (maybe a $ref), where, and its key."""
    places: list[tuple[Any, Place, str | None]] = []
    channels = content.get("channels")
    for name, channel in (channels if isinstance(channels, dict) else {}).items():
        channel, where = documents.follow(channel, root.at("channels", name))
        if not isinstance(channel, dict):
            continue
        if major >= 3:
            messages = channel.get("messages")
            for key, message in (messages if isinstance(messages, dict) else {}).items():
                places.append((message, where.at("messages", key), key))
            continue
        for action in ("publish", "subscribe"):
            operation, at = documents.follow(channel.get(action), where.at(action))
            if not isinstance(operation, dict) or "message" not in operation:
                continue
            message, at = documents.follow(operation["message"], at.at("message"))
            one_of = message.get("oneOf") if isinstance(message, dict) else None
            if isinstance(one_of, list):
                places += [(item, at.at("oneOf", i), None) for i, item in enumerate(one_of)]
            else:
                places.append((message, at, None))
    components = content.get("components")
    messages = components.get("messages") if isinstance(components, dict) else None
    for key, message in (messages if isinstance(messages, dict) else {}).items():
        places.append((message, root.at("components", "messages", key), key))
    return places


def _with_traits(
    documents: Documents, message: dict[str, Any], place: Place, major: int
) -> dict[str, Any]:
    traits = message.get("traits")
    if not isinstance(traits, list) or not traits:
        return message
    merged: dict[str, Any] = {}
    for index, trait in enumerate(traits):
        trait, _ = documents.follow(trait, place.at("traits", index))
        if isinstance(trait, dict):
            merged.update(trait)
    own = {key: value for key, value in message.items() if key != "traits"}
    return {**own, **merged} if major < 3 else {**merged, **own}


def _schema(
    documents: Documents, message: dict[str, Any], place: Place, field: str, major: int
) -> Schema | None:
    if field not in message:
        return None
    node, at = documents.follow(message[field], place.at(field))
    schema_format, format_at = None, place.at("schemaFormat")
    if major < 3 and field == "payload":
        schema_format = message.get("schemaFormat")
    elif major >= 3 and isinstance(node, dict) and "schemaFormat" in node and "schema" in node:
        schema_format, format_at = node["schemaFormat"], at.at("schemaFormat")
        node, at = documents.follow(node["schema"], at.at("schema"))
    if schema_format is None:
        return Schema(node, at, Format(openapi=False, dialect=ASYNCAPI_DIALECT, asyncapi=True))
    return Schema(node, at, _format(documents, schema_format, format_at))


def _format(documents: Documents, schema_format: Any, at: Place) -> Format:
    text = schema_format.strip() if isinstance(schema_format, str) else ""
    media, _, parameters = text.partition(";")
    normal = f"{media.strip().lower()};{parameters.replace(' ', '')}"
    if _ASYNCAPI_FORMAT.fullmatch(normal):
        return Format(openapi=False, dialect=ASYNCAPI_DIALECT, asyncapi=True)
    if _OPENAPI_FORMAT.fullmatch(normal):
        return Format(openapi=True, dialect="draft-04")
    dialect = dialect_of_format(normal)
    if dialect is not None:
        return Format(openapi=False, dialect=dialect)
    raise Refused(documents.display, f"{documents.shown(at)}: schemaFormat {schema_format!r} "
                  "is not one import reads (AsyncAPI schema, application/schema+json;version="
                  f"draft-04|draft-07|2020-12, {OPENAPI_SCHEMA_FORMAT}); convert the payload "
                  "to JSON Schema first")  # fmt: skip
