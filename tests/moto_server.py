"""Pytest fixtures for the runtime tests: a real moto server on 127.0.0.1 and real boto3 clients.

boto3 talks HTTP to the server exactly as it would to AWS; nothing in boto3 is patched. The
server runs once per session (starting it costs about a second) and its state is reset before
each test that uses ``aws``.

Test modules load it with ``pytest_plugins`` and also import its helpers, so pytest is told not
to rewrite its asserts (it has none): PYTEST_DONT_REWRITE.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from eventcontracts.runtime._clients import forget_clients

REGION = "us-east-1"

# Our own retry policy is under test: botocore's must not retry on top of it.
NO_BOTOCORE_RETRIES = Config(retries={"total_max_attempts": 1})


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """The URL of a moto server bound to a free port on the loopback interface."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@dataclass(frozen=True)
class Aws:
    """Clients and a few set-up steps against the moto server."""

    endpoint: str

    def client(self, service: str) -> Any:
        return boto3.client(
            service, region_name=REGION, endpoint_url=self.endpoint, config=NO_BOTOCORE_RETRIES
        )

    def routed_queue(self, bus: str, source: str, detail_type: str, name: str = "events") -> str:
        """Create ``bus`` (unless "default"), a queue, and a rule sending the bus's events of
        ``source`` and ``detail_type`` to the queue; return the queue URL."""
        events, sqs = self.client("events"), self.client("sqs")
        if bus != "default":
            events.create_event_bus(Name=bus)
        queue_url: str = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
        pattern = {"source": [source], "detail-type": [detail_type]}
        events.put_rule(Name=f"{name}-rule", EventBusName=bus, EventPattern=json.dumps(pattern))
        events.put_targets(
            Rule=f"{name}-rule",
            EventBusName=bus,
            Targets=[
                {
                    "Id": "queue",
                    "Arn": arn["Attributes"]["QueueArn"],
                    # Real EventBridge delivers the whole event to a target. moto's default
                    # template leaves out "account", so ask for the whole event explicitly with
                    # the reserved variable both support.
                    "InputTransformer": {"InputTemplate": "<aws.events.event.json>"},
                }
            ],
        )
        return queue_url

    def bucket(self, name: str = "event-payloads") -> str:
        """Create the S3 bucket ``name`` and return its name."""
        self.client("s3").create_bucket(Bucket=name)
        return name

    def drain(self, queue_url: str, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Receive and delete every message in the queue; return the event bodies, parsed."""
        sqs = self.client("sqs")
        bodies: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
                "Messages", []
            )
            if not messages:
                break
            for message in messages:
                bodies.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        return bodies

    def queue_counts(self, queue_url: str) -> tuple[int, int]:
        """(visible, in flight) messages of the queue."""
        attributes = self.client("sqs").get_queue_attributes(
            QueueUrl=queue_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return (
            int(attributes["ApproximateNumberOfMessages"]),
            int(attributes["ApproximateNumberOfMessagesNotVisible"]),
        )


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Aws:
    """A fresh moto account, with the environment pointing every default boto3 client at it."""
    request = urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass
    # Dummy credentials and no config files of the machine's user: nothing can reach real AWS.
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    # Clients the runtime creates itself (client=None) find the server through this variable.
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    # boto3's default session caches what it resolved; a fresh one reads the variables above.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    # ... and so do the clients the runtime makes itself and keeps (runtime/_clients.py).
    forget_clients()
    return Aws(moto_endpoint)
