"""Module paths of the generated package: derived from the whole source, stable as schemas are
added, chosen explicitly with [codegen.modules], never renamed silently; the package name is
checked; AWS and partner sources are consume-only; ``init`` writes a [codegen] section."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner
from eventcontracts.config import load_config
from test_codegen_structure import ORDER_CREATED, draft4, write_version

CONFIG = """\
[registry]
path = "registry"

[codegen]
package = "{package}"
out = "generated"
{extra}
"""


def _project(
    root: Path, sources: dict[str, str], *, package: str = "events", extra: str = ""
) -> Path:
    """A project whose registry holds one OrderCreated per source, stored in ``sources``' folder."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "eventcontracts.toml").write_text(CONFIG.format(package=package, extra=extra))
    for source, folder in sources.items():
        document = draft4(
            source, "Order Created", "#/definitions/OrderCreated", {"OrderCreated": ORDER_CREATED}
        )
        write_version(root / "registry", f"{folder}/OrderCreated", document)
    return root


@pytest.fixture
def importable(tmp_path: Path) -> Iterator[Any]:
    """``importable(project)``: import from the project's generated/ (unloaded afterwards)."""
    added: list[str] = []

    def use(project: Path) -> Any:
        path = str(project / "generated")
        sys.path.insert(0, path)
        added.append(path)
        importlib.invalidate_caches()
        return importlib.import_module

    yield use
    for path in added:
        sys.path.remove(path)
    for name in list(sys.modules):
        if name == "events" or name.startswith("events."):
            del sys.modules[name]


def test_adding_a_schema_never_renames_another_module(tmp_path: Path, cli: CliRunner) -> None:
    project = _project(tmp_path / "p", {"com.dev.customer": "com.dev.customer"})
    assert cli(["generate"], project).code == 0
    first = project / "generated/events/com_dev_customer/order_created_v1.py"
    assert first.is_file()
    before = first.read_bytes()
    _project(project, {"com.other.customer": "com.other.customer"})
    result = cli(["generate"], project)
    assert result.code == 0, result.both
    assert first.read_bytes() == before
    assert (project / "generated/events/com_other_customer/order_created_v1.py").is_file()


def test_partner_and_aws_sources_get_their_whole_name_and_no_publish(
    tmp_path: Path, cli: CliRunner, importable: Any
) -> None:
    project = _project(
        tmp_path / "p",
        {
            "aws.partner-mongodb.com": "aws.partner-mongodb.com",
            # Sources with "/" are stored percent-encoded; the module comes from the real source.
            "aws.partner/zendesk.com/123/default": "aws.partner%2Fzendesk.com%2F123%2Fdefault",
            "com.mycompany.orders": "com.mycompany.orders",
        },
    )
    result = cli(["generate"], project)
    assert result.code == 0, result.both
    load = importable(project)
    mongodb = load("events.aws_partner_mongodb_com")
    zendesk = load("events.aws_partner_zendesk_com_123_default")
    orders = load("events.com_mycompany_orders")
    assert zendesk.OrderCreated.SOURCE == zendesk.SOURCE == "aws.partner/zendesk.com/123/default"
    assert mongodb.SOURCE == "aws.partner-mongodb.com"
    assert not hasattr(mongodb, "publish") and not hasattr(zendesk, "publish")
    assert "publish" not in zendesk.__all__
    assert callable(orders.publish) and "publish" in orders.__all__


def test_two_sources_on_one_module_is_one_line_and_exit_2(tmp_path: Path, cli: CliRunner) -> None:
    project = _project(
        tmp_path / "p", {"com.MyCo.orders": "com.MyCo.orders", "com.myco.orders": "com.myco.orders"}
    )
    result = cli(["generate"], project)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.both
    assert "'com.MyCo.orders'" in lines[0] and "'com.myco.orders'" in lines[0]
    assert "[codegen.modules]" in lines[0]
    assert not (project / "generated").exists()


def test_codegen_modules_names_a_subpackage(
    tmp_path: Path, cli: CliRunner, importable: Any
) -> None:
    extra = '[codegen.modules]\n"com.MyCo.orders" = "orders"\n'
    project = _project(
        tmp_path / "p",
        {"com.MyCo.orders": "com.MyCo.orders", "com.myco.orders": "com.myco.orders"},
        extra=extra,
    )
    result = cli(["generate"], project)
    assert result.code == 0, result.both
    load = importable(project)
    assert load("events.orders").SOURCE == "com.MyCo.orders"
    assert load("events.com_myco_orders").SOURCE == "com.myco.orders"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[codegen.modules]\n"com.a" = "class"\n', "not a Python module name"),
        ('[codegen.modules]\n"com.a" = "my-orders"\n', "not a Python module name"),
        ('[codegen.modules]\n"com.a" = "orders"\n"com.b" = "orders"\n', "both 'orders'"),
        ('[codegen.modules]\n"com.a" = 3\n', "not a Python module name"),
    ],
)
def test_codegen_modules_are_checked(
    tmp_path: Path, cli: CliRunner, extra: str, message: str
) -> None:
    project = _project(tmp_path / "p", {"com.a": "com.a"}, extra=extra)
    result = cli(["generate"], project)
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1 and message in result.err, result.both


