"""The boto3 client sync talks to: a region, a profile, an endpoint, retries that fit."""

from __future__ import annotations

from typing import Any


def schemas_client(
    *,
    region: str | None = None,
    profile: str | None = None,
    endpoint_url: str | None = None,
    retries: bool = True,
) -> Any:
    """A ``schemas`` client; with ``retries``, botocore retries throttling, 5xx and dropped
    connections (standard mode). ``apply`` writes through a client without them: a write whose
    answer was lost may have happened, so it reads what the registry holds before trying again,
    where botocore would simply send it again (and could make a version twice)."""
    import boto3  # type: ignore[import-untyped, unused-ignore]
    from botocore.config import Config  # type: ignore[import-untyped, unused-ignore]

    session = boto3.Session(profile_name=profile) if profile else boto3.Session()
    client = session.client(
        "schemas",
        region_name=region or session.region_name or "us-east-1",
        endpoint_url=endpoint_url,
        config=Config(
            retries={"mode": "standard", "max_attempts": 10}
            if retries
            else {"mode": "standard", "total_max_attempts": 1}
        ),
    )
    return client
