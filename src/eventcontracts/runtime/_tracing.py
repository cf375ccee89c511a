"""Passing the X-Ray trace of the running Lambda invocation on to the events it publishes."""

from __future__ import annotations

import os

# Lambda sets this for each invocation when tracing is active (or a trace came in upstream).
TRACE_ENV = "_X_AMZN_TRACE_ID"

# PutEventsRequestEntry.TraceHeader is 1 to 500 characters; a longer value would fail the entry.
_MAX_TRACE_HEADER = 500


def trace_header() -> str | None:
    """The current invocation's X-Ray trace header, or None outside a traced Lambda.

    Read at every publish, not once: Lambda changes it from one invocation to the next.
    """
    value = os.environ.get(TRACE_ENV, "").strip()
    if not value or len(value) > _MAX_TRACE_HEADER:
        return None
    return value
