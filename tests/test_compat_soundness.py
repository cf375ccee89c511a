"""The engine is sound: when it says compatible, no event proves otherwise.

Realistic event schemas are mutated the ways teams change them (fields added and removed,
required toggled, types, enums, bounds, patterns, formats, nullability, closed objects). For
each pair the engine's verdict is checked against events hypothesis-jsonschema generates from
the writer's schema: a compatible verdict must accept them all on the reader's side. Under the
strict policy the events may carry undeclared properties; under lenient they carry declared
properties only, the premise of that policy. Every counterexample printed is checked too.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from eventcontracts.compat import compare

ORDER: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["orderId", "items", "totalAmount", "currency", "metadata"],
    "properties": {
        "orderId": {"type": "string", "pattern": "^ORD-[0-9]+$"},
        "customerEmail": {"type": "string", "format": "email"},
        "items": {
            "type": "array",
            "minItems": 1,
            "maxItems": 5,
            "items": {
                "type": "object",
                "required": ["productId", "quantity"],
                "properties": {
                    "productId": {"type": "string", "minLength": 1, "maxLength": 12},
                    "quantity": {"type": "integer", "minimum": 1, "maximum": 100},
                    "price": {"type": "number", "minimum": 0},
                },
            },
        },
        "totalAmount": {"type": "number", "minimum": 0, "maximum": 10000},
        "currency": {"type": "string", "enum": ["USD", "EUR", "GBP"]},
        "channel": {"type": ["string", "null"]},
        "metadata": {
            "type": "object",
            "required": ["correlationId"],
            "properties": {
                "correlationId": {"type": "string", "format": "uuid"},
                "version": {"type": "string"},
            },
        },
    },
}

Mutation = Any


def _objects(schema: Any, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(schema, dict):
        if isinstance(schema.get("properties"), dict):
            found.append(schema)
        for value in schema.values():
            _objects(value, found)
    elif isinstance(schema, list):
        for value in schema:
            _objects(value, found)
    return found


def _leaves(schema: Any, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for obj in _objects(schema, []):
        found.extend(
            sub
            for sub in obj["properties"].values()
            if isinstance(sub, dict) and "properties" not in sub and "items" not in sub
        )
    return found


LEAF_CHANGES: list[tuple[str, Any]] = [
    ("type", "string"),
    ("type", "integer"),
    ("type", "number"),
    ("type", ["string", "null"]),
    ("type", ["number", "null"]),
    ("minimum", 0),
    ("minimum", 5),
    ("maximum", 50),
    ("exclusiveMaximum", 100),
    ("multipleOf", 2),
    ("minLength", 2),
    ("maxLength", 3),
    ("pattern", "^[A-Z]"),
    ("format", "date-time"),
    ("enum", ["USD", "EUR"]),
    ("enum", ["USD", "EUR", "GBP", "JPY"]),
    ("const", "USD"),
]


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    schema = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["leaf", "drop-key", "object", "required", "array"]))
        if kind == "leaf":
            leaf = draw(st.sampled_from(_leaves(schema, [])))
            key, value = draw(st.sampled_from(LEAF_CHANGES))
            leaf[key] = copy.deepcopy(value)
        elif kind == "drop-key":
            leaf = draw(st.sampled_from(_leaves(schema, [])))
            if leaf:
                del leaf[draw(st.sampled_from(sorted(leaf)))]
        elif kind == "object":
            obj = draw(st.sampled_from(_objects(schema, [])))
            change = draw(st.sampled_from(["add", "remove", "close", "open", "typed-extra"]))
            if change == "add":
                obj["properties"][draw(st.sampled_from(["note", "orderId", "extra"]))] = draw(
                    st.sampled_from([{"type": "string"}, {"type": "integer"}, {}])
                )
            elif change == "remove" and obj["properties"]:
                name = draw(st.sampled_from(sorted(obj["properties"])))
                del obj["properties"][name]
            elif change == "close":
                obj["additionalProperties"] = False
            elif change == "open":
                obj.pop("additionalProperties", None)
            else:
                obj["additionalProperties"] = {"type": "string"}
        elif kind == "required":
            obj = draw(st.sampled_from(_objects(schema, [])))
            names = sorted(obj["properties"]) or ["x"]
            name = draw(st.sampled_from(names))
            required = obj.setdefault("required", [])
            if name in required:
                required.remove(name)
            else:
                required.append(name)
            if not required:
                del obj["required"]
        else:
            items = schema["properties"].get("items")
            if isinstance(items, dict):
                key, value = draw(
                    st.sampled_from([("minItems", 2), ("maxItems", 2), ("uniqueItems", True)])
                )
                items[key] = value
    return schema


def _declared_only(schema: Any) -> Any:
    """The lenient premise: writers send the properties their schema declares."""
    if isinstance(schema, list):
        return [_declared_only(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _declared_only(value) for key, value in schema.items()}
    if isinstance(result.get("properties"), dict):
        result["additionalProperties"] = result.get("additionalProperties", False) or False
        result.pop("patternProperties", None)
    return result


def _validator(schema: Any) -> Any:
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def _check_direction(
    data: st.DataObject, writer: Any, reader: Any, mode: str, old: Any, new: Any, policy: str
) -> None:
    report = compare(old, new, mode=mode, policy=policy)
    for change in report.breaking_changes:
        example = change.counterexample
        if example is not None:
            accepting = old if example["accepted_by"] == "old" else new
            rejecting = new if example["rejected_by"] == "new" else old
            assert _validator(accepting).is_valid(example["event"]), change.as_dict()
            assert not _validator(rejecting).is_valid(example["event"]), change.as_dict()
    if not report.compatible:
        return
    source = _declared_only(writer) if policy == "lenient" else writer
    writer_validator, reader_validator = _validator(source), _validator(reader)
    for _ in range(4):
        event = data.draw(from_schema(source), label=f"event from the writer ({mode})")
        if not writer_validator.is_valid(event):
            continue  # hypothesis-jsonschema does not know every format; the writer decides
        errors = [e.message for e in reader_validator.iter_errors(event)]
        assert not errors, (mode, policy, [c.as_dict() for c in report.changes], event, errors)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), policy=st.sampled_from(["strict", "lenient"]))
def test_compatible_verdicts_hold_for_generated_events(data: st.DataObject, policy: str) -> None:
    old = data.draw(mutated(ORDER), label="old")
    new = data.draw(mutated(old), label="new")
    _check_direction(data, old, new, "BACKWARD", old, new, policy)
    _check_direction(data, new, old, "FORWARD", old, new, policy)
