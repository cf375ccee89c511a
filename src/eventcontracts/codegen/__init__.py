"""``eventcontracts generate``: the typed package services import.

One module per schema version (pydantic models of the detail with the event's identity as
class constants, and the typed envelope), one subpackage per source with a ``publish`` typed
to its events, a ``py.typed`` marker and a small ``pyproject.toml``. Models are written by
datamodel-code-generator in-process, the rest from the templates in ``eventcontracts/templates``;
the whole package is then formatted with ruff, so it is byte-identical run after run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from eventcontracts.codegen.models import CodegenError, require_generator
from eventcontracts.codegen.output import GenerateResult, update_folder
from eventcontracts.codegen.package import (
    DIGEST_LINE,
    HEADER,
    PackageSettings,
    package_files,
    seal,
    start_workers,
)
from eventcontracts.config import python_name

__all__ = [
    "CodegenError",
    "GenerateResult",
    "PackageSettings",
    "generate",
    "start_workers",
]


def generate(
    registry_root: Path,
    out: Path,
    settings: PackageSettings,
    *,
    check: bool,
    pool: Any = None,
    display_base: Path | None = None,
    allow_remote_refs: bool = False,
) -> GenerateResult:
    """Write the package under ``out``, or with ``check`` only say what differs.

    Version modules whose inputs have not changed since the last run are kept as they are;
    the rest are generated here, or on the workers of ``pool`` (see ``start_workers``).
    """
    require_generator()
    if not python_name(settings.package):
        raise CodegenError(f"{settings.package!r} is not a Python package name")
    root = out.resolve()
    # Every file of the last run, read once: reused, compared and cleaned up from this.
    previous = _generated_files(root, settings.package)
    files, fresh = package_files(
        registry_root,
        settings,
        previous,
        pool,
        display_base=display_base,
        allow_remote_refs=allow_remote_refs,
    )
    formatted = _formatted({relative: files[relative] for relative in fresh})
    files.update(
        {
            relative: seal(text) if DIGEST_LINE.match(text, len(HEADER)) else text
            for relative, text in formatted.items()
        }
    )
    result = update_folder(root, files, previous, check=check)
    if not check:
        _remove_empty_folders(root / settings.package)
    return result


def _remove_empty_folders(package: Path) -> None:
    """Folders of the package left with nothing (a source's subpackage whose modules all went,
    or that moved) are removed, with the bytecode caches Python wrote in them."""
    for folder, names, files in sorted(os.walk(package), key=lambda entry: -len(entry[0])):
        path = Path(folder)
        if path == package or path.name == "__pycache__":
            continue
        kept = [name for name in names if (path / name).exists() and name != "__pycache__"]
        if not files and not kept:
            shutil.rmtree(path, ignore_errors=True)


def _generated_files(root: Path, package: str) -> dict[str, str]:
    """The files an earlier run wrote, by relative path: ours carry the header (anything else
    in the folder is left alone)."""
    found: dict[str, str] = {}
    for folder, _, names in os.walk(root / package):
        for name in names:
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
            if text.startswith(HEADER):
                found[os.path.relpath(path, root).replace(os.sep, "/")] = text
    return found


def _formatted(files: dict[str, str]) -> dict[str, str]:
    """The files as ``ruff format`` and ruff's import sorting leave them (line length 88)."""
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError:  # pragma: no cover - ruff comes with the codegen extra
        raise CodegenError(
            "code generation needs ruff: pip install 'eventcontracts[codegen]'"
        ) from None
    ruff = find_ruff_bin()
    with tempfile.TemporaryDirectory(prefix="eventcontracts-generate-") as temporary:
        root = Path(temporary)
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        # The package's own pyproject.toml (written above) holds the settings, so a ruff run
        # in the generated folder later agrees with this one.
        for command in (
            [ruff, "check", "--no-cache", "--fix", "--quiet", "--exit-zero", str(root)],
            [ruff, "format", "--no-cache", "--quiet", str(root)],
        ):
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            if result.returncode not in (0, 1):
                raise CodegenError(f"formatting the generated code failed: {result.stderr.strip()}")
        formatted = {relative: (root / relative).read_text(encoding="utf-8") for relative in files}
        shutil.rmtree(root, ignore_errors=True)
        return formatted
