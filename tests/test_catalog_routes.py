"""Which bus rules route which versions, on the catalog site: the schemas a rule's pattern
targets, and how many of a version's sample events it matches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO_ROOT, write_schema
from eventcontracts.catalog.model import RouteOnVersion
from eventcontracts.catalog.routes import routes_on_version, targeted_schemas
from eventcontracts.patterns.matcher import matches
from eventcontracts.patterns.sources import BusRule, load_rules
from eventcontracts.registry.loader import load_registry
from eventcontracts.registry.model import Registry

ORDERS = "com.mycompany.orders"
PAYMENTS = "com.mycompany.payments"
INVENTORY = "com.mycompany.inventory"


@pytest.fixture(scope="module")
def registry() -> Registry:
    loaded = load_registry(REPO_ROOT / "registry")
    loaded.require_clean()
    return loaded


@pytest.fixture(scope="module")
def example_rules() -> dict[str, BusRule]:
    """The example project's bus rules (its [rules] paths), by name."""
    found: dict[str, BusRule] = {}
    files = [*sorted((REPO_ROOT / "rules").glob("*.json")), REPO_ROOT / "infra/order-routing.yaml"]
    for path in files:
        for rule in load_rules(path, path.relative_to(REPO_ROOT).as_posix()):
            found[rule.name] = rule
    return found


def rule(pattern: Any, **kwargs: Any) -> BusRule:
    return BusRule("r", "rules/r.json", pattern, "", **kwargs)


def samples_of(registry: Registry, name: str, version: int) -> list[Any]:
    return [example.content for example in registry.schemas[name].version(version).examples]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("order-big-spender", [f"{ORDERS}@OrderCreated"]),
        # prefix on the source, one detail-type per alternative of a $or
        ("payment-problems", [f"{PAYMENTS}@PaymentFailed", f"{PAYMENTS}@PaymentProcessed"]),
        # anything-but on a detail field does not widen the envelope
        ("inventory-not-out-of-stock", [f"{INVENTORY}@InventoryReservationFailed"]),
        ("InternationalShipmentRule", [f"{ORDERS}@OrderShipped"]),
        # the pattern written as a JSON string in the template
        ("RefundOnCancelRule", [f"{ORDERS}@OrderCancelled"]),
    ],
)
def test_the_example_rules_target_their_schemas(
    registry: Registry, example_rules: dict[str, BusRule], name: str, expected: list[str]
) -> None:
    assert targeted_schemas(example_rules[name], registry) == tuple(expected)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # No envelope field: every schema of the registry.
        ({"detail": {"orderId": [{"exists": True}]}}, "all"),
        # A source alone: every schema of the source, sorted.
        (
            {"source": [ORDERS]},
            [f"{ORDERS}@OrderCancelled", f"{ORDERS}@OrderCreated", f"{ORDERS}@OrderShipped"],
        ),
        (
            {"source": [ORDERS], "detail-type": [{"prefix": "Order C"}]},
            [f"{ORDERS}@OrderCancelled", f"{ORDERS}@OrderCreated"],
        ),
        (
            {"source": [ORDERS], "detail-type": [{"anything-but": ["Order Created"]}]},
            [f"{ORDERS}@OrderCancelled", f"{ORDERS}@OrderShipped"],
        ),
        ({"detail-type": [{"equals-ignore-case": "order shipped"}]}, [f"{ORDERS}@OrderShipped"]),
        (
            {"detail-type": [{"wildcard": "Payment *"}]},
            [f"{PAYMENTS}@PaymentFailed", f"{PAYMENTS}@PaymentProcessed"],
        ),
        # A source of no schema, a detail-type of none of the source's.
        ({"source": ["aws.ec2"]}, []),
        ({"source": [ORDERS], "detail-type": ["Order Creatd"]}, []),
        # Alternatives of a $or join: each targets its own schemas.
        (
            {
                "$or": [
                    {"source": [INVENTORY], "detail-type": ["Inventory Reserved"]},
                    {"detail-type": ["Order Shipped"]},
                ]
            },
            [f"{INVENTORY}@InventoryReserved", f"{ORDERS}@OrderShipped"],
        ),
    ],
)
def test_the_envelope_decides_the_targeted_schemas(
    registry: Registry, pattern: Any, expected: Any
) -> None:
    everything = tuple(sorted(name for name, s in registry.schemas.items() if s.versions))
    wanted = everything if expected == "all" else tuple(expected)
    assert targeted_schemas(rule(pattern), registry) == wanted


