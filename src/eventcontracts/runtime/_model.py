"""The pydantic bases that generated code builds on: a detail model and the envelope around it."""

from __future__ import annotations

from datetime import datetime
from types import UnionType
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar, Union, get_args, get_origin

from pydantic import MISSING, BaseModel, ConfigDict, Field, model_validator
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
    # Fields are read by attribute name or wire name and always written by wire name. Patterns
    # are searched anywhere in the string by pydantic-core's default engine, Rust's regex crate
    # (linear time: a hostile pattern cannot stall a consumer); codegen writes them in its syntax
    # with ECMA-262's semantics, as the registry's validator reads them, and leaves a pattern
    # that engine cannot read (lookaround) to the embedded schema check (runtime/_regex.py).
    model_config = ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="allow",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, data: Any) -> Any:
        """Refuse true/false where an enum allows only numbers: pydantic's Literal compares with
        ``==``, so Literal[1] would take true (and write 1); JSON Schema tells them apart."""
        if isinstance(data, dict):
            for keys, items in _numeric_enum_fields(cls):
                for key in keys:
                    value = data.get(key)
                    values = value if items and isinstance(value, list) else [value]
                    if any(isinstance(item, bool) for item in values):
                        raise ValueError(f"{keys[0]}: {value!r} is not one of the allowed numbers")
        return data

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


def _numeric_enum_fields(cls: type[BaseModel]) -> list[tuple[tuple[str, ...], bool]]:
    """The fields of ``cls`` whose type is (a list of) a Literal of numbers that takes no
    boolean: (their wire name and attribute name, whether the Literal is the items' type).
    Computed once per class."""
    cached = cls.__dict__.get("_numeric_enums_")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    found = []
    for name, info in cls.model_fields.items():
        members = _union_members(info.annotation)
        items = False
        if len(members) == 1 and get_origin(members[0]) is list:
            members, items = _union_members(get_args(members[0])[0]), True
        literal = [a for m in members if get_origin(m) is Literal for a in get_args(m)]
        takes_bool = bool in members or any(isinstance(a, bool) for a in literal)
        if not takes_bool and any(isinstance(a, (int, float)) for a in literal):
            found.append((tuple(dict.fromkeys((info.alias or name, name))), items))
    type.__setattr__(cls, "_numeric_enums_", found)
    return found


def _union_members(annotation: Any) -> list[Any]:
    """The members of a union (MISSING and None left out), Annotated unwrapped."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, UnionType):
        members = [m for a in get_args(annotation) for m in _union_members(a)]
    else:
        members = [annotation]
    return [m for m in members if m is not type(None) and m is not MISSING]


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
