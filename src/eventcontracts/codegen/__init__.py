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
from dataclasses import dataclass
from pathlib import Path

from eventcontracts.codegen.models import CodegenError
from eventcontracts.codegen.package import (
    DIGEST_LINE,
    HEADER,
    PackageSettings,
    package_files,
    paths_under,
    seal,
)
from eventcontracts.registry.model import Registry
from eventcontracts.registry.resolver import Resolver

__all__ = ["CodegenError", "GenerateResult", "PackageSettings", "generate"]


@dataclass(frozen=True)
class GenerateResult:
    written: list[Path]
    removed: list[Path]
    stale: list[str]  # with check=True: what differs, one line each

    @property
    def up_to_date(self) -> bool:
        return not self.stale


def generate(
    registry: Registry,
    resolver: Resolver,
    out: Path,
    settings: PackageSettings,
    *,
    check: bool,
    jobs: int | None = None,
) -> GenerateResult:
    """Write the package under ``out``, or with ``check`` only say what differs.

    Version modules whose inputs have not changed since the last run are kept as they are;
    the rest are generated on ``jobs`` processes (default: one per core).
    """
    existing = _generated_files(out / settings.package)
    previous = {
        path.relative_to(out.resolve()).as_posix(): path.read_text(encoding="utf-8")
        for path in existing
    }
    files, fresh = package_files(
        registry, resolver, settings, previous, jobs=jobs or os.cpu_count() or 1
    )
    formatted = _formatted({relative: files[relative] for relative in fresh})
    files.update(
        {
            relative: seal(text) if DIGEST_LINE.match(text, len(HEADER)) else text
            for relative, text in formatted.items()
        }
    )
    placed = paths_under(out, files)
    removed = sorted(path for path in existing if path not in placed)
    if check:
        stale = [
            f"{'missing' if not path.exists() else 'changed'}: {path.relative_to(out.resolve())}"
            for path, text in sorted(placed.items())
            if not path.exists() or path.read_text(encoding="utf-8") != text
        ]
        stale += [f"not generated any more: {path.relative_to(out.resolve())}" for path in removed]
        return GenerateResult([], [], stale)
    written = []
    for path, text in sorted(placed.items()):
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for path in removed:
        path.unlink()
    return GenerateResult(written, removed, [])


def _generated_files(package: Path) -> list[Path]:
    """Files of an earlier run: ours carry the header (anything else is left alone)."""
    if not package.is_dir():
        return []
    return [
        path.resolve()
        for path in package.rglob("*.py")
        if path.read_text(encoding="utf-8", errors="replace").startswith(HEADER)
    ]


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
