"""Reading a schema's versions from the registry: shared by plan and pull."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


def version_contents(
    client: Any, registry: str, schema: str, on_call: Callable[[], None] = lambda: None
) -> Iterator[tuple[int, str]]:
    """``(number, content)`` of every version of ``schema``, oldest first (every page read)."""
    numbers: list[int] = []
    for page in client.get_paginator("list_schema_versions").paginate(
        RegistryName=registry, SchemaName=schema
    ):
        on_call()
        numbers += [int(v["SchemaVersion"]) for v in page.get("SchemaVersions", [])]
    for number in sorted(numbers):
        described = client.describe_schema(
            RegistryName=registry, SchemaName=schema, SchemaVersion=str(number)
        )
        on_call()
        yield number, str(described["Content"])
