"""Files of a registry stay inside it: a symbolic link that leads out of the folder it is in
is never followed.

A pull request controls what its registry holds, symbolic links included: ``_shared/x.json``
linked to ``~/.aws/credentials`` or a folder linked to ``/etc`` would otherwise put files from
outside the repository into lint's output, samples and generated code. Links that stay inside
(one schema folder sharing another's file) are followed as before, and a path that reaches
outside without a link (``[rules] paths = ["../infra/*.json"]``) is the settings' business,
not this module's.
"""

from __future__ import annotations

import os
from pathlib import Path


def link_leaves(path: Path | str, root: Path | str) -> bool:
    """``path`` goes through a symbolic link whose target is outside ``root``, or through one
    that resolves to nothing at all (a loop)."""
    lexical = os.path.normpath(os.path.abspath(path))
    try:
        real = os.path.realpath(path, strict=True)
    except FileNotFoundError:
        real = os.path.realpath(path)  # a dangling link: wherever it points
    except OSError:
        return True  # a loop (ELOOP) or a link that cannot be read: never follow it
    if real == lexical:
        return False  # no link on the way
    return not within(real, os.path.realpath(root))


def within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def link_target(path: Path | str) -> str:
    """Where ``path`` leads, for a message (as the link says, not resolved)."""
    try:
        return os.readlink(path)
    except OSError:
        return os.path.realpath(path)
