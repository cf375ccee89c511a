"""``eventcontracts generate`` for TypeScript: the typed package Node.js services import.

Made from the same registry model and resolver as the Python package (see ``package`` for its
layout, ``types`` for what each schema becomes), when ``[codegen.typescript]`` asks for it.
The output is the same byte for byte on every run; ``--check`` compares it with the folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from eventcontracts.codegen.output import GenerateResult, update_folder
from eventcontracts.codegen.typescript.package import HEADER, TypeScriptSettings, package_files

__all__ = ["HEADER", "TypeScriptResult", "TypeScriptSettings", "generate_typescript"]

# What an earlier run may have written under src/.
GENERATED_SUFFIXES = (".ts", ".js", ".mjs", ".cjs")
# The same result as the Python generator's (the name kept for the callers that use it).
TypeScriptResult = GenerateResult


def generate_typescript(
    registry_root: Path,
    out: Path,
    settings: TypeScriptSettings,
    *,
    check: bool,
    display_base: Path | None = None,
    allow_remote_refs: bool = False,
) -> GenerateResult:
    """Write the TypeScript package under ``out``, or with ``check`` only say what differs."""
    root = out.resolve()
    files = package_files(
        registry_root, settings, display_base=display_base, allow_remote_refs=allow_remote_refs
    )
    result = update_folder(root, files, _generated_files(root), check=check)
    if not check:
        _remove_empty_folders(root / "src")
    return result


def _generated_files(root: Path) -> dict[str, str]:
    """The files an earlier run wrote under src/, by relative path: the ones that start with
    the header (anything else in the folder is the user's, left alone)."""
    found: dict[str, str] = {}
    for folder, names, filenames in os.walk(root / "src"):
        names[:] = [name for name in names if not name.startswith(".")]
        for name in filenames:
            if not name.endswith(GENERATED_SUFFIXES):
                continue
            path = Path(folder, name)
            with open(path, encoding="utf-8", errors="replace", newline="") as handle:
                text = handle.read()
            if text.startswith(HEADER):
                found[path.relative_to(root).as_posix()] = text
    return found


def _remove_empty_folders(source: Path) -> None:
    """Folders of src/ left with nothing (a source whose events all went) are removed."""
    for folder, _, _ in sorted(os.walk(source), key=lambda entry: -len(entry[0])):
        path = Path(folder)
        if path != source and not any(path.iterdir()):
            path.rmdir()
