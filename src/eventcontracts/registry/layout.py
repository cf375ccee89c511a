"""Where things sit in a registry folder: the one place that knows its layout.

- ``registry/<source>/<Name>/v<N>.json`` (or ``.yaml``/``.yml``): version N of a schema, in a
  source folder (the source's encoding, see ``sourcefolder``) and a schema folder;
- ``registry/_<anything>/...``: documents shared by every schema (``_shared/`` by convention),
  reached by ``$ref`` only; a leading underscore is what makes a top folder shared.

The loader reads the registry by it; code generation's scan (which reads without parsing),
the gate (which reads the registry at a git ref) and the bus-rule checks find folders by it.
"""

from __future__ import annotations

import re

SHARED_PREFIX = "_"
VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.(json|yaml|yml)$")


def is_shared(top_folder: str) -> bool:
    """Whether a folder at the top of the registry holds shared documents, not a source."""
    return top_folder.startswith(SHARED_PREFIX)