@pytest.mark.parametrize("package", ["class", "match", "my-events", "1events", "_events"])
def test_the_package_name_is_checked(tmp_path: Path, cli: CliRunner, package: str) -> None:
    project = _project(tmp_path / "p", {"com.a": "com.a"}, package=package)
    result = cli(["generate"], project)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "[codegen] package" in lines[0] and repr(package) in lines[0]


@pytest.mark.parametrize("package", ["class", "match", "my-events", "1events", "_events"])
def test_generate_checks_the_package_name_as_the_config_does(tmp_path: Path, package: str) -> None:
    # generate() is also called with settings that no eventcontracts.toml checked; it let soft
    # keywords (match) and private names (_events) through
    from eventcontracts.codegen import CodegenError, PackageSettings, generate

    registry = tmp_path / "registry"
    write_version(
        registry,
        "com.a/OrderCreated",
        draft4("com.a", "Order Created", "#/definitions/O", {"O": ORDER_CREATED}),
    )
    with pytest.raises(CodegenError, match="is not a Python package name"):
        generate(registry, tmp_path / "out", PackageSettings(package=package), check=False)
    assert not (tmp_path / "out").exists()


def test_a_package_name_in_other_letters_generates_a_readable_pyproject(
    tmp_path: Path, cli: CliRunner
) -> None:
    """``événements`` is a Python package name; the generated pyproject.toml must still parse
    (its package-data key was written bare, which TOML allows only for ASCII)."""
    import tomllib

    project = _project(
        tmp_path / "p",
        {"com.a": "com.a"},
        package="événements",
        extra='distribution = "evenements"',
    )
    result = cli(["generate"], project)
    assert result.code == 0, result.both
    pyproject = tomllib.loads((project / "generated" / "pyproject.toml").read_text("utf-8"))
    assert pyproject["tool"]["setuptools"]["package-data"] == {"événements": ["py.typed"]}


def test_a_removed_sources_folder_is_removed(tmp_path: Path, cli: CliRunner) -> None:
    import shutil

    project = _project(tmp_path / "p", {"com.a": "com.a", "com.b": "com.b"})
    assert cli(["generate"], project).code == 0
    # A service ran in between: Python left its bytecode cache in the subpackage.
    (project / "generated/events/com_b/__pycache__").mkdir()
    (project / "generated/events/com_b/__pycache__/x.pyc").write_bytes(b"")
    shutil.rmtree(project / "registry/com.b")
    result = cli(["generate"], project)
    assert result.code == 0, result.both
    assert not (project / "generated/events/com_b").exists()
    assert (project / "generated/events/com_a/order_created_v1.py").is_file()


def test_init_writes_a_codegen_section_that_generates(tmp_path: Path, cli: CliRunner) -> None:
    project = tmp_path / "Shop Service"
    assert cli(["init", str(project)], tmp_path).code == 0
    text = (project / "eventcontracts.toml").read_text()
    assert "[codegen]" in text and "[codegen.modules]" in text
    config = load_config(project / "eventcontracts.toml")
    assert config.codegen.package == "shop_service_events"
    assert config.codegen.distribution == "shop-service-events"
    _project(project, {"com.shop.orders": "com.shop.orders"}, package="unused")
    (project / "eventcontracts.toml").write_text(text)
    result = cli(["generate"], project)
    assert result.code == 0, result.both
    assert (project / "generated/shop_service_events/com_shop_orders/__init__.py").is_file()


@pytest.mark.parametrize(
    ("schema", "module"),
    [
        ("OrderCreated", "order_created_v1"),
        ("AWSAPICallViaCloudTrail", "awsapi_call_via_cloud_trail_v1"),
        ("ECSTaskStateChange", "ecs_task_state_change_v1"),
        ("EC2InstanceStateChangeNotification", "ec2_instance_state_change_notification_v1"),
        ("order-created", "order_created_v1"),
    ],
)
def test_version_modules_are_snake_case_words_acronyms_kept_whole(schema: str, module: str) -> None:
    from eventcontracts.codegen.naming import module_name

    assert module_name(schema, 1) == module
