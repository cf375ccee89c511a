"""What the engine compares: the event schema of a document, with a way to follow its refs.

An OpenApi3 document is compared by its ``AWSEvent`` schema (the envelope, whose ``detail``
refs the detail schema), read with ``nullable`` made explicit; a JSON Schema document as a
whole. Refs resolve with ``referencing`` the way validators resolve them: within the document,
to files beside it, by ``$id``; remote refs are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

import referencing
import referencing.exceptions
import referencing.jsonschema

from eventcontracts.errors import EventContractsError
from eventcontracts.registry.formats import AWS_EVENT_POINTER, is_openapi
from eventcontracts.registry.locate import PointerIndex
from eventcontracts.registry.openapi import as_json_schema
from eventcontracts.registry.refs import VersionRefs, rebased
from eventcontracts.schema import pointer as json_pointer
from eventcontracts.schema.keywords import SOURCE_KEY
from eventcontracts.schema.walk import find_refs

DIALECTS = {
    "http://json-schema.org/draft-04/schema": "draft-04",
    "http://json-schema.org/draft-06/schema": "draft-06",
    "http://json-schema.org/draft-07/schema": "draft-07",
    "https://json-schema.org/draft/2019-09/schema": "2019-09",
    "https://json-schema.org/draft/2020-12/schema": "2020-12",
}


class InputError(EventContractsError):
    """A schema the engine cannot compare: the message names the file and what is wrong."""


@dataclass
class SchemaInput:
    """A schema to compare, where it sits in its document, and how its refs resolve."""

    schema: Any
    pointer: str
    uri: str
    dialect: str
    registry: referencing.Registry[Any]
    # The document the schema sits in, when no $id in it re-bases refs: then a local ref
    # ("#/definitions/X") from the document's own scope is a plain JSON pointer into it.
    plain_root: Any = None
    # The whole document as refs resolve in it: where a ref's target sits in the file.
    document: Any = None

    @cached_property
    def _places(self) -> PointerIndex:
        return PointerIndex(self.document)

    def resolve(self, ref: str, scope: Any) -> tuple[Any, str, Any]:
        if scope is None and self.plain_root is not None and ref.startswith("#/"):
            pointer = unquote(ref[1:])
            target = json_pointer.resolve(self.plain_root, pointer, _NOWHERE)
            if target is not _NOWHERE:
                return target, pointer, None
        return self._resolve(ref, scope)

    def enter(self, raw: dict[str, Any], scope: Any) -> Any:
        """The scope refs inside ``raw`` resolve from: ``scope``, re-based when ``raw`` declares
        an ``$id`` (``id`` in draft 4)."""
        specification = SPECIFICATIONS.get(self.dialect, referencing.jsonschema.DRAFT7)
        entered = rebased(specification, self._resolver_of(scope), raw)
        return scope if entered is None else entered

    def _resolver_of(self, scope: Any) -> Any:
        return scope if scope is not None else self.registry.resolver(base_uri=self.uri)

    def _pointer(self, resolver: Any, ref: str, target: Any) -> str:
        """Where a ref leads, for reports: a pointer in this document, or file#pointer."""
        # Through an $id, the ref's URI is relative to that $id; the file's own pointer is
        # what a finding's line is looked up with.
        in_document = self._places.pointer_of(target)
        if in_document is not None:
            return in_document
        # referencing keeps a resolver's base URI private; it is the only way to learn it.
        base = getattr(resolver, "_base_uri", self.uri) or self.uri
        target, fragment = urldefrag(urljoin(base, ref))
        pointer = unquote(fragment) if fragment.startswith("/") else f"#{fragment}"
        if target and target != urldefrag(self.uri)[0]:
            pointer = f"{target.rsplit('/', 1)[-1]}#{pointer}"
        return pointer

    def _resolve(self, ref: str, scope: Any) -> tuple[Any, str, Any]:
        resolver = scope if scope is not None else self.registry.resolver(base_uri=self.uri)
        try:
            resolved = resolver.lookup(ref)
        except (referencing.exceptions.Unresolvable, AttributeError, TypeError, ValueError):
            where = unquote(self.uri.removeprefix("file://"))
            raise InputError(f"{where}: $ref {ref!r} cannot be resolved") from None
        return resolved.contents, self._pointer(resolver, ref, resolved.contents), resolved.resolver


_NOWHERE = object()

# The referencing specification of each dialect: which keyword holds an $id, and so on.
SPECIFICATIONS = {
    "draft-04": referencing.jsonschema.DRAFT4,
    "draft-06": referencing.jsonschema.DRAFT6,
    "draft-07": referencing.jsonschema.DRAFT7,
    "2019-09": referencing.jsonschema.DRAFT201909,
    "2020-12": referencing.jsonschema.DRAFT202012,
}


def _plain(document: Any, *, openapi: bool) -> Any:
    """``document`` if no subschema of it declares an $id/id, else None."""
    return None if find_refs(document, openapi=openapi)[1] else document


@dataclass
class VersionInput(SchemaInput):
    """A version of the registry, its refs resolved by the registry's own resolver."""

    resolver: Any = None
    refs: VersionRefs | None = None

    def enter(self, raw: dict[str, Any], scope: Any) -> Any:
        assert self.refs is not None
        return self.refs.enter(raw, scope)

    def _resolve(self, ref: str, scope: Any) -> tuple[Any, str, Any]:
        from eventcontracts.registry.resolver import UnresolvableRef

        try:
            resolved = self.resolver.lookup(ref, scope if scope is not None else self.uri)
        except UnresolvableRef as exc:
            raise InputError(f"{self.uri.removeprefix('file:///')}: {exc}") from None
        return resolved.contents, self._pointer(resolved.scope, ref, resolved.contents), resolved


