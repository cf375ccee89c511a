"""`make demo` is one of the two commands the README promises a newcomer: it must keep working.

It ran only by hand, and a gate change (check reads the bus rules) broke it unnoticed; now the
suite runs the same script with this environment's tools.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT


def test_the_demo_runs_to_the_end() -> None:
    bin_dir = Path(sys.executable).parent
    proc = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "demo.sh"), str(bin_dir)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "The CI gate on a pull request" in proc.stdout
