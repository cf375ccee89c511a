"""Benchmark: hypothesis strategies of events, ours against hypothesis-jsonschema alone.

For every schema version of the example catalog, and a synthetic "medium" event (21 detail
properties: formats, patterns, a nested object, an array of objects, enums, nullable fields),
it times a ``@given`` test drawing whole events, in one run:

- ours: ``eventcontracts.contract.events(...)`` (compiled strategy, the validation guard
  included), the strategy built before the timing (a warm cache);
- hypothesis-jsonschema alone: ``hypothesis_jsonschema.from_schema`` on the same event schema,
  every ``$ref`` resolved and inlined, with the formats it lacks (``uuid``, ``duration``) given
  as ``custom_formats``.

Each figure is examples per second over ``--examples`` examples (default 200), best of
``--runs`` passes; the ratio is ours over theirs. Then the medium schema's "200 examples"
wall time both ways, as a test run measures it: a fresh ``@given`` test with
``max_examples=200``, strategy lookup on a warm cache included.

Run it with `.venv/bin/python bench/contract_bench.py`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import hypothesis_jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchlib import ENVELOPE_REQUIRED
from eventcontracts.contract import events
from eventcontracts.contract.strategies import find_target
from eventcontracts.contract.strategies.context import Context
from eventcontracts.contract.strategies.fallback import inline
from eventcontracts.contract.strategies.formats import FORMATS

ROOT = Path(__file__).resolve().parents[1]
MEDIUM = "com.mycompany.bench@MediumOrder"


def _envelope(detail_type: str, source: str) -> dict[str, Any]:
    string = {"type": "string"}
    return {
        "type": "object",
        "required": list(ENVELOPE_REQUIRED),
        "x-amazon-events-detail-type": detail_type,
        "x-amazon-events-source": source,
        "properties": {
            "detail": {"$ref": "#/components/schemas/MediumOrder"},
            "account": string,
            "detail-type": string,
            "id": string,
            "region": string,
            "resources": {"type": "array", "items": string},
            "source": string,
            "time": {"type": "string", "format": "date-time"},
            "version": string,
        },
    }


# The synthetic medium event: 21 detail properties of the kinds real event schemas use.
MEDIUM_SCHEMA: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {"version": "1.0.0", "title": "MediumOrder"},
    "paths": {},
    "components": {
        "schemas": {
            "AWSEvent": _envelope("Medium Order", "com.mycompany.bench"),
            "MediumOrder": {
                "type": "object",
                "required": [
                    "orderId",
                    "customerId",
                    "customerEmail",
                    "createdAt",
                    "status",
                    "priority",
                    "totalAmount",
                    "currency",
                    "discountCode",
                    "items",
                    "shippingAddress",
                    "channel",
                    "loyaltyPoints",
                    "isGift",
                    "metadata",
                ],
                "properties": {
                    "orderId": {"type": "string", "pattern": "^ORD-[0-9]{6}$"},
                    "customerId": {"type": "string", "format": "uuid"},
                    "customerEmail": {"type": "string", "format": "email"},
                    "createdAt": {"type": "string", "format": "date-time"},
                    "deliveryDate": {"type": "string", "format": "date"},
                    "status": {
                        "type": "string",
                        "enum": ["PENDING", "PAID", "SHIPPED", "CANCELLED"],
                    },
                    "priority": {"type": "integer", "minimum": 1, "maximum": 5},
                    "totalAmount": {"type": "number", "minimum": 0, "maximum": 100000},
                    "currency": {"type": "string", "enum": ["USD", "EUR", "GBP"]},
                    "discountCode": {"type": "string", "nullable": True, "maxLength": 20},
                    "giftMessage": {"type": "string", "nullable": True, "maxLength": 200},
                    "items": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 20,
                        "items": {"$ref": "#/components/schemas/LineItem"},
                    },
                    "shippingAddress": {"$ref": "#/components/schemas/Address"},
                    "billingAddress": {
                        "nullable": True,
                        "allOf": [{"$ref": "#/components/schemas/Address"}],
                    },
                    "channel": {"type": "string", "enum": ["web", "mobile-app", "pos"]},
                    "ipAddress": {"type": "string", "format": "ipv4"},
                    "userAgent": {"type": "string", "maxLength": 100},
                    "processingTime": {"type": "string", "format": "duration"},
                    "loyaltyPoints": {"type": "integer", "minimum": 0, "multipleOf": 10},
                    "isGift": {"type": "boolean"},
                    "metadata": {
                        "type": "object",
                        "required": ["correlationId", "traceId"],
                        "properties": {
                            "correlationId": {"type": "string", "format": "uuid"},
                            "traceId": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
                            "host": {"type": "string", "format": "hostname"},
                        },
                    },
                },
            },
            "LineItem": {
                "type": "object",
                "required": ["sku", "quantity", "unitPrice"],
                "properties": {
                    "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
                    "quantity": {"type": "integer", "minimum": 1, "maximum": 100},
                    "unitPrice": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
                    "tags": {
                        "type": "array",
                        "maxItems": 5,
                        "uniqueItems": True,
                        "items": {"type": "string", "minLength": 1, "maxLength": 12},
                    },
                },
            },
            "Address": {
                "type": "object",
                "required": ["street", "city", "postalCode", "country"],
                "properties": {
                    "street": {"type": "string", "minLength": 1},
                    "city": {"type": "string", "minLength": 1},
                    "postalCode": {"type": "string", "pattern": "^[0-9A-Z -]{3,10}$"},
                    "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
                    "region": {"type": "string", "nullable": True},
                },
            },
        }
    },
}


def bench_registry() -> Path:
    """A copy of the example catalog with the medium schema added."""
    out = Path(tempfile.mkdtemp(prefix="evc-contract-bench-"))
    shutil.copytree(ROOT / "registry", out / "registry")
    folder = out / "registry" / "com.mycompany.bench" / "MediumOrder"
    folder.mkdir(parents=True)
    (folder / "v1.json").write_text(json.dumps(MEDIUM_SCHEMA, indent=2), encoding="utf-8")
    return out / "registry"


def theirs(schema: str, version: int, registry: Path) -> st.SearchStrategy[Any]:
    """hypothesis-jsonschema alone, on the version's event schema with every ref inlined."""
    target = find_target(schema, version, registry)
    context = Context(target.resolver, target.version)
    envelope, scope = context.start(target.version.envelope_pointer)
    resolved = {"$schema": context.dialect_uri, **inline(envelope, scope, context)}
    custom = {name: FORMATS[name](False) for name in ("uuid", "duration")}
    return hypothesis_jsonschema.from_schema(resolved, custom_formats=custom)


