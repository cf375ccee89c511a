"""Benchmark: `eventcontracts check` on the 1,000-schema x 5-version synthetic registry.

Two figures, each the wall time of whole `python -m eventcontracts check` processes (start-up
included), best and median of three runs. The project has a bus rule per schema (rules/, one
event pattern each, on a field of the schema's latest version) in `[rules] paths`:

1. a pull request that changes one schema (a v6 with an optional property added), checked
   with `--against main`: only that schema is read and compared (git tells which changed),
   and only the rules that target it are checked (every rule file is read);
2. `FULL_TRANSITIVE` over the whole registry from scratch (no `--against`): every version of
   every schema against every earlier one.

Run it with `.venv/bin/python bench/check_bench.py` (`--schemas 200` for a quicker run).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import generate, table

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--schemas", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=5)
    args = parser.parse_args()

    out = Path(tempfile.mkdtemp(prefix="evc-check-bench-"))
    stats = generate(out, args.schemas, args.versions, 7)
    rules = _write_bus_rules(out, [(p.source, p.detail_type, p.files[-1]) for p in stats.plans])
    _git(out, "init", "-q", "-b", "main")
    _git(out, "add", "-A")
    _git(out, "commit", "-qm", "registry")
    _git(out, "checkout", "-qb", "pr")
    changed = _add_version(out)

    pr = _time(out, ["check", "--against", "main"])
    config = out / "eventcontracts.toml"
    config.write_text(config.read_text().replace('mode = "FULL"', 'mode = "FULL_TRANSITIVE"'))
    transitive = _time(out, ["check", "--format", "json"])
    pairs = json.loads(transitive[1])["summary"]["compared_pairs"]

    print(
        f"registry: {args.schemas} schemas x {args.versions} versions, {rules} bus rules at {out}"
    )
    table(
        [
            (f"PR changing {changed}: check --against main", ""),
            ("  best s", f"{min(pr[0]):.3f}"),
            ("  median s", f"{statistics.median(pr[0]):.3f}"),
            ("FULL_TRANSITIVE, whole registry, no --against", ""),
            ("  version pairs compared", str(pairs)),
            ("  best s", f"{min(transitive[0]):.3f}"),
            ("  median s", f"{statistics.median(transitive[0]):.3f}"),
        ]
    )


def _detail_properties(document: dict[str, Any], name: str) -> dict[str, Any]:
    schemas = document.get("components", {}).get("schemas") or document["definitions"]
    properties: dict[str, Any] = schemas[name]["properties"]
    return properties


def _leaf(properties: dict[str, Any]) -> str:
    """A property that holds a string, number or boolean (exists: true never matches objects)."""
    return next(
        name
        for name, schema in properties.items()
        if schema.get("type") in ("string", "number", "integer", "boolean")
    )


def _write_bus_rules(root: Path, schemas: list[tuple[str, str, Path]]) -> int:
    """One rule file per schema: its source, detail-type and a field of its latest version."""
    for index, (source, detail_type, latest) in enumerate(schemas):
        properties = _detail_properties(json.loads(latest.read_text()), latest.parent.name)
        pattern = {
            "source": [source],
            "detail-type": [detail_type],
            "detail": {_leaf(properties): [{"exists": True}]},
        }
        path = root / "rules" / f"rule{index:04d}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(pattern, indent=2) + "\n")
    with (root / "eventcontracts.toml").open("a") as config:
        config.write('\n[rules]\npaths = ["rules/*.json"]\n')
    return len(schemas)


def _add_version(root: Path) -> str:
    """v6 of the 18th schema: v5 with one optional property more. Returns the schema folder."""
    folders = sorted(path.parent for path in (root / "registry").glob("*/*/v5.json"))
    folder = folders[17]
    document = json.loads((folder / "v5.json").read_text())
    _detail_properties(document, folder.name)["benchNote"] = {"type": "string"}
    (folder / "v6.json").write_text(json.dumps(document, indent=2) + "\n")
    return f"{folder.parent.name}/{folder.name}"


def _time(cwd: Path, args: list[str]) -> tuple[list[float], str]:
    times, output = [], ""
    for _ in range(RUNS):
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "eventcontracts", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - started)
        output = result.stdout
        if result.returncode != 0:
            sys.exit(f"check exited {result.returncode}: {result.stdout[-500:]}{result.stderr}")
    return times, output


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=bench@example.com", "-c", "user.name=bench", *args],
        cwd=cwd,
        check=True,
    )


if __name__ == "__main__":
    main()
