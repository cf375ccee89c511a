"""Shared fixtures: a copy of the example project on disk, and two ways to run the real CLI.

``run_cli`` starts ``python -m eventcontracts`` in a subprocess (true exit codes, true stderr,
nothing of pytest in between); ``cli`` calls ``eventcontracts.cli.main`` in-process, which is
what most tests use to stay fast.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from eventcontracts.cli import main

REPO_ROOT = Path(__file__).parents[1]
EXAMPLE_REGISTRY = REPO_ROOT / "registry"
EXAMPLE_CONFIG = REPO_ROOT / "eventcontracts.toml"
EXAMPLE_BUS_RULES = ("rules", "infra")  # the folders [rules] paths of the example config names

# `file:line: RULEID message [rule-name]`, the line part left out when it is not known.
FINDING_LINE = re.compile(
    r"^(?P<file>\S.*?)(?::(?P<line>[0-9]+))?: (?P<rule>L[0-9]{3}) (?P<message>.+) "
    r"\[(?P<name>[a-z0-9-]+)\]$"
)


class CliResult(NamedTuple):
    code: int
    out: str
    err: str

    @property
    def both(self) -> str:
        return self.out + self.err


@dataclass(frozen=True)
class ReportedFinding:
    """One finding as the text report prints it."""

    file: str
    line: int | None
    rule: str
    message: str
    name: str


def run_cli(args: list[str], cwd: Path, *, timeout: float = 60) -> CliResult:
    """Run ``python -m eventcontracts ARGS`` in ``cwd`` as a separate process."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("EVENTCONTRACTS_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "eventcontracts", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


CliRunner = Callable[..., CliResult]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """Call ``eventcontracts.cli.main(args)`` in ``cwd``; return exit code, stdout and stderr."""
    monkeypatch.delenv("EVENTCONTRACTS_DEBUG", raising=False)

    def run(args: list[str], cwd: Path) -> CliResult:
        capsys.readouterr()  # drop whatever an earlier call left
        with monkeypatch.context() as m:
            m.chdir(cwd)
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code
            else:  # pragma: no cover - main always exits
                code = 0
        captured = capsys.readouterr()
        if code is None:
            code = 0
        elif not isinstance(code, int):
            code = 1  # sys.exit("message") semantics
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A fresh copy of the repository's example catalog and its eventcontracts.toml."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(EXAMPLE_REGISTRY, project / "registry")
    shutil.copy2(EXAMPLE_CONFIG, project / "eventcontracts.toml")
    return project


@pytest.fixture(scope="session")
def service_work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One work folder a session for tests/service_env.py's service environment (and
    bench/runtime_bench.py's --work): its wheels and virtualenv are built once, by whichever test
    comes first, and reused by the others."""
    return tmp_path_factory.mktemp("service-work")


def delivered_event(
    source: str, detail_type: str, detail: Any, event_id: str = "e-1", /, **envelope: Any
) -> dict[str, Any]:
    """An event as EventBridge delivers it to a target; ``envelope`` overrides or adds fields
    (``source`` too: the leading parameters are positional only)."""
    return {
        "version": "0",
        "id": event_id,
        "detail-type": detail_type,
        "source": source,
        "account": "123456789012",
        "time": "2026-02-01T12:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": detail,
        **envelope,
    }


def write_schema(path: Path, content: Any) -> Path:
    """Write ``content`` to ``path``: JSON (indent 2) for a JSON value, as is for str/bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def line_of(path: Path, needle: str, *, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line of ``path`` that contains ``needle``."""
    seen = 0
    text = path.read_bytes().decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found {occurrence} time(s) in {path}")


def parse_findings(out: str) -> list[ReportedFinding]:
    """The findings of a text report; fails on any line that is neither a finding nor the summary.

    The last line is the summary (``Found N problems ...`` or ``...: no problems.``).
    """
    lines = out.rstrip("\n").splitlines()
    assert lines, "lint printed nothing"
    findings = []
    for text in lines[:-1]:
        match = FINDING_LINE.match(text)
        assert match, f"not a `file:line: RULEID message [rule-name]` line: {text!r}"
        findings.append(
            ReportedFinding(
                file=match["file"],
                line=int(match["line"]) if match["line"] else None,
                rule=match["rule"],
                message=match["message"],
                name=match["name"],
            )
        )
    return findings


def example_counts(registry: Path) -> tuple[int, int, int]:
    """(schemas, versions, sample events) of a well-formed registry, counted from the disk."""
    schemas = versions = examples = 0
    for source in sorted(p for p in registry.iterdir() if p.is_dir()):
        if source.name.startswith("_"):
            continue
        for schema in sorted(p for p in source.iterdir() if p.is_dir()):
            schemas += 1
            versions += len(
                [p for p in schema.iterdir() if re.fullmatch(r"v[1-9][0-9]*\.(json|ya?ml)", p.name)]
            )
            if (schema / "examples").is_dir():
                examples += len([p for p in (schema / "examples").glob("v*/*") if p.is_file()])
    return schemas, versions, examples


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Make every attempt to open a network connection fail loudly, and record it."""
    import socket
    import urllib.request

    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> Any:
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    yield attempts


# A remote schema the served $refs point at: the currency, narrowed to one value.
CURRENCY = {"type": "string", "enum": ["EUR"]}


class Recorder:
    """An HTTP server answering every GET with the CURRENCY schema, keeping each path asked."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.paths.append(self.path)
                body = json.dumps(CURRENCY).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/currency.json"


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """A Recorder serving on 127.0.0.1 for the test."""
    found = Recorder()
    thread = threading.Thread(target=found.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        found.server.shutdown()
        found.server.server_close()


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a committer identity (CI machines may have none)."""
    return subprocess.run(
        ["git", "-c", "user.email=dev@example.com", "-c", "user.name=Dev", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def make_repo(root: Path) -> Path:
    """The example project (catalog, config, bus rules) committed on main, with a branch 'pr'
    checked out."""
    root.mkdir(parents=True)
    shutil.copytree(EXAMPLE_REGISTRY, root / "registry")
    shutil.copy(EXAMPLE_CONFIG, root / "eventcontracts.toml")
    for folder in EXAMPLE_BUS_RULES:
        shutil.copytree(REPO_ROOT / folder, root / folder)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "catalog")
    git(root, "checkout", "-qb", "pr")
    return root


@pytest.fixture
def orders() -> Iterator[Any]:
    """The committed generated package's ``mycompany_events.orders``, as a service imports it."""
    sys.path.insert(0, str(REPO_ROOT / "generated"))
    try:
        yield importlib.import_module("mycompany_events.orders")
    finally:
        sys.path.remove(str(REPO_ROOT / "generated"))


def pytest_configure(config: pytest.Config) -> None:
    """The checkout's own TypeScript validator cache (inside its git-ignored .venv): tests never
    read or fill the user's, which another checkout's tool may have written."""
    os.environ.setdefault("EVENTCONTRACTS_CACHE_DIR", str(REPO_ROOT / ".venv" / "test-cache"))
