"""``GetDiscoveredSchema``: a schema inferred from the events of the request, as EventBridge's
schema discovery writes it.

The inference is ``eventcontracts infer``'s (:mod:`eventcontracts.infer`): the same shape of the
samples, the same rules (required keys, integer or number, formats, nullable) and the same
document, in the shape ``discovered-schemas`` holds: an OpenApi3 document whose ``AWSEvent``
envelope refs the detail component, named after the detail-type ("Order Created" ->
``OrderCreated``), every nested object a component of its own.

What the request may hold, as the model and the API reference say: 1 to 10 events, each a JSON
string, all of a single type of event. A JSON object that is not an EventBridge event (no
``source`` and ``detail-type``, such as a PutEvents entry) is inferred as a whole, one component
named ``Event`` and no envelope: what the AWS CLI's own example of this operation answers
(``015-awscli-get-discovered-schema-putevents-shape`` in the shared corpus). Events of more than
one type, mixed envelopes and bare documents, or anything but JSON objects are a
BadRequestException.
"""

from __future__ import annotations

import json
from typing import Any

from eventcontracts.emulator import validation as check
from eventcontracts.emulator.errors import bad_request
from eventcontracts.infer.document import registry_document, type_name
from eventcontracts.infer.schema import DRAFT4, OPENAPI3, Options, schema_of
from eventcontracts.infer.shape import shape_of
from eventcontracts.registry.formats import DRAFT4_URI

MIN_EVENTS, MAX_EVENTS = 1, 10  # the model's Events list bounds
# The component of a document that is not an EventBridge event, as the AWS CLI example shows.
BARE_NAME = "Event"
# The envelope and the bare document are built alike; this stands in for the source they lack.
_NO_SOURCE = "none"


def discovered_schema(body: dict[str, Any]) -> str:
    """The Content of the GetDiscoveredSchema answer to the request ``body``."""
    schema_format = check.schema_type(check.required(body, "Type"))
    events = _events(check.required(body, "Events"))
    identities = {_identity(event) for event in events}
    if len(identities) > 1:
        shown = ", ".join(
            "a JSON object without source and detail-type"
            if identity is None
            else f"source {identity[0]!r} detail-type {identity[1]!r}"
            for identity in sorted(identities, key=lambda i: ("",) if i is None else i)
        )
        raise bad_request(
            f"Events must all be of a single type of event (one source and detail-type); "
            f"these are of {len(identities)}: {shown}"
        )
    identity = identities.pop()
    options = Options(format=schema_format)
    if identity is None:
        return _dumped(_bare_document(events, options))
    source, detail_type = identity
    detail = schema_of(shape_of([event.get("detail", {}) for event in events]), options)
    name = type_name(detail_type, "Event")
    return _dumped(registry_document(detail, source, detail_type, name, schema_format))


def _events(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_request("Events must be a list of strings, each the JSON of an event")
    if not MIN_EVENTS <= len(value) <= MAX_EVENTS:
        raise bad_request(
            f"Events holds {len(value)} events; between {MIN_EVENTS} and {MAX_EVENTS} are allowed"
        )
    events = []
    for index, text in enumerate(value):
        event = check.strict_json(text, f"Events[{index}]")
        if not isinstance(event, dict):
            raise bad_request(
                f"Events[{index}] is a JSON {type(event).__name__}; each event must be a JSON "
                "object"
            )
        events.append(event)
    return events


def _identity(event: dict[str, Any]) -> tuple[str, str] | None:
    """The event's (source, detail-type); ``None`` for a JSON object that is not an EventBridge
    event. One of the two without the other, or either not a string, is a BadRequestException."""
    source, detail_type = event.get("source"), event.get("detail-type")
    if source is None and detail_type is None:
        return None
    if not isinstance(source, str) or not isinstance(detail_type, str) or not source:
        raise bad_request(
            "An event needs a non-empty string 'source' and a string 'detail-type' (got "
            f"source {source!r}, detail-type {detail_type!r})"
        )
    return source, detail_type


def _bare_document(events: list[dict[str, Any]], options: Options) -> dict[str, Any]:
    """The document of JSON objects that are not EventBridge events: their schema as the one
    component ``Event``, its nested objects components of their own, no envelope."""
    schema = schema_of(shape_of(list(events)), options)
    document = registry_document(schema, _NO_SOURCE, _NO_SOURCE, BARE_NAME, options.format)
    if options.format == OPENAPI3:
        del document["components"]["schemas"]["AWSEvent"]
        return document
    assert options.format == DRAFT4
    definitions = document["definitions"]
    root = definitions.pop(BARE_NAME)  # the inferred tree refs its children only, never itself
    bare: dict[str, Any] = {"$schema": DRAFT4_URI, "title": BARE_NAME, **root}
    if definitions:
        bare["definitions"] = definitions
    return bare


def _dumped(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)
