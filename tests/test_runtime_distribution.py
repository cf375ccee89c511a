"""The runtime as its own distribution: a service's environment needs nothing of the tool.

The runtime's wheel (runtime/pyproject.toml) and the committed generated package's wheel are
built from this tree and installed, without their dependencies, into a fresh virtualenv that
gets the runtime's dependencies and nothing else. In it:

- importing the generated package, every module of it, loads nothing of the tool;
- the tool is absent: ``import eventcontracts.cli`` fails;
- the example services publish and consume through a bus and queues on a moto server
  (``contract_tests/publish_and_consume.py``).

Wheels and virtualenv (tests/service_env.py, which bench/runtime_bench.py measures) are made
once per session, in the folder tests/test_runtime_bench.py hands the benchmark; it takes seconds.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import zipfile
from email.parser import Parser
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from conftest import REPO_ROOT
from service_env import IGNORED, RUNTIME, ServiceEnv, build_wheel
from service_env import service_env as make_service_env

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the tool runs on 3.10 too
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

pytest_plugins = ["moto_server"]

GENERATED_PACKAGE = "mycompany_events"
# The tool's own dependencies: a service's environment must never load them.
TOOL_ONLY_MODULES = ("click", "jinja2", "jsonschema", "referencing", "yaml", "hypothesis")
# `eventcontracts` (the namespace) and the runtime's modules: all a service may load of ours.
RUNTIME_MODULE = re.compile(r"eventcontracts(\.runtime(\..+)?)?$")


def _pyproject(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["project"]  # type: ignore[no-any-return]


def _wheel_files(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return sorted(archive.namelist())


def _wheel_metadata(wheel: Path, member: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        (info,) = [name for name in archive.namelist() if name.endswith(f".dist-info/{member}")]
        return archive.read(info).decode()


@pytest.fixture(scope="session")
def service_env(service_work: Path) -> ServiceEnv:
    return make_service_env(service_work)


def test_the_runtime_the_tool_and_its_pin_share_one_version() -> None:
    tool = _pyproject(REPO_ROOT / "pyproject.toml")
    runtime = _pyproject(REPO_ROOT / "runtime" / "pyproject.toml")
    version_module = (REPO_ROOT / "src" / "eventcontracts" / "version.py").read_text()
    pins = [Requirement(line) for line in tool["dependencies"]]
    (pin,) = [requirement for requirement in pins if requirement.name == RUNTIME]
    assert runtime["version"] == tool["version"]
    assert f'__version__ = "{tool["version"]}"' in version_module
    assert str(pin.specifier) == f"=={tool['version']}"


def test_the_runtime_wheel_holds_the_runtime_alone(service_env: ServiceEnv) -> None:
    runtime_wheel = service_env.wheel(RUNTIME)
    files = _wheel_files(runtime_wheel)
    package = [name for name in files if ".dist-info/" not in name]
    sources = sorted(
        path.relative_to(REPO_ROOT / "src").as_posix()
        for path in (REPO_ROOT / "src" / "eventcontracts" / "runtime").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    # Every file of the runtime, py.typed included, and no eventcontracts/__init__.py: in a
    # service's environment `eventcontracts` is a namespace holding the runtime only.
    assert package == sources
    assert "eventcontracts/runtime/py.typed" in package
    requires = Parser().parsestr(_wheel_metadata(runtime_wheel, "METADATA"))
    assert sorted(Requirement(line).name for line in requires.get_all("Requires-Dist")) == [
        "boto3",
        "botocore",
        "pydantic",
    ]
    assert not [name for name in files if name.endswith("entry_points.txt")]


def test_the_tool_wheel_leaves_the_runtime_out_and_registers_the_plugin(
    tmp_path: Path,
) -> None:
    tree = tmp_path / "tool"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, tree / name)
    shutil.copytree(REPO_ROOT / "src", tree / "src", ignore=IGNORED)
    wheel = build_wheel(tree, tmp_path / "wheels")
    files = _wheel_files(wheel)
    assert "eventcontracts/__init__.py" in files and "eventcontracts/cli.py" in files
    assert not [name for name in files if name.startswith("eventcontracts/runtime/")]
    assert "eventcontracts = eventcontracts.contract.plugin" in _wheel_metadata(
        wheel, "entry_points.txt"
    )
    requires = Parser().parsestr(_wheel_metadata(wheel, "METADATA")).get_all("Requires-Dist")
    assert f"{RUNTIME}==0.1.0" in [line.replace(" ", "") for line in requires]


def test_the_service_env_holds_the_runtime_dependencies_only(service_env: ServiceEnv) -> None:
    dependencies = set(service_env.dependencies())
    assert {"pydantic", "pydantic-core", "boto3", "botocore"} <= dependencies
    assert not dependencies & {
        "eventcontracts",
        "click",
        "jinja2",
        "jsonschema",
        "referencing",
        "pyyaml",
        "hypothesis",
        "email-validator",
    }


IMPORT_EVERY_MODULE = f"""
import importlib, json, pkgutil, sys
import {GENERATED_PACKAGE} as package
modules = [info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in modules:
    importlib.import_module(name)
print(json.dumps({{"modules": len(modules), "loaded": sorted(sys.modules)}}))
"""


def test_importing_the_generated_package_loads_nothing_of_the_tool(
    service_env: ServiceEnv, tmp_path: Path
) -> None:
    result = service_env.run(["-c", IMPORT_EVERY_MODULE], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    loaded: list[str] = report["loaded"]
    assert report["modules"] > 10  # every source and version module, not the package alone
    assert [name for name in loaded if name.partition(".")[0] in TOOL_ONLY_MODULES] == []
    ours = [name for name in loaded if name.partition(".")[0] == "eventcontracts"]
    assert "eventcontracts.runtime" in ours
    assert [name for name in ours if not RUNTIME_MODULE.match(name)] == []


PROBE_THE_TOOL = """
import importlib.metadata as metadata, json
import eventcontracts, eventcontracts.runtime
try:
    import eventcontracts.cli
except ModuleNotFoundError as error:
    cli = str(error)
else:
    cli = "imported"
try:
    tool = metadata.version("eventcontracts")
except metadata.PackageNotFoundError:
    tool = None
print(json.dumps({
    "namespace": getattr(eventcontracts, "__file__", None) is None,
    "cli": cli,
    "tool": tool,
    "runtime": metadata.version("eventcontracts-runtime"),
    "pytest11": [entry.value for entry in metadata.entry_points(group="pytest11")],
}))
"""


def test_the_tool_is_absent_from_the_service_env(service_env: ServiceEnv, tmp_path: Path) -> None:
    result = service_env.run(["-c", PROBE_THE_TOOL], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "namespace": True,
        "cli": "No module named 'eventcontracts.cli'",
        "tool": None,
        "runtime": _pyproject(REPO_ROOT / "runtime" / "pyproject.toml")["version"],
        "pytest11": [],
    }


def test_the_example_services_publish_and_consume_without_the_tool(
    service_env: ServiceEnv, aws: Any, tmp_path: Path
) -> None:
    env = {
        "AWS_ENDPOINT_URL": aws.endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
    }
    # From the repo root, for `contract_tests`; src/ and generated/ are not on the path; -B: no
    # bytecode in the repo.
    args = ["-B", "-m", "contract_tests.publish_and_consume"]
    result = service_env.run(args, cwd=REPO_ROOT, env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["published"] == [True, True, True] and report["put_failed"] == 0
    assert report["failed"] == []
    # Shipping booked both orders and cancelled ORD-1002's parcel; the ledger booked both
    # orders' totals and the payment.
    assert report["parcels"] == {"ORD-1001": "Berlin, DE (2 items)"}
    assert report["receivable"] == {"EUR": pytest.approx(2 * 12.50 + 4.99 + 100.00)}
    assert report["received"] == {"EUR": pytest.approx(29.99)}
    assert report["tool_only_modules"] == []
    assert [
        name for name in report["eventcontracts_modules"] if not RUNTIME_MODULE.match(name)
    ] == []
