"""Writing a drift report: a table per schema for people, a stable JSON document for dashboards.

The JSON document (README: "drift") is versioned by ``"format"``; its lists are sorted (schemas
by name, fields by path, unknown events by source and detail-type) so that two runs over the
same captures write the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from eventcontracts.drift.model import DriftReport, SchemaDrift, Where
from eventcontracts.findings import printable
from eventcontracts.wording import plural

FORMAT = "eventcontracts-drift/1"


def as_json(report: DriftReport) -> str:
    document = {
        "format": FORMAT,
        "ok": report.ok,
        "events": report.events,
        "fits_none": report.fits_none,
        "unknown_events": report.unknown_events,
        "schemas": [_schema_json(schema) for schema in report.schemas],
        "unknown": [
            {
                "source": each.source,
                "detail_type": each.detail_type,
                "events": each.events,
                "example": _where_json(each.example),
            }
            for each in report.unknown
        ],
        "unknown_truncated": report.unknown_truncated,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _schema_json(schema: SchemaDrift) -> dict[str, Any]:
    error = schema.first_error
    return {
        "schema": schema.schema,
        "source": schema.source,
        "detail_type": schema.detail_type,
        "events": schema.events,
        "versions": [
            {"version": number, "fits": schema.fits.get(number, 0)} for number in schema.versions
        ],
        "fits_none": schema.fits_none,
        "fits_none_example": (
            None
            if schema.none_example is None
            else {
                **_where_json(schema.none_example),
                "error": None
                if error is None
                else {"version": error.version, "pointer": error.pointer, "message": error.message},
            }
        ),
        "undeclared_fields": [
            {"field": each.field, "events": each.events, "example": _where_json(each.example)}
            for each in schema.undeclared
        ],
        "undeclared_fields_truncated": schema.undeclared_truncated,
    }


def _where_json(where: Where) -> dict[str, Any]:
    return {"file": where.file, "line": where.line, "index": where.index}


# -- text ---------------------------------------------------------------------------------------


def as_text(report: DriftReport) -> str:
    lines: list[str] = []
    seen = [schema for schema in report.schemas if schema.events]
    quiet = len(report.schemas) - len(seen)
    for schema in seen:
        lines.extend(_schema_text(schema))
        lines.append("")
    if report.unknown:
        lines.extend(_unknown_text(report))
        lines.append("")
    if quiet:
        lines.append(f"{plural(quiet, 'schema')} of the registry saw no events.")
    lines.append(_summary(report))
    return "\n".join(printable(line) for line in lines) + "\n"


def _schema_text(schema: SchemaDrift) -> list[str]:
    lines = [
        f"{schema.schema} ({schema.source} / {schema.detail_type}): "
        f"{plural(schema.events, 'event')}"
    ]
    rows = [["  version", "events that fit", "share"]]
    for number in reversed(schema.versions):
        count = schema.fits.get(number, 0)
        rows.append([f"  v{number}", f"{count:,}", _share(count, schema.events)])
    rows.append(["  none", f"{schema.fits_none:,}", _share(schema.fits_none, schema.events)])
    lines.extend(_table(rows, right=(1, 2)))
    if schema.none_example is not None:
        error = schema.first_error
        if error is not None:
            at = error.pointer or "the event"
            lines.append(f"  first error (v{error.version}) at {at}: {_one_line(error.message)}")
        lines.append(f"  example: {schema.none_example}")
    if schema.undeclared:
        lines.append("  fields no version declares:")
        rows = [["    field", "events", "example"]]
        rows.extend(
            [f"    {each.field}", f"{each.events:,}", str(each.example)]
            for each in schema.undeclared
        )
        lines.extend(_table(rows, right=(1,)))
        if schema.undeclared_truncated:
            lines.append("    (more fields were seen than are listed)")
    return lines


def _unknown_text(report: DriftReport) -> list[str]:
    lines = [
        f"unknown events: {plural(report.unknown_events, 'event')} whose source and "
        "detail-type no schema has"
    ]
    rows = [["  source", "detail-type", "events", "example"]]
    rows.extend(
        [f"  {each.source}", each.detail_type, f"{each.events:,}", str(each.example)]
        for each in report.unknown
    )
    lines.extend(_table(rows, right=(2,)))
    if report.unknown_truncated:
        lines.append("  (more sources and detail-types were seen than are listed)")
    return lines


def _summary(report: DriftReport) -> str:
    if report.ok:
        return f"drift: every one of {plural(report.events, 'event')} fits a version of its schema"
    problems = []
    if report.fits_none:
        problems.append(f"{plural(report.fits_none, 'event')} fit no version of their schema")
    if report.unknown:
        problems.append(f"{plural(report.unknown_events, 'event')} have no schema")
    return f"drift: of {plural(report.events, 'event')}, " + " and ".join(problems)


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else "-"


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 200 else flat[:197] + "..."


def _table(rows: list[list[str]], *, right: tuple[int, ...]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        "  ".join(
            cell.rjust(widths[column]) if column in right else cell.ljust(widths[column])
            for column, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]
