"""Pydantic models of one schema version, written by datamodel-code-generator in-process.

The detail schema becomes the root model, named after the schema; every other definition of
the document comes along (refs rewritten to ``#/definitions/...``) so nested models keep their
names. The root class then gets its identity as class constants.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import re
import warnings
from typing import Any

from eventcontracts.compat.inputs import from_version
from eventcontracts.compat.witness import subschema_at
from eventcontracts.errors import EventContractsError
from eventcontracts.registry.formats import DRAFT4_URI
from eventcontracts.registry.model import SchemaFormat, SchemaVersion
from eventcontracts.registry.resolver import Resolver
from eventcontracts.runtime._model import DETAIL_SCHEMA_KEY


class CodegenError(EventContractsError):
    """A schema version cannot be turned into models; the message names it."""


def detail_document(version: SchemaVersion, resolver: Resolver, name: str) -> dict[str, Any]:
    """A JSON Schema whose root is the version's detail and whose definitions are the rest."""
    view = resolver.view(version)
    if version.format is SchemaFormat.OPENAPI3:
        definitions = dict(view.get("components", {}).get("schemas", {}))
        definitions.pop("AWSEvent", None)
        prefix = "#/components/schemas/"
    else:
        definitions = dict(view.get("definitions") or view.get("$defs") or {})
        prefix = "#/definitions/" if "definitions" in view else "#/$defs/"
    text = json.dumps(definitions).replace(f'"{prefix}', '"#/definitions/')
    definitions = json.loads(text)
    pointer = version.detail_pointer or ""
    key = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    detail = (
        definitions.pop(key, None)
        if pointer.startswith(("/components/schemas/", "/definitions/", "/$defs/"))
        else None
    )
    if detail is None or _has_foreign_refs(detail) or _has_foreign_refs(definitions):
        # Inline what the refs reach (cross-file refs, inline details): names of nested
        # models then come from property names.
        inlined = subschema_at(from_version(version, resolver), ("detail",), lenient=False)
        if not isinstance(inlined, dict):
            raise CodegenError(f"{version.document.display}: the detail is not an object schema")
        return {**inlined, "title": name, "$schema": _dialect(version)}
    return {**detail, "title": name, "definitions": definitions, "$schema": _dialect(version)}


def _dialect(version: SchemaVersion) -> str:
    """The JSON Schema draft the detail is read in (OpenApi3 and documents without
    ``$schema`` read as draft 4): it says whether 1.0 is an integer."""
    if version.format is SchemaFormat.OPENAPI3 or not version.dialect:
        return DRAFT4_URI
    return version.dialect


def _has_foreign_refs(schema: Any) -> bool:
    text = json.dumps(schema)
    return any(
        not ref.startswith("#/definitions/") for ref in re.findall(r'"\$ref": "([^"]*)"', text)
    )


# How models are made exactly as strict as their schema (part of every module's digest, so a
# change here regenerates every module). Strict pydantic types (no "1" for 1, no 1.0 for "1"),
# optional fields that are absent rather than None (pydantic's MISSING: an explicit null is
# refused where the schema does not allow it, and an absent field stays absent when dumped),
# schema defaults as Python defaults only where the type allows them, and every format the
# registry's validator checks as a checked string that is written back exactly as it was read.
STRICTNESS = (
    "strict-types missing-sentinel strict-nullable number=int|float integer6=Integer "
    "formats=checked-str no-importing-keys unexpressed=embedded-schema plain-pattern-objects"
)

# Where a schema keyword holds one subschema, a list of them, or a map of them.
_ONE_SCHEMA = (
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
)
_SCHEMA_LIST = ("allOf", "anyOf", "oneOf", "items", "prefixItems")
_SCHEMA_MAP = ("properties", "patternProperties", "definitions", "$defs", "dependentSchemas")


# Keys with which a schema would make the generator import and use any Python name (or set
# what our runtime reads): a schema from a pull request must not choose code, so they are
# removed before ours are added.
_IMPORTING_KEYS = (
    DETAIL_SCHEMA_KEY,
    "customTypePath",
    "customBasePath",
    "x-python-import",
    "x-python-type",
    "x-python-union-branch",
    "x-python-unserializable",
)


