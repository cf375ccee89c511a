"""The JSON Schema reading of an OpenAPI 3.0 document.

OpenAPI 3.0 Schema Objects are draft-04 JSON Schema plus a few keywords; the one that changes
what is valid is ``nullable``. Every feature that validates or compares OpenApi3 schemas reads
them through :func:`as_json_schema`, so ``nullable`` means the same thing everywhere.
"""

from __future__ import annotations

from typing import Any

from eventcontracts.schema.keywords import NULLABLE

# Keywords whose value is one subschema, a list of them, or a map of them (OpenAPI 3.0 subset).
_ONE = ("items", "not", "additionalProperties")
_LIST = ("allOf", "anyOf", "oneOf")
_MAP = ("properties",)
# Without a "type", these are the keywords that can fail a null value.
_REJECT_NULL = ("$ref", "allOf", "anyOf", "oneOf", "not", "enum")


def as_json_schema(document: Any) -> Any:
    """A copy of ``document`` with every Schema Object's ``nullable`` made explicit.

    ``nullable: true`` with a ``type`` adds ``"null"`` to the type (and to an ``enum``). Without
    a ``type`` (``$ref`` or ``allOf`` wrappers, as generators write them), the keywords that
    would still reject null move into ``anyOf: [{...}, {"type": "null"}]``, which is what the
    author meant; the other keywords stay where they are, so JSON pointers into the schema
    (``#/components/schemas/A/properties/b``) mean the same in the document and in its reading.
    """
    if not isinstance(document, dict):
        return document
    converted = dict(document)
    components = document.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        converted["components"] = {
            **components,
            "schemas": {name: _schema(s) for name, s in components["schemas"].items()},
        }
    return converted


def _schema(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    result = dict(schema)
    for key in _ONE:
        if key in result:
            result[key] = _schema(result[key])
    for key in _LIST:
        if isinstance(result.get(key), list):
            result[key] = [_schema(item) for item in result[key]]
    for key in _MAP:
        if isinstance(result.get(key), dict):
            result[key] = {name: _schema(item) for name, item in result[key].items()}
    nullable = result.pop(NULLABLE, False)
    if nullable is not True:
        return result
    declared = result.get("type")
    if isinstance(declared, str):
        result["type"] = [declared, "null"]
        if isinstance(result.get("enum"), list) and None not in result["enum"]:
            result["enum"] = [*result["enum"], None]
        return result
    rejecting_null = {key: result.pop(key) for key in _REJECT_NULL if key in result}
    if rejecting_null:
        result["anyOf"] = [rejecting_null, {"type": "null"}]
    return result
