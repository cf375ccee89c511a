"""Node.js and tsc as tests use them on a generated TypeScript package.

The repository's own node_modules (``make`` installs it with ``npm ci`` from package-lock.json)
holds tsc and the packages the generated code imports; a package generated in a temporary folder
is given a link to it, as a service's checkout has its own.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO_ROOT / "node_modules"
TSC = NODE_MODULES / ".bin" / "tsc"
NODE = shutil.which("node")

needs_node = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def _link_node_modules(package: Path) -> None:
    """Let a package outside the repository resolve its imports (and @types) from the repo's."""
    assert TSC.is_file(), "the Node.js tooling is missing: run 'make node_modules/.installed'"
    if REPO_ROOT in package.resolve().parents:
        return
    link = package / "node_modules"
    if not link.exists():
        link.symlink_to(NODE_MODULES, target_is_directory=True)


def tsc(package: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``tsc --strict -p package`` (with ``args``, e.g. ``--noEmit``)."""
    _link_node_modules(package)
    return subprocess.run(
        [str(TSC), "--strict", "-p", str(package), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def build(package: Path) -> subprocess.CompletedProcess[str]:
    """``npm run build`` in the package: tsc's output and the validators in dist/."""
    _link_node_modules(package)
    return subprocess.run(
        ["npm", "run", "--silent", "build"],
        cwd=package,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def type_check(package: Path) -> None:
    """Fail with tsc's own words unless the package type-checks under --strict."""
    result = tsc(package, "--noEmit")
    assert result.returncode == 0, result.stdout + result.stderr


def node(script: str, cwd: Path) -> str:
    """What ``node --input-type=module`` prints for ``script`` run in ``cwd``."""
    assert NODE is not None
    result = subprocess.run(
        [NODE, "--input-type=module", "-e", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout
