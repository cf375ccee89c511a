"""A command imports what its run uses, not what some run might: every process pays for each
module it imports, and ``check`` runs on every pull request.

A small pull request (a JSON schema's next version, with a new optional property) is checked in
a child process, which then lists the modules it imported. The libraries only other runs use
stay out:
jsonschema and its format checkers (validating samples), urllib.request (remote refs),
multiprocessing (large registries), the counterexample search (a break), lint's checks.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import git, make_repo

ORDER_CREATED = Path("registry/com.mycompany.orders/OrderCreated")

# Run the CLI as `eventcontracts check --against main` does, then print what was imported.
CHILD = """
import json, sys
from eventcontracts.cli import main
sys.argv = ["eventcontracts", "check", "--against", "main"]
try:
    main()
except SystemExit as stop:
    code = stop.code
print(json.dumps({"exit": code, "modules": sorted(sys.modules)}))
"""

NOT_FOR_A_SMALL_CHANGE = (
    "jsonschema",
    "urllib.request",
    "multiprocessing",
    "eventcontracts.compat.witness",
    "eventcontracts.lint.checks",
)


def test_check_of_a_compatible_change_imports_only_what_it_uses(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    document = json.loads((repo / ORDER_CREATED / "v2.json").read_text(encoding="utf-8"))
    detail = document["components"]["schemas"]["OrderCreated"]
    detail["properties"]["giftNote"] = {"type": "string"}
    (repo / ORDER_CREATED / "v3.json").write_text(json.dumps(document, indent=2) + "\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v3: an optional property")

    child = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=repo, capture_output=True, text=True, check=True
    )
    ran = json.loads(child.stdout.splitlines()[-1])

    assert ran["exit"] in (0, None), child.stdout
    imported = set(ran["modules"])
    assert "eventcontracts.check.runner" in imported  # the check did run
    assert [name for name in NOT_FOR_A_SMALL_CHANGE if name in imported] == []
