"""Is a document well formed: valid OpenAPI 3.0, or valid against its JSON Schema dialect?

Lint reports the answer (L102, L103) and the compatibility engine refuses to compare a document
that fails it, so both ask here, below them; the metaschemas ship with the registry
(``registry/metaschemas/``). Problems are (JSON pointer, message) pairs, with values written as
JSON, the branch of a oneOf/anyOf that came closest, and messages kept to one short line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import referencing.jsonschema
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from eventcontracts import safe_regex
from eventcontracts.registry.formats import is_openapi
from eventcontracts.registry.metaschema import compile_metaschema
from eventcontracts.registry.safe_validators import UndecidedPattern
from eventcontracts.schema.pointer import escape_token

# specification_with's answer for a dialect it does not know.
_UNKNOWN: Any = object()

MetaschemaCheck = Callable[[Any], list[tuple[str, str]]]


@cache
def _openapi_check() -> MetaschemaCheck:
    text = resources.files("eventcontracts.registry").joinpath("metaschemas/openapi-3.0.json")
    metaschema = json.loads(text.read_text(encoding="utf-8"))
    return compile_metaschema(metaschema, loose_integers=False)


@cache
def _dialect_check(cls: type[Validator]) -> MetaschemaCheck:
    """The compiled metaschema for draft-04/06/07; python-jsonschema for later drafts.

    2019-09 and 2020-12 metaschemas are built from vocabularies with $dynamicRef, which the
    compiler does not read; EventBridge documents are draft-04, so the slow path is rare.
    """
    if cls in _COMPILED_DIALECTS:
        return compile_metaschema(cls.META_SCHEMA, loose_integers=cls is not Draft4Validator)
    validator = cls(cls.META_SCHEMA, format_checker=cls.FORMAT_CHECKER)

    def check(document: Any) -> list[tuple[str, str]]:
        try:
            errors = [
                leaf for error in validator.iter_errors(document) for leaf in error_leaves(error)
            ]
        except RecursionError:
            return [("", "the document is nested too deeply to check")]
        return [(error_pointer(error.absolute_path), describe_error(error)) for error in errors]

    return check


_COMPILED_DIALECTS = (Draft4Validator, jsonschema.Draft6Validator, jsonschema.Draft7Validator)


def structure_problems(content: Any) -> list[tuple[str, str]]:
    """Why a document is not valid OpenAPI 3.0 or valid JSON Schema: (pointer, message)s."""
    if is_openapi(content):
        return _openapi_check()(content)
    if isinstance(content, bool):
        return []
    if not isinstance(content, dict):
        return [("", f"a {type(content).__name__} is not a schema")]
    declared = content.get("$schema")
    if declared is not None and not is_known_dialect(declared):
        return [("/$schema", f"{declared!r} is not a JSON Schema dialect this tool knows")]
    cls = jsonschema.validators.validator_for(content, default=Draft4Validator)
    return dialect_problems(cls, content)


def openapi_problems(content: Any) -> list[tuple[str, str]]:
    """Why an OpenApi3 document is not valid OpenAPI 3.0."""
    return _openapi_check()(content)


def dialect_problems(cls: type[Validator], content: Any) -> list[tuple[str, str]]:
    """Why a JSON Schema document is not valid against the metaschema of ``cls``'s dialect."""
    return _dialect_check(cls)(content)


def is_known_dialect(declared: object) -> bool:
    """Whether a ``$schema`` value names a JSON Schema dialect this tool knows."""
    return (
        isinstance(declared, str)
        and referencing.jsonschema.specification_with(declared, default=_UNKNOWN) is not _UNKNOWN
    )


def error_leaves(error: ValidationError) -> list[ValidationError]:
    """The errors that explain ``error``: for oneOf/anyOf, those of the branch that came closest.

    The branch that got deepest into the document is the one the author meant (a schema that
    fails as a Reference Object but nearly passes as a Schema Object is a Schema Object).
    """
    if not error.context:
        return [error]
    branches: dict[object, list[ValidationError]] = {}
    for sub in error.context:
        branch = sub.relative_schema_path[0] if sub.relative_schema_path else None
        branches.setdefault(branch, []).append(sub)
    closest = max(
        branches.values(),
        key=lambda errors: (max(len(e.absolute_path) for e in errors), -len(errors)),
    )
    return [leaf for sub in closest for leaf in error_leaves(sub)]


def describe_error(error: ValidationError) -> str:
    """What failed, with values written as JSON (null, true), not as Python (None, True)."""
    value: Any = error.validator_value
    if isinstance(error.cause, UndecidedPattern):
        return shortened(error.message)  # not a mismatch: the pattern could not be evaluated
    instance = json_text(error.instance)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        schema = error.schema if isinstance(error.schema, dict) else {}
        known = set(schema.get("properties", {}))
        patterns = list(schema.get("patternProperties", {}))
        extra = sorted(
            key
            for key in error.instance
            if key not in known and not any(safe_regex.matches(p, key) for p in patterns)
        )
        if extra:
            return f"{', '.join(map(json_text, extra))} not allowed here"
    described = {
        "type": lambda: f"{instance} is not of type {' or '.join(map(json_text, _listed(value)))}",
        "enum": lambda: f"{instance} is not one of {', '.join(map(json_text, value))}",
        "const": lambda: f"{instance} is not {json_text(value)}",
        "pattern": lambda: f"{instance} does not match the pattern {json_text(value)}",
        "format": lambda: f"{instance} is not a valid {value}",
        "minimum": lambda: f"{instance} is less than the minimum {json_text(value)}",
        "maximum": lambda: f"{instance} is more than the maximum {json_text(value)}",
        "minLength": lambda: f"{instance} is shorter than {value} characters",
        "maxLength": lambda: f"{instance} is longer than {value} characters",
        "minItems": lambda: f"has fewer than {value} items",
        "maxItems": lambda: f"has more than {value} items",
    }.get(str(error.validator))
    return shortened(described() if described else error.message)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def json_text(value: Any) -> str:
    return shortened(json.dumps(value, ensure_ascii=False, default=str), 60)


def shortened(message: str, limit: int = 200) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 3] + "..."


def error_pointer(path: Iterable[object]) -> str:
    return "".join(f"/{escape_token(str(token))}" for token in path)
