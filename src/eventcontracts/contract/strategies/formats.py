"""Strings of each ``format``: one strategy per format name, in two modes.

``explore`` (property-based tests) ranges over the whole format: years 0001 to 9999, offsets
other than ``Z``, fractions of seconds, IPv6, odd but valid pointers. ``realistic`` (samples for
docs) stays where real events live: this decade, UTC, ``example.com``. Both only ever produce
values python-jsonschema's format checker accepts (and ``isoduration``, ``rfc3987`` and ``fqdn``,
when those are installed).

Formats missing here are the ones no validator checks: they get plain text.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import uuid
from collections.abc import Callable

import jsonschema
from hypothesis import strategies as st

from eventcontracts.contract.strategies.text import WORDS
from eventcontracts.schema import pointer

FormatStrategy = Callable[[bool], st.SearchStrategy[str]]

_OFFSETS = ("Z", "+00:00", "+01:00", "-05:00", "+05:30", "-08:00", "+14:00", "-12:00")
_FRACTIONS = ("", ".0", ".5", ".123", ".123456")
_WORD = st.sampled_from(WORDS)
_TLDS = ("com", "org", "net", "io", "example")


def _two(number: int) -> str:
    return f"{number:02d}"


def _date_text(value: dt.date) -> str:
    # Built by hand: strftime("%Y") does not pad years below 1000 on every platform.
    return f"{value.year:04d}-{_two(value.month)}-{_two(value.day)}"


def _time_text(value: dt.time | dt.datetime, fraction: str, offset: str) -> str:
    return f"{_two(value.hour)}:{_two(value.minute)}:{_two(value.second)}{fraction}{offset}"


# Datetimes are drawn as one integer (seconds from 0001-01-01) rather than field by field:
# one choice instead of seven, and integers still reach both ends of the range.
_EPOCH = dt.datetime(1, 1, 1)
_FIRST_SECOND = 0
_LAST_SECOND = int((dt.datetime(9999, 12, 31, 23, 59, 59) - _EPOCH).total_seconds())
_RECENT = (
    int((dt.datetime(2024, 1, 1) - _EPOCH).total_seconds()),
    int((dt.datetime(2027, 12, 31) - _EPOCH).total_seconds()),
)
_ENVELOPE_RANGE = (
    int((dt.datetime(2020, 1, 1) - _EPOCH).total_seconds()),
    int((dt.datetime(2030, 12, 31) - _EPOCH).total_seconds()),
)


def _moment(seconds: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(seconds=seconds)


def _stamp(seconds: int, fraction: str, offset: str) -> str:
    moment = _moment(seconds)
    return _date_text(moment) + "T" + _time_text(moment, fraction, offset)


def _date_time(realistic: bool) -> st.SearchStrategy[str]:
    # One integer carries the moment, the fraction and the offset: fewer choices per value.
    fractions = ("", ".000", ".250", ".731") if realistic else _FRACTIONS
    offsets = ("Z",) if realistic else _OFFSETS
    first, last = _RECENT if realistic else (_FIRST_SECOND, _LAST_SECOND)
    variants = len(fractions) * len(offsets)

    def stamp(number: int) -> str:
        seconds, variant = divmod(number, variants)
        fraction, offset = divmod(variant, len(offsets))
        return _stamp(first + seconds, fractions[fraction], offsets[offset])

    return st.integers(0, (last - first + 1) * variants - 1).map(stamp)


def envelope_time() -> st.SearchStrategy[str]:
    """The envelope's ``time``: what EventBridge sends, whole seconds in UTC with ``Z``."""
    return st.integers(*_ENVELOPE_RANGE).map(lambda seconds: _stamp(seconds, "", "Z"))


def _date(realistic: bool) -> st.SearchStrategy[str]:
    first, last = (
        (dt.date(2024, 1, 1), dt.date(2027, 12, 31)) if realistic else (dt.date.min, dt.date.max)
    )
    return st.integers(first.toordinal(), last.toordinal()).map(
        lambda day: _date_text(dt.date.fromordinal(day))
    )


