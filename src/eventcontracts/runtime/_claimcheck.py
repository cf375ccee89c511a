"""Claim check: a detail too large for PutEvents travels through S3, the event carries a reference.

Producer side (:func:`claim_check_entry`): when an entry would exceed the threshold (by default
the PutEvents request limit, past which it could not be sent at all), its exact Detail bytes are
stored in S3 under a key made of their sha256, and the entry's Detail becomes a reference::

    {"claimCheck": {"version": 1, "bucket": "...", "key": "claim-checks/<sha256>",
                    "size": 2097152, "sha256": "<64 hex>",
                    "schema": "com.mycompany.orders@OrderCreated", "schemaVersion": 2}}

Source and DetailType stay those of the event, so rules routing on them still match; rules on
detail fields cannot see the payload. The key depends only on the bytes, so publishing the same
detail twice stores one object (the second upload writes the same bytes to the same key).

Consumer side (:class:`ClaimCheckReader`): a detail that is a reference is fetched, its size and
sha256 checked, and replaced by the stored detail before the consumer routes it. The reference is
the producer's word, and whoever can put an event can write one, so the consumer decides what it
reads: only objects in the buckets and under the key prefixes it allows
(``Consumer(claim_check_locations=[ClaimCheckLocation(bucket, prefix)])``; none by default), and
at most ``claim_check_max_bytes`` (32 MiB by default) whatever size the reference states. A
reference elsewhere or larger, one that does not parse, an object that is missing, or bytes that
are not the ones referenced raise :class:`ClaimCheckInvalid` (the consumer dead-letters the
event); an S3 call that fails for another reason (throttling, access, network) propagates, so the
delivery is retried.

The shape is the schema ``eventcontracts.claimcheck@ClaimCheckReference`` in the registry; its
``version`` changes only with a new schema version there.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import _boundedjson as bounded_json
from ._clients import shared_client
from ._entries import entry_size
from ._model import EventModel
from ._retry import describe_call_error, is_call_error
from ._routing import describe

# The single property of a reference detail. A schema whose detail is exactly one property named
# claimCheck would be read as a reference: the name is reserved.
REFERENCE_PROPERTY = "claimCheck"
REFERENCE_VERSION: Literal[1] = 1
DEFAULT_KEY_PREFIX = "claim-checks/"
# The most a consumer reads for one claim-checked detail unless told otherwise. Claim-checked
# details are large by definition (over the 256 KB PutEvents limit); 32 MiB is far above any
# event a schema in the registry describes, and well within a 128 MB Lambda.
DEFAULT_MAX_READ_BYTES = 32 * 1024 * 1024

# error_code of an event whose detail could not be stored in S3; it was not sent.
CLAIM_CHECK_FAILED = "ClaimCheckFailed"

# S3 error codes meaning the referenced object is not there (HeadObject answers a bare 404).
_MISSING_CODES = frozenset({"NoSuchKey", "NoSuchBucket", "404", "NotFound"})


def _default_s3_client() -> Any:
    return shared_client("s3")


@dataclass(frozen=True)
class ClaimCheckSettings:
    """Where :func:`publish` stores details too large to send (``ProducerSettings.claim_check``).

    ``threshold_bytes``: the entry size above which the detail goes to S3; None means the
    request limit (``ProducerSettings.max_request_bytes``), so only events that could not be sent
    otherwise are claim-checked. ``client``: an S3 client; None uses the runtime's own one (see
    ``_clients``), made the first time a detail is stored.
    """

    bucket: str
    key_prefix: str = DEFAULT_KEY_PREFIX
    client: Any | None = None
    threshold_bytes: int | None = None
    # The default client, created once per settings object (frozen: the list is the cache).
    _default_client: list[Any] = field(default_factory=list, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.bucket:
            raise ValueError("claim check bucket must not be empty")
        if self.threshold_bytes is not None and self.threshold_bytes < 1:
            raise ValueError("threshold_bytes must be positive")

    def s3(self) -> Any:
        """The S3 client to store details with."""
        if self.client is not None:
            return self.client
        if not self._default_client:
            self._default_client.append(_default_s3_client())
        return self._default_client[0]


@dataclass(frozen=True)
class ClaimCheckLocation:
    """Where a consumer accepts claim-checked details from: a bucket, and a key prefix in it
    ("" for the whole bucket). The producer's ``ClaimCheckSettings`` name the same two."""

    bucket: str
    key_prefix: str = DEFAULT_KEY_PREFIX

    def __post_init__(self) -> None:
        if not self.bucket:
            raise ValueError("claim check bucket must not be empty")

    def holds(self, bucket: str, key: str) -> bool:
        return bucket == self.bucket and key.startswith(self.key_prefix)


class ClaimCheckFailed(Exception):
    """The detail could not be stored; ``code`` and the message go into the event's result."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class ClaimCheckInvalid(Exception):
    """A reference the consumer cannot honour; the message is the dead-letter reason."""


class ClaimCheckReference(BaseModel):
    """Version 1 of the reference (the registry schema ClaimCheckReference v1)."""

    # Unknown properties are ignored, as every reader in the registry does (lenient policy).
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    version: Literal[1]
    bucket: str = Field(min_length=1)
    key: str = Field(min_length=1)
    size: int = Field(ge=0)
    sha256: str = Field(pattern="^[0-9a-f]{64}$")
    schema_name: str = Field(alias="schema", min_length=1)
    schema_version: int = Field(alias="schemaVersion", ge=1)

    def to_detail(self) -> dict[str, Any]:
        """The Detail object of the small event."""
        return {REFERENCE_PROPERTY: self.model_dump(mode="json", by_alias=True)}


def claim_check_entry(
    entry: dict[str, Any],
    size: int,
    event: EventModel,
    settings: ClaimCheckSettings,
    request_limit: int,
) -> tuple[dict[str, Any], int]:
    """``entry`` and its size, or, if it is over the threshold, the entry carrying a reference
    to its Detail, now stored in S3, and that entry's size. Raises :class:`ClaimCheckFailed`."""
    threshold = settings.threshold_bytes or request_limit
    if size <= threshold:
        return entry, size
    body = str(entry["Detail"]).encode("utf-8")
    digest = hashlib.sha256(body)
    reference = ClaimCheckReference(
        version=REFERENCE_VERSION,
        bucket=settings.bucket,
        key=f"{settings.key_prefix}{digest.hexdigest()}",
        size=len(body),
        sha256=digest.hexdigest(),
        schema=type(event).SCHEMA_NAME,
        schemaVersion=type(event).SCHEMA_VERSION,
    )
    _store(settings.s3(), reference, body, base64.b64encode(digest.digest()).decode("ascii"))
    small = {**entry, "Detail": _compact(reference.to_detail())}
    return small, entry_size(small)


def _store(client: Any, reference: ClaimCheckReference, body: bytes, checksum: str) -> None:
    """Put the detail bytes; S3 checks them against the sha256 before it stores them."""
    try:
        client.put_object(
            Bucket=reference.bucket,
            Key=reference.key,
            Body=body,
            ContentType="application/json",
            ChecksumSHA256=checksum,
        )
    except Exception as exc:
        if not is_call_error(exc):
            raise
        code, message = describe_call_error(exc)
        where = f"s3://{reference.bucket}/{reference.key}"
        raise ClaimCheckFailed(
            CLAIM_CHECK_FAILED, f"storing the detail at {where} failed: {code}: {message}"
        ) from exc


