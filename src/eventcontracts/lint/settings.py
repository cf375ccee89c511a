"""The settings file as the commands read it: ``[lint] ignore`` names only lint rules.

:func:`eventcontracts.config.load_config` reads and checks the file's own shape; which rule IDs
exist is lint's knowledge, so the check that ``ignore`` names real ones is made here, above the
settings module (README: Architecture). Every command, the contract tests and
``eventcontracts.load_config`` read the settings through :func:`load_checked_config`.
"""

from __future__ import annotations

from pathlib import Path

from eventcontracts.config import Config, find_config, load_config
from eventcontracts.errors import ConfigError
from eventcontracts.wording import did_you_mean


def load_checked_config(
    path: Path | None = None, *, start: Path | None = None, strict: bool = True
) -> Config:
    """:func:`~eventcontracts.config.load_config`; ``strict`` also refuses a rule ID in
    ``[lint] ignore`` that is no lint rule (it would silently ignore nothing)."""
    config = load_config(path, start=start, strict=strict)
    if strict and config.lint_ignore:
        # The file as the user named it; without a name, the one load_config found.
        shown = path if path is not None else find_config((start or Path.cwd()).resolve())
        refuse_unknown_lint_rules(config, shown or Path())
    return config


def refuse_unknown_lint_rules(config: Config, path: Path) -> None:
    """``[lint] ignore`` naming no lint rule would silently ignore nothing."""
    # Only when there is something to check: the catalog loads the registry's reading rules.
    from eventcontracts.lint.catalog import RULES

    for rule in config.lint_ignore:
        if rule not in RULES:
            line = config.lines.get(("lint", "ignore"))
            raise ConfigError(
                f"{path}{f':{line}' if line else ''}: [lint] ignore names {rule!r}, which is not "
                f"a lint rule{did_you_mean(rule, RULES)} (eventcontracts explain lists them)"
            )
