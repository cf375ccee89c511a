"""`make demo` is one of the two commands the README promises a newcomer: it must keep working.

It ran only by hand, and a gate change (check reads the bus rules) broke it unnoticed; now the
suite runs the same script with this environment's tools.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT


def test_the_demo_runs_to_the_end(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    site = tmp_path / "site"  # not the checkout's site/: the suite leaves the checkout as it was
    proc = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "demo.sh"), str(bin_dir)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "DEMO_SITE": str(site)},
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "The CI gate on a pull request" in proc.stdout
    # It ends with the catalog site built and the page to open.
    assert proc.stdout.rstrip().endswith(f"Open the catalog: file://{site.resolve()}/index.html")
    assert (site / "index.html").is_file()
