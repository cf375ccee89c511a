"""``python -m eventcontracts.emulator``: the emulator in the foreground, with the flags the
``eventcontracts emulator`` command takes."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from eventcontracts.emulator.faults import Faults
from eventcontracts.emulator.server import serve


def port(text: str) -> int:
    """A TCP port: 0 (any free one) to 65535; argparse tells anything else as a usage error
    (``invalid port value``, after this function's name)."""
    number = int(text)
    if not 0 <= number <= 65535:
        raise ValueError(text)
    return number


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m eventcontracts.emulator",
        description="Offline emulator of the EventBridge Schema Registry (schemas) API.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=port, default=4599, help="0 picks a free port, else 1 to 65535"
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also accept this Host header name (loopback names are always accepted)",
    )
    parser.add_argument("--state", metavar="FILE", help="load from and save to this JSON file")
    for kind, what in (
        ("throttle", "429 throttle"),
        ("fail", "500 error"),
        ("drop", "drop"),
        ("deny", "403 AccessDeniedException"),
    ):
        parser.add_argument(
            f"--{kind}-every", type=int, default=0, metavar="N", help=f"{what} every Nth call"
        )
    args = parser.parse_args(argv)
    try:
        faults = Faults(args.throttle_every, args.fail_every, args.drop_every, args.deny_every)
    except ValueError as e:
        parser.error(str(e))
    serve(args.host, args.port, args.state, faults, tuple(args.allow_host))


if __name__ == "__main__":
    main()
