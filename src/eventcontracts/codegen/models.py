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
from eventcontracts.registry.model import SchemaFormat, SchemaVersion
from eventcontracts.registry.resolver import Resolver


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
        return {**inlined, "title": name, **_dialect_marks(version)}
    return {**detail, "title": name, "definitions": definitions, **_dialect_marks(version)}


def _dialect_marks(version: SchemaVersion) -> dict[str, Any]:
    """What strict_document must know of the version's dialect: whether 1.0 is an integer
    (draft 6 and later; OpenApi3 and documents without ``$schema`` read as draft 4)."""
    dialect = version.dialect or ""
    draft4 = version.format is SchemaFormat.OPENAPI3 or not dialect or "draft-04" in dialect
    return {} if draft4 or "draft-03" in dialect else {INTEGRAL_FLOATS: True}


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
    "formats=checked-str no-importing-keys"
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


# Set on a detail document by detail_document when its dialect counts 1.0 as an integer.
INTEGRAL_FLOATS = "x-eventcontracts-integral-floats"

# Keys with which a schema would make the generator import and use any Python name: a schema
# from a pull request must not choose code, so they are removed before ours are added.
_IMPORTING_KEYS = (
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
    if integral_floats is None:
        integral_floats = result.pop(INTEGRAL_FLOATS, False) is True

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
                strict_document(document),
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
