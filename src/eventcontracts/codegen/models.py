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
        return {**inlined, "title": name}
    return {**detail, "title": name, "definitions": definitions}


def _has_foreign_refs(schema: Any) -> bool:
    text = json.dumps(schema)
    return any(
        not ref.startswith("#/definitions/") for ref in re.findall(r'"\$ref": "([^"]*)"', text)
    )


# Formats whose pydantic types rewrite the value they read, kept as plain strings so a model
# hands on exactly what it received: EmailStr turns "jane@xn--bcher-kva.com" into
# "jane@bücher.com", AnyUrl adds a "/" to "https://example.com", SecretStr dumps "**********",
# Base64Str and bytes decode. The contract tests' round-trip check finds such rewrites; the
# schema's own validator still checks these formats wherever events are validated.
# (date-time, uuid, ipv4/ipv6 and duration keep their types: they may be spelled differently on
# the way out, but mean the same value.)
VALUE_KEEPING_FORMATS = (
    "string+email=string",
    "string+idn-email=string",
    "string+uri=string",
    "string+password=string",
    "string+byte=string",
    "string+binary=string",
)


def models_source(document: dict[str, Any], name: str, enums: str, display: str) -> str:
    """datamodel-code-generator's models of a detail document (picklable in and out, so
    worker processes can run it)."""
    from datamodel_code_generator import InputFileType, LiteralType, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            output = generate(
                document,
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
                type_mappings=list(VALUE_KEEPING_FORMATS),
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
