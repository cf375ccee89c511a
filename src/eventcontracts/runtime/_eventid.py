"""An event id of the producer's own, carried in the entry's Resources, that survives a redrive.

EventBridge assigns the envelope ``id`` when PutEvents accepts an entry, so an event put again
(from the fallback queue, or redriven from a dead-letter queue) arrives with a new envelope id and
a consumer keyed on it would handle it twice. The producer therefore stamps each entry with an id
of its own, as the Resources item ``urn:eventcontracts:event:<uuid>``, and the consumer's
idempotency keys on that marker when an event has one (:func:`idempotency_key`).

Why Resources and not a field in Detail: Detail belongs to the schema, and a schema with
``additionalProperties: false`` (or a strict consumer model) would reject an extra field.
PutEvents' Resources is an array of strings, each at most 2048 characters, with no ARN pattern in
the API model (EventBusName, by contrast, has one); EventBridge copies the items to the
delivered event's ``resources`` unchanged, and so does moto. The costs: the marker counts toward
the entry size (61 bytes, measured with everything else), a consumer that reads
``resources`` as a list of ARNs sees one item that is not an ARN, and a rule pattern matching
``resources`` exactly (``["arn:..."]``) still matches because a list matches when any item does.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

EVENT_ID_PREFIX = "urn:eventcontracts:event:"
# Below the 2048 bytes DynamoDB allows in a partition key, leaving room for a key prefix.
MAX_KEY_BYTES = 1024


def new_event_id() -> str:
    return str(uuid.uuid4())


def new_event_ids(count: int) -> list[str]:
    """``count`` fresh random (version 4) UUIDs, as :func:`new_event_id` writes them.

    One read of the system's random source for all of them, and no UUID objects: publish asks
    for one per event, and ``uuid.uuid4`` costs as much as the rest of an entry.
    """
    digits = os.urandom(16 * count).hex()
    ids = []
    for start in range(0, 32 * count, 32):
        d = digits[start : start + 32]
        # RFC 9562: the 13th digit is the version (4); the 17th holds the variant (0b10) in its
        # top two bits and random ones in the other two.
        variant = _VARIANT_DIGIT[d[16]]
        ids.append(f"{d[:8]}-{d[8:12]}-4{d[13:16]}-{variant}{d[17:20]}-{d[20:]}")
    return ids


_VARIANT_DIGIT = {f"{n:x}": f"{0x8 | (n & 0x3):x}" for n in range(16)}


def marker(event_id: str) -> str:
    """The Resources item that carries ``event_id``."""
    return f"{EVENT_ID_PREFIX}{event_id}"


def event_id_in(resources: Iterable[Any] | None) -> str | None:
    """The producer's event id among an entry's Resources or an event's resources, if any."""
    for item in resources or ():
        if isinstance(item, str) and item.startswith(EVENT_ID_PREFIX):
            found = item[len(EVENT_ID_PREFIX) :]
            if found:
                return found
    return None


def stamped(entry: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """``entry`` with an event id marker in its Resources (a fresh id unless one is given).

    An entry that already carries a marker keeps it: a re-put must not change the id.
    """
    resources = list(entry.get("Resources") or [])
    if event_id_in(resources) is not None:
        return entry
    resources.append(marker(event_id or new_event_id()))
    return {**entry, "Resources": resources}


def idempotency_key(
    source: str, detail_type: str, envelope_id: str, resources: Iterable[Any] | None
) -> str:
    """The one key a consumer claims for an event: which event it is, within its source and
    detail-type.

    Which event: the producer's id when the event carries one (the same on the first delivery and
    after a redrive), else EventBridge's envelope id (the same on every redelivery of one put).
    An event that had no marker when it was dead-lettered is redriven with its old envelope id as
    the marker (see ``_redrive``), and so gets the key it had when it was first delivered.

    Why the source and detail-type are part of it: Resources are the producer's to write, so a
    marker is only a claim. Scoped like this, a marker can only make an event skip that has the
    same source and detail-type, and whoever can put such events can forge them outright anyway;
    an event of another source or detail-type whose marker is this event's id, envelope or
    producer's, changes nothing. The parts are a JSON array, so no choice of text in one part can
    make two different events' keys equal; a key longer than DynamoDB allows in a partition key
    is replaced by its sha256 (a distinct form: it does not start with "[")."""
    identity = event_id_in(resources) or envelope_id
    key = json.dumps([source, detail_type, identity], ensure_ascii=False, separators=(",", ":"))
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    return key


def entry_event_id(entry: Mapping[str, Any]) -> str | None:
    return event_id_in(entry.get("Resources"))
