"""A project whose registry holds one source of any number of versions, for measuring what
importing one event of a large source costs (tests/test_generated_lazy.py)."""

from __future__ import annotations

import json
from pathlib import Path

SOURCE = "com.example.catalog"
PACKAGE = "synthetic_events"
VERSIONS_PER_SCHEMA = 2


def _event_schema(index: int, version: int) -> dict[str, object]:
    """Version ``version`` of schema ``index``: a small detail that grows by one optional
    property per version (a backward-compatible series)."""
    properties: dict[str, object] = {
        "thingId": {"type": "string"},
        "amount": {"type": "number", "minimum": 0},
        "createdAt": {"type": "string", "format": "date-time"},
    }
    for extra in range(2, version + 1):
        properties[f"note{extra}"] = {"type": "string"}
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "x-amazon-events-source": SOURCE,
        "x-amazon-events-detail-type": f"Thing {index:04d} Happened",
        "type": "object",
        "required": ["detail", "detail-type", "source"],
        "properties": {
            "version": {"type": "string"},
            "id": {"type": "string"},
            "detail-type": {"type": "string"},
            "source": {"type": "string"},
            "account": {"type": "string"},
            "time": {"type": "string", "format": "date-time"},
            "region": {"type": "string"},
            "resources": {"type": "array", "items": {"type": "string"}},
            "detail": {"$ref": "#/definitions/Detail"},
        },
        "definitions": {
            "Detail": {
                "type": "object",
                "description": f"Thing {index} happened.",
                "required": ["thingId", "amount"],
                "properties": properties,
            }
        },
    }


def write_project(root: Path, versions: int) -> Path:
    """A project at ``root`` whose one source holds ``versions`` version modules
    (``versions / 2`` schemas of 2 versions each); returns ``root``."""
    assert versions % VERSIONS_PER_SCHEMA == 0, "whole schemas only"
    for index in range(versions // VERSIONS_PER_SCHEMA):
        folder = root / "registry" / SOURCE / f"Thing{index:04d}Happened"
        folder.mkdir(parents=True)
        for version in range(1, VERSIONS_PER_SCHEMA + 1):
            (folder / f"v{version}.json").write_text(
                json.dumps(_event_schema(index, version), indent=2) + "\n", encoding="utf-8"
            )
    (root / "eventcontracts.toml").write_text(
        '[registry]\npath = "registry"\n\n'
        f'[codegen]\npackage = "{PACKAGE}"\nout = "generated"\n\n'
        f'[codegen.modules]\n"{SOURCE}" = "catalog"\n',
        encoding="utf-8",
    )
    return root
