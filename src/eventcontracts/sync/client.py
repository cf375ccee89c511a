"""The boto3 client sync talks to: a region, a profile, an endpoint, retries that fit."""

from __future__ import annotations

from typing import Any

from eventcontracts.aws import aws_client


def schemas_client(
    *,
    region: str | None = None,
    profile: str | None = None,
    endpoint_url: str | None = None,
    retries: bool = True,
) -> Any:
    """A ``schemas`` client. ``apply`` writes through one without retries: a write whose answer
    was lost may have happened, so it reads what the registry holds before trying again, where
    botocore would simply send it again (and could make a version twice)."""
    return aws_client(
        "schemas", region=region, profile=profile, endpoint_url=endpoint_url, retries=retries
    )
