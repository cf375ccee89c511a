"""Python and TypeScript services on one bus: the committed packages (generated/ and generated-ts/)
of the example catalog read each other's events, and choose the same version for each.

The TypeScript package is built as a service's build would (``npm run build``: tsc, then its
validators copied beside) and driven from Node by tests/ts_cross/driver.mjs. Events travel
through a moto server in both directions: published by one side, routed by a rule to an SQS
queue, read back and handed to the other side's consumer.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eventcontracts.registry.loader import load_registry
from eventcontracts.runtime import Consumer
from moto_server import REGION, Aws
from typescript import NODE, REPO_ROOT, build, needs_node

pytest_plugins = ["moto_server"]
pytestmark = needs_node

DRIVER = Path(__file__).resolve().parent / "ts_cross" / "driver.mjs"
ORDER_CREATED = "com.mycompany.orders@OrderCreated"
BUS = "cross-language"
EXAMPLES = REPO_ROOT / "registry" / "com.mycompany.orders" / "OrderCreated" / "examples"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed TypeScript package, built, with the driver beside its dist/."""
    folder = tmp_path_factory.mktemp("cross") / "generated-ts"
    shutil.copytree(REPO_ROOT / "generated-ts", folder)
    built = build(folder)
    assert built.returncode == 0, built.stdout + built.stderr
    shutil.copy(DRIVER, folder / "driver.mjs")
    return folder


def drive(package: Path, scenario: dict[str, Any]) -> Any:
    assert NODE is not None
    done = subprocess.run(
        [NODE, "driver.mjs"],
        cwd=package,
        input=json.dumps(scenario),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def example(version: int, name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EXAMPLES / f"v{version}" / name).read_text())
    return event


def python_choices(
    orders: Any, events: list[dict[str, Any]]
) -> tuple[list[tuple[str, int]], list[str]]:
    """(event id, version) the Python Consumer gives each event to, with OrderCreated v1 and v2
    registered; and the ids of the events it dead-letters."""
    handled: list[tuple[str, int]] = []
    dead: list[str] = []
    consumer = Consumer(dead_letter=lambda raw, reason: dead.append(raw.get("id")))

    def recording(version: int) -> Callable[[Any], None]:
        return lambda event: handled.append((event.id, version))

    consumer.handler(orders.OrderCreatedV1)(recording(1))
    consumer.handler(orders.OrderCreatedV2)(recording(2))
    for event in events:
        consumer.dispatch(event)
    return handled, dead


def typescript_choices(
    package: Path, events: list[dict[str, Any]]
) -> tuple[list[tuple[str, int]], list[str]]:
    out = drive(
        package, {"scenario": "consume", "events": events, "versions": {ORDER_CREATED: [1, 2]}}
    )
    handled = [(item["id"], item["version"]) for item in out["handled"]]
    return handled, [item["id"] for item in out["deadLettered"]]


# --- the version a consumer of several versions chooses -------------------------------------------


def test_each_event_goes_to_the_same_version_in_the_python_and_typescript_consumers(
    package: Path, orders: Any
) -> None:
    v1 = example(1, "single-item-order.json")
    v2 = example(2, "mobile-app-order.json")
    unknown_top = {**v1, "id": "unknown-top", "detail": {**v1["detail"], "giftWrap": True}}
    address = {**v1["detail"]["shippingAddress"], "floor": "3"}
    unknown_nested = {**v1, "id": "unknown-nested", "detail": {**v1["detail"]}}
    unknown_nested["detail"]["shippingAddress"] = address
    invalid = {**v1, "id": "invalid", "detail": {**v1["detail"], "orderId": 42}}
    events = [v1, v2, unknown_top, unknown_nested, invalid]

    python = python_choices(orders, events)
    typescript = typescript_choices(package, events)

    assert typescript == python
    # A v1 event reaches the v1 handler although v2 reads it too: the oldest that reads it
    # exactly; a property no version declares, at any depth, sends it to the newest.
    assert python == (
        [(v1["id"], 1), (v2["id"], 2), ("unknown-top", 2), ("unknown-nested", 2)],
        ["invalid"],
    )


