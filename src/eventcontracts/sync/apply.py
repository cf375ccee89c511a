"""Carrying out a plan: only its writes, each checked, safe to run again after a failure."""

from __future__ import annotations

import contextlib
import json
import random
import time
from collections.abc import Callable
from typing import Any

from eventcontracts.sync.plan import Action, Plan, canonical

ATTEMPTS = 8
BASE_DELAY = 0.1
MAX_DELAY = 5.0


def apply(
    plan: Plan,
    client: Any,
    *,
    writer: Any = None,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> list[str]:
    """Do what ``plan`` says; a line per write done.

    A version is written only after the registry's latest content was read and found
    different, and a failed write is retried the same way: a write whose answer was lost
    (throttled, a 500, a dropped connection) is never made twice, so no version is
    duplicated. A schema is tagged as synced only after all its versions, so the next plan
    resumes where a failed run stopped.
    """
    rng = rng or random.Random()
    writer = writer or client  # reads retry on their own; versioned writes are retried here
    done = []
    name = plan.registry_name
    for action in plan.actions:
        if action.kind == "create-registry":
            # ConflictException: an earlier, interrupted run created it.
            with contextlib.suppress(client.exceptions.ConflictException):
                client.create_registry(RegistryName=name)
        elif action.kind in ("create-schema", "update-schema"):
            _put_version(client, writer, name, action, sleep, rng)
        elif action.kind == "delete-schema":
            with contextlib.suppress(client.exceptions.NotFoundException):  # already gone
                writer.delete_schema(RegistryName=name, SchemaName=action.schema)
        elif action.kind == "tag":
            arn = client.describe_schema(RegistryName=name, SchemaName=action.schema)["SchemaArn"]
            client.tag_resource(ResourceArn=arn, Tags=dict(action.tags))
        done.append(action.describe())
    return done


def _put_version(
    client: Any,
    writer: Any,
    registry: str,
    action: Action,
    sleep: Callable[[float], None],
    rng: random.Random,
) -> None:
    wanted = canonical(json.loads(action.content))
    for attempt in range(ATTEMPTS):
        latest = _latest(client, registry, action.schema)
        if latest == wanted:
            return  # there already: an earlier attempt got through
        try:
            if latest is None:
                writer.create_schema(
                    RegistryName=registry,
                    SchemaName=action.schema,
                    Type=action.type,
                    Content=action.content,
                )
            else:
                writer.update_schema(
                    RegistryName=registry,
                    SchemaName=action.schema,
                    Type=action.type,
                    Content=action.content,
                )
            return
        except Exception:
            if attempt == ATTEMPTS - 1:
                raise
            # Full jitter; the next attempt first reads what the registry now holds.
            sleep(rng.uniform(0, min(MAX_DELAY, BASE_DELAY * 2**attempt)))


def _latest(client: Any, registry: str, schema: str) -> str | None:
    """The latest version's content, canonical; None when the schema does not exist."""
    try:
        described = client.describe_schema(RegistryName=registry, SchemaName=schema)
    except client.exceptions.NotFoundException:
        return None
    try:
        return canonical(json.loads(described["Content"]))
    except ValueError:
        return str(described["Content"])
