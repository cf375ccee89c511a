"""Following the ``$ref``s of an AsyncAPI document being imported, and bundling a payload.

An AsyncAPI document refers to its own parts (``#/components/messages/X``), to files beside it
(``common.yaml#/Address``) and, rarely, to the web. Import writes one self-contained registry
document per message, so every ref a payload uses is resolved here:

- a local ref (``#/...``) is a JSON pointer into the file it is written in;
- a relative file ref is read (bounded, as the registry reads: JSON, or safe YAML for
  ``.yaml``/``.yml``) from the folder of the document named on the command line or below it:
  ``../`` out of it, an absolute path or a link leading out is refused;
- a remote ref (``http(s)://``) is refused unless ``allow-remote-refs`` is on, as everywhere;
- anything else (an ``$id`` anchor, a custom scheme) is refused.

:class:`Bundle` copies a payload with the schemas its refs reach, each target once under a
name of its own; a ref becomes a ref to that name, so recursion stays recursion and nothing is
expanded (a document cannot grow by refs).
"""

from __future__ import annotations

import copy
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from eventcontracts import bounded
from eventcontracts.importer.reading import Refused, read_input
from eventcontracts.schema import pointer as json_pointer
from eventcontracts.schema.walk import iter_schemas

REMOTE_SCHEMES = ("http://", "https://")
_NOWHERE = object()
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class Place:
    """Where a value is: the file (a local path as text, or a URL) and the JSON pointer."""

    file: str
    pointer: str

    def at(self, *tokens: str | int) -> Place:
        return Place(self.file, json_pointer.join(self.pointer, *tokens))


class Documents:
    """The files of one import: the document named on the command line and what it refers to.

    ``display`` is how the report names the document; every refusal names it and the JSON
    pointer of the ref at fault."""

    def __init__(self, path: Path, display: str, *, allow_remote_refs: bool) -> None:
        self.root = str(path.resolve())
        self.folder = path.resolve().parent
        self.display = display
        self.allow_remote_refs = allow_remote_refs
        self._contents: dict[str, Any] = {self.root: read_input(path, display)}

    @property
    def content(self) -> Any:
        return self._contents[self.root]

    def shown(self, place: Place) -> str:
        """A place as the report names it: the pointer, with the file when it is another."""
        pointer = place.pointer or "/"
        if place.file == self.root:
            return pointer
        if place.file.startswith(REMOTE_SCHEMES):
            return f"{place.file}#{pointer}"
        return f"{Path(place.file).relative_to(self.folder).as_posix()}#{pointer}"

    def value(self, place: Place) -> Any:
        return json_pointer.resolve(self._contents[place.file], place.pointer, _NOWHERE)

    def follow(self, node: Any, place: Place) -> tuple[Any, Place]:
        """``node`` itself, or what its chain of ``$ref``s leads to (a ref whose object holds
        nothing else; a loop of refs is refused)."""
        seen: set[Place] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and len(node) == 1:
            if place in seen:
                raise Refused(self.display, f"the $ref at {self.shown(place)} comes back to "
                              "itself through other $refs; point it at a definition")  # fmt: skip
            seen.add(place)
            node, place = self.target(node["$ref"], place.at("$ref"))
        return node, place

    def target(self, ref: str, at: Place) -> tuple[Any, Place]:
        """What ``ref`` (written at ``at``) points to, and where that is."""
        address, _, fragment = ref.partition("#")
        if fragment and not fragment.startswith("/"):
            raise Refused(self.display, f"$ref {ref!r} at {self.shown(at)} names an anchor; "
                          "import reads JSON pointers only ('#/components/...'): write the "
                          "pointer")  # fmt: skip
        file = self._file(address, at) if address else at.file
        place = Place(file, unquote(fragment))
        found = self.value(place)
        if found is _NOWHERE:
            raise Refused(self.display, f"$ref {ref!r} at {self.shown(at)} points to "
                          "nothing; point it at something that exists ('/' in a name is "
                          "written ~1)")  # fmt: skip
        return found, place

    def _file(self, address: str, at: Place) -> str:
        """The file a ref's address names, read the first time (within the import's bounds)."""
        base = at.file
        if address.startswith(REMOTE_SCHEMES) or base.startswith(REMOTE_SCHEMES):
            url = urljoin(base if base.startswith(REMOTE_SCHEMES) else "", address)
            return self._remote(url, at)
        if urlsplit(address).scheme or PurePosixPath(address).is_absolute():
            raise Refused(self.display, f"$ref {address!r} at {self.shown(at)} is neither in "
                          "this document nor a file beside it; copy what it points to into the "
                          "document")  # fmt: skip
        path = (Path(base).parent / unquote(address)).resolve()
        if not path.is_relative_to(self.folder):
            raise Refused(self.display, f"$ref {address!r} at {self.shown(at)} leads out of "
                          "the document's folder; import reads only files beside the document "
                          "or below it")  # fmt: skip
        key = str(path)
        if key not in self._contents:
            if not path.is_file():
                raise Refused(self.display, f"$ref {address!r} at {self.shown(at)}: no such "
                              "file beside the document")  # fmt: skip
            self._contents[key] = read_input(path, f"{self.display}: {address}")
        return key

    def _remote(self, url: str, at: Place) -> str:
        if not self.allow_remote_refs:
            raise Refused(self.display, f"remote $ref {url!r} at {self.shown(at)} refused; copy "
                          "what it points to into the document, or set allow-remote-refs = "
                          "true under [registry] in eventcontracts.toml")  # fmt: skip
        if url not in self._contents:
            self._contents[url] = _fetch(url, f"{self.display}: {url}")
        return url


