"""The contract-test plugin, run by pytest itself on small suites over the example catalog.

Each test writes a test module holding a ContractSuite, runs pytest on it in-process (pytester)
and reads what a team would read: which tests passed, and the failure paragraph.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import pytest

from conftest import REPO_ROOT
from eventcontracts.contract import live_versions


def _import_what_the_suites_import() -> None:
    """pytester runs each suite in this process, then drops every module the run imported
    first; imported again, such a module has new classes (a generated model is then no longer
    the EventModel the plugin checks for, and pydantic's MISSING no longer itself). Imported
    here, the generated package and what it uses stay one copy, whatever order tests run in."""
    generated = str(REPO_ROOT / "generated")
    if generated not in sys.path:
        sys.path.insert(0, generated)
    package = importlib.import_module("mycompany_events")
    for module in pkgutil.walk_packages(package.__path__, "mycompany_events."):
        importlib.import_module(module.name)
    importlib.import_module("eventcontracts.contract.plugin")
    importlib.import_module("eventcontracts.runtime").Consumer  # noqa: B018 - loads it now


_import_what_the_suites_import()

pytest_plugins = ["pytester"]

# The plugin is loaded through its pytest11 entry point, as in a team's project.
PLUGIN_ARGS: list[str] = []

HEADER = f"""
import sys
sys.path.insert(0, {str(REPO_ROOT / "generated")!r})
from hypothesis import strategies as st
from eventcontracts.contract import ContractSuite
from eventcontracts.runtime import Consumer
from mycompany_events.orders import OrderCreated, OrderCreatedEvent, OrderCreatedV1
from mycompany_events.orders import OrderCreatedEventV1

catalog = ContractSuite({str(REPO_ROOT)!r}, max_examples=15)
"""


def run(pytester: pytest.Pytester, body: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_contracts=HEADER + body)
    return pytester.runpytest(*PLUGIN_ARGS, "-p", "no:cacheprovider", *args)


def test_every_schema_version_gets_its_checks(pytester: pytest.Pytester) -> None:
    result = run(pytester, "", "--collect-only", "-q")
    ids = [line for line in result.outlines if "::" in line]
    orders_v2 = "catalog::com.mycompany.orders@OrderCreated::v2::"
    assert f"test_contracts.py::{orders_v2}generated-events" in ids
    assert f"test_contracts.py::{orders_v2}example[mobile-app-order]" in ids
    # 11 versions in the catalog, each with generated events and its samples (20 in all)
    assert sum(i.endswith("::generated-events") for i in ids) == 11
    assert sum("::example[" in i for i in ids) == 20


def test_a_producer_emitting_an_invalid_event_fails_with_the_event_and_the_reason(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
@catalog.producer("com.mycompany.orders@OrderCreated", inputs=st.integers(1, 99))
def refunds_as_negative_orders(n):
    event = OrderCreated.model_validate({
        "orderId": f"ORD-{n}", "customerId": "C1",
        "items": [{"productId": "SKU-1", "quantity": 1, "price": 5.0}],
        "totalAmount": 5.0, "currency": "EUR",
        "shippingAddress": {"street": "s", "city": "c", "postalCode": "1", "country": "DE"},
        "createdAt": "2026-11-23T10:00:00Z",
        "metadata": {"correlationId": "3f1c2a9e-7b4d-4e2a-9c51-0d8e6b7a1f42", "version": "2"},
    })
    event.totalAmount = -5.0   # assignment is not validated by the model
    return event
""",
        "-k",
        "producer",
    )
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert (
        "producer refunds_as_negative_orders emits an invalid com.mycompany.orders@OrderCreated "
        "v2 detail at /totalAmount: -5.0 is less than the minimum of 0" in text
    )
    assert '"totalAmount": -5.0' in text  # the event itself is shown
    assert "Traceback" not in text and "_checks.py" not in text


def test_a_consumer_that_rejects_a_valid_older_version_fails_naming_it(
    pytester: pytest.Pytester,
) -> None:
    # Written against v2, assuming the optional channel is always there: v1 events lack it,
    # and the catalog's FULL mode says v2 readers must read them.
    result = run(
        pytester,
        """
web_shop = Consumer()

@web_shop.handler(OrderCreated)
def count_by_channel(event: OrderCreatedEvent) -> None:
    event.detail.channel.lower()

catalog.consumer(web_shop, name="web-shop")
""",
        "-k",
        "consumer",
        "-o",
        "addopts=",
        "-rf",
    )
    outcomes = result.parseoutcomes()
    text = result.stdout.str()
    # v2 events without a channel break it too; the older version is the one the mode adds
    assert outcomes.get("failed") == 2, text
    assert "OrderCreated::v1::consumer[web-shop]" in text.split("short test summary")[-1]
    assert (
        # an absent optional field is pydantic's MISSING sentinel (mypy --strict catches this)
        "consumer web-shop's handler raised AttributeError: 'sentinel' object has no attribute "
        "'lower' on a valid com.mycompany.orders@OrderCreated v1 event" in text
    )


def test_a_consumer_whose_model_refuses_an_older_version_is_reported_as_rejecting_it(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
from typing import ClassVar

class StrictOrder(OrderCreated):
    # a hand-edited copy of the v2 model that made the optional channel required
    SCHEMA_VERSION: ClassVar[int] = 2
    channel: str

strict = Consumer()
strict.handler(StrictOrder)(lambda event: None)
catalog.consumer(strict, name="strict-reader")
""",
        "-k",
        "consumer and v1",
    )
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert (
        "consumer strict-reader rejects a valid com.mycompany.orders@OrderCreated v1 event" in text
    )
    assert "channel" in text


def test_consumers_of_every_version_they_read_pass(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
seen = []
both = Consumer()
both.handler(OrderCreatedV1)(lambda event: seen.append(1))
both.handler(OrderCreated)(lambda event: seen.append(2))
catalog.consumer(both, name="both")
""",
        "-k",
        "consumer",
    )
    result.assert_outcomes(passed=2)


