"""Naming files as a code host does: from the top of the git repository.

GitHub's annotations, SARIF and JUnit reports are matched to the files of the pull request by
their path in the repository; a project in a monorepo's ``events/`` folder names its files
from there (``registry/...``), so the formats a code host reads add ``events/``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def host_prefix(folder: Path) -> str:
    """``folder`` relative to the top of the git repository holding it ("" at the top, or
    outside any repository): where a code host finds the files named from ``folder``."""
    top = _git_top(folder)
    if top is None:
        return ""
    try:
        relative = folder.resolve().relative_to(top).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else relative


def host_path(path: Path) -> str:
    """``path`` named from the top of the git repository holding it; as given when it is in
    no repository."""
    top = _git_top(path.resolve().parent)
    if top is None:
        return str(path)
    try:
        return path.resolve().relative_to(top).as_posix()
    except ValueError:
        return str(path)


def _git_top(folder: Path) -> Path | None:
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return None
    return Path(top).resolve() if top else None
