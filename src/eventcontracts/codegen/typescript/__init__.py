"""``eventcontracts generate`` for TypeScript: the typed package Node.js services import.

Made from the same registry model and resolver as the Python package (see ``package`` for its
layout, ``types`` for what each schema becomes), when ``[codegen.typescript]`` asks for it.
The output is the same byte for byte on every run; ``--check`` compares it with the folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from eventcontracts.codegen.package import check_relative
from eventcontracts.codegen.typescript.package import HEADER, TypeScriptSettings, package_files

__all__ = ["HEADER", "TypeScriptResult", "TypeScriptSettings", "generate_typescript"]

# Files at the package's root the generator owns (JSON holds no header to recognise them by).
ROOT_FILES = ("package.json", "tsconfig.json")
# What an earlier run may have written under src/.
GENERATED_SUFFIXES = (".ts", ".js", ".mjs", ".cjs")


class TypeScriptResult:
    def __init__(self, written: list[Path], removed: list[Path], stale: list[str]) -> None:
        self.written = written
        self.removed = removed
        self.stale = stale  # with check=True: what differs, one line each

    @property
    def up_to_date(self) -> bool:
        return not self.stale


def generate_typescript(
    registry_root: Path,
    out: Path,
    settings: TypeScriptSettings,
    *,
    check: bool,
    display_base: Path | None = None,
    allow_remote_refs: bool = False,
) -> TypeScriptResult:
    """Write the TypeScript package under ``out``, or with ``check`` only say what differs."""
    root = out.resolve()
    files = package_files(
        registry_root, settings, display_base=display_base, allow_remote_refs=allow_remote_refs
    )
    for relative in files:
        check_relative(root, relative)
    previous = _generated_files(root)
    on_disk = dict(previous)
    for relative in files:
        if relative not in on_disk and (root / relative).is_file():
            on_disk[relative] = (root / relative).read_text(encoding="utf-8", errors="replace")
    changed = sorted(relative for relative, text in files.items() if on_disk.get(relative) != text)
    removed = sorted(relative for relative in previous if relative not in files)
    if check:
        stale = [
            f"{'changed' if relative in on_disk else 'missing'}: {relative}" for relative in changed
        ]
        stale += [f"not generated any more: {relative}" for relative in removed]
        return TypeScriptResult([], [], stale)
    written = []
    for relative in changed:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[relative].encode("utf-8"))  # "\n" endings on every platform
        written.append(path)
    for relative in removed:
        (root / relative).unlink()
    _remove_empty_folders(root / "src")
    return TypeScriptResult(written, [root / relative for relative in removed], [])


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
