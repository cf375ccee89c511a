"""A generated package's folder brought to the files of a run, or (checking) what differs.

Shared by the Python and the TypeScript generators: each says which files an earlier run
wrote (its own header tells them apart from the user's files) and what this run makes; the
comparison, the writing and the ``--check`` lines are the same for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eventcontracts.codegen.errors import CodegenError
from eventcontracts.codegen.package import check_relative

__all__ = ["GenerateResult", "update_folder"]


@dataclass(frozen=True)
class GenerateResult:
    written: list[Path]
    removed: list[Path]
    stale: list[str]  # with check=True: what differs, one line each

    @property
    def up_to_date(self) -> bool:
        return not self.stale


def update_folder(
    root: Path, files: dict[str, str], previous: dict[str, str], *, check: bool
) -> GenerateResult:
    """Write under ``root`` the ``files`` (by relative path) whose text differs from the disk's
    and remove what ``previous`` (the files an earlier run wrote, read once) has and ``files``
    has not; with ``check`` only list what differs. Empty folders are the caller's to remove."""
    for relative in files:
        check_relative(root, relative)
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
        return GenerateResult([], [], stale)
    written = []
    for relative in changed:
        path = root / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[relative].encode("utf-8"))  # "\n" endings on every platform
        except OSError as exc:
            raise CodegenError(_cannot("write", path, exc)) from None
        written.append(path)
    for relative in removed:
        try:
            (root / relative).unlink()
        except OSError as exc:
            raise CodegenError(_cannot("remove", root / relative, exc)) from None
    return GenerateResult(written, [root / relative for relative in removed], [])


def _cannot(doing: str, path: Path, exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return f"cannot {doing} {path}: {reason}; the out folder must be a folder you can write to"
