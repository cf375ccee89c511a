"""Worker processes: forked where the platform allows, so they share what is already loaded.

Lint, check and generate split large registries over every core. Forking lets a worker read the
parent's registry without copying or re-reading it; where fork is missing or unsafe (Windows,
macOS's default), the platform's default start method is used and each worker loads its own
part, which every caller supports.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import multiprocessing.context

# multiprocessing is imported when a pool is about to start: a small run (a pull request that
# changes a few schemas) starts none and need not pay for it.


def can_fork() -> bool:
    import multiprocessing

    return os.name == "posix" and "fork" in multiprocessing.get_all_start_methods()


def pool_context() -> multiprocessing.context.BaseContext:
    """The context to start worker pools with: fork where available, else the default."""
    import multiprocessing

    return multiprocessing.get_context("fork") if can_fork() else multiprocessing.get_context()
