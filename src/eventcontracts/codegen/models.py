"""Pydantic models of one schema version, written by datamodel-code-generator in-process.

The detail schema becomes the root of a JSON Schema document, and every other definition of the
version comes along under ``definitions``, renamed to the class names chosen for them here (see
``naming.definition_names``); refs are rewritten by walking the JSON, never by replacing text.
The generator renders classes with eventcontracts' own copy of its BaseModel template
(``templates/datamodel``): the detail class, which the generator knows by its path ``#`` (the
root), gets its identity constants there, and every class whose schema has a description gets a
docstring escaped here. Which class is the detail is then read from the generated code's syntax
tree (the class holding ``SOURCE``), never guessed from where it was written.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import re
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pydantic_core import SchemaError, SchemaValidator

from eventcontracts.codegen.errors import CodegenError
from eventcontracts.codegen.naming import definition_names, docstring_literal
from eventcontracts.lint.codekeys import CODE_CHOOSING_KEYS
from eventcontracts.registry.formats import DRAFT4_URI
from eventcontracts.registry.model import SchemaFormat, SchemaVersion
from eventcontracts.registry.refs import VersionRefs
from eventcontracts.registry.resolver import Resolver
from eventcontracts.runtime import DETAIL_SCHEMA_KEY
from eventcontracts.runtime.types import FORMAT_TYPES
from eventcontracts.safe_regex import rust_pattern
from eventcontracts.schema.inline import Inliner, entering_ids_below, forgiving, step
from eventcontracts.schema.keywords import (
    DATA_KEYWORDS,
    SCHEMA_KEYWORDS,
    SCHEMA_LIST_KEYWORDS,
    SCHEMA_MAP_KEYWORDS,
)
from eventcontracts.schema.pointer import join as pointer_join
from eventcontracts.schema.pointer import parse as pointer_tokens

__all__ = [
    "STRICTNESS",
    "CodegenError",
    "GeneratedModels",
    "Identity",
    "detail_document",
    "require_generator",
    "version_models",
    "warm_up",
]

DEFINITIONS = "#/definitions/"
# Refs followed one inside another when a detail is inlined, as compat's counterexamples do.
MAX_INLINE_DEPTH = 6
# The detail class's constants (ClassVar) and the envelope class it names.
IDENTITY_NAMES = ("SOURCE", "DETAIL_TYPE", "SCHEMA_NAME", "SCHEMA_VERSION", "ENVELOPE")


@dataclass(frozen=True)
class Identity:
    """What the detail class says about its event (picklable: it goes to worker processes)."""

    source: str
    detail_type: str
    schema_name: str
    version: int

    @classmethod
    def of(cls, version: SchemaVersion) -> Identity:
        return cls(version.source, version.detail_type, version.schema_name, int(version.version))


@dataclass(frozen=True)
class GeneratedModels:
    """The models of one version, and which of its classes is the detail (from the code's AST)."""

    code: str
    detail: str
    classes: tuple[str, ...]


def detail_document(version: SchemaVersion, resolver: Resolver, name: str) -> dict[str, Any]:
    """A JSON Schema whose root is the version's detail and whose definitions are the rest.

    Definitions keep their place in the document's order, under class names chosen from their
    component names (any name a registry accepts: ``Some/Awesome/Schema.Object$2``, spaces,
    unicode, keywords); every local ``$ref`` to them is rewritten to the new name. A detail that
    is not a component, or refs that leave the document's definitions, are inlined instead.
    """
    if version.detail_pointer is None:
        raise CodegenError(
            f"{version.document.display}: {version.schema_name} v{version.version} has no detail "
            "schema (no properties.detail); run 'eventcontracts lint' (L105) and put the detail "
            "under properties.detail, or adopt the file with 'eventcontracts import'"
        )
    view = resolver.view(version)
    prefix: tuple[str, ...]
    if version.format is SchemaFormat.OPENAPI3:
        components = view.get("components", {}).get("schemas", {})
        prefix = ("components", "schemas")
    else:
        key = "definitions" if "definitions" in view else "$defs"
        components = view.get(key) or {}
        prefix = (key,)
    detail_key = _component_of(version.detail_pointer or "", prefix)
    if detail_key is not None and isinstance(components, dict) and detail_key in components:
        keys = [k for k in components if k != detail_key and not _is_envelope(k, version)]
        names = definition_names(keys, reserved={name, f"{name}Event"})
        rewritten = {
            key: _with_refs(components[key], prefix, names, detail_key)
            for key in [*keys, detail_key]
        }
        if all(ref is not None for ref in rewritten.values()):
            detail = rewritten.pop(detail_key)
            assert detail is not None
            definitions = {names[key]: schema for key, schema in rewritten.items()}
            if isinstance(detail, dict):
                return {
                    **detail,
                    "title": name,
                    "definitions": definitions,
                    "$schema": _dialect(version),
                }
    # Inline what the refs reach (cross-file refs, inline details, refs to the envelope): names
    # of nested models then come from property names.
    inlined = step(_inlined_event(version, resolver), "detail")
    if not isinstance(inlined, dict):
        raise CodegenError(f"{version.document.display}: the detail is not an object schema")
    return {**inlined, "title": name, "$schema": _dialect(version)}


def inlined_detail(version: SchemaVersion, resolver: Resolver) -> Any:
    """The version's detail schema with every ref inlined, as the models of a version whose
    refs cannot be kept are made (the TypeScript generator reads it the same way)."""
    return step(_inlined_event(version, resolver), "detail")


def _inlined_event(version: SchemaVersion, resolver: Resolver) -> Any:
    """The version's event schema, every ref inlined (recursion cut after a few refs with
    ``{}``, which a model reads as any value; an unresolvable ref, which lint reports, too)."""
    refs = VersionRefs(resolver, version)
    if refs.schema is None:
        raise CodegenError(f"{version.document.display}: no event schema to compare")

    inliner = Inliner(
        forgiving(refs.resolve),  # the models are made of what resolves; lint names the rest
        enter=entering_ids_below(refs.schema, refs.enter),
        legacy_refs=refs.legacy_refs,
        max_depth=MAX_INLINE_DEPTH,
        cut={},
        unresolved={},
    )
    return inliner.inline(refs.schema)


def _dialect(version: SchemaVersion) -> str:
    """The JSON Schema draft the detail is read in (OpenApi3 and documents without
    ``$schema`` read as draft 4): it says whether 1.0 is an integer."""
    if version.format is SchemaFormat.OPENAPI3 or not version.dialect:
        return DRAFT4_URI
    return version.dialect


def _is_envelope(key: str, version: SchemaVersion) -> bool:
    """The OpenApi3 envelope component (``AWSEvent`` or whatever the document calls it)."""
    return version.format is SchemaFormat.OPENAPI3 and version.envelope_pointer == pointer_join(
        "/components/schemas", key
    )


def _component_of(pointer: str, prefix: tuple[str, ...]) -> str | None:
    """The component a pointer names directly (``/components/schemas/<key>``), else None."""
    tokens = pointer_tokens(pointer)
    if len(tokens) == len(prefix) + 1 and tuple(tokens[: len(prefix)]) == prefix:
        return tokens[-1]
    return None


def _with_refs(
    schema: Any, prefix: tuple[str, ...], names: dict[str, str], detail_key: str
) -> Any | None:
    """``schema`` with every local ref into the components rewritten to ``#/definitions/<name>``
    (the detail's own is ``#``), or None when a ref points anywhere else (then the caller
    inlines)."""

    def rewrite(ref: str) -> str | None:
        if not ref.startswith("#"):
            return None
        # A URI fragment: percent-encoded, then a JSON pointer (RFC 6901, section 6).
        tokens = pointer_tokens(unquote(ref[1:]))
        if len(tokens) <= len(prefix) or tuple(tokens[: len(prefix)]) != prefix:
            return None
        key, rest = tokens[len(prefix)], tokens[len(prefix) + 1 :]
        if key == detail_key:
            return "#" + pointer_join("", *rest)
        if key not in names:
            return None
        return pointer_join(DEFINITIONS.rstrip("/"), names[key], *rest)

    try:
        return map_refs(schema, rewrite)
    except _ForeignRef:
        return None


class _ForeignRef(Exception):
    pass


def map_refs(schema: Any, rewrite: Callable[[str], str | None]) -> Any:
    """A copy of ``schema`` with each ``$ref`` string replaced by ``rewrite(ref)``; a None from
    ``rewrite`` stops the walk (``_ForeignRef``)."""

    def edit(node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        if isinstance(ref, str):
            new = rewrite(ref)
            if new is None:
                raise _ForeignRef(ref)
            node["$ref"] = new
        return node

    return map_schemas(schema, edit)


def map_schemas(schema: Any, edit: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """A copy of ``schema`` in which ``edit`` has been applied to it and to every subschema
    (children first; ``edit`` gets a fresh copy it may change).

    Walked by keyword, as ``schema.walk`` does: under a map keyword (``properties``,
    ``definitions``...) every value is a schema whatever its name, so a property called
    ``default`` or ``enum`` is edited like any other; where a keyword is expected, the values
    of data keywords (enum, const, default, examples, example) are copied as they are (a
    "$ref" there is data). A keyword the walk does not know is walked as holding schemas."""
    if isinstance(schema, list):
        return [map_schemas(item, edit) for item in schema]
    if not isinstance(schema, dict):
        return schema
    copy: dict[str, Any] = {}
    for key, value in schema.items():
        if key in DATA_KEYWORDS:
            copy[key] = value
        elif key in SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
            copy[key] = {name: map_schemas(item, edit) for name, item in value.items()}
        else:
            copy[key] = map_schemas(value, edit)
    return edit(copy)


def docstrings(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Extra template data giving each described object schema its escaped docstring, by the
    path the generator knows its model by (``#``, ``#/definitions/Name``, ``#/properties/x``)."""
    data: dict[str, dict[str, Any]] = {}
    for path, schema in _object_schemas(document, "#"):
        description = schema.get("description")
        if isinstance(description, str) and description.strip():
            data[path] = {"evc_docstring": docstring_literal(description)}
    return data


def _object_schemas(schema: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    # Not the full walk of schema.walk: only the places datamodel-code-generator makes a class
    # of, by the path it knows that class by (its own subset of the subschema keywords).
    if not isinstance(schema, dict):
        return
    yield path, schema
    for key in ("properties", "definitions", "$defs", "patternProperties"):
        children = schema.get(key)
        if isinstance(children, dict):
            for name, child in children.items():
                yield from _object_schemas(child, f"{path}/{key}/{name}")
    for key in ("items", "additionalProperties"):
        yield from _object_schemas(schema.get(key), f"{path}/{key}")


# How models are made exactly as strict as their schema (part of every module's digest, so a
# change here regenerates every module). Strict pydantic types (no "1" for 1, no 1.0 for "1"),
# optional fields that are absent rather than None (pydantic's MISSING: an explicit null is
# refused where the schema does not allow it, and an absent field stays absent when dumped),
# schema defaults as Python defaults only where the type allows them, and every format the
# registry's validator checks as a checked string that is written back exactly as it was read.
STRICTNESS = (
    "strict-types missing-sentinel strict-nullable number=int|float integer6=Integer "
    "formats=checked-str no-importing-keys unexpressed=embedded-schema plain-pattern-objects "
    "required-declared linear-patterns=rust-regex-ecma262"
)

# Keys with which a schema would make the generator import and use any Python name (or set
# what our runtime reads): a schema from a pull request must not choose code, so they are
# removed before ours are added.
_IMPORTING_KEYS = (DETAIL_SCHEMA_KEY, *CODE_CHOOSING_KEYS)


def strict_document(schema: Any, *, integral_floats: bool | None = None) -> Any:
    """A copy of ``schema`` that makes the generator write exactly-as-strict types.

    A ``number`` becomes the runtime's ``Number`` (an int stays an int), an ``integer`` of
    draft 6 and later the runtime's ``Integer`` (1.0 is one there), a string ``format`` the
    registry's validator checks becomes the runtime's checked string of that format, and a
    format it does not check (``int64``, ``uri``, ...) is dropped: pydantic's types for them
    would refuse or rewrite values the schema accepts.
    """
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

    for key, value in list(result.items()):
        if key in SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
            result[key] = {name: inner(item) for name, item in value.items()}
        elif key in SCHEMA_KEYWORDS and isinstance(value, dict):
            result[key] = inner(value)
        elif key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
            result[key] = [inner(item) for item in value]
    _declare_required(result)
    # The generator turns these into key constraints that are stricter than the schema (it
    # joins propertyNames and patternProperties into one pattern every key must match); the
    # embedded schema checks them exactly, so the generator sees a plain object.
    if "patternProperties" in result:
        del result["patternProperties"]
        result.pop("additionalProperties", None)
    result.pop("propertyNames", None)
    _linear_pattern(result)
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


def _linear_pattern(schema: dict[str, Any]) -> None:
    """The field's pattern in the syntax of Rust's regex crate (pydantic-core's engine, linear
    time) with ECMA-262's semantics; a pattern it cannot read leaves the field, and the
    embedded schema checks it (see :func:`unexpressed_keywords`)."""
    pattern = schema.get("pattern")
    if not isinstance(pattern, str):
        return
    translated = _rust_pattern(pattern)
    if translated is None:
        del schema["pattern"]
    else:
        schema["pattern"] = translated


@cache
def _rust_pattern(pattern: str) -> str | None:
    try:
        translated = rust_pattern(pattern)
    except (re.error, RecursionError, OverflowError):
        return None  # not a regex at all: lint says so (L103); the embedded check refuses it
    if translated is None:
        return None
    try:  # RE2 and Rust's syntaxes differ in corners: the models' engine has the last word
        SchemaValidator({"type": "str", "pattern": translated})
    except SchemaError:
        return None
    return translated


def _declare_required(schema: dict[str, Any]) -> None:
    """Declare the names ``required`` lists but ``properties`` does not (AWS's CloudTrail export
    requires ``readOnly`` that way; a case slip, ``HookVersion`` for ``hookVersion``, does the
    same): the schema still rejects a detail without them, and the generator would drop them.
    Their value is what ``additionalProperties`` allows, any value when it says nothing. With
    ``patternProperties`` the embedded schema checks them; with ``additionalProperties: false``
    no detail is valid, which lint reports."""
    required = schema.get("required")
    if not isinstance(required, list) or "patternProperties" in schema:
        return
    declared = schema.get("properties")
    properties = declared if isinstance(declared, dict) else {}
    missing = [name for name in required if isinstance(name, str) and name not in properties]
    extra = schema.get("additionalProperties", True)
    if missing and extra is not False:
        value = extra if isinstance(extra, dict) else {}
        schema["properties"] = {**properties, **dict.fromkeys(missing, value)}


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
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and _rust_pattern(pattern) is None:
        found.add("pattern")
    if isinstance(schema.get("items"), list):
        found.add("items")
    values = [*(schema.get("enum") or []), *([schema["const"]] if "const" in schema else [])]
    if any(isinstance(value, (dict, list)) for value in values):
        found.add("enum")
    for key, value in schema.items():
        if key in SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
            children = list(value.values())
        elif key in SCHEMA_KEYWORDS and isinstance(value, dict):
            children = [value]
        elif key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
            children = value
        else:
            continue
        for child in children:
            found |= unexpressed_keywords(child)
    return found


def generator_input(document: dict[str, Any]) -> dict[str, Any]:
    """The document datamodel-code-generator reads: :func:`strict_document`, and the schema
    itself embedded in the root model when it uses keywords pydantic cannot express."""
    strict: dict[str, Any] = strict_document(document)
    if unexpressed_keywords(document):
        embedded = rust_patterns(
            {
                key: value
                for key, value in document.items()
                if key not in ("title", "description", DETAIL_SCHEMA_KEY)
            }
        )
        strict[DETAIL_SCHEMA_KEY] = json.dumps(embedded, sort_keys=True, ensure_ascii=False)
    return strict


def rust_patterns(schema: Any) -> Any:
    """A copy of ``schema`` with its ``pattern``s and ``patternProperties`` keys in Rust regex
    syntax (ECMA-262's semantics) where that engine reads them, for the runtime's check."""

    def edit(node: dict[str, Any]) -> dict[str, Any]:
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            node["pattern"] = _rust_pattern(pattern) or pattern
        patterns = node.get("patternProperties")
        if isinstance(patterns, dict):
            node["patternProperties"] = {
                (_rust_pattern(name) or name) if isinstance(name, str) else name: item
                for name, item in patterns.items()
            }
        return node

    return map_schemas(schema, edit)


TEMPLATES = Path(str(files("eventcontracts") / "templates" / "datamodel"))


def identity_lines(identity: Identity, envelope: str) -> list[str]:
    """The detail class's constants; strings are written by ``repr``, never pasted."""
    return [
        f"SOURCE: ClassVar[str] = {identity.source!r}",
        f"DETAIL_TYPE: ClassVar[str] = {identity.detail_type!r}",
        f"SCHEMA_NAME: ClassVar[str] = {identity.schema_name!r}",
        f"SCHEMA_VERSION: ClassVar[int] = {int(identity.version)}",
        # The envelope class is written after the models (version_footer.py.j2), which set it.
        f"ENVELOPE: ClassVar[type[{envelope}]]",
    ]


def version_models(
    document: dict[str, Any],
    name: str,
    enums: str,
    display: str,
    identity: Identity | None,
    field_names: str = "snake_case",
) -> GeneratedModels:
    """datamodel-code-generator's models of a detail document, the detail class found in the
    code's syntax tree (picklable in and out, so worker processes can run it). ``field_names``
    "snake_case" makes attributes snake_case with the wire names as aliases; "wire" keeps the
    wire names where they are identifiers."""
    extra = docstrings(document)
    if identity is not None:
        extra.setdefault("#", {})["evc_identity"] = identity_lines(identity, f"{name}Event")
    code = models_source(document, name, enums, display, extra, field_names)
    return _read_models(code, display, identity is not None)


def _read_models(code: str, display: str, with_identity: bool) -> GeneratedModels:
    import ast

    tree = ast.parse(code)
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    # The detail holds the constant SOURCE: ClassVar[...]; a nested model may have a field
    # called SOURCE (with wire field names), which is no constant.
    detail = [
        node.name
        for node in classes
        if any(
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.target.id == "SOURCE"
            and _is_class_var(statement)
            for statement in node.body
        )
    ]
    if with_identity and len(detail) != 1:
        raise CodegenError(
            f"{display}: the detail schema did not become a model class; "
            "the detail must be an object schema"
        )
    names = tuple(node.name for node in classes)
    clash = sorted(set(IDENTITY_NAMES) & _field_names(classes, detail[0] if detail else ""))
    if clash:
        raise CodegenError(
            f"{display}: the detail has a property named {clash[0]}, which the generated class "
            "uses for the event's identity; rename the property"
        )
    return GeneratedModels(code, detail[0] if detail else "", names)


def _field_names(classes: list[Any], name: str) -> set[str]:
    import ast

    return {
        statement.target.id
        for node in classes
        if node.name == name
        for statement in node.body
        if isinstance(statement, ast.AnnAssign)
        and isinstance(statement.target, ast.Name)
        and not _is_class_var(statement)
    }


def _is_class_var(statement: Any) -> bool:
    """Whether an annotated assignment is annotated ``ClassVar[...]``."""
    import ast

    annotation = statement.annotation
    return (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "ClassVar"
    )


def models_source(
    document: dict[str, Any],
    name: str,
    enums: str,
    display: str,
    extra: dict[str, dict[str, Any]] | None = None,
    field_names: str = "snake_case",
) -> str:
    """datamodel-code-generator's models of a detail document, as code."""
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
                # Class docstrings come from evc_docstring (escaped by docstring_literal).
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
                custom_template_dir=TEMPLATES,
                extra_template_data=defaultdict(dict, extra or {}),
                additional_imports=["typing.ClassVar", "eventcontracts.runtime.EventEnvelope"],
            )
        except Exception as exc:  # datamodel-code-generator raises many kinds; say which schema
            raise CodegenError(
                f"{display}: cannot generate models ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else 'no detail'})"
            ) from None
    if not isinstance(output, str):
        raise CodegenError(f"{display}: the generator wrote no single module")
    # Its header names the input (a dict); the module's own header says what made it.
    return output.removeprefix(GENERATOR_HEADER).lstrip("\n")


GENERATOR_HEADER = "# generated by datamodel-codegen:\n#   filename:  <dict>\n"


def warm_up() -> None:
    """Load datamodel-code-generator's parser and models (its first call costs ~0.7 s).

    Runs as a pool initializer: it must never raise (a failing initializer makes the pool
    start workers again and again); a real problem shows when a module is generated.
    """
    with contextlib.suppress(Exception):
        version_models({"type": "object", "properties": {"a": {}}}, "Warm", "literal", "-", None)


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