def _clock(seconds: int, fraction: str, offset: str) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{_two(hours)}:{_two(rest // 60)}:{_two(rest % 60)}{fraction}{offset}"


# The registry validates with jsonschema's global FormatChecker, where draft-03's "time"
# (``HH:MM:SS``, no offset) is registered last and wins over RFC 3339's full-time. Times are
# drawn in whichever form the checker in use accepts.
_RFC3339_TIME = jsonschema.FormatChecker().conforms("12:00:00Z", "time")


def _time(realistic: bool) -> st.SearchStrategy[str]:
    if not _RFC3339_TIME:
        return st.integers(0, 86399).map(lambda seconds: _clock(seconds, "", ""))
    if realistic:
        return st.integers(0, 86399).map(lambda seconds: _clock(seconds, "", "Z"))
    return st.builds(
        _clock, st.integers(0, 86399), st.sampled_from(_FRACTIONS), st.sampled_from(_OFFSETS)
    )


# The shapes RFC 3339 appendix A allows: runs of consecutive units (Y then M then D, never Y
# then D), a time part after T, or weeks alone.
_DURATION_FORMS = (
    "P{}Y", "P{}M", "P{}D", "P{}Y{}M", "P{}M{}D", "P{}Y{}M{}D", "PT{}H", "PT{}M", "PT{}S",
    "PT{}H{}M", "PT{}M{}S", "PT{}H{}M{}S", "P{}DT{}H", "P{}Y{}M{}DT{}H{}M{}S", "P{}W",
)  # fmt: skip


def _duration(realistic: bool) -> st.SearchStrategy[str]:
    """ISO 8601 durations as RFC 3339 appendix A spells them: ``P1Y2M``, ``PT30M``, ``P2W``."""
    if realistic:
        return st.sampled_from(("PT30S", "PT5M", "PT1H", "PT1H30M", "P1D", "P7D", "P1M", "P1W"))
    numbers = st.lists(st.integers(0, 9999), min_size=6, max_size=6)
    return st.builds(
        lambda form, values: form.format(*values), st.sampled_from(_DURATION_FORMS), numbers
    )


# Hypothesis draws small integers often (good for tests, they find the edges); samples
# multiply them by an odd constant modulo the range, a bijection that makes them look random.
_SCRAMBLE = 0x9E3779B97F4A7C15F39CC0605CEDC835


def scrambled(number: int, modulus: int) -> int:
    """``number`` moved to a random-looking place in ``range(modulus)`` (one to one when
    ``modulus`` is a power of two or of ten: the multiplier is odd and not a multiple of 5)."""
    return (number * _SCRAMBLE) % modulus


def uuids(realistic: bool, version: int | None = None) -> st.SearchStrategy[str]:
    if realistic:
        return st.integers(0, 2**128 - 1).map(
            lambda bits: str(uuid.UUID(int=scrambled(bits, 2**128), version=version or 4))
        )
    if version is not None:
        return st.integers(0, 2**128 - 1).map(
            lambda bits: str(uuid.UUID(int=bits, version=version))
        )
    return st.integers(0, 2**128 - 1).map(lambda bits: str(uuid.UUID(int=bits)))


def _uuid(realistic: bool) -> st.SearchStrategy[str]:
    return uuids(realistic)


# Host labels, the ordinary and the odd (one character, digits, inner hyphens, 63 long).
_LABELS = (*WORDS[:12], "a", "x1", "0", "my-host", "a-b-c", "xn--bcher-kva", "a" * 63)
_LOCAL_PARTS = ("jane", "j.doe", "first.last", "x", "user+tag", "o'neil", "a_b", "UPPER", "1234")


def _hostname(realistic: bool) -> st.SearchStrategy[str]:
    if realistic:
        return st.builds(lambda name: f"{name}.example.com", _WORD)
    return st.builds(
        lambda first, second, tld: f"{first}.{second}.{tld}" if second else f"{first}.{tld}",
        st.sampled_from(_LABELS),
        st.sampled_from(("", *_LABELS)),
        st.sampled_from(_TLDS),
    )


def _email(realistic: bool) -> st.SearchStrategy[str]:
    if realistic:
        return st.builds(lambda first, last: f"{first}.{last}@example.com", _WORD, _WORD)
    return st.builds(
        lambda name, host: f"{name}@{host}", st.sampled_from(_LOCAL_PARTS), _hostname(False)
    )


def _uri(realistic: bool) -> st.SearchStrategy[str]:
    segment = (
        _WORD if realistic else st.sampled_from((*WORDS[:8], "a.b", "x_y", "~user", "%20", "1"))
    )
    return st.builds(
        lambda host, path: "https://" + host + "".join(f"/{part}" for part in path),
        _hostname(realistic),
        st.lists(segment, max_size=3),
    )


def _uri_reference(realistic: bool) -> st.SearchStrategy[str]:
    relative = st.lists(_WORD, min_size=1, max_size=3).map(lambda parts: "/" + "/".join(parts))
    return st.one_of(_uri(realistic), relative)


def _uri_template(realistic: bool) -> st.SearchStrategy[str]:
    return st.builds(lambda uri, name: f"{uri}/{{{name}}}", _uri(realistic), _WORD)


def _json_pointer(realistic: bool) -> st.SearchStrategy[str]:
    token = (
        _WORD
        if realistic
        else st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=6)
    )
    return st.lists(token, max_size=3).map(lambda tokens: pointer.join("", *tokens))


def _relative_json_pointer(realistic: bool) -> st.SearchStrategy[str]:
    return st.builds(
        lambda up, rest: f"{up}{rest}",
        st.integers(0, 5),
        st.one_of(st.just("#"), _json_pointer(realistic)),
    )


def _ipv4(realistic: bool) -> st.SearchStrategy[str]:
    # One integer per address: st.ip_addresses() costs several choices per value.
    return st.integers(0, 2**32 - 1).map(lambda number: str(ipaddress.IPv4Address(number)))


def _ipv6(realistic: bool) -> st.SearchStrategy[str]:
    return st.integers(0, 2**128 - 1).map(lambda number: str(ipaddress.IPv6Address(number)))


def _regex(realistic: bool) -> st.SearchStrategy[str]:
    return st.sampled_from((r"^[A-Z]{3}$", r"^ORD-[0-9]+$", r"[a-z]+", r"^\d{4}-\d{2}$", ""))


def _color(realistic: bool) -> st.SearchStrategy[str]:
    return st.sampled_from(("black", "white", "red", "green", "blue", "navy", "teal", "olive"))


def _base64(realistic: bool) -> st.SearchStrategy[str]:
    """OpenAPI's ``byte``: base64 text."""
    return st.binary(max_size=24).map(lambda data: base64.b64encode(data).decode("ascii"))


FORMATS: dict[str, FormatStrategy] = {
    "date-time": _date_time,
    "date": _date,
    "time": _time,
    "duration": _duration,
    "uuid": _uuid,
    "email": _email,
    "idn-email": _email,
    "hostname": _hostname,
    "idn-hostname": _hostname,
    "ipv4": _ipv4,
    "ipv6": _ipv6,
    "uri": _uri,
    "iri": _uri,
    "uri-reference": _uri_reference,
    "iri-reference": _uri_reference,
    "uri-template": _uri_template,
    "json-pointer": _json_pointer,
    "relative-json-pointer": _relative_json_pointer,
    "regex": _regex,
    "color": _color,
    "byte": _base64,
}
