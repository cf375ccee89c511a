"""The one error code generation raises."""

from __future__ import annotations

from eventcontracts.errors import EventContractsError


class CodegenError(EventContractsError):
    """A schema version or a setting cannot be turned into code; the message names it."""
