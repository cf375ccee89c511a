"""A service's environment: what a Lambda function ships, for tests/test_runtime_distribution.py
(nothing of the tool is in it) and bench/runtime_bench.py (what it costs).

The runtime's wheel (runtime/pyproject.toml) and the committed generated package's wheel are
built from this tree offline and installed into a fresh virtualenv, without their dependencies;
the dependencies' closure, read from this environment's installed metadata, is linked into a
folder that a ``.pth`` file puts on that virtualenv's path (no index is needed, and a
``--system-site-packages`` virtualenv would see the tool). Nothing of the tool is importable
there.

Sizes are what ``pip install --target`` puts on disk: for each distribution, the bytes of the
files its RECORD lists (sources, data, its ``.dist-info``, and the bytecode pip compiled at
install time). The runtime and the generated package are really installed with
``pip install --target``; their dependencies cannot be downloaded offline, so theirs are read
from the RECORDs of this environment's installation, which pip wrote the same way.

Everything is made once per content of the runtime's sources and the generated package, and
kept in the work folder given (a digest file says what it was made from).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO_ROOT = Path(__file__).resolve().parents[1]
RUNTIME = "eventcontracts-runtime"
RUNTIME_SOURCES = REPO_ROOT / "src" / "eventcontracts" / "runtime"
GENERATED = REPO_ROOT / "generated"
SKIPPED_PARTS = frozenset({"__pycache__", "build"})
IGNORED = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")


def tree_digest(roots: Iterable[Path]) -> str:
    """A digest of the files under ``roots`` (names and contents), bytecode and builds left out."""
    digest = hashlib.sha256()
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if SKIPPED_PARTS & set(path.parts) or any(p.endswith(".egg-info") for p in path.parts):
                continue
            digest.update(path.relative_to(REPO_ROOT).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def cached(folder: Path, digest: str, make: Callable[[Path], None]) -> Path:
    """``folder``, made by ``make`` unless it was already made from inputs of ``digest``."""
    stamp = folder / ".digest"
    if stamp.is_file() and stamp.read_text() == digest:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    make(folder)
    stamp.write_text(digest)
    return folder


def _pip(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", *args],
        check=True,
        capture_output=True,
        timeout=300,
    )


def build_wheel(project: Path, wheel_dir: Path) -> Path:
    """Build ``project``'s wheel with this environment's setuptools, offline."""
    before = set(wheel_dir.glob("*.whl"))
    _pip(
        *("wheel", "--quiet", "--no-deps", "--no-index", "--no-build-isolation"),
        *("--wheel-dir", str(wheel_dir), str(project)),
    )
    (wheel,) = set(wheel_dir.glob("*.whl")) - before
    return wheel


def _build_wheels(folder: Path) -> list[Path]:
    """The runtime's and the generated package's wheels, built from copies of their trees (no
    build/ or egg-info lands in the repo; the runtime's copy holds its own sources alone)."""
    trees, wheels = folder / "trees", folder / "wheels"
    wheels.mkdir()
    shutil.copytree(REPO_ROOT / "runtime", trees / "runtime", ignore=IGNORED)
    shutil.copytree(RUNTIME_SOURCES, trees / "src" / "eventcontracts" / "runtime", ignore=IGNORED)
    shutil.copytree(GENERATED, trees / "generated", ignore=IGNORED)
    return [build_wheel(trees / "runtime", wheels), build_wheel(trees / "generated", wheels)]


def dependency_closure(
    requirements: Iterable[str], find: Callable[[str], metadata.Distribution]
) -> dict[str, metadata.Distribution]:
    """The distributions ``requirements`` name and everything they need, by canonical name
    (extras left out, markers evaluated here); ``find`` looks a distribution up by name."""
    seen: dict[str, metadata.Distribution] = {}
    pending = [Requirement(line) for line in requirements]
    while pending:
        requirement = pending.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen[name] = dist = find(name)
        pending.extend(Requirement(line) for line in dist.requires or [])
    return seen


def installed_bytes(dist: metadata.Distribution) -> int:
    """The bytes of the files ``dist``'s RECORD lists: what pip put on disk installing it."""
    if dist.files is None:
        raise ValueError(f"{dist.metadata['Name']} has no RECORD")
    total = 0
    for file in dist.files:
        path = Path(str(dist.locate_file(file)))
        if path.is_file():
            total += path.stat().st_size
    return total


def _link_closure(distributions: Iterable[metadata.Distribution], folder: Path) -> None:
    """Link each distribution's top-level modules, packages and metadata into ``folder``."""
    folder.mkdir()
    for dist in distributions:
        assert dist.files is not None, f"{dist.metadata['Name']} has no RECORD"
        site = Path(str(dist.locate_file("")))
        tops = {file.parts[0] for file in dist.files if file.parts[0] not in ("..", "__pycache__")}
        for top in tops:
            if not (folder / top).exists():
                (folder / top).symlink_to(site / top)


@dataclass(frozen=True)
class ServiceEnv:
    """A virtualenv holding the runtime, the generated package and their dependencies only, and
    a ``pip install --target`` folder of the runtime and the generated package."""

    folder: Path

    @property
    def python(self) -> Path:
        return self.folder / "venv" / "bin" / "python"

    @property
    def target(self) -> Path:
        return self.folder / "target"

    def wheel(self, distribution: str) -> Path:
        """The wheel of ``distribution`` (the runtime or the generated package) it was made from."""
        name = canonicalize_name(distribution).replace("-", "_")
        (wheel,) = (self.folder / "wheels").glob(f"{name}-*.whl")
        return wheel

    def dependencies(self) -> list[str]:
        """The canonical names of the distributions linked in beside the two wheels."""
        linked = metadata.distributions(path=[str(self.folder / "runtime-dependencies")])
        return sorted(canonicalize_name(dist.metadata["Name"]) for dist in linked)

    def run(
        self, args: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """``python args`` in a fresh interpreter of the virtualenv: -E, no PYTHONPATH of the
        caller; -s, no user site; no environment but PATH and ``env``."""
        return subprocess.run(
            [str(self.python), "-E", "-s", *args],
            cwd=cwd,
            env={"PATH": os.environ.get("PATH", ""), **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def run_json(self, program: str, env: dict[str, str] | None = None) -> Any:
        """What ``program`` prints last, as JSON, run in a fresh interpreter of the virtualenv.

        PYTHONDONTWRITEBYTECODE is not passed on: bytecode is written on first import and used
        after, as a deployment that ships it (or compiles it once) does.
        """
        done = self.run(["-c", program], cwd=self.folder, env=env, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"the benchmark process failed:\n{done.stderr}")
        return json.loads(done.stdout.splitlines()[-1])

    def distributions(self) -> dict[str, metadata.Distribution]:
        """The runtime's and the generated package's distributions in the target folder."""
        return {
            canonicalize_name(dist.metadata["Name"]): dist
            for dist in metadata.distributions(path=[str(self.target)])
        }


def generated_distribution_name() -> str:
    text = (GENERATED / "pyproject.toml").read_text(encoding="utf-8")
    (line,) = [line for line in text.splitlines() if line.startswith("name = ")]
    return canonicalize_name(line.partition("=")[2].strip().strip('"'))


def _make_service_env(folder: Path) -> None:
    wheels = _build_wheels(folder)
    wheel_args = ("--quiet", "--no-deps", "--no-index", *map(str, wheels))
    _pip("install", "--target", str(folder / "target"), *wheel_args)

    venv = folder / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    python = venv / "bin" / "python"
    _pip("--python", str(python), "install", *wheel_args)
    closure = dependency_closure([RUNTIME], lambda name: metadata.distribution(name))
    del closure[RUNTIME]  # the installed wheel's, not this environment's editable one
    _link_closure(closure.values(), folder / "runtime-dependencies")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "runtime_dependencies.pth").write_text(f"{folder / 'runtime-dependencies'}\n")


def service_env(work: Path) -> ServiceEnv:
    """The service's environment in ``work/service-env``, made again when its inputs changed."""
    digest = tree_digest([REPO_ROOT / "runtime" / "pyproject.toml", RUNTIME_SOURCES, GENERATED])
    return ServiceEnv(cached(work / "service-env", digest, _make_service_env))
