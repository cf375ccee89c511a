"""The pydantic bases that generated code builds on: a detail model and the envelope around it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.config import ExtraValues
from typing_extensions import Self

from ._schemacheck import first_problem, parsed_schema

# Where codegen embeds the detail schema of a model that uses keywords pydantic cannot express
# (see _schemacheck): a key of the detail class's ``json_schema_extra``.
DETAIL_SCHEMA_KEY = "x-eventcontracts-detail-schema"


class WireModel(BaseModel):
    """A model read from the wire: by wire names (aliases) only, unless asked otherwise.

    Attribute names are for Python code: the constructor takes them, for producers. A detail
    that spells ``instance-id`` as ``instance_id`` is not valid for its schema, so
    ``model_validate`` and ``model_validate_json`` do not read it as that field.
    """

    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        extra: ExtraValues | None = None,
        from_attributes: bool | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        """Validate ``obj`` by wire names (``by_name=False`` unless asked otherwise)."""
        return super().model_validate(
            obj,
            strict=strict,
            extra=extra,
            from_attributes=from_attributes,
            context=context,
            by_alias=by_alias,
            by_name=False if by_name is None else by_name,
        )

    @classmethod
    def model_validate_json(
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: ExtraValues | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        """Validate JSON by wire names (``by_name=False`` unless asked otherwise)."""
        return super().model_validate_json(
            json_data,
            strict=strict,
            extra=extra,
            context=context,
            by_alias=by_alias,
            by_name=False if by_name is None else by_name,
        )


class EventModel(WireModel):
    """Base of every generated *detail* model (the ``detail`` object of an EventBridge event).

    The class, not the caller, says where the event comes from and which contract it follows, so
    a producer cannot publish an ``OrderCreated`` under another source or detail-type by mistake.
    """

    SOURCE: ClassVar[str]
    DETAIL_TYPE: ClassVar[str]
    SCHEMA_NAME: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    # Readers must ignore properties they do not know (that is what keeps adding an optional
    # property a compatible change), and keeping them rather than dropping them lets a consumer
    # that re-publishes or logs an event pass them on. Generated models override this where the
    # schema says ``additionalProperties: false``.
    # Fields are read by attribute name or wire name and always written by wire name; patterns
    # are Python regular expressions searched anywhere in the string, as the registry's validator
    # (jsonschema) matches them.
    model_config = ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="allow",
        regex_engine="python-re",
    )

    @model_validator(mode="after")
    def _schema_keywords(self) -> Self:
        """Check what the fields cannot: ``not``, ``oneOf``'s exclusivity, ``uniqueItems``...
        against the embedded schema, on the JSON the model writes (only for the models that
        carry one)."""
        extra = type(self).model_config.get("json_schema_extra")
        embedded = extra.get(DETAIL_SCHEMA_KEY) if isinstance(extra, dict) else None
        if isinstance(embedded, str):
            written = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
            problem = first_problem(parsed_schema(embedded), written)
            if problem is not None:
                raise ValueError(f"the schema rejects this detail at {problem}")
        return self


DetailT = TypeVar("DetailT", bound=EventModel)


class EventEnvelopeHeader(WireModel):
    """Every field EventBridge puts around ``detail``; the consumer reads it before it knows which
    detail model applies. Unknown top-level keys (moto's ``ingestion-time``, future ones) are
    ignored."""

    model_config = ConfigDict(populate_by_name=True)

    version: str = "0"
    id: str
    detail_type: str = Field(alias="detail-type")
    source: str
    account: str
    time: datetime
    region: str
    resources: list[str] = Field(default_factory=list)


class EventEnvelope(EventEnvelopeHeader, Generic[DetailT]):
    """An EventBridge event as a consumer's handler receives it: envelope plus typed detail."""

    detail: DetailT


class RawEventEnvelope(EventEnvelopeHeader):
    """An envelope whose detail is not yet typed: what the consumer parses first."""

    detail: dict[str, Any]
