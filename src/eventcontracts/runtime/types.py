"""Field types of generated models that are exactly as strict as JSON Schema.

pydantic's own types coerce and respell: ``float`` turns ``1`` into ``1.0`` (and a large
integer into an approximation), ``AwareDatetime`` accepts a space for the ``T`` and writes the
instant back in another spelling, ``UUID`` writes lower case. A model hands on what it read, so
a number keeps the Python type JSON gave it and a formatted string stays the string it was,
checked the way the registry's validator (jsonschema's format checker) checks it. Only the
standard library is used: this module ships with the runtime.
"""

from __future__ import annotations

import calendar
import ipaddress
import re
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StrictFloat, StrictInt, StrictStr

__all__ = [
    "DateString",
    "DateTimeString",
    "EmailString",
    "Integer",
    "Ipv4String",
    "Ipv6String",
    "JsonPointerString",
    "Number",
    "RegexString",
    "RelativeJsonPointerString",
    "TimeString",
    "UuidString",
]

# A JSON number: an int stays an int (exact at any size), a float stays a float; true and
# "1" are not numbers.
Number = StrictInt | StrictFloat


def _integral(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


# An "integer" of JSON Schema draft 6 and later, where 1.0 is an integer too (draft 4 and
# OpenAPI 3.0 say it is not: they get StrictInt). Held, and written back, as the int it is.
Integer = Annotated[StrictInt, BeforeValidator(_integral)]

_RFC3339 = re.compile(
    r"^(\d{4})-(0[1-9]|1[0-2])-(\d{2})T(?:[01]\d|2[0123]):[0-5]\d:[0-5]\d(?:\.\d+)?"
    r"(?:Z|[+-](?:[01]\d|2[0123]):[0-5]\d)$",
    re.ASCII,
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_JSON_POINTER = re.compile(r"^(?:/(?:[^~/]|~[01])*)*$")
_UUID_DASHES = (8, 13, 18, 23)


def is_date_time(text: str) -> bool:
    """RFC 3339 date-time, case-insensitive, with a real day of the month (no leap seconds)."""
    match = _RFC3339.match(text.upper())
    if match is None:
        return False
    year, month, day = (int(part) for part in match.groups())
    return year > 0 and 1 <= day <= calendar.monthrange(year, month)[1]


def is_date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def is_time(text: str) -> bool:
    # What the registry's validator checks for "time" (jsonschema's format checker with every
    # format registered lets the draft-3 definition win): HH:MM:SS, no offset.
    try:
        datetime.strptime(text, "%H:%M:%S")  # a time of day: no time zone to give
    except ValueError:
        return False
    return True


def is_email(text: str) -> bool:
    return "@" in text


def is_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def is_ipv6(text: str) -> bool:
    try:
        address = ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return not address.scope_id


def is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return all(text[position] == "-" for position in _UUID_DASHES)


def is_regex(text: str) -> bool:
    try:
        re.compile(text)
    except re.error:
        return False
    return True


def is_json_pointer(text: str) -> bool:
    return _JSON_POINTER.fullmatch(text) is not None


def is_relative_json_pointer(text: str) -> bool:
    match = re.fullmatch(r"(0|[1-9][0-9]*)(.*)", text, re.DOTALL)
    if match is None:
        return False
    rest = match.group(2)
    return rest == "#" or is_json_pointer(rest)


def _checked(name: str, test: Callable[[str], bool]) -> AfterValidator:
    def check(value: str) -> str:
        if not test(value):
            raise ValueError(f"not a valid {name} string")
        return value

    return AfterValidator(check)


DateTimeString = Annotated[StrictStr, _checked("date-time", is_date_time)]
DateString = Annotated[StrictStr, _checked("date", is_date)]
TimeString = Annotated[StrictStr, _checked("time", is_time)]
EmailString = Annotated[StrictStr, _checked("email", is_email)]
Ipv4String = Annotated[StrictStr, _checked("ipv4", is_ipv4)]
Ipv6String = Annotated[StrictStr, _checked("ipv6", is_ipv6)]
UuidString = Annotated[StrictStr, _checked("uuid", is_uuid)]
RegexString = Annotated[StrictStr, _checked("regex", is_regex)]
JsonPointerString = Annotated[StrictStr, _checked("json-pointer", is_json_pointer)]
RelativeJsonPointerString = Annotated[
    StrictStr, _checked("relative-json-pointer", is_relative_json_pointer)
]

# The JSON Schema format each type checks, as codegen looks them up.
FORMAT_TYPES = {
    "date-time": "DateTimeString",
    "date": "DateString",
    "time": "TimeString",
    "email": "EmailString",
    "idn-email": "EmailString",
    "ipv4": "Ipv4String",
    "ipv6": "Ipv6String",
    "uuid": "UuidString",
    "regex": "RegexString",
    "json-pointer": "JsonPointerString",
    "relative-json-pointer": "RelativeJsonPointerString",
}

# The same checks by format name, for the schema check of keywords pydantic cannot express.
FORMAT_CHECKS: dict[str, Callable[[str], bool]] = {
    "date-time": is_date_time,
    "date": is_date,
    "time": is_time,
    "email": is_email,
    "idn-email": is_email,
    "ipv4": is_ipv4,
    "ipv6": is_ipv6,
    "uuid": is_uuid,
    "regex": is_regex,
    "json-pointer": is_json_pointer,
    "relative-json-pointer": is_relative_json_pointer,
}
