"""What the emulator checks before it reads a request's body: who may call it, and what a
body may be.

The emulator is a local development server with no authentication, so any web page the
developer opens could reach it: a ``<form>`` or ``fetch(..., {mode: "no-cors"})`` POST with a
``text/plain`` body needs no CORS preflight, and DNS rebinding points an attacker's host name
at 127.0.0.1. So, as local dev servers do (webpack's ``allowedHosts``, Jupyter's
``allow_origin``):

- the ``Host`` header must name this emulator: a loopback name (``127.0.0.1``, ``localhost``,
  ``[::1]``), the address it listens on or a name allowed explicitly (``--allow-host``), with
  its port. A rebound name (``attacker.example:4599``) is refused;
- a request with an ``Origin`` header is refused, whatever the origin: browsers send one on
  cross-origin and on POST requests, SDKs and the AWS CLI never do;
- a body must be ``application/json``, which botocore sends for every rest-json operation and
  a browser cannot send cross-origin without a preflight the emulator never grants.

Bodies are bounded (``MAX_BODY``) and need a well-formed ``Content-Length``: no chunked
transfer, which botocore does not use for this service.
"""

from __future__ import annotations

import re
from email.message import Message

from eventcontracts.emulator.errors import bad_request, forbidden

# Far above any valid request (Content is at most 100,000 characters, at most 6 bytes each
# once JSON-escaped, plus a description and 50 tags), far below what would hurt.
MAX_BODY = 1_048_576
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_DIGITS = re.compile(r"[0-9]{1,16}")
_JSON_MEDIA_TYPE = "application/json"


def bracketed(host: str) -> str:
    """``host`` as it appears in a URL or a Host header (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def allowed_hosts(bind_host: str, port: int, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """Every ``Host`` header value that names the emulator listening on ``bind_host:port``."""
    # The address listened on is allowed even when it is a wildcard (0.0.0.0 reaches this
    # host): a rebound name is never it, and a page that calls it directly sends an Origin.
    names = {*LOOPBACK_NAMES, *(bracketed(name) for name in (bind_host, *extra) if name)}
    hosts = {f"{name.lower()}:{port}" for name in names}
    if port == 80:  # the default port may be left out of the Host header
        hosts.update(name.lower() for name in names)
    return frozenset(hosts)


def check_caller(headers: Message, allowed: frozenset[str]) -> None:
    """ForbiddenException unless the request names this emulator and comes from no web page."""
    hosts = headers.get_all("Host") or []
    if len(hosts) != 1 or hosts[0].strip().lower() not in allowed:
        shown = ", ".join(repr(h) for h in hosts) or "none"
        raise forbidden(
            f"Host header {shown} does not name this emulator (allowed: "
            f"{', '.join(sorted(allowed))}); call it by its loopback address, or start it "
            "with --allow-host NAME"
        )
    origin = headers.get("Origin")
    if origin is not None:
        raise forbidden(
            f"Requests from web pages are refused (Origin {origin!r}); the emulator serves "
            "AWS SDKs and the AWS CLI, which send no Origin header"
        )


def body_length(headers: Message) -> int:
    """The body's length from ``Content-Length`` (0 without one); BadRequestException for a
    chunked body, several lengths, one that is not a non-negative integer, or above MAX_BODY."""
    if headers.get("Transfer-Encoding") is not None:
        raise bad_request("Transfer-Encoding is not supported; send the body with a Content-Length")
    declared = headers.get_all("Content-Length") or []
    if not declared:
        return 0
    if len(declared) > 1:
        raise bad_request("The request has more than one Content-Length header")
    text = declared[0].strip()
    if not _DIGITS.fullmatch(text):
        raise bad_request(f"Content-Length {text[:40]!r} is not a non-negative integer")
    length = int(text)
    if length > MAX_BODY:
        raise bad_request(f"The request body is {length} bytes; at most {MAX_BODY} are accepted")
    return length


def check_media_type(headers: Message) -> None:
    """BadRequestException unless a body is declared ``application/json``."""
    declared = headers.get("Content-Type")
    media_type = (declared or "").split(";", 1)[0].strip().lower()
    if media_type != _JSON_MEDIA_TYPE:
        raise bad_request(
            f"Content-Type {declared!r} is not {_JSON_MEDIA_TYPE}; the schemas API takes JSON "
            "bodies"
        )
