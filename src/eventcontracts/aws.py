"""boto3 clients for the commands that talk to AWS: a region, a profile, an endpoint, retries."""

from __future__ import annotations

from typing import Any


def aws_client(
    service: str,
    *,
    region: str | None = None,
    profile: str | None = None,
    endpoint_url: str | None = None,
    retries: bool = True,
) -> Any:
    """A client of ``service``; with ``retries``, botocore retries throttling, 5xx and dropped
    connections (standard mode). Callers that retry on their own terms (a sync write, a redrive's
    PutEvents) take one without, so attempts are not multiplied or repeated blindly."""
    import boto3  # type: ignore[import-untyped, unused-ignore]
    from botocore.config import Config  # type: ignore[import-untyped, unused-ignore]

    session = boto3.Session(profile_name=profile) if profile else boto3.Session()
    return session.client(
        service,
        region_name=region or session.region_name or "us-east-1",
        endpoint_url=endpoint_url,
        config=Config(
            retries={"mode": "standard", "max_attempts": 10}
            if retries
            else {"mode": "standard", "total_max_attempts": 1}
        ),
    )