def run_given(strategy: st.SearchStrategy[Any], examples: int) -> float:
    """Seconds for a @given test of ``examples`` examples that only receives the event."""
    seen = 0

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def receive(event: Any) -> None:
        nonlocal seen
        seen += 1

    started = time.perf_counter()
    receive()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    registry = bench_registry()
    names = [
        (schema.name, version.version)
        for schema in find_target(MEDIUM, None, registry).registry.schemas.values()
        for version in schema.versions
    ]
    print(f"examples per second, {args.examples} examples per run, best of {args.runs}")
    header = f"  {'schema version':<52} {'ours':>8} {'h-jsonschema':>13} {'ratio':>7}"
    print(header)
    for name, version in names:
        ours_strategy = events(name, version, registry=registry)
        their_strategy = theirs(name, version, registry)
        ours = min(run_given(ours_strategy, args.examples) for _ in range(args.runs))
        their = min(run_given(their_strategy, args.examples) for _ in range(args.runs))
        label = f"{name} v{version}"
        print(
            f"  {label:<52} {args.examples / ours:>8.0f} {args.examples / their:>13.0f} "
            f"{their / ours:>6.1f}x"
        )
    print(f"\n{MEDIUM} v1: 200 examples, wall time of a @given test (warm cache)")
    started = time.perf_counter()
    ours = run_given(events(MEDIUM, registry=registry), 200)
    ours_total = time.perf_counter() - started
    started = time.perf_counter()
    their_total = run_given(theirs(MEDIUM, 1, registry), 200)
    their_total = time.perf_counter() - started
    print(f"  ours                  {ours_total:6.2f} s")
    print(f"  hypothesis-jsonschema {their_total:6.2f} s   ({their_total / ours_total:.1f}x)")
    del ours
    shutil.rmtree(registry.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