def test_a_consumer_of_an_event_the_registry_lacks_is_reported(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
from typing import ClassVar
from eventcontracts.runtime import EventModel

class Mystery(EventModel):
    SOURCE: ClassVar[str] = "com.elsewhere"
    DETAIL_TYPE: ClassVar[str] = "Mystery Happened"
    SCHEMA_NAME: ClassVar[str] = "com.elsewhere@Mystery"
    SCHEMA_VERSION: ClassVar[int] = 1

lost = Consumer()
lost.handler(Mystery)(lambda event: None)
catalog.consumer(lost, name="lost")
""",
        "-k",
        "lost",
    )
    result.assert_outcomes(failed=1)
    assert (
        "consumer lost has a handler for source 'com.elsewhere' / detail-type 'Mystery "
        "Happened', which no schema of the registry has" in result.stdout.str()
    )


def test_a_registry_that_does_not_load_is_one_collection_error(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_broken="""
from eventcontracts.contract import ContractSuite
catalog = ContractSuite("no-such-project")
"""
    )
    project = pytester.path / "no-such-project" / "registry" / "shop" / "Thing"
    project.mkdir(parents=True)
    (project / "v1.json").write_text("{ not json")
    result = pytester.runpytest(*PLUGIN_ARGS, "-p", "no:cacheprovider")
    assert result.ret != 0
    text = result.stdout.str()
    assert "eventcontracts: registry/shop/Thing/v1.json" in text
    assert "run 'eventcontracts lint'" in text


@pytest.mark.parametrize(
    ("mode", "reads", "owed"),
    [
        ("NONE", [2], [2]),
        ("BACKWARD", [2], [1, 2]),
        ("BACKWARD", [3], [2, 3]),
        ("BACKWARD_TRANSITIVE", [3], [1, 2, 3]),
        ("FORWARD", [2], [2, 3]),
        ("FORWARD_TRANSITIVE", [1], [1, 2, 3, 4]),
        ("FULL", [2], [1, 2, 3]),
        ("FULL", [4], [3, 4]),
        ("FULL_TRANSITIVE", [2], [1, 2, 3, 4]),
        ("BACKWARD", [1, 4], [1, 3, 4]),
    ],
)
def test_live_versions_follow_the_compatibility_mode(
    mode: str, reads: list[int], owed: list[int]
) -> None:
    assert live_versions(mode, reads, [1, 2, 3, 4]) == owed


def test_a_stale_generated_model_fails_the_round_trip(pytester: pytest.Pytester) -> None:
    # A model generated from a draft where orderId was a number: no valid event reads.
    pytester.mkpydir("stale_models")
    pytester.path.joinpath("stale_models", "orders.py").write_text(
        """
from typing import ClassVar
from eventcontracts.runtime import EventModel

class OrderCreated(EventModel):
    SOURCE: ClassVar[str] = "com.mycompany.orders"
    DETAIL_TYPE: ClassVar[str] = "Order Created"
    SCHEMA_NAME: ClassVar[str] = "com.mycompany.orders@OrderCreated"
    SCHEMA_VERSION: ClassVar[int] = 2
    orderId: int
"""
    )
    pytester.syspathinsert()
    pytester.makepyfile(
        test_stale=f"""
from eventcontracts.contract import ContractSuite
catalog = ContractSuite({str(REPO_ROOT)!r}, models="stale_models", max_examples=10)
"""
    )
    result = pytester.runpytest(*PLUGIN_ARGS, "-p", "no:cacheprovider", "-k", "generated")
    outcomes = result.parseoutcomes()
    text = result.stdout.str()
    # OrderCreated v2 is read wrongly; every other version has no model at all
    assert outcomes.get("failed") == 11, text
    assert (
        "the generated model stale_models.orders.OrderCreated rejects a valid "
        "com.mycompany.orders@OrderCreated v2 detail at /orderId" in text
    )
    assert (
        "the generated package has no model for com.mycompany.orders@OrderCreated v1; run "
        "'eventcontracts generate'" in text
    )


def test_loading_the_plugin_costs_a_pytest_run_without_a_suite_little() -> None:
    # The entry point loads the plugin into every pytest run of an environment that has
    # eventcontracts; hypothesis, pydantic and the strategies wait until a suite exists.
    import subprocess
    import sys

    probe = (
        "import sys, eventcontracts.contract.plugin; "
        "print(sorted(m for m in ('hypothesis', 'pydantic', 'hypothesis_jsonschema') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_a_generated_module_that_does_not_import_is_one_line(pytester: pytest.Pytester) -> None:
    pytester.mkpydir("broken_models")
    pytester.path.joinpath("broken_models", "orders.py").write_text("import no_such_module\n")
    pytester.syspathinsert()
    pytester.makepyfile(
        test_broken=f"""
from eventcontracts.contract import ContractSuite
catalog = ContractSuite({str(REPO_ROOT)!r}, models="broken_models", max_examples=5)
"""
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "OrderCreated and v2 and generated")
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert (
        "the generated module broken_models.orders does not import (ModuleNotFoundError: "
        "No module named 'no_such_module'); run 'eventcontracts generate'" in text
    )
    assert "Traceback" not in text
