"""`eventcontracts generate`: the package services import, from the example catalog and from
schemas written to break code generators."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO_ROOT, CliRunner
from eventcontracts.codegen import PackageSettings, generate
from eventcontracts.codegen.package import paths_under
from eventcontracts.config import load_config
from eventcontracts.registry import load_registry

GENERATED = REPO_ROOT / "generated"
SETTINGS = PackageSettings(
    package="mycompany_events",
    distribution="mycompany-events",
    modules=load_config(REPO_ROOT / "eventcontracts.toml").codegen.modules,
)


def _generate(registry_root: Path, out: Path, settings: PackageSettings = SETTINGS) -> None:
    assert load_registry(registry_root).problems == []
    generate(registry_root, out, settings, check=False)


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and not any(part == "__pycache__" or part.startswith(".") for part in path.parts)
    }


def test_the_committed_package_is_up_to_date(cli: CliRunner) -> None:
    result = cli(["generate", "--check"], REPO_ROOT)
    assert result.code == 0, result.both


def test_generation_is_byte_identical_run_after_run(tmp_path: Path) -> None:
    _generate(REPO_ROOT / "registry", tmp_path / "a")
    _generate(REPO_ROOT / "registry", tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b") == _files(GENERATED)


def test_check_names_what_is_stale(tmp_path: Path, cli: CliRunner) -> None:
    out = tmp_path / "out"
    _generate(REPO_ROOT / "registry", out)
    module = out / "mycompany_events" / "orders" / "order_created_v2.py"
    module.write_text(module.read_text() + "\n# edited by hand\n")
    (out / "mycompany_events" / "payments" / "payment_failed_v1.py").unlink()
    result = cli(["generate", "--check", "--out", str(out)], REPO_ROOT)
    assert result.code == 1
    assert "changed: mycompany_events/orders/order_created_v2.py" in result.out
    assert "missing: mycompany_events/payments/payment_failed_v1.py" in result.out


def test_an_out_folder_that_cannot_be_written_is_one_line(
    example_project: Path, cli: CliRunner
) -> None:
    # [codegen] out names a file: the package's folder cannot be made there.
    (example_project / "generated").write_text("a file where the package's folder would go\n")
    result = cli(["generate"], example_project)
    assert result.code == 2, result.both
    assert result.err.startswith("error: cannot write ") and "generated" in result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.both


def test_the_package_reads_every_sample_event_and_knows_its_events() -> None:
    sys.path.insert(0, str(GENERATED))
    try:
        orders = importlib.import_module("mycompany_events.orders")
        assert orders.OrderCreated is orders.OrderCreatedV2
        assert orders.OrderCreated.SOURCE == "com.mycompany.orders"
        assert orders.OrderCreated.DETAIL_TYPE == "Order Created"
        assert orders.OrderCreated.SCHEMA_NAME == "com.mycompany.orders@OrderCreated"
        assert (orders.OrderCreatedV1.SCHEMA_VERSION, orders.OrderCreated.SCHEMA_VERSION) == (1, 2)
        registry = load_registry(REPO_ROOT / "registry")
        checked = 0
        for schema in registry.schemas.values():
            for version in schema.versions:
                for example in version.examples:
                    envelope = _envelope_class(version.source, schema.folder.name, version.version)
                    event = envelope.model_validate(example.content)
                    assert version.version == event.detail.SCHEMA_VERSION
                    checked += 1
        assert checked == 20
    finally:
        sys.path.remove(str(GENERATED))


def _envelope_class(source: str, name: str, version: int) -> Any:
    package = {
        "com.mycompany.orders": "orders",
        "com.mycompany.inventory": "inventory",
        "com.mycompany.payments": "payments",
        "com.mystore.checkout": "checkout",
        "eventcontracts.claimcheck": "claimcheck",
    }[source]
    module = importlib.import_module(f"mycompany_events.{package}")
    return getattr(module, f"{name}EventV{version}")


def test_the_package_passes_ruff_and_mypy_strict() -> None:
    bin_dir = Path(sys.executable).parent
    ruff = [str(bin_dir / "ruff")]
    assert subprocess.run([*ruff, "check", str(GENERATED)], capture_output=True).returncode == 0
    formatted = subprocess.run([*ruff, "format", "--check", str(GENERATED)], capture_output=True)
    assert formatted.returncode == 0, formatted.stdout
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "mycompany_events"],
        cwd=GENERATED,
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout


def test_nothing_is_written_outside_the_output_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="outside"):
        paths_under(tmp_path / "out", {"../escape.py": "x"})


# --- schemas written to break code generators -------------------------------------------------

EVIL_TITLE = 'Evil """\nimport os\nos.system("touch PWNED")\n"""'


def _event(source: str, detail_type: str, detail: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "x-amazon-events-source": source,
        "x-amazon-events-detail-type": detail_type,
        "type": "object",
        "properties": {"detail": {"$ref": "#/definitions/Detail"}},
        "definitions": {"Detail": detail},
    }


def _write(root: Path, folder: str, document: dict[str, Any]) -> None:
    path = root / folder / "v1.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.fixture
def hostile_registry(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    _write(
        root,
        "com.hostile/Keywords",
        _event(
            "com.hostile",
            "Keywords",
            {
                "type": "object",
                "title": EVIL_TITLE,
                "description": EVIL_TITLE,
                "required": ["class"],
                "properties": {
                    "class": {"type": "string"},
                    "__init__": {"type": "integer"},
                    "model_config": {"type": "string"},
                    "quote": {"enum": ['say "hi"', "back\\slash", "it's", "\n"]},
                },
            },
        ),
    )
    _write(root, "com.hostile/订单已创建", _event("com.hostile", "订单已创建", {"type": "object"}))
    # Two schema names that make the same class name.
    _write(root, "com.hostile/Order-Created", _event("com.hostile", "A", {"type": "object"}))
    _write(root, "com.hostile/OrderCreated", _event("com.hostile", "B", {"type": "object"}))
    # A source that tries to walk out of the package (stored percent-encoded, as sources with
    # a "/" are).
    _write(
        root, "x%2F..%2F..%2Fescape/Escape", _event("x/../../escape", "Escape", {"type": "object"})
    )
    return root


def test_hostile_schemas_generate_code_that_compiles_imports_and_behaves(
    hostile_registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    settings = PackageSettings(package="hostile_events", distribution="hostile-events")
    _generate(hostile_registry, out, settings)

    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert all(out in path.parents or hostile_registry in path.parents for path in written)
    for path in out.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")

    sys.path.insert(0, str(out))
    try:
        package = importlib.import_module("hostile_events.com_hostile")
        escape = importlib.import_module("hostile_events.x_escape")
        assert escape.Escape.SOURCE == "x/../../escape"
        keywords = package.Keywords.model_validate(
            {"class": "first", "__init__": 3, "model_config": "x", "quote": 'say "hi"'}
        )
        assert keywords.model_dump(by_alias=True)["class"] == "first"
        assert package.Keywords.DETAIL_TYPE == "Keywords"
        assert {package.OrderCreated.DETAIL_TYPE, package.OrderCreated_2.DETAIL_TYPE} == {"A", "B"}
        assert hasattr(package, "订单已创建")
    finally:
        sys.path.remove(str(out))
        for name in list(sys.modules):
            if name.startswith("hostile_events"):
                del sys.modules[name]
    assert not (tmp_path / "PWNED").exists()


def test_a_change_to_one_schema_regenerates_only_its_module(tmp_path: Path) -> None:
    import shutil

    registry_root = tmp_path / "registry"
    shutil.copytree(REPO_ROOT / "registry", registry_root)
    out = tmp_path / "out"
    _generate(registry_root, out)
    path = registry_root / "com.mycompany.payments" / "PaymentProcessed" / "v1.json"
    document = json.loads(path.read_text())
    document["definitions"]["PaymentProcessed"]["properties"]["amount"]["description"] = "Paid."
    path.write_text(json.dumps(document, indent=2))

    result = generate(registry_root, out, SETTINGS, check=False)
    assert [p.relative_to(out).as_posix() for p in result.written] == [
        "mycompany_events/payments/payment_processed_v1.py"
    ]
    assert "Paid." in (out / result.written[0].relative_to(out)).read_text()


def test_enums_can_be_enum_classes(tmp_path: Path) -> None:
    import enum

    out = tmp_path / "out"
    settings = PackageSettings(
        package="enum_events", distribution="enum-events", enums="enum", modules=SETTINGS.modules
    )
    _generate(REPO_ROOT / "registry", out, settings)
    sys.path.insert(0, str(out))
    try:
        orders = importlib.import_module("enum_events.orders")
        field = orders.OrderCreated.model_fields["currency"].annotation
        assert isinstance(field, type) and issubclass(field, enum.Enum)
        assert {member.value for member in field} == {"USD", "EUR", "GBP"}
        detail = orders.OrderCreated.model_validate(
            json.loads(
                (REPO_ROOT / "registry/com.mycompany.orders/OrderCreated/examples/v2")
                .joinpath("web-order-with-discount.json")
                .read_text()
            )["detail"]
        )
        assert detail.currency.value in {"USD", "EUR", "GBP"}
    finally:
        sys.path.remove(str(out))
        for name in list(sys.modules):
            if name.startswith("enum_events"):
                del sys.modules[name]


def test_models_hand_on_string_formats_exactly_as_they_read_them() -> None:
    # pydantic's own types would rewrite each of these on the way out (found by the contract
    # tests' round trip: EmailStr decoded an IDNA domain, AnyUrl adds "/", SecretStr masks).
    from eventcontracts.codegen.models import models_source

    formats = ["email", "idn-email", "uri", "password", "byte", "binary"]
    document = {
        "type": "object",
        "properties": {f.replace("-", "_"): {"type": "string", "format": f} for f in formats},
    }
    source = models_source(document, "Detail", "literal", "test")
    namespace: dict[str, Any] = {}
    exec(compile(source, "<generated>", "exec"), namespace)
    model = namespace["Detail"]
    model.model_rebuild(_types_namespace=namespace)
    detail = {
        "email": "jane@xn--bcher-kva.com",
        "idn_email": "Jane@Example.COM",
        "uri": "https://example.com",
        "password": "hunter2",
        "byte": "aGk=",
        "binary": "raw",
    }
    assert model.model_validate(detail).model_dump(mode="json", exclude_unset=True) == detail