def _fetch(url: str, display: str) -> Any:
    """A remote document, read as a local file is (bounded; YAML by its suffix)."""
    import urllib.error
    import urllib.request  # only for remote refs, which few teams allow

    suffix = ".yaml" if urlsplit(url).path.endswith((".yaml", ".yml")) else ".json"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # http(s) only: checked above
            raw = response.read(bounded.MAX_FILE_BYTES + 1)
    except (urllib.error.URLError, OSError) as exc:
        raise Refused(display, f"cannot be fetched ({exc}); copy it beside the document") from None
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / f"remote{suffix}"
        local.write_bytes(raw)
        return read_input(local, display)


class Bundle:
    """One payload made self-contained: the schema and the named schemas its refs reach.

    ``prefix`` is where the named schemas will live in the registry document
    (``#/components/schemas/`` or ``#/definitions/``); ``taken`` holds names already used
    there (the detail's own)."""

    def __init__(self, documents: Documents, prefix: str, taken: set[str]) -> None:
        self.documents = documents
        self.prefix = prefix
        self.named: dict[str, Any] = {}  # name -> schema, in the order first reached
        self._names: dict[Place, str] = {}
        self._taken = set(taken)

    def claim(self, place: Place, name: str) -> None:
        """A ref to ``place`` (the payload itself) is a ref to ``name``."""
        self._names[place] = name
        self._taken.add(name)

    def schema(self, node: Any, place: Place) -> Any:
        """A copy of the schema at ``place`` whose refs point at :attr:`named` schemas."""
        copied = copy.deepcopy(node)
        pending = [(copied, place)]
        while pending:
            root, where = pending.pop()
            for pointer, schema in iter_schemas(root):
                ref = schema.get("$ref")
                if not isinstance(ref, str):
                    continue
                at = Place(where.file, where.pointer + pointer).at("$ref")
                target, target_place = self.documents.target(ref, at)
                target, target_place = self.documents.follow(target, target_place)
                if isinstance(target, dict) and "schemaFormat" in target and "schema" in target:
                    # A Multi Format Schema Object of components.schemas: its schema is meant.
                    target_place = target_place.at("schema")
                    target, target_place = self.documents.follow(target["schema"], target_place)
                name = self._names.get(target_place)
                if name is None:
                    name = self._name(target_place)
                    self._names[target_place] = name
                    self.named[name] = copy.deepcopy(target)
                    pending.append((self.named[name], target_place))
                schema["$ref"] = self.prefix + json_pointer.escape_token(name)
        return copied

    def _name(self, place: Place) -> str:
        """A name of portable characters for a ref's target, from its last pointer token (the
        file's stem for a whole file), never one already taken."""
        tokens = json_pointer.parse(place.pointer)
        base = tokens[-1] if tokens else Path(urlsplit(place.file).path).stem
        if base == "schema" and len(tokens) > 1:  # a Multi Format Schema Object's schema
            base = tokens[-2]
        base = _SAFE_NAME.sub("_", base).strip("._-")[:100] or "Schema"
        name, number = base, 1
        while name in self._taken:
            number += 1
            name = f"{base}{number}"
        self._taken.add(name)
        return name
