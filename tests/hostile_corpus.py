"""Every command on every hostile input, each in its own process, timed and weighed.

Used by tests/test_hostile.py (asserts the bounds) and bench/hostile_table.py (prints the
table for a closing note). An item of tests/hostile/items/ is laid over tests/hostile/base/
in a fresh folder, and each command runs there as ``python -m eventcontracts`` would, with an
address-space cap (so a runaway cannot take the machine down) and a kill after ``KILL_AFTER_S``
seconds; its wall and CPU time, exit code, output and peak memory come back as a :class:`Run`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HOSTILE = Path(__file__).parent / "hostile"
BASE = HOSTILE / "base"
ITEMS = HOSTILE / "items"
SCHEMA = "registry/com.example.orders/OrderCreated"
V1 = f"{SCHEMA}/v1.json"

# The time limit is CPU time (user + system, the child's own from wait4): a command that spins
# on an input uses it up whatever else the machine runs, where wall time on a loaded CI machine
# (two cores shared with other jobs) also counts the neighbours' work and went past 5 s for
# commands that used 2 s. Wall time has its own, looser bound, for a command that blocks.
TIME_LIMIT_S = 5.0
WALL_LIMIT_S = 15.0
MEMORY_LIMIT_MB = 200.0
KILL_AFTER_S = 20.0
ADDRESS_SPACE_CAP = 2 * 1024**3  # far above the limit asserted: only a guard for the machine

# The command line of each command; {target} is the item's hostile file (v1.json when the
# item has none of its own, as with --config /dev/zero).
COMMANDS: dict[str, list[str]] = {
    "lint": ["lint", "--jobs", "1"],
    "check": ["check"],
    "compat": ["compat", V1, "{target}"],
    "generate": ["generate", "--out", "out-generated"],
    "sample": ["sample", "OrderCreated"],
    "rules check": ["rules", "check"],
    "rules test": ["rules", "test", "--count", "5"],
    "import": ["import", "{target}", "--registry", "out-imported"],
}

# Sets the cap, then runs the command line as the console script does.
# The child reports its own peak: VmHWM of /proc/self/status, the high-water mark of the
# memory it mapped after exec. ru_maxrss from wait4 is no measure here: Linux folds the
# pre-exec memory into it, and a child spawned from a large pytest process (vfork shares its
# memory until exec) reports the parent's size, whatever the command used.
_LAUNCH = (
    "import atexit, os, resource, sys; "
    f"resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE_CAP}, {ADDRESS_SPACE_CAP})); "
    "atexit.register(lambda: open(os.environ['EVC_PEAK_FILE'], 'w').write(next("
    "(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')),"
    " ''))); "
    "from eventcontracts.cli import main; main(sys.argv[1:])"
)


@dataclass(frozen=True)
class Run:
    item: str
    command: str
    seconds: float
    cpu_seconds: float
    exit_code: int
    peak_mb: float
    stdout: str
    stderr: str
    killed: bool


# Commands that never read what an item lays down are not run on it: bus-rule files are read
# by check and the rules commands only (compat and import are handed the file itself).
RULE_FILE_ITEMS = ("alias-bomb-rule", "yaml-integer-key-rule")
NOT_READING_RULES = ("lint", "generate", "sample")


def commands_for(item: str) -> list[str]:
    skipped = NOT_READING_RULES if item in RULE_FILE_ITEMS else ()
    return [command for command in COMMANDS if command not in skipped]


def item_names() -> list[str]:
    return sorted(path.name for path in ITEMS.iterdir() if path.is_dir())


def target_of(item: str) -> str:
    """The item's hostile file, relative to the project (the first one it lays down)."""
    files = sorted(
        path.relative_to(ITEMS / item).as_posix()
        for path in (ITEMS / item).rglob("*")
        if path.is_file() and path.name != ".keep"
    )
    versions = [name for name in files if "/v2." in name]
    return (versions or files or [V1])[0]


def lay_out(item: str, folder: Path) -> Path:
    """The base project with the item's files on top, in ``folder``."""
    project = folder / item
    shutil.copytree(BASE, project)
    shutil.copytree(ITEMS / item, project, dirs_exist_ok=True)
    (project / ".keep").unlink(missing_ok=True)
    return project


def arguments(item: str, command: str) -> list[str]:
    args = [part.replace("{target}", target_of(item)) for part in COMMANDS[command]]
    if item == "config-dev-zero":
        args = ["--config", "/dev/zero", *args]
    return args


def run(item: str, command: str, project: Path) -> Run:
    env = {key: value for key, value in os.environ.items() if key != "EVENTCONTRACTS_DEBUG"}
    env["NO_COLOR"] = "1"
    with tempfile.NamedTemporaryFile(prefix="evc-peak-", delete=False) as peak_file:
        pass
    env["EVC_PEAK_FILE"] = peak_file.name
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCH, *arguments(item, command)],
            cwd=project,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            process.kill()

        timer = threading.Timer(KILL_AFTER_S, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        reported = Path(peak_file.name).read_text(encoding="ascii").strip()
        Path(peak_file.name).unlink(missing_ok=True)
        return Run(
            item=item,
            command=command,
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            exit_code=process.returncode,
            # KiB on Linux; a child killed before it could report keeps wait4's upper bound.
            peak_mb=int(reported) / 1024 if reported.isdigit() else usage.ru_maxrss / 1024,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            killed=killed.is_set(),
        )


def run_all(
    items: Iterable[str], commands: Iterable[str] | None = None, *, workers: int | None = None
) -> list[Run]:
    """The commands (default: every one that reads the item) on every item, ``workers``
    processes at a time (default: one per core)."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as scratch:
        projects = {item: lay_out(item, Path(scratch)) for item in items}
        jobs = [
            (item, command)
            for item in projects
            for command in (commands_for(item) if commands is None else commands)
        ]
        with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2) as pool:
            return list(pool.map(lambda job: run(job[0], job[1], projects[job[0]]), jobs))