def from_version(version: Any, resolver: Any) -> SchemaInput:
    """A registry version (:class:`~eventcontracts.registry.SchemaVersion`) to compare."""
    from eventcontracts.registry.model import SchemaFormat

    view = resolver.view(version)
    refs = VersionRefs(resolver, version)
    schema = refs.schema
    dialect = (
        "draft-04" if version.format is SchemaFormat.OPENAPI3 else dialect_of(view, "draft-04")
    )
    if schema is None:
        raise InputError(f"{version.document.display}: no event schema to compare")
    return VersionInput(
        schema=schema,
        pointer=version.envelope_pointer,
        uri=version.uri,
        dialect=dialect,
        registry=resolver.referencing_registry,
        plain_root=None if resolver.declares_ids(version) else view,
        document=view,
        resolver=resolver,
        refs=refs,
    )


def dialect_of(document: Any, default: str = "draft-07") -> str:
    declared = document.get("$schema") if isinstance(document, dict) else None
    if isinstance(declared, str):
        return DIALECTS.get(declared.rstrip("#"), default)
    return default


def from_document(
    document: Any, uri: str, *, retrieve: Any = None, validated: bool = False
) -> SchemaInput:
    """The schema to compare in ``document``, known by ``uri`` for resolving refs.

    An OpenApi3 document must be valid OpenAPI 3.0 (``validated`` when the caller checked)."""
    if is_openapi(document):
        # As `eventcontracts compat` refuses it: an OpenApi3 document is read as OpenAPI 3.0
        # (draft-04 underneath), where a keyword such as `const` means nothing, so comparing
        # an invalid one would compare what its author did not mean.
        if not validated:
            require_valid(document, unquote(uri.removeprefix("file://")))
        view = as_json_schema(document)
        aws_event = view.get("components", {}).get("schemas", {}).get("AWSEvent")
        if not isinstance(aws_event, dict):
            raise InputError(f"{uri}: an OpenApi3 document needs components.schemas.AWSEvent")
        resource = referencing.jsonschema.DRAFT4.create_resource(view)
        schema: Any = aws_event
        pointer, dialect = AWS_EVENT_POINTER, "draft-04"
    elif isinstance(document, (dict, bool)):
        dialect = dialect_of(document, "draft-04" if _is_eventbridge(document) else "draft-07")
        specification = referencing.jsonschema.specification_with(
            document.get("$schema", "") if isinstance(document, dict) else "",
            default=referencing.jsonschema.DRAFT7,
        )
        resource = specification.create_resource(document)
        schema, pointer = document, ""
    else:
        raise InputError(
            f"{uri}: not a schema (a JSON {type(document).__name__}); give a JSON Schema or an "
            "EventBridge OpenApi3 document"
        )
    registry: referencing.Registry[Any] = referencing.Registry(
        retrieve=retrieve or _refuse  # type: ignore[call-arg]
    ).with_resource(uri, resource)
    root = resource.contents
    return SchemaInput(
        schema, pointer, uri, dialect, registry, _plain(root, openapi=is_openapi(document)), root
    )


def from_file(path: Path) -> SchemaInput:
    """Read a schema file (JSON or YAML); refs to files beside it are read from disk.

    The document must be valid OpenAPI 3.0 or JSON Schema (what ``eventcontracts lint``
    checks): the engine compares schemas, not guesses at what a broken one meant.
    """
    document = read_schema_file(path)
    require_valid(document, str(path))
    base = path.resolve()

    def retrieve(uri: str) -> referencing.Resource[Any]:
        if not uri.startswith("file://"):
            raise LookupError(f"remote $ref {uri!r} is refused")
        target = Path(unquote(uri.removeprefix("file://")))
        contents = read_schema_file(target)
        if is_openapi(contents):
            return referencing.jsonschema.DRAFT4.create_resource(as_json_schema(contents))
        return referencing.jsonschema.DRAFT7.create_resource(contents)

    return from_document(document, base.as_uri(), retrieve=retrieve, validated=True)


def require_valid(document: Any, where: str) -> None:
    """Refuse a document that is not valid OpenAPI 3.0 or JSON Schema, in one line."""
    from eventcontracts.registry.structure import structure_problems

    problems = structure_problems(document)
    if problems:
        pointer, message = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(
            f"{where}: {pointer or '/'}: {message}{more}; run 'eventcontracts lint' on it"
        )


def read_schema_file(path: Path) -> Any:
    """A schema file read exactly as the registry reads it (the same bounds, a BOM accepted
    alike), or one line naming the file, the line and the lint rule that reports it."""
    from eventcontracts.findings import Finding, printable
    from eventcontracts.registry.documents import read_document

    if not path.exists():
        raise InputError(f"{path}: no such file")
    document = read_document(path, str(path))
    if isinstance(document, Finding):
        line = f":{document.line}" if document.line else ""
        raise InputError(
            f"{path}{line}: {printable(document.message)} ({document.rule}; 'eventcontracts "
            "lint' reports the same)"
        )
    return document.content


def _is_eventbridge(document: Any) -> bool:
    return isinstance(document, dict) and SOURCE_KEY in document


def _refuse(uri: str) -> referencing.Resource[Any]:
    raise LookupError(f"remote $ref {uri!r} is refused")
