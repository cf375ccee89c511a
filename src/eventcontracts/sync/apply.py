"""Carrying out a plan: only its writes, each checked, safe to run again after a failure.

Each write is retried on its own (throttling, 5xx, a dropped connection) with jittered
exponential backoff; a schema whose write still fails is reported as not done and the apply
goes on with the next schema, so every run makes what progress it can and says exactly what it
did and did not do.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError  # type: ignore[import-untyped, unused-ignore]

# The runtime's retry policy: the runtime package is lazy (runtime/__init__.py), so this loads
# its retry module and no pydantic into the CLI.
from eventcontracts.runtime import (
    call_error_status,
    describe_call_error,
    is_call_error,
    is_retryable,
    retry,
)
from eventcontracts.schema.canonical import canonical_text
from eventcontracts.sync.plan import Action, Plan

ATTEMPTS = 8
BASE_DELAY = 0.1
MAX_DELAY = 5.0


@dataclass
class ApplyResult:
    done: list[str] = field(default_factory=list)  # a line per action carried out
    not_done: list[str] = field(default_factory=list)  # a line per action not, and why

    @property
    def complete(self) -> bool:
        return not self.not_done


class _NotDone(Exception):
    """An action that could not be carried out; the message says why."""


def apply(
    plan: Plan,
    client: Any,
    *,
    writer: Any = None,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> ApplyResult:
    """Do what ``plan`` says; what was done and what was not, a line each.

    A version is written only after the registry's latest content was read and found
    different. A write that fails is sent again as it was: UpdateSchema with the same
    ClientTokenId (the model's idempotency token, so a retry of a write that did happen makes
    no second version), CreateSchema knowing that a second one is refused as a conflict (and
    the content then read back). The versions of a schema go in order and its digest tag
    last: once one fails, the rest of that schema waits for the next run, which resumes where
    this one stopped; other schemas go on.
    """
    rng = rng or random.Random()
    writer = writer or client  # reads retry on their own; versioned writes are retried here
    result = ApplyResult()
    failed_schemas: set[str] = set()
    name = plan.registry_name
    for index, action in enumerate(plan.actions):
        if action.schema in failed_schemas:
            result.not_done.append(f"{action.describe()}: an earlier write of it was not done")
            continue
        try:
            outcome = _carry_out(action, name, client, writer, sleep, rng)
        except _NotDone as e:
            result.not_done.append(f"{action.describe()}: {e}")
            if action.kind == "create-registry":  # nothing else can be done without it
                rest = plan.actions[index + 1 :]
                result.not_done += [f"{a.describe()}: no registry" for a in rest]
                break
            failed_schemas.add(action.schema)
            continue
        result.done.append(f"{action.describe()}{outcome}")
    return result


def _carry_out(
    action: Action,
    registry: str,
    client: Any,
    writer: Any,
    sleep: Callable[[float], None],
    rng: random.Random,
) -> str:
    """Carry out ``action``; a note on how ('' for plainly) or _NotDone."""
    if action.kind == "create-registry":
        return _retrying(
            lambda: writer.create_registry(RegistryName=registry),
            sleep,
            rng,
            settled={"ConflictException": " (it was there already)"},
        )
    if action.kind in ("create-schema", "update-schema"):
        return _put_version(client, writer, registry, action, sleep, rng)
    if action.kind == "delete-schema":
        return _retrying(
            lambda: writer.delete_schema(RegistryName=registry, SchemaName=action.schema),
            sleep,
            rng,
            settled={"NotFoundException": " (it was gone already)"},
        )
    if action.kind == "tag":
        arn = _read(lambda: client.describe_schema(RegistryName=registry, SchemaName=action.schema))
        return _retrying(
            lambda: writer.tag_resource(ResourceArn=arn["SchemaArn"], Tags=dict(action.tags)),
            sleep,
            rng,
        )
    raise ValueError(f"unknown action {action.kind!r}")


def _put_version(
    client: Any,
    writer: Any,
    registry: str,
    action: Action,
    sleep: Callable[[float], None],
    rng: random.Random,
) -> str:
    wanted = canonical_text(json.loads(action.content))
    latest = _latest(client, registry, action.schema)
    if latest == wanted:
        # The plan compares every version, and refuses a local version equal to the one
        # before it, so this is a write an earlier run made without hearing the answer.
        return " (it was there already)"
    token = str(uuid.uuid4())  # one per version and run: the same for each of its retries
    arguments = {
        "RegistryName": registry,
        "SchemaName": action.schema,
        "Type": action.type,
        "Content": action.content,
    }
    if latest is None:
        outcome = _retrying(
            lambda: writer.create_schema(**arguments),
            sleep,
            rng,
            settled={"ConflictException": ""},
        )
        if outcome == "":
            return ""
        # It exists: an earlier attempt whose answer was lost, or someone else. Which one?
        if _latest(client, registry, action.schema) == wanted:
            return " (it was there already)"
        raise _NotDone("the schema was created meanwhile with other content; run plan again")
    return _retrying(
        lambda: writer.update_schema(**arguments, ClientTokenId=token),
        sleep,
        rng,
    )


def _retrying(
    call: Callable[[], Any],
    sleep: Callable[[float], None],
    rng: random.Random,
    settled: dict[str, str] | None = None,
) -> str:
    """Make ``call`` until it is answered; '' when done, ``settled[code]`` when answered with
    an error that means it needs no doing; _NotDone when refused or out of attempts.

    Only what may succeed next time is retried (throttling, a 5xx, no answer): a denied or
    invalid write fails after one call."""
    settled = settled or {}

    def attempt() -> str:
        try:
            call()
        except ClientError as e:
            code, _ = describe_call_error(e)
            if code in settled:
                return settled[code]
            raise
        return ""

    try:
        return retry(
            attempt,
            attempts=ATTEMPTS,
            base_delay=BASE_DELAY,
            max_delay=MAX_DELAY,
            sleep=sleep,
            rng=rng,
        )
    except Exception as e:
        if not is_call_error(e):
            raise  # the tool's own bug
        if is_retryable(e):
            raise _NotDone(f"{ATTEMPTS} attempts failed, the last with {_why(e)}") from None
        raise _NotDone(_why(e)) from None


def _read(call: Callable[[], Any]) -> Any:
    """A read through the retrying client; _NotDone when even its retries failed."""
    try:
        return call()
    except Exception as e:
        if not is_call_error(e):
            raise  # the tool's own bug
        raise _NotDone(f"reading the registry failed: {_why(e)}") from None


def _latest(client: Any, registry: str, schema: str) -> str | None:
    """The latest version's content, canonical; None when the schema does not exist."""

    def describe() -> Any:
        try:
            return client.describe_schema(RegistryName=registry, SchemaName=schema)
        except client.exceptions.NotFoundException:
            return None

    described = _read(describe)
    if described is None:
        return None
    try:
        return canonical_text(json.loads(described["Content"]))
    except (ValueError, RecursionError):  # compared as text: differs from any local version
        return str(described["Content"])


def _why(error: Exception) -> str:
    """A failed call in a line: its error code, the HTTP status if the service answered, and
    its message."""
    code, message = describe_call_error(error)
    status = call_error_status(error)
    return f"{code}: {message}" if status is None else f"{code} ({status}): {message}"
