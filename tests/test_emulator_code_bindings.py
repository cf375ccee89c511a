"""Code bindings driven over HTTP by boto3: ``PutCodeBinding`` starts one (202,
``CREATE_IN_PROGRESS``), ``DescribeCodeBinding`` and botocore's ``code_binding_exists`` waiter
see it complete, ``GetCodeBindingSource`` serves the zip of the generated package, which
``pip`` builds and installs into a fresh virtualenv beside the runtime's wheel, and whose
models read the example catalog's events there. Languages the emulator makes no code for are a
NotFoundException."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, WaiterError

from corpus import CORPUS, adopt
from eventcontracts.emulator import Emulator
from eventcontracts.registry.loader import load_registry
from service_env import (
    IGNORED,
    REPO_ROOT,
    RUNTIME,
    RUNTIME_SOURCES,
    _link_closure,
    build_wheel,
    dependency_closure,
)

REGISTRY = "bindings"
ORDER_CREATED = REPO_ROOT / "registry" / "com.mycompany.orders" / "OrderCreated"
NAME = "com.mycompany.orders@OrderCreated"
# The model's waiter polls every 2 s, 30 times; the emulator makes a binding in about a second.
FAST = {"Delay": 0.2, "MaxAttempts": 300}
# Imports every module of a package.
WALK = (
    "import importlib, pkgutil, {package}\n"
    "for info in pkgutil.walk_packages({package}.__path__, '{package}.'):\n"
    "    importlib.import_module(info.name)\n"
)


def make_client(emulator: Emulator) -> Any:
    return boto3.client(
        "schemas",
        region_name="us-east-1",
        endpoint_url=emulator.endpoint_url,
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator() as emu:
        yield emu


@pytest.fixture
def client(emulator: Emulator) -> Any:
    c = make_client(emulator)
    c.create_registry(RegistryName=REGISTRY)
    return c


def create(client: Any, name: str = NAME, content: str | None = None) -> None:
    text = content or (ORDER_CREATED / "v2.json").read_text(encoding="utf-8")
    client.create_schema(RegistryName=REGISTRY, SchemaName=name, Type="OpenApi3", Content=text)


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    response = excinfo.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


def source_zip(client: Any, name: str = NAME, **version: str) -> bytes:
    answer = client.get_code_binding_source(
        RegistryName=REGISTRY, SchemaName=name, Language="Python36", **version
    )
    body: bytes = answer["Body"].read()
    return body


def test_a_binding_is_made_in_the_background_and_served_as_a_zip(client: Any) -> None:
    create(client)
    put = client.put_code_binding(RegistryName=REGISTRY, SchemaName=NAME, Language="Python36")
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert (put["Status"], put["SchemaVersion"]) == ("CREATE_IN_PROGRESS", "1")
    client.get_waiter("code_binding_exists").wait(
        RegistryName=REGISTRY, SchemaName=NAME, Language="Python36", WaiterConfig=FAST
    )
    described = client.describe_code_binding(
        RegistryName=REGISTRY, SchemaName=NAME, Language="Python36"
    )
    assert described["Status"] == "CREATE_COMPLETE"
    assert described["CreationDate"] == put["CreationDate"]
    assert described["LastModified"] >= described["CreationDate"]

    data = source_zip(client)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert "pyproject.toml" in names
    assert "order_created_binding/com_mycompany_orders/order_created_v1.py" in names
    assert "order_created_binding/py.typed" in names
    pyproject = archive.read("pyproject.toml").decode()
    assert 'name = "order-created-binding"' in pyproject
    assert '"eventcontracts-runtime>=' in pyproject
    module = archive.read("order_created_binding/com_mycompany_orders/order_created_v1.py")
    assert b"class OrderCreatedEvent(EventEnvelope[OrderCreated])" in module
    assert source_zip(client, SchemaVersion="1") == data  # the same bytes every time

    again = client.put_code_binding(RegistryName=REGISTRY, SchemaName=NAME, Language="Python36")
    assert again["Status"] == "CREATE_COMPLETE"  # made once, not again
    assert again["ResponseMetadata"]["HTTPStatusCode"] == 202


def test_the_source_of_a_binding_in_progress_is_not_there_yet() -> None:
    with Emulator(code_binding_seconds=60) as emulator:
        client = make_client(emulator)
        client.create_registry(RegistryName=REGISTRY)
        create(client)
        client.put_code_binding(RegistryName=REGISTRY, SchemaName=NAME, Language="Python36")
        described = client.describe_code_binding(
            RegistryName=REGISTRY, SchemaName=NAME, Language="Python36"
        )
        assert described["Status"] == "CREATE_IN_PROGRESS"
        with pytest.raises(ClientError) as excinfo:
            source_zip(client)
        code, status, message = error_of(excinfo)
        assert (code, status) == ("NotFoundException", 404)
        assert "CREATE_IN_PROGRESS" in message


def test_a_binding_never_put_is_not_found(client: Any) -> None:
    create(client)
    with pytest.raises(ClientError) as excinfo:
        client.describe_code_binding(RegistryName=REGISTRY, SchemaName=NAME, Language="Python36")
    code, status, message = error_of(excinfo)
    assert (code, status) == ("NotFoundException", 404)
    assert "PutCodeBinding" in message
    with pytest.raises(ClientError) as excinfo:
        source_zip(client)
    assert error_of(excinfo)[:2] == ("NotFoundException", 404)
    # The model's waiter fails on NotFoundException rather than waiting out its attempts.
    with pytest.raises(WaiterError, match="NotFoundException"):
        client.get_waiter("code_binding_exists").wait(
            RegistryName=REGISTRY, SchemaName=NAME, Language="Python36", WaiterConfig=FAST
        )


@pytest.mark.parametrize("language", ["Java8", "TypeScript3", "Go1", "Cobol85"])
def test_a_language_without_bindings_is_not_found(client: Any, language: str) -> None:
    create(client)
    for call in (
        client.put_code_binding,
        client.describe_code_binding,
        client.get_code_binding_source,
    ):
        with pytest.raises(ClientError) as excinfo:
            call(RegistryName=REGISTRY, SchemaName=NAME, Language=language)
        code, status, message = error_of(excinfo)
        assert (code, status) == ("NotFoundException", 404)
        assert language in message and "Python36" in message


def test_a_binding_of_a_missing_schema_or_version_is_not_found(client: Any) -> None:
    create(client)
    for kwargs in ({"SchemaName": "nope"}, {"SchemaName": NAME, "SchemaVersion": "9"}):
        with pytest.raises(ClientError) as excinfo:
            client.put_code_binding(RegistryName=REGISTRY, Language="Python36", **kwargs)
        assert error_of(excinfo)[:2] == ("NotFoundException", 404)


def test_each_version_has_its_own_binding_and_new_content_needs_a_new_one(client: Any) -> None:
    create(client)
    v1_content = (ORDER_CREATED / "v1.json").read_text(encoding="utf-8")
    client.update_schema(RegistryName=REGISTRY, SchemaName=NAME, Content=v1_content)
    for version in ("1", "2"):
        client.put_code_binding(
            RegistryName=REGISTRY, SchemaName=NAME, Language="Python36", SchemaVersion=version
        )
        client.get_waiter("code_binding_exists").wait(
            RegistryName=REGISTRY,
            SchemaName=NAME,
            Language="Python36",
            SchemaVersion=version,
            WaiterConfig=FAST,
        )
    names = zipfile.ZipFile(io.BytesIO(source_zip(client))).namelist()  # the latest: 2
    assert "order_created_binding/com_mycompany_orders/order_created_v2.py" in names
    names = zipfile.ZipFile(io.BytesIO(source_zip(client, SchemaVersion="1"))).namelist()
    assert "order_created_binding/com_mycompany_orders/order_created_v1.py" in names
    # The schema made again under the same name: version 1 is other content, no binding yet.
    client.delete_schema(RegistryName=REGISTRY, SchemaName=NAME)
    create(client, content=v1_content)
    with pytest.raises(ClientError) as excinfo:
        client.describe_code_binding(RegistryName=REGISTRY, SchemaName=NAME, Language="Python36")
    assert error_of(excinfo)[:2] == ("NotFoundException", 404)


def test_a_version_no_code_can_be_made_of_fails_and_says_why(client: Any) -> None:
    # No source anywhere: not in the name (no '<source>@'), not in the content.
    content = json.dumps({"$schema": "http://json-schema.org/draft-04/schema#", "type": "object"})
    client.create_schema(
        RegistryName=REGISTRY, SchemaName="Nameless", Type="JSONSchemaDraft4", Content=content
    )
    client.put_code_binding(RegistryName=REGISTRY, SchemaName="Nameless", Language="Python36")
    with pytest.raises(WaiterError, match="CREATE_FAILED"):
        client.get_waiter("code_binding_exists").wait(
            RegistryName=REGISTRY, SchemaName="Nameless", Language="Python36", WaiterConfig=FAST
        )
    with pytest.raises(ClientError) as excinfo:
        source_zip(client, "Nameless")
    code, _, message = error_of(excinfo)
    assert code == "NotFoundException"
    assert "CREATE_FAILED" in message and "no event source" in message


# --- the zips install into a fresh virtualenv and read the catalog's events --------------------


def _pip(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_example_catalog_binding_installs_and_reads_its_events(
    client: Any, tmp_path: Path
) -> None:
    """The latest version of every example schema, created as sync would send it; its binding
    is built by pip from the zip (``pip wheel binding.zip``), installed with ``pip install
    --no-index --find-links`` (the runtime's wheel there, built from ./runtime) into a fresh
    virtualenv that holds nothing of the tool, and its event class reads the version's examples."""
    registry = load_registry(REPO_ROOT / "registry")
    zips, wheels = tmp_path / "zips", tmp_path / "wheels"
    zips.mkdir()
    wheels.mkdir()
    checks: list[tuple[str, str, list[str]]] = []  # (module, event class, example files)
    for name, schema in sorted(registry.schemas.items()):
        latest = schema.latest
        create(client, name, json.dumps(latest.document.content))
        client.put_code_binding(RegistryName=REGISTRY, SchemaName=name, Language="Python36")
    for name, schema in sorted(registry.schemas.items()):
        client.get_waiter("code_binding_exists").wait(
            RegistryName=REGISTRY, SchemaName=name, Language="Python36", WaiterConfig=FAST
        )
        data = source_zip(client, name)
        (zips / f"{schema.folder.name}.zip").write_bytes(data)
        archive = zipfile.ZipFile(io.BytesIO(data))
        modules = [n for n in archive.namelist() if n.endswith("_v1.py")]
        (module,) = [n.removesuffix(".py").replace("/", ".") for n in modules]
        examples = [str(e.path) for e in schema.latest.examples]
        assert examples, name
        checks.append((module, f"{schema.folder.name}Event", examples))

    trees = tmp_path / "trees"
    shutil.copytree(REPO_ROOT / "runtime", trees / "runtime", ignore=IGNORED)
    shutil.copytree(RUNTIME_SOURCES, trees / "src" / "eventcontracts" / "runtime", ignore=IGNORED)
    build_wheel(trees / "runtime", wheels)
    for archive_path in sorted(zips.iterdir()):  # pip builds each zip as a project
        build_wheel(archive_path, wheels)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # pydantic and what it needs, from this environment (no index offline), on the venv's path.
    closure = dependency_closure([RUNTIME], lambda name: metadata.distribution(name))
    del closure[RUNTIME]
    _link_closure(closure.values(), tmp_path / "dependencies")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "dependencies.pth").write_text(f"{tmp_path / 'dependencies'}\n")
    bindings = [f"{zip_path.stem}" for zip_path in sorted(zips.iterdir())]
    distributions = [
        zipfile.ZipFile(zips / f"{stem}.zip").read("pyproject.toml").decode() for stem in bindings
    ]
    names = [
        line.partition("=")[2].strip().strip('"')
        for text in distributions
        for line in text.splitlines()
        if line.startswith("name = ")
    ]
    # The runtime comes from --find-links, as the bindings' dependency on it says.
    _pip("--python", str(python), "install", "--no-index", "--find-links", str(wheels), *names)

    program = (
        "import importlib, importlib.util, json, sys\n"
        "assert importlib.util.find_spec('eventcontracts.cli') is None, 'the tool is there'\n"
        "read = 0\n"
        "for module, cls, files in json.loads(sys.argv[1]):\n"
        "    event_class = getattr(importlib.import_module(module), cls)\n"
        "    for path in files:\n"
        "        event = event_class.model_validate_json(open(path, encoding='utf-8').read())\n"
        "        assert type(event.detail).__name__ == cls.removesuffix('Event'), path\n"
        "        read += 1\n"
        "print(read)\n"
    )
    done = subprocess.run(
        [str(python), "-E", "-s", "-c", program, json.dumps(checks)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", "")},
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) == sum(len(files) for _, _, files in checks) >= 9


# --- real-world schemas and hostile names --------------------------------------------------------


def _wait_for(client: Any, name: str, version: str) -> bytes:
    client.put_code_binding(
        RegistryName=REGISTRY, SchemaName=name, Language="Python36", SchemaVersion=version
    )
    client.get_waiter("code_binding_exists").wait(
        RegistryName=REGISTRY,
        SchemaName=name,
        Language="Python36",
        SchemaVersion=version,
        WaiterConfig=FAST,
    )
    return source_zip(client, name, SchemaVersion=version)


def _compiled_modules(data: bytes) -> list[str]:
    """The Python modules of a binding, each compiled (a syntax error fails the test)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    modules = [n for n in archive.namelist() if n.endswith(".py")]
    for module in modules:
        compile(archive.read(module).decode("utf-8"), module, "exec")
    return modules


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_every_corpus_version_gets_a_binding_of_its_own_module(client: Any, tmp_path: Path) -> None:
    """Every version of the corpus registry (partner sources with '/' in their names, component
    names with spaces and '$', type lists with null, ...), sent as sync sends it, becomes a
    complete binding holding that version's module, which compiles."""
    registry = load_registry(adopt(tmp_path / "adopter", generate=False).registry)
    made = 0
    for name, schema in sorted(registry.schemas.items()):
        for version in schema.versions:
            content = json.dumps(version.document.content)
            if version.version == 1:
                client.create_schema(
                    RegistryName=REGISTRY,
                    SchemaName=name,
                    Type=version.format.value,
                    Content=content,
                )
            else:
                client.update_schema(
                    RegistryName=REGISTRY,
                    SchemaName=name,
                    Type=version.format.value,
                    Content=content,
                )
            modules = _compiled_modules(_wait_for(client, name, str(version.version)))
            assert any(m.endswith(f"_v{version.version}.py") for m in modules), (name, modules)
            made += 1
    assert made >= 25


@pytest.mark.parametrize(
    "name",
    [
        "aws.partner/mongodb.com/1234567/tickets@Ticket.Created",
        'x@"""__import__("os").system("echo_pwned")"""',
        "shop@123-Order.Placed$v2",
        "shop@Ordér_Ünicode",
        "shop@class",
        "shop@订单",
    ],
)
def test_a_hostile_schema_name_gives_a_package_that_imports_safely(
    client: Any, tmp_path: Path, name: str
) -> None:
    create(client, name)
    data = _wait_for(client, name, "1")
    archive = zipfile.ZipFile(io.BytesIO(data))
    for member in archive.namelist():  # every entry stays inside the folder it is unpacked in
        assert not member.startswith("/") and ".." not in member.split("/"), member
    (package,) = {m.split("/")[0] for m in archive.namelist() if m.endswith("/__init__.py")}
    assert package.isidentifier() and not package.startswith("_")
    archive.extractall(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", WALK.format(package=package)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "echo_pwned" not in done.stdout + done.stderr
