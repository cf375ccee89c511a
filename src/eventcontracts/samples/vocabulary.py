"""The words real events are made of: region codes, ISO country and currency codes, names,
cities. Data only; :mod:`eventcontracts.samples.names` says which field takes which.

Each list starts with the value the fixed build (the catalog's one event per version) takes,
so that build reads the same whichever list grows: a seeded build picks among them all.
"""

from __future__ import annotations

# Regions an envelope is drawn from: the commercial regions most accounts run in.
ENVELOPE_REGIONS = (
    "us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1",
    "eu-north-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-south-1",
    "ca-central-1", "sa-east-1",
)  # fmt: skip

# Every region code EventBridge runs in (commercial, GovCloud, China): what a ``*region*``
# field may hold, and what tests check a region field against.
REGIONS = (
    *ENVELOPE_REGIONS,
    "us-west-1", "af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-7", "ap-northeast-2", "ap-northeast-3", "ca-west-1",
    "eu-central-2", "eu-west-3", "eu-south-1", "eu-south-2", "il-central-1", "me-south-1",
    "me-central-1", "mx-central-1", "us-gov-east-1", "us-gov-west-1", "cn-north-1",
    "cn-northwest-1",
)  # fmt: skip

# ISO 3166-1 alpha-2, the countries events most often name.
COUNTRIES = (
    "US", "GB", "DE", "FR", "CA", "AU", "JP", "IN", "BR", "NL", "SE", "ES", "IT", "IE", "SG",
    "NZ", "MX", "ZA", "CH", "PL",
)  # fmt: skip

# ISO 4217.
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "SEK", "INR", "BRL", "SGD", "NZD")

FIRST_NAMES = (
    "Jane", "John", "Maria", "Wei", "Aisha", "Carlos", "Emma", "Liam", "Priya", "Kenji",
    "Sofia", "Noah", "Olivia", "Mateo", "Chloe", "Omar", "Hannah", "Lucas", "Mia", "Ethan",
)  # fmt: skip

LAST_NAMES = (
    "Doe", "Smith", "Garcia", "Chen", "Khan", "Silva", "Müller", "Johnson", "Patel", "Tanaka",
    "Rossi", "Brown", "Martin", "Nguyen", "Kowalski", "Murphy", "Lopez", "Wilson", "Kim",
    "Andersson",
)  # fmt: skip

CITIES = (
    "Seattle", "London", "Berlin", "Sydney", "Tokyo", "Toronto", "São Paulo", "Dublin",
    "Singapore", "Mumbai", "Paris", "Stockholm", "Austin", "Amsterdam", "Madrid",
)  # fmt: skip

STREETS = (
    "Main St", "Park Ave", "High St", "Oak Rd", "Market St", "King St", "Elm St", "Pine Ave",
)  # fmt: skip

# Words for names of things (buckets, functions, pipelines...): what teams call them.
WORDS = (
    "orders", "payments", "billing", "inventory", "checkout", "shipping", "customers", "reports",
    "audit", "analytics", "notifications", "catalog",
)  # fmt: skip

PROMO_CODES = ("SAVE10", "WELCOME15", "SPRING20", "FREESHIP", "VIP25")

# What a field of an AWS service's event holds, by (ARN service, field name): the values the
# service sends (EC2's instance states, Step Functions' execution statuses...).
SERVICE_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("ec2", "state"): ("running", "pending", "stopping", "stopped", "shutting-down", "terminated"),
    ("states", "status"): ("SUCCEEDED", "RUNNING", "FAILED", "TIMED_OUT", "ABORTED"),
    ("codepipeline", "state"): ("SUCCEEDED", "STARTED", "FAILED", "STOPPED", "SUPERSEDED"),
    ("ecs", "lastStatus"): ("RUNNING", "PENDING", "STOPPED", "PROVISIONING", "DEPROVISIONING"),
    ("ecs", "desiredStatus"): ("RUNNING", "STOPPED"),
    ("elasticmapreduce", "state"): ("COMPLETED", "RUNNING", "PENDING", "FAILED", "CANCELLED"),
}

USER_AGENTS = (
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1 lang/python#3.12.2",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
)
