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
from collections.abc import Callable

from hypothesis import strategies as st

from eventcontracts.contract.strategies.text import WORDS

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


def _time_text(value: dt.time, fraction: str, offset: str) -> str:
    return f"{_two(value.hour)}:{_two(value.minute)}:{_two(value.second)}{fraction}{offset}"


def _date_time(realistic: bool) -> st.SearchStrategy[str]:
    if realistic:
        moments = st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2027, 12, 31))
        return st.builds(
            lambda moment, fraction: _date_text(moment) + "T" + _time_text(moment, fraction, "Z"),
            moments,
            st.sampled_from(("", ".000", ".250", ".731")),
        )
    return st.builds(
        lambda moment, fraction, offset: (
            _date_text(moment) + "T" + _time_text(moment, fraction, offset)
        ),
        st.datetimes(),
        st.sampled_from(_FRACTIONS),
        st.sampled_from(_OFFSETS),
    )


def envelope_time() -> st.SearchStrategy[str]:
    """The envelope's ``time``: what EventBridge sends, whole seconds in UTC with ``Z``."""
    return st.builds(
        lambda moment: _date_text(moment) + "T" + _time_text(moment, "", "Z"),
        st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2030, 12, 31)),
    )


def _date(realistic: bool) -> st.SearchStrategy[str]:
    if realistic:
        return st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)).map(_date_text)
    return st.dates().map(_date_text)


def _time(realistic: bool) -> st.SearchStrategy[str]:
    if realistic:
        return st.times().map(lambda value: _time_text(value, "", "Z"))
    return st.builds(_time_text, st.times(), st.sampled_from(_FRACTIONS), st.sampled_from(_OFFSETS))


def _duration(realistic: bool) -> st.SearchStrategy[str]:
    """ISO 8601 durations as RFC 3339 appendix A spells them: ``P1Y2M``, ``PT30M``, ``P2W``."""
    if realistic:
        return st.sampled_from(("PT30S", "PT5M", "PT1H", "PT1H30M", "P1D", "P7D", "P1M", "P1W"))
    number = st.integers(0, 9999).map(str)
    date_units, time_units = ("Y", "M", "D"), ("H", "M", "S")

    def run(units: tuple[str, ...]) -> st.SearchStrategy[str]:
        # A run of consecutive units (Y then M then D, never Y then D): the RFC's grammar.
        return st.integers(0, len(units) - 1).flatmap(
            lambda start: st.integers(start, len(units) - 1).flatmap(
                lambda end: st.tuples(*[number for _ in range(end - start + 1)]).map(
                    lambda values: "".join(
                        f"{value}{unit}" for value, unit in zip(values, units[start : end + 1])
                    )
                )
            )
        )

    with_date = st.tuples(
        run(date_units), st.one_of(st.just(""), run(time_units).map("T{}".format))
    )
    return st.one_of(
        with_date.map(lambda parts: "P" + parts[0] + parts[1]),
        run(time_units).map("PT{}".format),
        number.map("P{}W".format),
    )


def _uuid(realistic: bool) -> st.SearchStrategy[str]:
    return st.uuids(version=4 if realistic else None).map(str)


def _label(realistic: bool) -> st.SearchStrategy[str]:
    if realistic:
        return _WORD
    # Letters, digits and inner hyphens; never "--" in positions 3-4 (IDNA reserves it).
    return st.from_regex(r"[a-z0-9]([a-z0-9]{0,10}(-[a-z0-9]{1,10})?)?", fullmatch=True)


def _hostname(realistic: bool) -> st.SearchStrategy[str]:
    if realistic:
        return st.builds(lambda name: f"{name}.example.com", _WORD)
    return st.builds(
        lambda labels, tld: ".".join([*labels, tld]),
        st.lists(_label(False), min_size=1, max_size=3),
        st.sampled_from(_TLDS),
    )


def _email(realistic: bool) -> st.SearchStrategy[str]:
    if realistic:
        return st.builds(lambda first, last: f"{first}.{last}@example.com", _WORD, _WORD)
    local = st.from_regex(r"[a-zA-Z0-9]{1,12}([._+-][a-zA-Z0-9]{1,8})?", fullmatch=True)
    return st.builds(lambda name, host: f"{name}@{host}", local, _hostname(False))


def _uri(realistic: bool) -> st.SearchStrategy[str]:
    segment = _WORD if realistic else st.from_regex(r"[a-zA-Z0-9._~-]{1,10}", fullmatch=True)
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
    return st.lists(token, max_size=3).map(
        lambda tokens: "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)
    )


def _relative_json_pointer(realistic: bool) -> st.SearchStrategy[str]:
    return st.builds(
        lambda up, rest: f"{up}{rest}",
        st.integers(0, 5),
        st.one_of(st.just("#"), _json_pointer(realistic)),
    )


def _ipv4(realistic: bool) -> st.SearchStrategy[str]:
    return st.ip_addresses(v=4).map(str)


def _ipv6(realistic: bool) -> st.SearchStrategy[str]:
    return st.ip_addresses(v=6).map(str)


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