def strict_document(schema: Any, *, integral_floats: bool | None = None) -> Any:
    """A copy of ``schema`` that makes the generator write exactly-as-strict types.

    A ``number`` becomes the runtime's ``Number`` (an int stays an int), an ``integer`` of
    draft 6 and later the runtime's ``Integer`` (1.0 is one there), a string ``format`` the
    registry's validator checks becomes the runtime's checked string of that format, and a
    format it does not check (``int64``, ``uri``, ...) is dropped: pydantic's types for them
    would refuse or rewrite values the schema accepts.
    """
    from eventcontracts.runtime.types import FORMAT_TYPES

    if not isinstance(schema, dict):
        return schema
    result = {key: value for key, value in schema.items() if key not in _IMPORTING_KEYS}
    if integral_floats is None:  # the root: its $schema says whether 1.0 is an integer
        dialect = result.get("$schema")
        integral_floats = isinstance(dialect, str) and not any(
            old in dialect for old in ("draft-03", "draft-04")
        )

    def inner(item: Any) -> Any:
        return strict_document(item, integral_floats=integral_floats)

    for key in _ONE_SCHEMA:
        if isinstance(result.get(key), dict):
            result[key] = inner(result[key])
    for key in _SCHEMA_LIST:
        if isinstance(result.get(key), list):
            result[key] = [inner(item) for item in result[key]]
    for key in (*_SCHEMA_MAP, "dependencies"):
        if isinstance(result.get(key), dict):
            result[key] = {name: inner(item) for name, item in result[key].items()}
    # The generator turns these into key constraints that are stricter than the schema (it
    # joins propertyNames and patternProperties into one pattern every key must match); the
    # embedded schema checks them exactly, so the generator sees a plain object.
    if "patternProperties" in result:
        del result["patternProperties"]
        result.pop("additionalProperties", None)
    result.pop("propertyNames", None)
    declared = result.get("type")
    types = set(declared) if isinstance(declared, list) else {declared}
    named = types - {"null"}
    if "format" in result:
        form = result.pop("format")
        if named == {"string"} and isinstance(form, str) and form in FORMAT_TYPES:
            result["customTypePath"] = f"eventcontracts.runtime.types.{FORMAT_TYPES[form]}"
    if named == {"number"}:
        result["customTypePath"] = "eventcontracts.runtime.types.Number"
    elif named == {"integer"} and integral_floats:
        result["customTypePath"] = "eventcontracts.runtime.types.Integer"
    return result


# Keywords a pydantic model cannot express (or that the generator drops): a detail schema using
# any of them is embedded in its model and checked by the runtime (eventcontracts.runtime.
# _schemacheck) on the JSON the model writes.
UNEXPRESSED_KEYWORDS = frozenset(
    {
        "not",
        "if",
        "then",
        "else",
        "oneOf",
        "dependencies",
        "dependentRequired",
        "dependentSchemas",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "contains",
        "minContains",
        "maxContains",
        "propertyNames",
        "patternProperties",
        "additionalItems",
        "prefixItems",
    }
)


def unexpressed_keywords(schema: Any) -> set[str]:
    """The keywords of UNEXPRESSED_KEYWORDS ``schema`` uses anywhere, plus "items" for a tuple
    and "enum"/"const" for an object or array value (Literal holds scalars only)."""
    found: set[str] = set()
    if not isinstance(schema, dict):
        return found
    found |= UNEXPRESSED_KEYWORDS & schema.keys()
    if isinstance(schema.get("items"), list):
        found.add("items")
    values = [*(schema.get("enum") or []), *([schema["const"]] if "const" in schema else [])]
    if any(isinstance(value, (dict, list)) for value in values):
        found.add("enum")
    for key in _ONE_SCHEMA:
        found |= unexpressed_keywords(schema.get(key))
    for key in _SCHEMA_LIST:
        if isinstance(schema.get(key), list):
            for item in schema[key]:
                found |= unexpressed_keywords(item)
    for key in (*_SCHEMA_MAP, "dependencies"):
        if isinstance(schema.get(key), dict):
            for item in schema[key].values():
                found |= unexpressed_keywords(item)
    return found


