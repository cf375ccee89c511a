"""The pydantic bases that generated code builds on: a detail model and the envelope around it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler
from pydantic.config import ExtraValues
from pydantic_core import CoreSchema, core_schema
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


def _embedded_schema(cls: type[BaseModel]) -> str | None:
    extra = cls.model_config.get("json_schema_extra")
    embedded = extra.get(DETAIL_SCHEMA_KEY) if isinstance(extra, dict) else None
    return embedded if isinstance(embedded, str) else None


def _check_embedded_schema(model: Any) -> Any:
    """Check what the fields cannot: ``not``, ``oneOf``'s exclusivity, ``uniqueItems``...
    against the embedded schema, on the JSON the model writes."""
    embedded = _embedded_schema(type(model))
    if embedded is not None:
        written = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
        problem = first_problem(parsed_schema(embedded), written)
        if problem is not None:
            raise ValueError(f"the schema rejects this detail at {problem}")
    return model


def _refuse_booleans(value: Any) -> Any:
    """Refuse true/false where an enum allows numbers only: pydantic's Literal compares with
    ``==``, so Literal[1] would take true (and write 1); JSON Schema tells them apart."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not one of the allowed numbers")
    return value


# The keys of a core schema that hold schemas (or lists or maps of them): the walk goes
# nowhere else, so a default value or metadata that looks like a schema is never changed.
_SCHEMA_HOLDERS = (
    "schema",
    "items_schema",
    "keys_schema",
    "values_schema",
    "extras_schema",
    "extras_keys_schema",
    "choices",
    "fields",
    "steps",
    "definitions",
    "lax_schema",
    "strict_schema",
    "json_schema",
    "python_schema",
)


def _refusing_booleans(schema: CoreSchema) -> CoreSchema:
    """``schema`` with every literal of numbers (and no boolean) in it wrapped in
    :func:`_refuse_booleans`, in place; a literal wrapped already is left as it is."""
    result: CoreSchema = _refusing_in(schema)
    return result


def _refusing_in(node: Any) -> Any:
    if isinstance(node, (list, tuple)):
        return type(node)(_refusing_in(item) for item in node)
    if not isinstance(node, dict):
        return node
    if not isinstance(node.get("type"), str):  # a map of schemas: fields, tagged choices
        for key, value in node.items():
            node[key] = _refusing_in(value)
        return node
    if node["type"] == "literal":
        expected = node.get("expected", [])
        numbers = any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in expected)
        if numbers and not any(isinstance(v, bool) for v in expected):
            return core_schema.no_info_before_validator_function(_refuse_booleans, node)
        return node
    if _is_wrapped(node, _refuse_booleans):
        return node
    for key in _SCHEMA_HOLDERS:
        if key in node:
            node[key] = _refusing_in(node[key])
    return node


def _is_wrapped(schema: Any, function: Any) -> bool:
    """Whether ``schema`` is a validator function schema of ``function`` (added already)."""
    held = schema.get("function") if isinstance(schema, dict) else None
    return isinstance(held, dict) and held.get("function") is function


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

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        """The class's schema with what pydantic leaves out added, decided once per class (a
        class that needs neither pays nothing per validation): enums of numbers refuse
        true/false at any depth, and a class that carries an embedded schema checks it."""
        schema = _refusing_booleans(handler(source))
        if _embedded_schema(cls) is None or _is_wrapped(schema, _check_embedded_schema):
            return schema
        # As pydantic wraps a model for an "after" model validator: the ref moves outside.
        inner: Any = schema
        ref = inner.pop("ref", None)
        wrapped = core_schema.no_info_after_validator_function(_check_embedded_schema, schema)
        if ref is not None:
            wrapped["ref"] = ref
        return wrapped


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
