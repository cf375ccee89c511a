"""The official AsyncAPI 3.0.0 JSON Schema, as the tests validate documents with it (offline).

``@asyncapi/specs`` (package.json pins it; ``make`` installs it with ``npm ci``) ships
``schemas/3.0.0.json``: the document schema, whose ``definitions`` are keyed by their own
``$id`` URIs (``http://asyncapi.com/definitions/3.0.0/info.json``, ..., the JSON Schema
draft-07 metaschema among them) and every ``$ref`` names one of those URIs. Each definition is
registered under its ``$id``, so every ref resolves with no network; the document schema and
its definitions are draft 07.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import referencing
import referencing.jsonschema
from jsonschema.exceptions import best_match

REPO_ROOT = Path(__file__).resolve().parents[1]
SPECS = REPO_ROOT / "node_modules" / "@asyncapi" / "specs"
SPEC_3_0_0 = SPECS / "schemas" / "3.0.0.json"


class NotAsyncApi(AssertionError):
    """A document the official schema rejects: the message names the place and the reason."""


@cache
def asyncapi_validator() -> jsonschema.Draft7Validator:
    assert SPEC_3_0_0.is_file(), (
        f"{SPEC_3_0_0} is missing: run 'make node_modules/.installed' (npm ci)"
    )
    root = json.loads(SPEC_3_0_0.read_text(encoding="utf-8"))
    draft7 = referencing.jsonschema.DRAFT7
    resources = [
        (uri, draft7.create_resource(schema)) for uri, schema in root["definitions"].items()
    ]
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        [*resources, (root["$id"], draft7.create_resource(root))]
    )
    return jsonschema.Draft7Validator(
        root, registry=registry, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


# The specification's rule for the keys of ``components`` maps (and the tools that render
# documents use them as identifiers); the schema's patternProperties do not refuse other keys.
COMPONENT_KEY = re.compile(r"^[a-zA-Z0-9\.\-_]+$")


def validate_asyncapi(document: Any) -> None:
    """Raise NotAsyncApi with the most relevant error when the official AsyncAPI 3.0.0 schema
    rejects ``document``, or a key of its ``components`` maps breaks the specification's
    pattern; return quietly when it accepts it."""
    error = best_match(asyncapi_validator().iter_errors(document))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path)
        raise NotAsyncApi(f"/{where}: {error.message}")
    components = document.get("components") if isinstance(document, dict) else None
    for kind, entries in (components or {}).items():
        for key in entries if isinstance(entries, dict) and not kind.startswith("x-") else ():
            if not COMPONENT_KEY.match(key):
                raise NotAsyncApi(f"/components/{kind}: key {key!r} is not {COMPONENT_KEY.pattern}")