def generator_input(document: dict[str, Any]) -> dict[str, Any]:
    """The document datamodel-code-generator reads: :func:`strict_document`, and the schema
    itself embedded in the root model when it uses keywords pydantic cannot express."""
    strict: dict[str, Any] = strict_document(document)
    if unexpressed_keywords(document):
        embedded = {
            key: value
            for key, value in document.items()
            if key not in ("title", "description", DETAIL_SCHEMA_KEY)
        }
        strict[DETAIL_SCHEMA_KEY] = json.dumps(embedded, sort_keys=True, ensure_ascii=False)
    return strict


FIELD_NAMES = ("snake_case", "wire")


def models_source(
    document: dict[str, Any],
    name: str,
    enums: str,
    display: str,
    field_names: str = "snake_case",
) -> str:
    """datamodel-code-generator's models of a detail document (picklable in and out, so
    worker processes can run it). ``field_names`` "snake_case" makes attributes snake_case
    with the wire names as aliases; "wire" keeps the wire names where they are identifiers."""
    from datamodel_code_generator import InputFileType, LiteralType, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType, StrictTypes, TargetPydanticVersion

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            output = generate(
                generator_input(document),
                input_file_type=InputFileType.JsonSchema,
                output_model_type=DataModelType.PydanticV2BaseModel,
                class_name=name,
                base_class="eventcontracts.runtime.EventModel",
                field_constraints=True,
                use_annotated=True,
                enum_field_as_literal=LiteralType.All if enums == "literal" else None,
                use_standard_collections=True,
                use_union_operator=True,
                use_schema_description=False,
                disable_timestamp=True,
                target_python_version=PythonVersion.PY_310,
                formatters=[],
                strict_types=list(StrictTypes),
                strict_nullable=True,
                use_missing_sentinel=True,
                target_pydantic_version=TargetPydanticVersion.V2_14,
                snake_case_field=field_names == "snake_case",
                model_extra_keys={DETAIL_SCHEMA_KEY},
            )
        except Exception as exc:  # datamodel-code-generator raises many kinds; say which schema
            raise CodegenError(
                f"{display}: cannot generate models ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else 'no detail'})"
            ) from None
    if not isinstance(output, str):
        raise CodegenError(f"{display}: the generator wrote no single module")
    return output


def warm_up() -> None:
    """Load datamodel-code-generator's parser and models (its first call costs ~0.7 s).

    Runs as a pool initializer: it must never raise (a failing initializer makes the pool
    start workers again and again); a real problem shows when a module is generated.
    """
    with contextlib.suppress(Exception):
        models_source({"type": "object", "properties": {"a": {}}}, "Warm", "literal", "-")


def require_generator() -> None:
    """Code generation needs the codegen extra; say so in one line rather than a traceback."""
    missing = [
        name
        for name in ("datamodel_code_generator", "ruff")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise CodegenError(
            f"code generation needs {', '.join(missing)}: pip install 'eventcontracts[codegen]'"
        )


def with_identity(source: str, version: SchemaVersion) -> tuple[str, str]:
    """The root class with SOURCE, DETAIL_TYPE, SCHEMA_NAME and SCHEMA_VERSION, and its name.

    The root is the last class written: models come after the models they use.
    """
    lines = source.splitlines()
    headers = [
        (index, match.group(1))
        for index, line in enumerate(lines)
        if (match := re.fullmatch(r"class (\w+)\(EventModel\):", line))
    ]
    if not headers:
        raise CodegenError(
            f"{version.document.display}: the detail schema did not become a model class; "
            "the detail must be an object schema"
        )
    start, root = headers[-1]
    # Schema descriptions are not made docstrings (use_schema_description=False), so the
    # class body starts right below its header.
    insert = start + 1
    constants = [
        f"    SOURCE: ClassVar[str] = {version.source!r}",
        f"    DETAIL_TYPE: ClassVar[str] = {version.detail_type!r}",
        f"    SCHEMA_NAME: ClassVar[str] = {version.schema_name!r}",
        f"    SCHEMA_VERSION: ClassVar[int] = {int(version.version)}",
    ]
    lines[insert:insert] = constants
    text = "\n".join(lines) + "\n"
    # `# generated by datamodel-codegen` headers name the input; ours says what made it.
    text = re.sub(r"\A# generated by datamodel-codegen:\n#   filename:  .*\n", "", text)
    imports = "from typing import ClassVar\n\nfrom eventcontracts.runtime import EventEnvelope"
    text = text.replace(
        "from eventcontracts.runtime import EventModel", f"{imports}, EventModel", 1
    )
    return text, root
