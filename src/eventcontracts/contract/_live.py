"""Which versions of an event a reader must still read, by the schema's compatibility mode.

On EventBridge every consumer of an event receives whatever version its producers publish, so
the compatibility mode is a promise about versions *in flight together*. A reader written
against version N is owed:

=====================  ==========================================
BACKWARD               N and N-1 (a new reader reads the last writer)
BACKWARD_TRANSITIVE    1..N (a new reader reads every older writer)
FORWARD                N and N+1 (an old reader reads the next writer)
FORWARD_TRANSITIVE     N..latest
FULL                   N-1, N and N+1
FULL_TRANSITIVE        every version
NONE                   N only
=====================  ==========================================
"""

from __future__ import annotations

from collections.abc import Iterable


def live_versions(mode: str, reads: Iterable[int], existing: Iterable[int]) -> list[int]:
    """The versions of ``existing`` that a reader of the versions ``reads`` must accept."""
    present = sorted(set(existing))
    owed: set[int] = set()
    for version in reads:
        owed |= {v for v in present if _owed(mode, version, v, present)}
    return sorted(owed)


def _owed(mode: str, reader: int, writer: int, present: list[int]) -> bool:
    if writer == reader:
        return True
    base = mode.removesuffix("_TRANSITIVE")
    transitive = mode.endswith("_TRANSITIVE")
    older = [v for v in present if v < reader]
    newer = [v for v in present if v > reader]
    previous = older[-1:] if not transitive else older
    following = newer[:1] if not transitive else newer
    if base == "BACKWARD":
        return writer in previous
    if base == "FORWARD":
        return writer in following
    if base == "FULL":
        return writer in previous or writer in following
    return False
