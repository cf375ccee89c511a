"""The one ``$ref`` resolver every feature uses.

Built on ``referencing``: each document of the registry is a resource known by a stable URI
(``file:///registry/<path>``), so local refs, refs between files (``../Common/v1.json#/...``),
``$id``/``id``-based refs and plain-name anchors (``"$id": "#root/customerId"``) resolve the way
the JSON Schema specifications say. OpenApi3 documents are read through
:func:`~eventcontracts.registry.openapi.as_json_schema` (``nullable``) as draft-04.
Remote (``http(s)://``) refs are refused unless the configuration turns them on.
"""

from __future__ import annotations

import difflib
import json
import os
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import referencing
import referencing._core
import referencing.exceptions
import referencing.jsonschema

from eventcontracts.registry.containment import link_leaves
from eventcontracts.registry.documents import SCHEMA_FILE_SUFFIXES, Document, read_document
from eventcontracts.registry.formats import DRAFT4_URI, is_openapi
from eventcontracts.registry.model import Registry, SchemaFormat, SchemaVersion
from eventcontracts.registry.openapi import as_json_schema
from eventcontracts.schema.keywords import NULLABLE
from eventcontracts.schema.pointer import escape_token, parse
from eventcontracts.schema.walk import find_refs

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.protocols import Validator

REMOTE_SCHEMES = ("http://", "https://")
# Base of the URIs documents are known by: stable across machines, and relative refs between
# files resolve against it the way they resolve between the files themselves.
URI_ROOT = "file:///registry/"
_E = TypeVar("_E", bound=BaseException)


REMOTE_REFUSED_ADVICE = (
    "copy it into registry/_shared/ or set allow-remote-refs = true under [registry] in "
    "eventcontracts.toml"
)


class RemoteRefRefused(Exception):
    """A ref needs a remote document and remote refs are off."""


class _UnreadableDocument(LookupError):
    """A registry file a ref needs is there but broken (the registry was loaded without it):
    saying so beats "no document in the registry"."""


class UnresolvableRef(Exception):
    """A ``$ref`` that cannot be resolved; the message says why, in one sentence."""

    def __init__(self, message: str, *, remote: bool = False) -> None:
        super().__init__(message)
        self.remote = remote


@dataclass(frozen=True)
class Resolved:
    """The target of a ref: its contents, and where refs inside it resolve from.

    Pass a ``Resolved`` as the ``base`` of the next :meth:`Resolver.lookup` to follow refs
    inside the target (``$id``s met on the way are taken into account).
    """

    contents: Any
    scope: referencing._core.Resolver[Any]