@pytest.mark.parametrize(
    "broken",
    [
        rule(None, unresolved="!Ref at /source/0"),
        rule({"source": [ORDERS]}, unresolved="!Sub at /detail-type/0"),  # kept as written
        rule({"source": ORDERS}),  # a value, not an array: EventBridge refuses it
        # A malformed operator further in: the envelope alone would target OrderCreated.
        rule(
            {
                "source": [ORDERS],
                "detail-type": ["Order Created"],
                "detail": {"totalAmount": [{"numeric": [">"]}]},
            }
        ),
        rule([ORDERS]),
    ],
)
def test_an_unreadable_or_invalid_pattern_routes_nothing(
    registry: Registry, broken: BusRule
) -> None:
    assert targeted_schemas(broken, registry) == ()
    version = registry.schemas[f"{ORDERS}@OrderCreated"].latest
    samples = samples_of(registry, f"{ORDERS}@OrderCreated", version.version)
    assert routes_on_version("r", broken, version, samples) == RouteOnVersion(
        "r", version.version, 0, len(samples)
    )


def test_a_detail_type_an_older_version_had_is_still_targeted(tmp_path: Path) -> None:
    folder = tmp_path / "registry" / "com.example.shop" / "CartChanged"
    for number, detail_type in ((1, "Cart Updated"), (2, "Cart Changed")):
        write_schema(
            folder / f"v{number}.json",
            {
                "$schema": "http://json-schema.org/draft-04/schema#",
                "type": "object",
                "x-amazon-events-source": "com.example.shop",
                "x-amazon-events-detail-type": detail_type,
                "properties": {"detail": {"type": "object"}},
            },
        )
    registry = load_registry(tmp_path / "registry")
    registry.require_clean()

    old = rule({"source": ["com.example.shop"], "detail-type": ["Cart Updated"]})
    assert targeted_schemas(old, registry) == ("com.example.shop@CartChanged",)
    neither = rule({"source": ["com.example.shop"], "detail-type": ["Cart Emptied"]})
    assert targeted_schemas(neither, registry) == ()


@pytest.mark.parametrize(
    ("name", "schema", "version", "matched", "samples"),
    [
        # Only the cancellation with a refund above 0.
        ("RefundOnCancelRule", f"{ORDERS}@OrderCancelled", 1, 1, 2),
        # Discontinued products, not insufficient stock.
        ("inventory-not-out-of-stock", f"{INVENTORY}@InventoryReservationFailed", 1, 1, 2),
        ("payment-problems", f"{PAYMENTS}@PaymentFailed", 1, 1, 2),  # not retryable only
        ("payment-problems", f"{PAYMENTS}@PaymentProcessed", 1, 2, 2),  # neither in USD
        ("InternationalShipmentRule", f"{ORDERS}@OrderShipped", 1, 2, 2),
        ("order-big-spender", f"{ORDERS}@OrderCreated", 2, 0, 2),  # no order of 1,000 or more
    ],
)
def test_a_rule_matches_the_sample_events_it_should(
    registry: Registry,
    example_rules: dict[str, BusRule],
    name: str,
    schema: str,
    version: int,
    matched: int,
    samples: int,
) -> None:
    events = samples_of(registry, schema, version)
    route = routes_on_version(
        name, example_rules[name], registry.schemas[schema].version(version), events
    )
    assert route == RouteOnVersion(name, version, matched, samples)
    # The count is the matcher's, event by event.
    assert matched == sum(matches(example_rules[name].pattern, event) for event in events)


def test_a_generated_event_counts_like_any_sample(
    registry: Registry, example_rules: dict[str, BusRule]
) -> None:
    schema = registry.schemas[f"{ORDERS}@OrderCreated"]
    events = samples_of(registry, schema.name, 2)
    big = json.loads(json.dumps(events[0]))
    big["detail"]["totalAmount"] = 1250
    route = routes_on_version(
        "big", example_rules["order-big-spender"], schema.version(2), [*events, big]
    )
    assert (route.matched, route.samples) == (1, len(events) + 1)


def test_a_version_without_samples_has_nothing_to_count(
    registry: Registry, example_rules: dict[str, BusRule]
) -> None:
    version = registry.schemas[f"{ORDERS}@OrderCreated"].version(1)
    route = routes_on_version("big", example_rules["order-big-spender"], version, [])
    assert route == RouteOnVersion("big", 1, 0, 0)