def test_the_exact_validator_agrees_with_the_python_models_exact_reading(
    package: Path, orders: Any, cli: Any
) -> None:
    details = []
    for version in (1, 2):
        sampled = cli(
            ["sample", ORDER_CREATED, "--version", str(version), "--count", "8", "--format",
             "jsonl"],
            REPO_ROOT,
        )  # fmt: skip
        assert sampled.code == 0, sampled.err
        details += [json.loads(line)["detail"] for line in sampled.out.splitlines()]
    mutated = [
        {**details[0], "extra": 1},
        {**details[0], "items": [{**details[0]["items"][0], "colour": "red"}]},
        {**details[0], "metadata": {**details[0]["metadata"], "traceId": "t"}},
    ]
    details += mutated
    python = []
    for detail in details:
        try:
            orders.OrderCreatedV1.model_validate(detail, extra="forbid")
        except ValueError:
            python.append(False)
        else:
            python.append(True)
    items = [
        {"schemaName": ORDER_CREATED, "version": 1, "detail": d, "exact": True} for d in details
    ]

    typescript = drive(package, {"scenario": "validate", "items": items})

    assert typescript == python
    assert python[-3:] == [False, False, False] and True in python and False in python[:-3]


# --- sample events ---------------------------------------------------------------------------


def test_sample_events_of_every_version_pass_the_typescript_validators(
    package: Path, cli: Any
) -> None:
    registry = load_registry(REPO_ROOT / "registry")
    items = []
    for schema in registry.schemas.values():
        for version in schema.versions:
            sampled = cli(
                ["sample", version.schema_name, "--version", str(version.version), "--count",
                 "5", "--format", "jsonl"],
                REPO_ROOT,
            )  # fmt: skip
            assert sampled.code == 0, sampled.err
            items += [
                {
                    "schemaName": version.schema_name,
                    "version": int(version.version),
                    "detail": json.loads(line)["detail"],
                }
                for line in sampled.out.splitlines()
            ]
    assert len(items) >= 5 * 10

    assert drive(package, {"scenario": "validate", "items": items}) == [True] * len(items)


# --- through EventBridge (moto), both ways -----------------------------------------------------


def test_events_the_python_producer_publishes_are_accepted_by_the_typescript_consumer(
    package: Path, orders: Any, aws: Aws
) -> None:
    queue = aws.routed_queue(BUS, orders.SOURCE, "Order Created")
    details = [
        example(1, "single-item-order.json")["detail"],
        example(1, "multi-item-order.json")["detail"],
        example(2, "web-order-with-discount.json")["detail"],
    ]
    models = [orders.OrderCreatedV1.model_validate(details[0])]
    models += [orders.OrderCreatedV1.model_validate(details[1])]
    models += [orders.OrderCreatedV2.model_validate(details[2])]
    published = orders.publish(*models, bus=BUS)
    assert all(result.ok for result in published)
    delivered = sorted(aws.drain(queue), key=lambda event: event["detail"]["orderId"])
    assert len(delivered) == 3

    everything = drive(package, {"scenario": "consume", "events": delivered})
    typescript = typescript_choices(package, delivered)
    valid = drive(
        package,
        {
            "scenario": "validate",
            "items": [
                {"schemaName": ORDER_CREATED, "version": 2, "detail": event["detail"]}
                for event in delivered
            ],
        },
    )

    assert everything["deadLettered"] == [] and len(everything["handled"]) == 3
    assert valid == [True, True, True]
    assert typescript == python_choices(orders, delivered)
    assert [version for _, version in typescript[0]] == [1, 1, 2]


def test_events_the_typescript_producer_publishes_are_accepted_by_the_python_consumer(
    package: Path, orders: Any, aws: Aws
) -> None:
    queue = aws.routed_queue(BUS, orders.SOURCE, "Order Created")
    v1 = [
        example(1, name)["detail"] for name in ("single-item-order.json", "multi-item-order.json")
    ]
    v2 = [example(2, "mobile-app-order.json")["detail"]]
    options = {"eventBusName": BUS, "endpoint": aws.endpoint, "region": REGION}
    for version, details in ((1, v1), (2, v2)):
        result = drive(
            package,
            {
                "scenario": "publish",
                "schemaName": ORDER_CREATED,
                "version": version,
                "details": details,
                "options": options,
            },
        )
        assert result["ok"] and all(entry["eventId"] for entry in result["entries"]), result
    delivered = sorted(aws.drain(queue), key=lambda event: event["detail"]["orderId"])
    assert [event["detail"]["orderId"] for event in delivered] == sorted(
        detail["orderId"] for detail in v1 + v2
    )

    handled, dead = python_choices(orders, delivered)

    assert dead == [] and len(handled) == 3
    by_order = {e["id"]: e["detail"]["orderId"] for e in delivered}
    assert {by_order[event_id]: version for event_id, version in handled} == {
        v1[0]["orderId"]: 1,
        v1[1]["orderId"]: 1,
        v2[0]["orderId"]: 2,
    }
    # What the TypeScript producer sent is what the schema says, read by the registry's models.
    for event in delivered:
        assert orders.OrderCreatedV2.model_validate(event["detail"]).order_id
