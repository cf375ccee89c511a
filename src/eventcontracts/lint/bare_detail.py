"""A sample event that is only its detail: one hint, not a finding per missing envelope key.

aws-samples repositories (and many teams) keep sample events as the ``detail`` object alone.
Validated as an event, such a file lacks every envelope key the schema requires, and lint said
so once per key: nine lines for one mistake. It is one finding instead, saying how to wrap it,
followed by what the detail itself gets wrong (checked against the version's detail schema).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Sequence
from typing import Any

from jsonschema.exceptions import ValidationError

from eventcontracts.findings import Finding
from eventcontracts.lint import catalog
from eventcontracts.registry.documents import Document
from eventcontracts.registry.model import SchemaVersion
from eventcontracts.registry.structure import describe_error, error_leaves, error_pointer, json_text


def is_bare_detail(event: Any) -> bool:
    """An object with neither ``detail`` nor ``detail-type``: no envelope at all. (A detail may
    well have a ``source`` or ``id`` of its own; a ``detail-type`` key it has not.)"""
    return isinstance(event, dict) and "detail" not in event and "detail-type" not in event


def bare_detail_findings(
    version: SchemaVersion,
    example: Document,
    envelope_errors: Sequence[ValidationError],
    detail_errors: Sequence[ValidationError],
) -> Iterator[Finding]:
    """The hint, then the detail's own problems (``detail_errors``, in path order) at their
    pointers in the file."""
    where = f"{version.schema_name} v{version.version}"
    command = (
        f"eventcontracts import --events FILE --source {shlex.quote(version.source)} "
        f"--detail-type {shlex.quote(version.detail_type)}"
    )
    yield example.finding(
        catalog.EXAMPLE_INVALID,
        "",
        'the sample is a bare detail (no EventBridge envelope): wrap it as {"detail": ...} '
        f"with {_envelope_keys(version, envelope_errors)}, or file it with `{command}` and "
        f"remove this copy (schema {where})",
    )
    for error in detail_errors:
        for leaf in error_leaves(error):
            pointer = error_pointer(leaf.absolute_path)
            yield example.finding(
                catalog.EXAMPLE_INVALID,
                pointer,
                f"{pointer or '/'}: {describe_error(leaf)} (the detail of schema {where})",
            )


def _envelope_keys(version: SchemaVersion, errors: Sequence[ValidationError]) -> str:
    """The envelope keys the schema requires and the sample lacks: source and detail-type
    first, with the values they must have, then the others by name."""
    missing: set[str] = set()
    for error in errors:
        if error.validator == "required" and not error.path:
            required = error.validator_value if isinstance(error.validator_value, list) else []
            missing |= {key for key in required if isinstance(key, str) and key != "detail"}
    identity = {"source": version.source, "detail-type": version.detail_type}
    shown = [f"{key} {json_text(value)}" for key, value in identity.items() if key in missing]
    shown += sorted(missing - identity.keys())
    if not shown:
        return "the envelope keys"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