class Resolver:
    """Resolves refs for a loaded :class:`Registry`; cheap to build, lazy in what it reads."""

    def __init__(
        self,
        registry: Registry,
        *,
        allow_remote_refs: bool = False,
        fetch: Callable[[str], None] | None = None,
        remote_refused_advice: str = REMOTE_REFUSED_ADVICE,
        openapi_as_written: bool = False,
    ) -> None:
        self.registry = registry
        # OpenApi3 documents as written (``nullable`` kept), for writing OpenAPI back out (the
        # AsyncAPI export); every feature that validates or compares reads the JSON Schema view.
        self.openapi_as_written = openapi_as_written
        # What a refused remote ref's message tells to do (the gate says why its setting is off).
        self.remote_refused_advice = remote_refused_advice
        # Puts a registry file that is not on disk in place (the registry at a git ref).
        self.fetch = fetch
        self.allow_remote_refs = allow_remote_refs
        self._versions_by_uri = {version.uri: version for version in registry.all_versions()}
        self._shared_by_uri = {document.uri: document for document in registry.shared}
        # The JSON Schema reading of OpenApi3 documents, by URI: built once, read by every feature.
        self._views: dict[str, Any] = {}
        self._by_id: referencing.Registry[Any] | None = None
        self._unloaded: dict[str, referencing.Resource[Any] | None] = {}
        self._unreadable: dict[str, str] = {}  # registry files a ref needs that are broken: why
        self._declares_ids: dict[str, bool] = {}

    @cached_property
    def referencing_registry(self) -> referencing.Registry[Any]:
        """An empty registry that retrieves documents as refs reach them.

        Building a resource for each of thousands of documents up front would cost more than
        a whole lint run; a ref-following feature reads few of them.
        """
        registry: referencing.Registry[Any] = referencing.Registry(
            retrieve=self._retrieve  # type: ignore[call-arg]
        )
        return registry

    def view(self, version: SchemaVersion) -> Any:
        """The document as JSON Schema: OpenApi3 ``nullable`` made explicit (unless the
        resolver reads OpenAPI as written)."""
        if (
            version.format is not SchemaFormat.OPENAPI3
            or NULLABLE not in version.document.text
            or self.openapi_as_written
        ):
            return version.document.content
        if version.uri not in self._views:
            self._views[version.uri] = as_json_schema(version.document.content)
        return self._views[version.uri]

    def declares_ids(self, version: SchemaVersion) -> bool:
        """Whether any subschema of the version declares an $id/id (which re-bases refs)."""
        if version.uri not in self._declares_ids:
            openapi = version.format is SchemaFormat.OPENAPI3
            self._declares_ids[version.uri] = find_refs(version.document.content, openapi=openapi)[
                1
            ]
        return self._declares_ids[version.uri]

    def lookup(self, ref: object, base: str | Resolved) -> Resolved:
        """Resolve ``ref`` as written at ``base`` (a document URI or an earlier result).

        One step: a target that is itself a ``$ref`` is returned as it is.
        """
        if not isinstance(ref, str):
            raise UnresolvableRef(f"$ref must be a string, not {type(ref).__name__}")
        if isinstance(base, Resolved):
            resolver = base.scope
        else:
            resolver = self.referencing_registry.resolver(base_uri=base)
        try:
            resolved = resolver.lookup(ref)
        except referencing.exceptions.PointerToNowhere as exc:
            hint = _did_you_mean(exc.resource.contents, exc.ref, ref.split("#", 1)[0])
            raise UnresolvableRef(f"{ref!r} points to nothing{hint}") from None
        except referencing.exceptions.NoSuchAnchor as exc:
            raise UnresolvableRef(f"{ref!r}: no schema has the anchor {exc.anchor!r}") from None
        except referencing.exceptions.Unresolvable as exc:
            # referencing wraps a failed retrieval (Unretrievable) in Unresolvable; the reason
            # is further down the chain.
            refused = _find_cause(exc, RemoteRefRefused)
            if refused is not None:
                raise UnresolvableRef(str(refused), remote=True) from None
            if _find_cause(exc, referencing.exceptions.Unretrievable) is not None:
                document = ref.split("#", 1)[0]
                unreadable = _find_cause(exc, _UnreadableDocument)
                if unreadable is not None:
                    raise UnresolvableRef(f"{ref!r}: {unreadable}") from None
                raise UnresolvableRef(
                    f"{ref!r}: no document {document!r} in the registry"
                    + self._closest_document(base, document)
                ) from None
            raise UnresolvableRef(f"{ref!r} cannot be resolved") from None
        except (AttributeError, TypeError, ValueError):
            # referencing assumes well-formed ids; a malformed one must not crash a lint run.
            raise UnresolvableRef(f"{ref!r} cannot be resolved") from None
        return Resolved(resolved.contents, resolved.resolver)

    def _closest_document(self, base: str | Resolved, document: str) -> str:
        """For a cross-file ref with a typo: the registry file with the closest name."""
        if not isinstance(base, str) or not document:
            return ""
        wanted = urllib.parse.urljoin(base, document)
        known = [*self._versions_by_uri, *self._shared_by_uri]
        close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.8)
        if not close:
            return ""
        return f"; did you mean {close[0].removeprefix(URI_ROOT)!r} (under the registry folder)?"

    def event_validator(self, version: SchemaVersion) -> Validator:
        """A validator of whole events (envelope and detail), formats checked."""
        return self._validator(version, version.envelope_pointer)

    def detail_validator(self, version: SchemaVersion) -> Validator:
        """A validator of the ``detail`` of events."""
        if version.detail_pointer is None:
            raise UnresolvableRef(f"{version.schema_name} v{version.version} has no detail schema")
        return self._validator(version, version.detail_pointer)

    def _validator(self, version: SchemaVersion, pointer: str) -> Validator:
        from eventcontracts.registry.safe_validators import safe_validator_class

        cls = safe_validator_class(validator_class(version))
        schema = {"$ref": f"{version.uri}#{pointer}"}
        # Handing jsonschema a ready resolver (as its own ``evolve`` does) skips merging the
        # metaschemas into the whole registry again for every validator: O(registry) each time.
        return cls(  # type: ignore[call-arg]
            schema, _resolver=self._validation_scope, format_checker=self._format_checker
        )

    @cached_property
    def _format_checker(self) -> jsonschema.FormatChecker:
        # jsonschema (and its format checkers) are imported on the first validator: resolving
        # refs, which every comparing command does, needs none of it.
        import jsonschema

        return jsonschema.FormatChecker()

    @cached_property
    def _validation_scope(self) -> referencing._core.Resolver[Any]:
        from jsonschema_specifications import REGISTRY as SPECIFICATIONS

        combined: referencing.Registry[Any] = SPECIFICATIONS.combine(self.referencing_registry)
        return combined.resolver()

    def _resource(self, contents: Any, version: SchemaVersion | None) -> referencing.Resource[Any]:
        dialect = version.dialect if version is not None else None
        if dialect is None and isinstance(contents, dict):
            declared = contents.get("$schema")
            dialect = declared if isinstance(declared, str) else None
        specification = referencing.jsonschema.specification_with(
            dialect or DRAFT4_URI, default=referencing.jsonschema.DRAFT4
        )
        return specification.create_resource(contents)

    def _retrieve(self, uri: str) -> referencing.Resource[Any]:
        version = self._versions_by_uri.get(uri)
        if version is not None:
            return self._resource(self.view(version), version)
        shared = self._shared_by_uri.get(uri)
        if shared is not None:
            return self._resource(shared.content, None)
        if uri.startswith(URI_ROOT):
            unloaded = self._read_unloaded(uri)
            if unloaded is not None:
                return unloaded
            if uri in self._unreadable:
                raise _UnreadableDocument(self._unreadable[uri])
        by_id = self._documents_by_id()
        if uri in by_id:
            return by_id[uri]
        if not uri.startswith(REMOTE_SCHEMES):
            raise LookupError(uri)
        if not self.allow_remote_refs:
            raise RemoteRefRefused(f"remote $ref {uri!r} refused; {self.remote_refused_advice}")
        import urllib.request  # only for remote refs, which few registries allow

        with urllib.request.urlopen(uri, timeout=10) as response:
            contents = json.loads(response.read().decode("utf-8"))
        return referencing.jsonschema.DRAFT4.create_resource(contents)

    def _read_unloaded(self, uri: str) -> referencing.Resource[Any] | None:
        """A registry file that was not loaded (another shard's, or not a schema file)."""
        if uri not in self._unloaded:
            relative = uri.removeprefix(URI_ROOT)
            path = self.registry.root.joinpath(*relative.split("/"))
            document = None
            if self.fetch is not None and not path.exists():
                self.fetch(relative)
            if link_leaves(path, self.registry.root):
                pass  # a link out of the registry is never read (lint reports it, L305)
            elif path.suffix in SCHEMA_FILE_SUFFIXES and path.is_file():
                read = read_document(path, relative)
                if isinstance(read, Document):
                    document = read
                else:  # said when the ref is reported: "not in the registry" would mislead
                    place = self.registry.shown(path) + (f":{read.line}" if read.line else "")
                    self._unreadable[uri] = f"{place} cannot be read: {read.message}"
            self._unloaded[uri] = None if document is None else self._document_resource(document)
        return self._unloaded[uri]

    def _document_resource(self, document: Document) -> referencing.Resource[Any]:
        content = document.content
        if is_openapi(content):
            view = content if self.openapi_as_written else as_json_schema(content)
            return referencing.jsonschema.DRAFT4.create_resource(view)
        return self._resource(content, None)

    def _documents_by_id(self) -> referencing.Registry[Any]:
        """Every resource that a document names with ``$id``/``id``: crawled on the first URI
        that is neither a registry file nor remote (a healthy registry never gets here)."""
        if self._by_id is None:
            resources = [
                (version.uri, self._resource(self.view(version), version))
                for version in self.registry.all_versions()
            ]
            resources += [
                (document.uri, self._resource(document.content, None))
                for document in self.registry.shared
            ]
            # Files this registry object did not load (a shard's view of a registry) count too.
            loaded = {uri for uri, _ in resources}
            for path in _schema_files(self.registry.root):
                uri = URI_ROOT + path.relative_to(self.registry.root).as_posix()
                resource = None if uri in loaded else self._read_unloaded(uri)
                if resource is not None:
                    resources.append((uri, resource))
            self._by_id = referencing.Registry().with_resources(resources).crawl()
        return self._by_id


def _schema_files(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in sorted(filenames):
            if name.endswith(SCHEMA_FILE_SUFFIXES):
                yield Path(dirpath, name)


def _find_cause(exc: BaseException, kind: type[_E]) -> _E | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _did_you_mean(contents: Any, pointer: str, document: str) -> str:
    """A suggestion for a pointer with a typo: the closest name where the pointer goes astray."""
    tokens = parse(pointer)
    node: Any = contents
    walked: list[str] = []
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
            walked.append(token)
            continue
        if isinstance(node, dict):
            close = difflib.get_close_matches(token, [str(key) for key in node], n=1)
            if close:
                where = "".join(f"/{escape_token(t)}" for t in [*walked, close[0]])
                return f"; did you mean '{document}#{where}'?"
        break
    return ""


def validator_class(version: SchemaVersion) -> type[Validator]:
    """The jsonschema validator class for a version's dialect (OpenApi3 reads as draft-04)."""
    import jsonschema

    if version.format is SchemaFormat.OPENAPI3:
        return jsonschema.Draft4Validator
    content = version.document.content
    return jsonschema.validators.validator_for(content, default=jsonschema.Draft4Validator)
