"""What a field's name says it holds, where its schema says nothing more (no format, no enum,
no example): the conventions of EventBridge events, one table.

:data:`STRING_HINTS` maps a regex over the property's name to how its value is made from the
:class:`Place` (the build's choices and the event's scene): ``customerId`` an id,
``clusterArn`` an ARN in the envelope's account and region, ``awsRegion`` the envelope's
region, ``createdAt`` the event's moment, ``firstName`` a first name, ``country`` an ISO 3166
code, ``currency`` an ISO 4217 one. :data:`NUMBER_HINTS` says which numbers are amounts (two
decimals) and which quantities (small whole numbers). The first match wins; the builder takes a
hint only where the schema accepts it (and the event is validated anyway).

:func:`format_value` is the same for a ``format``: in a seeded build a uuid is drawn, a
date-time is the event's moment; the fixed build takes the format table's sample.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from eventcontracts.samples.choices import Fixed
from eventcontracts.samples.scene import (
    Scene,
    instance_id,
    service_of,
    service_resource,
    stamp,
    state_machine,
)
from eventcontracts.samples.vocabulary import (
    CITIES,
    COUNTRIES,
    CURRENCIES,
    FIRST_NAMES,
    LAST_NAMES,
    PROMO_CODES,
    SERVICE_VALUES,
    STREETS,
    USER_AGENTS,
    WORDS,
)
from eventcontracts.schema.formats import sample as format_sample

Path = tuple[str | int, ...]

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|[-_\s.]+")


@dataclass(frozen=True)
class Place:
    """Where a value is built: the build's choices, the event's scene and source, the seed ids
    are derived from in the fixed build, and the path and name of the property."""

    choices: Fixed
    scene: Scene
    source: str
    seed: str
    path: Path

    @property
    def name(self) -> str:
        return str(self.path[-1]) if self.path and isinstance(self.path[-1], str) else ""


def words_of(name: str) -> list[str]:
    """``clusterArn`` -> ``["cluster", "arn"]``."""
    return [word.lower() for word in _WORD_BOUNDARY.split(name) if word]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _first(place: Place) -> str:
    return place.choices.remembered("first-name", lambda: place.choices.choice(FIRST_NAMES))


def _last(place: Place) -> str:
    return place.choices.remembered("last-name", lambda: place.choices.choice(LAST_NAMES))


def email(place: Place) -> str:
    """The event's person's address (the same person as its ``firstName``)."""
    return f"{_ascii(_first(place))}.{_ascii(_last(place))}@example.com"


def arn_of_name(place: Place) -> str:
    """``clusterArn`` -> ``arn:aws:ecs:<region>:<account>:cluster/...`` (service: the source's).
    In a seeded event of an AWS service, the ARN of the resource the event is about where the
    name says that kind (EC2's ``instanceArn``, Step Functions' ``executionArn``: the ARN in
    ``resources``)."""
    words = [word for word in words_of(place.name) if word != "arn"]
    kind = "-".join(words[-2:]) or "resource"
    choices = place.choices
    service = service_of(place.source)
    if choices.varied:
        resource = service_resource(place.source, choices)
        if resource is not None and re.split(r"[/:]", resource)[0].lower() == kind:
            return place.scene.arn(service, resource)
        if (service, kind) == ("states", "state-machine"):  # its execution's state machine
            return place.scene.arn(service, f"stateMachine:{state_machine(choices)}")
    name = "example-" + kind if not choices.varied else f"{choices.choice(WORDS)}-{kind}"
    return place.scene.arn(service, f"{kind}/{name}")


# Names of a process's first moment and of its last: a start before the end, in one event.
_STARTS = re.compile(r"(?i)start|begin|creat|submit|launch|open|placed")
_ENDS = re.compile(r"(?i)stop|end|finish|complet|clos|termin|updat|modif")
_START_LEAD = 600  # seconds a start is before the other moments, at least


def moment_of(place: Place) -> dt.datetime:
    """The moment a time field of the detail holds: the event's (at or a little before its
    ``time``); a start (``startDate``, ``createdAt``) earlier, an end (``stopDate``) at it."""
    if _ENDS.search(place.name) and not _STARTS.search(place.name):
        return place.scene.moment
    moment = place.scene.detail_time(place.choices)
    if _STARTS.search(place.name) and place.choices.varied:
        moment -= dt.timedelta(seconds=_START_LEAD)
    return moment


def detail_time(place: Place) -> str:
    return stamp(moment_of(place))


def _number_text(place: Place, prefix: str, low: int, high: int) -> str:
    return f"{prefix}{place.choices.integer(low, high)}"


def _phone(place: Place) -> str:
    # 555-01xx: the numbers reserved for fiction.
    return f"+1-202-555-01{place.choices.digits(2) if place.choices.varied else 42}"


def _ip_address(place: Place) -> str:
    return _number_text(place, "192.0.2.", 1, 254)  # TEST-NET-1, documentation only


def _service_value(place: Place) -> str | None:
    """What the source's service sends in a field of this name (EC2's ``state``: running...)."""
    values = SERVICE_VALUES.get((service_of(place.source), place.name))
    return None if values is None else place.choices.choice(values)


def _event_source(place: Place) -> str | None:
    """CloudTrail's ``eventSource``: the AWS service's endpoint (none for a custom source)."""
    if not place.source.startswith("aws."):
        return None
    return f"{place.source.removeprefix('aws.')}.amazonaws.com"


def _access_key(place: Place) -> str:
    if not place.choices.varied:
        return "AKIAIOSFODNN7EXAMPLE"  # AWS's own documentation key
    return "AKIA" + "".join(place.choices.choice(_KEY_CHARACTERS) for _ in range(16))


_KEY_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


# A hint may have nothing to say for a place (None): the next kind of value is taken.
StringHint = Callable[[Place], "str | None"]
STRING_HINTS: tuple[tuple[re.Pattern[str], StringHint], ...] = tuple(
    (re.compile(pattern), hint)
    for pattern, hint in (
        (r"^(?:state|status|lastStatus|desiredStatus)$", _service_value),
        (r"^eventSource$", _event_source),
        (r"(?i)^user[-_]?agent$", lambda p: p.choices.choice(USER_AGENTS)),
        (r"(?i)^access[-_]?key[-_]?id$", _access_key),
        (r"(?i)e-?mail", email),
        (r"(?i)^(?:first|given)[-_]?name$", _first),
        (r"(?i)^(?:last|family|sur)[-_]?name$|^surname$", _last),
        (
            r"(?i)^(?:full|display|customer|contact|person)[-_]?name$",
            lambda p: f"{_first(p)} {_last(p)}",
        ),
        (r"(?i)^user[-_]?name$|^login$", lambda p: f"{_ascii(_first(p))}.{_ascii(_last(p))}"),
        (r"(?i)currency", lambda p: p.choices.choice(CURRENCIES)),
        (r"(?i)country", lambda p: p.choices.choice(COUNTRIES)),
        (r"(?i)region", lambda p: p.scene.region),
        (r"(?i)account(?:[-_]?id)?$", lambda p: p.scene.account),
        (r"(?:^arn|Arn|ARN|_arn)$", arn_of_name),
        (
            r"(?i)(?:url|uri|href|link)$",
            lambda p: f"https://example.com/{p.choices.choice(('resource', *WORDS))}/"
            f"{p.choices.integer(1, 9999)}",
        ),
        (r"(?:^time|^timestamp|^date|At|Time|Timestamp|Date|_at|_time|_date)$", detail_time),
        (r"(?i)^instance[-_]?ids?$", lambda p: instance_id(p.choices)),
        (r"(?:^id|Id|ID|_id|-id|(?i:uuid|guid))s?$", lambda p: p.choices.uuid(p.seed, p.path)),
        (r"(?i)phone", _phone),
        (r"(?:^ip|IP|Ip|_ip)(?:v4)?(?:Address|_address)?$", _ip_address),
        (r"(?i)^city$|[a-z]City$", lambda p: p.choices.choice(CITIES)),
        (
            r"(?i)^(?:street|address(?:[-_]?line)?1?|street[-_]?address)$",
            lambda p: f"{p.choices.integer(1, 250)} {p.choices.choice(STREETS)}",
        ),
        (r"(?i)post(?:al)?[-_]?code$|^zip(?:[-_]?code)?$", lambda p: p.choices.digits(5)),
        (
            r"(?i)(?:discount|promo|coupon|voucher)[-_]?code$",
            lambda p: p.choices.choice(PROMO_CODES),
        ),
        (r"(?i)^(?:schema[-_]?)?version$", lambda p: p.choices.choice(("1.0", "1.1", "2.0"))),
        (r"(?i)bucket(?:[-_]?name)?$", lambda p: f"{p.choices.choice(WORDS)}-{p.choices.hex(6)}"),
    )
)  # fmt: skip

# Numbers by name: "amount" (two decimals), "quantity" (a small whole number).
NUMBER_HINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        # Seconds or milliseconds since 1970 (Step Functions' startDate): the event's moment.
        (r"(?:^time|^timestamp|^date|At|Time|Timestamp|Date|_at|_time|_date|(?i:epoch))$", "epoch"),
        (r"(?i)amount|price|total|cost|tax|discount|fee|balance", "amount"),
        (r"(?i)quantity|^qty$|Qty$|count$|^count", "quantity"),
    )
)


@lru_cache(maxsize=4096)
def string_hint(name: str) -> StringHint | None:
    """The hint of a property name (names repeat across schemas: looked up once each)."""
    return next((hint for pattern, hint in STRING_HINTS if pattern.search(name)), None)


@lru_cache(maxsize=4096)
def number_hint(name: str) -> str | None:
    return next((kind for pattern, kind in NUMBER_HINTS if pattern.search(name)), None)


def format_value(format_name: object, place: Place) -> str | None:
    """A value of the format (None for a format without one). A uuid is the place's own id in
    every build (the table's one sample would make every id in an event equal); in a seeded
    build times are the event's and addresses vary."""
    if format_name == "uuid":
        return place.choices.uuid(place.seed, place.path)
    if not place.choices.varied or not isinstance(format_name, str):
        return format_sample(format_name)
    made = _SEEDED_FORMATS.get(format_name)
    return made(place) if made is not None else format_sample(format_name)


_SEEDED_FORMATS: dict[str, StringHint] = {
    "date-time": detail_time,
    "date": lambda p: detail_time(p)[:10],
    "time": lambda p: detail_time(p)[11:],
    "email": email,
    "idn-email": email,
    "ipv4": lambda p: _number_text(p, "198.51.100.", 1, 254),
    "uri": lambda p: f"https://example.com/{p.choices.choice(WORDS)}/{p.choices.integer(1, 9999)}",
}
