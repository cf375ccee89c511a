"""Carrying out a plan: only its writes, each checked, safe to run again after a failure."""

from __future__ import annotations

import contextlib
from typing import Any

from eventcontracts.sync.plan import Plan


def apply(plan: Plan, client: Any) -> list[str]:
    """Do what ``plan`` says; a line per write done. A failure leaves the registry consistent:
    a schema's digest tag is written only after all its versions, so the next plan resumes."""
    done = []
    name = plan.registry_name
    for action in plan.actions:
        if action.kind == "create-registry":
            # ConflictException: an earlier, interrupted run created it.
            with contextlib.suppress(client.exceptions.ConflictException):
                client.create_registry(RegistryName=name)
        elif action.kind == "create-schema":
            try:
                client.create_schema(
                    RegistryName=name,
                    SchemaName=action.schema,
                    Type=action.type,
                    Content=action.content,
                )
            except client.exceptions.ConflictException:
                # An earlier run created it and lost the answer: an identical update adds nothing.
                client.update_schema(
                    RegistryName=name,
                    SchemaName=action.schema,
                    Type=action.type,
                    Content=action.content,
                )
        elif action.kind == "update-schema":
            client.update_schema(
                RegistryName=name,
                SchemaName=action.schema,
                Type=action.type,
                Content=action.content,
            )
        elif action.kind == "tag":
            arn = client.describe_schema(RegistryName=name, SchemaName=action.schema)["SchemaArn"]
            client.tag_resource(ResourceArn=arn, Tags=dict(action.tags))
        done.append(action.describe())
    return done
