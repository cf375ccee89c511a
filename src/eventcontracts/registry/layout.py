"""Where things sit in a registry folder: the one place that knows its layout.

- ``registry/<source>/<Name>/v<N>.json`` (or ``.yaml``/``.yml``): version N of a schema, in a
  source folder (the source's encoding, see ``sourcefolder``) and a schema folder;
- ``registry/_<anything>/...``: documents shared by every schema (``_shared/`` by convention),
  reached by ``$ref`` only; a leading underscore is what makes a top folder shared.

The loader reads the registry by it; code generation's scan (which reads without parsing),
the gate (which reads the registry at a git ref) and the bus-rule checks find folders by it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from eventcontracts.registry.containment import link_leaves

SHARED_PREFIX = "_"
# A schema's sample events: <schema>/examples/v<N>/*.json.
EXAMPLES_DIR = "examples"
VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.(json|yaml|yml)$")


def is_shared(top_folder: str) -> bool:
    """Whether a folder at the top of the registry holds shared documents, not a source."""
    return top_folder.startswith(SHARED_PREFIX)


def entries(folder: Path, root: Path) -> list[os.DirEntry[str]]:
    """A folder's entries in a stable order, hidden ones and links out of ``root`` left out."""
    return split_entries(folder, root)[0]


def split_entries(
    folder: Path, root: Path
) -> tuple[list[os.DirEntry[str]], list[os.DirEntry[str]]]:
    """A folder's entries in a stable order, hidden ones left out: those to read, and the
    symbolic links that lead outside ``root`` (never followed)."""
    with os.scandir(folder) as scan:
        found = sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
    kept = [e for e in found if not (e.is_symlink() and link_leaves(e.path, root))]
    if len(kept) == len(found):
        return found, []
    return kept, [e for e in found if e not in kept]