def _compact(value: Mapping[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def is_reference(detail: Mapping[str, Any]) -> bool:
    """Whether a received detail is a claim-check reference (its only property is claimCheck)."""
    return len(detail) == 1 and REFERENCE_PROPERTY in detail


class ClaimCheckReader:
    """Resolves references for a consumer; the S3 client is created on first use if not given.

    ``locations``: where references may point (nowhere by default: every reference is refused
    until the consumer names its producers' buckets). ``max_bytes``: the most it reads of one
    object, whatever the reference says.
    """

    def __init__(
        self,
        client: Any | None = None,
        locations: Iterable[ClaimCheckLocation] = (),
        max_bytes: int = DEFAULT_MAX_READ_BYTES,
    ) -> None:
        if max_bytes < 1:
            raise ValueError("claim_check_max_bytes must be positive")
        self._client = client
        self.locations = tuple(locations)
        self.max_bytes = max_bytes

    def fetch(self, detail: Mapping[str, Any], source: str) -> dict[str, Any]:
        """The detail a reference stands for, checked; :class:`ClaimCheckInvalid` if it cannot
        be trusted. ``source`` is the event's: the reference must be to a schema of it."""
        reference = _parse(detail)
        if not reference.schema_name.startswith(f"{source}@"):
            raise ClaimCheckInvalid(
                f"the claim check refers to schema {reference.schema_name!r}, "
                f"not one of the event's source {source!r}"
            )
        where = f"s3://{reference.bucket}/{reference.key}"
        if not any(place.holds(reference.bucket, reference.key) for place in self.locations):
            allowed = ", ".join(f"s3://{p.bucket}/{p.key_prefix}" for p in self.locations)
            raise ClaimCheckInvalid(
                f"the claim check refers to {where}, outside the locations this consumer reads "
                f"claim checks from ({allowed or 'none: set claim_check_locations'})"
            )
        if reference.size > self.max_bytes:
            raise ClaimCheckInvalid(
                f"the claim check refers to {reference.size} bytes at {where}, more than this "
                f"consumer reads ({self.max_bytes}, set by claim_check_max_bytes)"
            )
        body = self._read(reference, where)
        if len(body) != reference.size:
            raise ClaimCheckInvalid(
                f"the claim-checked detail at {where} is not the one referenced: "
                f"{len(body)} bytes or more, the reference says {reference.size}"
            )
        actual = hashlib.sha256(body).hexdigest()
        if actual != reference.sha256:
            raise ClaimCheckInvalid(
                f"the claim-checked detail at {where} is not the one referenced: "
                f"its sha256 is {actual}, the reference says {reference.sha256}"
            )
        try:
            stored = bounded_json.loads(body)
        except ValueError as exc:
            raise ClaimCheckInvalid(
                f"the claim-checked detail at {where} is not JSON this consumer reads: {exc}"
            ) from None
        if not isinstance(stored, dict):
            raise ClaimCheckInvalid(f"the claim-checked detail at {where} is not a JSON object")
        return stored

    def _read(self, reference: ClaimCheckReference, where: str) -> bytes:
        client = self._client
        if client is None:
            client = self._client = _default_s3_client()
        try:
            response = client.get_object(Bucket=reference.bucket, Key=reference.key)
        except Exception as exc:
            if is_call_error(exc):
                code, _ = describe_call_error(exc)
                if code in _MISSING_CODES:
                    raise ClaimCheckInvalid(
                        f"the claim-checked detail at {where} does not exist ({code})"
                    ) from exc
            raise
        # One byte more than referenced is enough to tell it is wrong; the reference's size was
        # checked against max_bytes, so a reference cannot make the consumer read more.
        with response["Body"] as stream:
            data: bytes = stream.read(reference.size + 1)
        return data


def _parse(detail: Mapping[str, Any]) -> ClaimCheckReference:
    body = detail.get(REFERENCE_PROPERTY)
    if isinstance(body, Mapping) and body.get("version") not in (None, REFERENCE_VERSION):
        raise ClaimCheckInvalid(
            f"claim check version {body.get('version')!r} is not supported "
            f"(this runtime reads version {REFERENCE_VERSION}); upgrade eventcontracts"
        )
    try:
        return ClaimCheckReference.model_validate(body)
    except ValidationError as exc:
        raise ClaimCheckInvalid(
            f"the claim check reference is malformed, at {describe(exc)}"
        ) from None
