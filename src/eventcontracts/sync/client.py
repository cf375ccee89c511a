"""The boto3 client sync talks to: a region, a profile, an endpoint, retries that fit."""

from __future__ import annotations

from typing import Any


def schemas_client(
    *, region: str | None = None, profile: str | None = None, endpoint_url: str | None = None
) -> Any:
    """A ``schemas`` client that retries throttling, 5xx and dropped connections with backoff
    (botocore's standard retry mode), so an interrupted call is retried, not lost."""
    import boto3  # type: ignore[import-untyped, unused-ignore]
    from botocore.config import Config  # type: ignore[import-untyped, unused-ignore]

    session = boto3.Session(profile_name=profile) if profile else boto3.Session()
    return session.client(
        "schemas",
        region_name=region or session.region_name or "us-east-1",
        endpoint_url=endpoint_url,
        config=Config(retries={"mode": "standard", "max_attempts": 10}),
    )
