"""Benchmark: `eventcontracts generate` on the 1,000-schema x 5-version synthetic registry.

Prints the wall time of (1) generating the whole package from scratch, one process per core,
and (2) generating again after one schema changed (a v6 added), when only its module and its
source's __init__ are written. Whole `python -m eventcontracts generate` processes, start-up
included. Then (3) the TypeScript package ([codegen.typescript]) of the same registry from
scratch, its validators' cache empty, and (4) its `--check` with nothing changed, the cache as
(3) left it, each a whole process that generates only the TypeScript package (the goal for
1,000 x 5: under 30 s on 2 cores). Run it with
`.venv/bin/python bench/codegen_bench.py` (`--schemas 100` to try).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import generate, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--schemas", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=5)
    args = parser.parse_args()

    out = Path(tempfile.mkdtemp(prefix="evc-codegen-bench-"))
    generate(out, args.schemas, args.versions, 7)
    config = out / "eventcontracts.toml"
    config.write_text(config.read_text() + '\n[codegen]\npackage = "bench_events"\n')
    scratch = _time(out)
    folder = sorted(path.parent for path in (out / "registry").glob("*/*/v5.json"))[17]
    document = json.loads((folder / "v5.json").read_text())
    schemas = document.get("components", {}).get("schemas") or document["definitions"]
    schemas[folder.name]["properties"]["benchNote"] = {"type": "string"}
    (folder / "v6.json").write_text(json.dumps(document, indent=2) + "\n")
    again = _time(out)
    modules = len(list((out / "generated").rglob("*_v*.py")))
    typescript = _time_typescript(out, check=False)
    typescript_check = _time_typescript(out, check=True)
    ts_modules = sum(
        not path.name.endswith(".d.ts")
        for path in (out / "generated-ts" / "src").glob("*/*_v[0-9]*.ts")
    )
    print(f"registry: {args.schemas} schemas x {args.versions} versions at {out}")
    table(
        [
            ("version modules", str(modules)),
            ("from scratch, s", f"{scratch:.2f}"),
            (f"after one change ({folder.name} v6), s", f"{again:.2f}"),
            ("TypeScript version modules", str(ts_modules)),
            ("TypeScript from scratch (no compiled validators cached), s", f"{typescript:.2f}"),
            (
                "TypeScript --check, nothing changed (validators cached), s",
                f"{typescript_check:.2f}",
            ),
        ]
    )


# The TypeScript package alone, as `generate` makes it with [codegen.typescript] on: a process
# of its own that reads the settings and writes (or checks) generated-ts/.
TYPESCRIPT = """
import sys
from pathlib import Path
from eventcontracts.codegen.typescript import TypeScriptSettings, generate_typescript
from eventcontracts.config import load_config

config = load_config(Path("eventcontracts.toml"))
result = generate_typescript(
    config.registry_path, config.root / "generated-ts", TypeScriptSettings(package="bench-events"),
    check=sys.argv[1] == "check", display_base=config.root,
)
sys.exit(0 if result.up_to_date else 1)
"""


def _time_typescript(cwd: Path, *, check: bool) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", TYPESCRIPT, "check" if check else "write"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        # A cache of compiled validators of this run's own: cold for the first generation, as
        # on a fresh machine, and what that generation left for --check.
        env={**os.environ, "EVENTCONTRACTS_CACHE_DIR": str(cwd / "validator-cache")},
    )
    if result.returncode != 0:
        sys.exit(f"TypeScript generation exited {result.returncode}: {result.stderr}")
    return time.perf_counter() - started


def _time(cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "eventcontracts", "generate"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"generate exited {result.returncode}: {result.stdout}{result.stderr}")
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
