"""Code bindings (``PutCodeBinding``, ``DescribeCodeBinding``, ``GetCodeBindingSource``).

The binding of a schema version for ``Python36`` is the package ``eventcontracts generate``
writes for it (:mod:`eventcontracts.codegen`: pydantic models of the detail and the typed
envelope, a ``publish`` for custom sources), zipped with its ``pyproject.toml``, so that
``pip install binding.zip`` installs it (it depends on ``eventcontracts-runtime`` alone). The
package is named after the schema (``com.shop@OrderPlaced`` -> ``order_placed_binding``).

As the service does it, a binding is made in the background: ``PutCodeBinding`` answers 202
with ``CREATE_IN_PROGRESS``, ``DescribeCodeBinding`` says when it is ``CREATE_COMPLETE`` (or
``CREATE_FAILED``: a version the generator cannot make code of), and ``GetCodeBindingSource``
serves the zip once it is complete. Languages the emulator makes no code for (``Java8``,
``TypeScript3``, ``Go1`` and any other) are a NotFoundException, as the service answers a
language it has no binding for.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import threading
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcontracts.bounded import load_json
from eventcontracts.emulator.state import now_iso
from eventcontracts.errors import EventContractsError
from eventcontracts.registry.formats import identify
from eventcontracts.registry.sourcefolder import folder_of_source

# botocore's model leaves Language a plain string; the API reference lists Java8, Python36,
# TypeScript3 and Go1. The emulator makes Python bindings only.
PYTHON_LANGUAGES = ("Python36",)
CREATE_IN_PROGRESS = "CREATE_IN_PROGRESS"
CREATE_COMPLETE = "CREATE_COMPLETE"
CREATE_FAILED = "CREATE_FAILED"
# A zip's entries carry a time; a fixed one keeps the same version's binding byte-identical.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FOLDER_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_]+")
# One generation at a time: the model generator runs in-process and is not made for threads.
_GENERATING = threading.Lock()


class BindingFailed(Exception):
    """Why a version's code could not be generated: one line."""


@dataclass
class CodeBinding:
    """One language's binding of one schema version, and what it was made from."""

    version: str
    made_from: str  # a digest of the version's type and content: another content, another binding
    created: str = field(default_factory=now_iso)
    last_modified: str = field(default_factory=now_iso)
    status: str = CREATE_IN_PROGRESS
    source: bytes | None = None
    failure: str | None = None


def content_digest(type_: str, content: str) -> str:
    return hashlib.sha256(f"{type_}\0{content}".encode()).hexdigest()


@dataclass
class CodeBindings:
    """Every binding asked for, kept in memory (never in the state file: made again on
    request). ``min_seconds`` keeps a new binding in progress at least that long, so that a
    client's polling (the ``code_binding_exists`` waiter) can be tried against it."""

    min_seconds: float = 0.0
    _bindings: dict[tuple[str, str, str, str], CodeBinding] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def find(self, key: tuple[str, str, str, str], type_: str, content: str) -> CodeBinding | None:
        """The binding of ``key`` made from this content (a schema deleted and made again with
        other content under the same version number has no binding yet)."""
        with self._lock:
            binding = self._bindings.get(key)
        if binding is None or binding.made_from != content_digest(type_, content):
            return None
        return binding

    def put(
        self, key: tuple[str, str, str, str], schema_name: str, type_: str, content: str
    ) -> CodeBinding:
        """The binding of ``key``: the one there is, or a new one being made (a failed one is
        tried again)."""
        registry, _, version, _ = key
        digest = content_digest(type_, content)
        with self._lock:
            found = self._bindings.get(key)
            if found is not None and found.made_from == digest and found.status != CREATE_FAILED:
                return found
            binding = CodeBinding(version, digest)
            self._bindings[key] = binding
        threading.Thread(
            target=self._make,
            args=(binding, schema_name, int(version), content),
            name=f"code-binding-{registry}",
            daemon=True,
        ).start()
        return binding

    def _make(self, binding: CodeBinding, schema_name: str, version: int, content: str) -> None:
        started = time.monotonic()
        try:
            source: bytes | None = python_binding(schema_name, version, content)
            failure = None
        except BindingFailed as e:
            source, failure = None, str(e)
        except Exception as e:  # the generator's own bug: a failed binding, not a dead thread
            source, failure = None, f"{type(e).__name__}: {e}"
        time.sleep(max(0.0, self.min_seconds - (time.monotonic() - started)))
        with self._lock:
            binding.source, binding.failure = source, failure
            binding.status = CREATE_FAILED if source is None else CREATE_COMPLETE
            binding.last_modified = now_iso()


def package_name(schema_name: str) -> str:
    """The binding's import name: the schema's short name in snake case, ``_binding`` added
    (``shop@OrderPlaced`` -> ``order_placed_binding``). ASCII only, starting with a letter: it
    is also a distribution name and a key of the package's pyproject.toml."""
    from eventcontracts.codegen.naming import module_name

    short = schema_name.rpartition("@")[2] or schema_name
    snake = module_name(short, 1).removesuffix("_v1")
    folded = unicodedata.normalize("NFKD", snake).encode("ascii", "ignore").decode("ascii")
    base = _NOT_NAME.sub("_", folded).strip("_").lower()
    if not base[:1].isalpha():
        base = f"event_{base}".rstrip("_")
    return f"{base}_binding"


def python_binding(schema_name: str, version: int, content: str) -> bytes:
    """The zip of the package ``eventcontracts generate`` writes for version ``version`` of
    ``schema_name`` (whose content is ``content``), pyproject.toml at the top."""
    # Imported when a binding is made: the generator is a quarter of a second to import, and
    # the emulator starts without it.
    from eventcontracts.codegen import PackageSettings, generate

    document = load_json(content)
    source = _source(schema_name, document)
    package = package_name(schema_name)
    settings = PackageSettings(package=package, distribution=package.replace("_", "-"))
    with tempfile.TemporaryDirectory(prefix="eventcontracts-binding-") as temporary:
        root = Path(temporary)
        folder = root / "registry" / folder_of_source(source) / _schema_folder(schema_name)
        folder.mkdir(parents=True)
        (folder / f"v{version}.json").write_text(content, encoding="utf-8")
        out = root / "out"
        try:
            with _GENERATING:
                generate(root / "registry", out, settings, check=False)
        except EventContractsError as e:
            raise BindingFailed(str(e).replace(str(root), "")) from None
        return _zipped(out)


def _source(schema_name: str, document: Any) -> str:
    """The event source the version declares, else the part of the name before ``@``."""
    identity = identify(document)
    declared = identity.source if identity is not None else None
    if isinstance(declared, str) and declared:
        return declared
    source = schema_name.rpartition("@")[0]
    if not source:
        raise BindingFailed(
            f"{schema_name} declares no event source (x-amazon-events-source) and its name "
            "has no '<source>@'"
        )
    return source


def _schema_folder(schema_name: str) -> str:
    short = schema_name.rpartition("@")[2] or schema_name
    return _FOLDER_UNSAFE.sub("-", short).strip(".-_")[:100] or "Event"


def _zipped(folder: Path) -> bytes:
    """The files under ``folder`` as a zip, byte-identical for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            entry = zipfile.ZipInfo(path.relative_to(folder).as_posix(), _ZIP_TIME)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes())
    return buffer.getvalue()
