"""A function that uses one event pays for that event: a source's subpackage imports a version
module when one of its classes is first asked for (PEP 562), and the generated package depends
on the runtime alone. Imports are measured in fresh interpreters, as a Lambda cold start is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO_ROOT, CliRunner
from eventcontracts.codegen.package import runtime_requirement
from eventcontracts.version import __version__
from synthetic_source import PACKAGE, write_project

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

GENERATED = REPO_ROOT / "generated"
EXAMPLE = REPO_ROOT / "registry/com.mycompany.orders/OrderCreated/examples/v2/mobile-app-order.json"


def fresh(code: str, path: Path = GENERATED, *, bytecode: bool = False) -> Any:
    """What ``code`` leaves in ``result`` (as JSON), run in a new interpreter with the generated
    package at ``path`` importable (and its bytecode cached there when ``bytecode``)."""
    program = f"import json, sys\n{code}\nprint(json.dumps(result))"
    done = subprocess.run(
        [sys.executable, "-c", program],
        env={"PYTHONPATH": str(path), **({} if bytecode else {"PYTHONDONTWRITEBYTECODE": "1"})},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


LOADED = "sorted(m for m in sys.modules if m.split('.')[0] == {package!r})"


def test_importing_one_event_class_loads_only_its_version_module() -> None:
    loaded = LOADED.format(package="mycompany_events")
    result = fresh(
        "from mycompany_events.orders import OrderCreatedV1\n"
        f"first = {loaded}\n"
        "from mycompany_events.orders import OrderCreated\n"
        f"result = [first, {loaded}]"
    )
    assert result == [
        ["mycompany_events", "mycompany_events.orders", "mycompany_events.orders.order_created_v1"],
        [
            "mycompany_events",
            "mycompany_events.orders",
            "mycompany_events.orders.order_created_v1",
            "mycompany_events.orders.order_created_v2",
        ],
    ]


def test_every_exported_name_still_means_what_it_did() -> None:
    result = fresh(
        "import mycompany_events.orders as orders\n"
        "names = {}\n"
        "exec('from mycompany_events.orders import *', names)\n"
        "try:\n"
        "    orders.OrderCreatedV9\n"
        "    missing = None\n"
        "except AttributeError as exc:\n"
        "    missing = str(exc)\n"
        "result = {\n"
        "    'latest': orders.OrderCreated is orders.OrderCreatedV2,\n"
        "    'envelope': orders.OrderCreatedEvent is orders.OrderCreatedEventV2,\n"
        "    'envelope_of': orders.OrderCreatedV1.ENVELOPE is orders.OrderCreatedEventV1,\n"
        "    'event': [c.__module__ + '.' + c.__name__ for c in orders.Event.__args__],\n"
        "    'star': sorted(n for n in names if not n.startswith('__')),\n"
        "    'all': sorted(orders.__all__),\n"
        "    'dir': set(orders.__all__) <= set(dir(orders)),\n"
        "    'missing': missing,\n"
        "    'hasattr': hasattr(orders, 'Nope'),\n"
        "    'source': orders.SOURCE,\n"
        "}"
    )
    prefix = "mycompany_events.orders."
    assert result == {
        "latest": True,
        "envelope": True,
        "envelope_of": True,
        "event": [
            f"{prefix}order_cancelled_v1.OrderCancelled",
            f"{prefix}order_created_v1.OrderCreated",
            f"{prefix}order_created_v2.OrderCreated",
            f"{prefix}order_shipped_v1.OrderShipped",
        ],
        "star": result["all"],
        "all": sorted(
            [
                "Event",
                "SOURCE",
                "publish",
                *(f"OrderCancelled{s}" for s in ("", "V1", "Event", "EventV1")),
                *(f"OrderCreated{s}" for s in ("", "V1", "V2", "Event", "EventV1", "EventV2")),
                *(f"OrderShipped{s}" for s in ("", "V1", "Event", "EventV1")),
            ]
        ),
        "dir": True,
        "missing": "module 'mycompany_events.orders' has no attribute 'OrderCreatedV9'",
        "hasattr": False,
        "source": "com.mycompany.orders",
    }
    # A source of one event: its union is that one class, as before.
    one = fresh("from mycompany_events.claimcheck import Event\nresult = Event.__name__")
    assert one == "ClaimCheckReference"


def test_a_consumer_loads_only_the_versions_it_handles() -> None:
    loaded = LOADED.format(package="mycompany_events")
    result = fresh(
        "from eventcontracts.runtime import Consumer, DispatchOutcome\n"
        "from mycompany_events.orders import OrderCreatedV2\n"
        "consumer = Consumer(on_invalid='raise')\n"
        "seen = []\n"
        "consumer.handler(OrderCreatedV2)(lambda event: seen.append(event.detail.order_id))\n"
        f"raw = json.loads(open({str(EXAMPLE)!r}).read())\n"
        "outcome = consumer.dispatch(raw)\n"
        f"result = [outcome is DispatchOutcome.HANDLED, seen, {loaded}]"
    )
    assert result == [
        True,
        ["ORD-100240"],
        ["mycompany_events", "mycompany_events.orders", "mycompany_events.orders.order_created_v2"],
    ]


def test_the_generated_models_need_no_email_validator() -> None:
    # OrderCreated v2 has a "format": "email" property: a plain string with a light check.
    result = fresh(
        "import mycompany_events.orders as orders\n"
        "event = orders.OrderCreatedV2.model_validate(\n"
        f"    json.loads(open({str(EXAMPLE)!r}).read())['detail'])\n"
        "result = [event.customer_email, 'email_validator' in sys.modules]"
    )
    assert result == ["jordan.lee@example.com", False]


def test_the_generated_package_depends_on_the_runtime_alone() -> None:
    project = tomllib.loads((GENERATED / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["dependencies"] == [runtime_requirement(__version__)]


@pytest.mark.parametrize(
    ("version", "requirement"),
    [
        ("0.1.0", "eventcontracts-runtime>=0.1.0,<0.2"),
        ("0.12.3", "eventcontracts-runtime>=0.12.3,<0.13"),
        ("1.4.2", "eventcontracts-runtime>=1.4.2,<2"),
        ("2.0.0rc1", "eventcontracts-runtime>=2.0.0rc1,<3"),
    ],
)
def test_the_runtime_range_is_the_generators_release_series(version: str, requirement: str) -> None:
    assert runtime_requirement(version) == requirement


COLD_IMPORT = (
    "import time\n"
    "start = time.perf_counter()\n"
    "from synthetic_events.catalog import Thing0000Happened\n"
    "seconds = time.perf_counter() - start\n"
    "result = [seconds, " + LOADED.format(package=PACKAGE) + "]"
)


def _cold_import(out: Path) -> tuple[float, list[str]]:
    """Best time of 5 fresh interpreters importing one class, and the modules it loaded (after
    one run that compiles the modules, as a deployed package ships their bytecode)."""
    runs = [fresh(COLD_IMPORT, out, bytecode=True) for _ in range(6)][1:]
    assert all(modules == runs[0][1] for _, modules in runs)
    return min(seconds for seconds, _ in runs), runs[0][1]


def test_one_event_of_a_source_of_1000_versions_costs_what_one_of_10_does(
    tmp_path: Path, cli: CliRunner
) -> None:
    measured = {}
    for versions in (10, 1000):
        project = write_project(tmp_path / f"versions-{versions}", versions)
        generated = cli(["generate"], project)
        assert generated.code == 0, generated.both
        out = project / "generated"
        assert len(list((out / PACKAGE / "catalog").glob("thing*_v*.py"))) == versions
        measured[versions] = _cold_import(out)
    small, large = measured[10], measured[1000]
    print(
        f"\ncold import of one class (best of 5): 10 versions {small[0] * 1000:.1f} ms, "
        f"1,000 versions {large[0] * 1000:.1f} ms ({large[0] / small[0]:.2f}x)"
    )
    expected = [PACKAGE, f"{PACKAGE}.catalog", f"{PACKAGE}.catalog.thing0000_happened_v2"]
    assert small[1] == large[1] == expected
