"""The names both directions of the AsyncAPI mapping agree on: export writes them, import reads
them back (README: "AsyncAPI").

Everything here is data about the document's shape, never behaviour: the AsyncAPI version, the
extension names that carry what AsyncAPI has no field for, the schema formats of a payload,
and how a text (a source, a schema name, a consumer) becomes a component key or a file name.

A document, in short::

    asyncapi: 3.0.0
    info: {title: <source>, version: 1.0.0+<hash>, x-eventcontracts-registry: <folder>}
    defaultContentType: application/json
    channels: {<bus key>: {address: <bus>, messages: {<Name>V<N>: {$ref}}, x-eventbridge: ...}}
    operations: {send<Name>: ..., receive<Consumer><Name>: ...}
    components:
      messages: {<Name>V<N>: {payload: {schemaFormat, schema}, headers: {schemaFormat, schema},
                              x-amazon-events-source, x-amazon-events-detail-type,
                              x-eventcontracts-schema, x-eventcontracts-version,
                              x-eventcontracts-format, x-eventcontracts-detail-required,
                              examples: [{name, headers, payload}]}}
      schemas: {<key>: {schemaFormat, schema}}   # only the targets of recursive refs

A recursive ref cannot be inlined, so its target is kept once in ``components.schemas`` (a
Multi Format Schema Object of the payload's format) and every ref to it reads
``#/components/schemas/<key>/schema``: a plain JSON pointer into the document, so a JSON
Schema tool resolves it without knowing AsyncAPI.
"""

from __future__ import annotations

import hashlib
import re

ASYNCAPI_VERSION = "3.0.0"
CONTENT_TYPE = "application/json"

# The settings' defaults ([asyncapi] bus, out).
DEFAULT_BUS = "default"
DEFAULT_OUT = "asyncapi"

# One document per source: <source file name><suffix>.
DOCUMENT_SUFFIXES = {"json": ".asyncapi.json", "yaml": ".asyncapi.yaml"}

# --- extensions ---------------------------------------------------------------------------------

# On a message: which event it is, and which registry schema and version it came from.
X_SOURCE = "x-amazon-events-source"
X_DETAIL_TYPE = "x-amazon-events-detail-type"
X_SCHEMA = "x-eventcontracts-schema"  # "<source>@<Name>"
X_VERSION = "x-eventcontracts-version"  # the version number N (an integer)
# The EventBridge schema type the version is written in ("OpenApi3" or "JSONSchemaDraft4").
X_FORMAT = "x-eventcontracts-format"
# On a message: whether the event schema requires ``detail`` (the headers leave it out, so the
# event schema is the headers with ``detail`` = the payload's schema, required when true).
X_DETAIL_REQUIRED = "x-eventcontracts-detail-required"
# On info: the registry folder the document was exported from (as given, POSIX separators).
X_REGISTRY = "x-eventcontracts-registry"
# On a receive operation: the consumer file's name, owner, and what it reads
# ([{field, required, constraints?, description?}], as in consumers/<name>.yaml).
X_CONSUMER = "x-eventcontracts-consumer"
X_OWNER = "x-eventcontracts-owner"
X_READS = "x-eventcontracts-reads"
# On the channel: the bus's rules, {rules: [{name, file, pattern, targets: [{id, arn}],
# messages: [{$ref: #/components/messages/<key>}]}]}, rules sorted by file then name.
X_EVENTBRIDGE = "x-eventbridge"

# --- payload and headers ------------------------------------------------------------------------

OPENAPI_SCHEMA_FORMAT = "application/vnd.oai.openapi;version=3.0.0"
_JSON_SCHEMA_FORMAT = "application/schema+json;version={}"
# The $schema URI of each JSON Schema dialect a registry version may be written in, by the
# version name its schemaFormat carries. A document without $schema is draft 4.
DIALECT_URIS = {
    "draft-04": "http://json-schema.org/draft-04/schema#",
    "draft-06": "http://json-schema.org/draft-06/schema#",
    "draft-07": "http://json-schema.org/draft-07/schema#",
    "2019-09": "https://json-schema.org/draft/2019-09/schema",
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
}
DEFAULT_DIALECT = "draft-04"

# Where a recursive ref's target is kept: COMPONENT_SCHEMA_REF.format(key=...).
COMPONENT_SCHEMA_REF = "#/components/schemas/{key}/schema"
MESSAGE_REF = "#/components/messages/{key}"
CHANNEL_REF = "#/channels/{key}"
# How operations (and x-eventbridge rules) list messages: through the channel, as AsyncAPI 3 asks.
CHANNEL_MESSAGE_REF = "#/channels/{channel}/messages/{key}"


def json_schema_format(dialect: str) -> str:
    """``application/schema+json;version=draft-07`` for a dialect name of DIALECT_URIS."""
    return _JSON_SCHEMA_FORMAT.format(dialect)


def dialect_name(uri: str | None) -> str:
    """The dialect name (``draft-07``) of a ``$schema`` URI; draft 4 for none or one unknown."""
    if not uri:
        return DEFAULT_DIALECT
    wanted = uri.rstrip("#").replace("https://", "http://")
    for name, known in DIALECT_URIS.items():
        if known.rstrip("#").replace("https://", "http://") == wanted:
            return name
    return DEFAULT_DIALECT


def dialect_of_format(schema_format: str) -> str | None:
    """The dialect name a JSON Schema ``schemaFormat`` names (``+json`` or ``+yaml``), None for
    any other format (OpenAPI, Avro, ...)."""
    match = re.fullmatch(r"application/schema\+(?:json|yaml);version=(.+)", schema_format.strip())
    if match is None or match[1] not in DIALECT_URIS:
        return None
    return match[1]


# --- keys and file names ------------------------------------------------------------------------

# AsyncAPI component keys (and our operation and channel keys): ^[a-zA-Z0-9\.\-_]+$.
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_LONGEST = 120


def safe_key(text: str) -> str:
    """``text`` when it only holds ``[A-Za-z0-9._-]``; otherwise each other character becomes
    ``_`` and 8 hex digits of the text's sha256 are added, so two texts never share a key."""
    safe = _UNSAFE.sub("_", text)
    if safe != text or not safe or len(safe) > _LONGEST:
        safe = f"{safe[:_LONGEST]}_{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"
    return safe


def message_key(name: str, version: int) -> str:
    """``OrderPlacedV2``: the message of version ``version`` of schema ``<source>@<name>``."""
    return safe_key(f"{name}V{version}")


def send_key(name: str) -> str:
    return safe_key(f"send{name}")


def receive_key(consumer: str, name: str) -> str:
    return safe_key(f"receive{consumer}{name}")
