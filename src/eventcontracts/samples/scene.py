"""The world an event happens in: the account, the region and the moment, shared by the
envelope and every field of the detail that names one of them (``accountId``, ``awsRegion``,
``*Arn``, ``createdAt``), so one event never contradicts itself.

The fixed scene (the catalog's) is the same for every event. A seeded scene (``eventcontracts
sample``) has one account and one region per seed, as a team's events come from their own
account and region, and a moment per event in the 30 days before :data:`ANCHOR`: a fixed
instant, so the output depends on the seed alone, and one in the past, so no sample is dated in
the future of the day it is printed.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

from eventcontracts.samples.choices import Fixed
from eventcontracts.samples.vocabulary import ENVELOPE_REGIONS, WORDS
from eventcontracts.schema.formats import sample as format_sample

# The fixed scene's account, region and moment. The moment is the format table's date-time, so
# the catalog's events read like the rest of the docs.
ACCOUNT = "123456789012"
REGION = "us-east-1"
TIME: str = format_sample("date-time") or "2026-01-15T09:30:00Z"

# Seeded events happen in the RECENT_DAYS before this instant.
ANCHOR = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
RECENT_DAYS = 30


@dataclass(frozen=True)
class Scene:
    account: str
    region: str
    moment: dt.datetime  # the envelope's time, UTC, whole seconds

    @property
    def time(self) -> str:
        """The envelope's ``time`` as EventBridge writes it: whole seconds, UTC, ``Z``."""
        return stamp(self.moment)

    def detail_time(self, choices: Fixed) -> dt.datetime:
        """A moment of the detail: at or a little before the envelope's (what it reports had
        happened when it was sent)."""
        return self.moment - dt.timedelta(seconds=choices.seconds_before())

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{self.account}:{resource}"


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


FIXED_SCENE = Scene(ACCOUNT, REGION, dt.datetime.fromisoformat(TIME.replace("Z", "+00:00")))


def seeded_scene(seed: int, rng: random.Random) -> Scene:
    """The scene of one event of ``seed``: the seed's account and region, a moment ``rng``
    draws in the :data:`RECENT_DAYS` before :data:`ANCHOR`."""
    envelope = random.Random(f"eventcontracts-sample:{seed}:envelope")
    account = str(envelope.randint(10**11, 10**12 - 1))  # 12 digits, no leading zero
    region = envelope.choice(ENVELOPE_REGIONS)
    seconds = rng.randint(1, RECENT_DAYS * 24 * 3600)
    return Scene(account, region, ANCHOR - dt.timedelta(seconds=seconds))


# --- ARNs --------------------------------------------------------------------------------------

# The service of an ARN where it is not the source's last word.
_ARN_SERVICES = {"emr": "elasticmapreduce", "cloudwatch": "cloudwatch", "ses": "ses"}


def service_of(source: str) -> str:
    """``aws.ecs`` -> ``ecs``, ``aws.emr`` -> ``elasticmapreduce``; a custom source's last word."""
    service = source.removeprefix("aws.").rsplit(".", 1)[-1].lower() or "events"
    service = re.sub(r"[^a-z0-9-]", "-", service)
    return _ARN_SERVICES.get(service, service)


def instance_id(choices: Fixed) -> str:
    """An EC2 instance id, one per event (the detail's ``instance-id`` is its resource's)."""
    return choices.remembered("ec2:instance", lambda: f"i-0{choices.hex(16)}")


def state_machine(choices: Fixed) -> str:
    """A Step Functions state machine's name, one per event (its execution's and its own ARN)."""
    return choices.remembered("states:machine", lambda: f"{choices.choice(WORDS)}-workflow")


def _name(choices: Fixed) -> str:
    return f"{choices.choice(WORDS)}-{choices.hex(6)}"


# What an event of an AWS service lists in ``resources`` (and what its ARN fields name): the
# resource part of the ARN. A service missing here lists none (as most custom events do).
SERVICE_RESOURCES = {
    "ec2": lambda c: f"instance/{instance_id(c)}",
    "ecs": lambda c: f"task/default/{c.hex(32)}",
    "lambda": lambda c: f"function:{_name(c)}",
    "states": lambda c: f"execution:{state_machine(c)}:{c.uuid('', ())}",
    "codepipeline": lambda c: f"{c.choice(WORDS)}-pipeline",
    "dynamodb": lambda c: f"table/{c.choice(WORDS)}",
    "sqs": lambda c: f"{c.choice(WORDS)}-queue",
    "sns": lambda c: f"{c.choice(WORDS)}-topic",
    "elasticmapreduce": lambda c: f"cluster/j-{c.hex(13).upper()}",
    "rds": lambda c: f"db:{c.choice(WORDS)}-db",
    "autoscaling": lambda c: (
        f"autoScalingGroup:{c.uuid('', ())}:autoScalingGroupName/{c.choice(WORDS)}-asg"
    ),
}


def service_resource(source: str, choices: Fixed) -> str | None:
    """The ARN resource an event of ``source`` is about (one per event: ``resources`` and the
    detail's ARN of that kind agree), or None for a service not known."""
    service = service_of(source)
    make = SERVICE_RESOURCES.get(service)
    if make is None:
        return None
    return str(choices.remembered(f"resource:{service}", lambda: make(choices)))
