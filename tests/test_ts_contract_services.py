"""The TypeScript example services (contract_tests/ts/), built and deployed against moto.

They import the committed TypeScript package by its npm name, as a service does: the package is
built (``npm run build``) and installed in the services' node_modules beside the repository's
Node tooling; the services are compiled with ``tsc --strict`` and run as Node.js would run them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from moto_server import REGION, Aws
from typescript import NODE, NODE_MODULES, REPO_ROOT, TSC, build, needs_node

pytest_plugins = ["moto_server"]
pytestmark = needs_node

SERVICES = REPO_ROOT / "contract_tests" / "ts"


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The services compiled into ``dist/``, ``@mycompany/events`` installed for them."""
    root = tmp_path_factory.mktemp("services")
    package = root / "events"
    shutil.copytree(REPO_ROOT / "generated-ts", package)
    built = build(package)
    assert built.returncode == 0, built.stdout + built.stderr
    modules = root / "node_modules"
    modules.mkdir()
    for entry in NODE_MODULES.iterdir():
        (modules / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    name = json.loads((package / "package.json").read_text())["name"]
    (modules / name).parent.mkdir(parents=True, exist_ok=True)
    (modules / name).symlink_to(package, target_is_directory=True)
    app = root / "app"
    app.mkdir()
    for source in SERVICES.glob("*.ts"):
        shutil.copy(source, app / source.name)
    shutil.copy(SERVICES / "package.json", app / "package.json")
    config = json.loads((SERVICES / "tsconfig.json").read_text())
    options = config["compilerOptions"]
    del options["paths"], options["noEmit"]  # the package comes from node_modules here
    options["outDir"] = "dist"
    (app / "tsconfig.json").write_text(json.dumps(config))
    compiled = subprocess.run(
        [str(TSC), "--strict", "-p", str(app)], capture_output=True, text=True, timeout=300
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    return app


def test_the_typescript_services_publish_and_consume_through_eventbridge(
    services: Path, aws: Aws
) -> None:
    assert NODE is not None
    done = subprocess.run(
        [NODE, "dist/publish_and_consume.js"],
        cwd=services,
        capture_output=True,
        text=True,
        timeout=120,
        # What Lambda's environment gives a function: its region (the AWS SDK v3 reads AWS_REGION).
        env={
            **os.environ,
            "AWS_ENDPOINT_URL": aws.endpoint,
            "AWS_REGION": REGION,
            "NODE_NO_WARNINGS": "1",
        },
    )
    assert done.returncode == 0, done.stderr

    report = json.loads(done.stdout)

    assert report == {
        "published": [True, True, True],
        "failed": [],
        "deadLettered": [],
        # ORD-2002 was cancelled after it was booked.
        "parcels": {"ORD-2001": "Berlin, DE (2 items)"},
    }


def test_without_a_local_endpoint_the_services_refuse_to_run(services: Path) -> None:
    assert NODE is not None
    environment = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
    done = subprocess.run(
        [NODE, "dist/publish_and_consume.js"],
        cwd=services,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert done.returncode != 0
    assert "set AWS_ENDPOINT_URL to a local endpoint" in done.stderr
