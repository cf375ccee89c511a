"""The AWS clients the runtime makes itself, made once per process and reused.

Making a boto3 client costs about 16 ms (it loads the service model) and a new client opens new
TLS connections, so one made per :func:`publish` call, per poll or per redrive would be paid on
every warm Lambda invocation. Each client here is made on first use and kept for the process,
one per service, region and endpoint (as the environment names them when it is asked for: a
process that changes ``AWS_DEFAULT_REGION`` or ``AWS_ENDPOINT_URL`` gets a client for the new
ones). A client the caller passes is always used as it is and never kept here.

boto3 clients are thread-safe, sessions are not: clients are made from a session of the
runtime's own (not boto3's default session, which the application may be using on another
thread; one per ``AWS_PROFILE``), under a lock. Like boto3's default session, a session reads
credentials and the shared config files once; a change of them needs a new process (or
:func:`forget_clients`).
"""

from __future__ import annotations

import os
import threading
from typing import Any

# The environment variables that choose where a client goes, besides the service's own
# AWS_ENDPOINT_URL_<SERVICE ID> (botocore's names).
_PLACE_VARIABLES = (
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_PROFILE",
)

# botocore's service ids, as the suffix of their endpoint variable (AWS_ENDPOINT_URL_SQS).
_SERVICE_ID_VARIABLES = {
    "events": "AWS_ENDPOINT_URL_EVENTBRIDGE",
    "sqs": "AWS_ENDPOINT_URL_SQS",
    "s3": "AWS_ENDPOINT_URL_S3",
    "dynamodb": "AWS_ENDPOINT_URL_DYNAMODB",
}

_lock = threading.Lock()
_sessions: dict[str | None, Any] = {}  # by AWS_PROFILE: a session reads it when it is made
_clients: dict[tuple[object, ...], Any] = {}


def shared_client(service: str, *, botocore_retries: bool = True) -> Any:
    """The runtime's client for ``service`` where the environment points now, made on first use.

    ``botocore_retries=False`` turns botocore's own retries off, for callers that retry
    themselves (publish, redrive): both on would multiply the attempts.
    """
    environ = os.environ
    key = (
        service,
        botocore_retries,
        os.getpid(),  # a forked child makes its own: connections are not shared across processes
        environ.get(_SERVICE_ID_VARIABLES.get(service, f"AWS_ENDPOINT_URL_{service.upper()}")),
        *(environ.get(name) for name in _PLACE_VARIABLES),
    )
    client = _clients.get(key)
    if client is not None:
        return client
    with _lock:
        client = _clients.get(key)  # another thread may have made it while this one waited
        if client is None:
            client = _clients[key] = _make(service, botocore_retries)
    return client


def forget_clients() -> None:
    """Drop every client and session: the next ones read credentials and config afresh."""
    with _lock:
        _clients.clear()
        _sessions.clear()


def _make(service: str, botocore_retries: bool) -> Any:
    """A new client from the runtime's session for the current profile; the caller holds the
    lock."""
    import boto3.session  # type: ignore[import-untyped, unused-ignore]

    profile = os.environ.get("AWS_PROFILE")
    session = _sessions.get(profile)
    if session is None:
        session = _sessions[profile] = boto3.session.Session()
    if botocore_retries:
        return session.client(service)
    from botocore.config import Config  # type: ignore[import-untyped, unused-ignore]

    return session.client(service, config=Config(retries={"total_max_attempts": 1}))
