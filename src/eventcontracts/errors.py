"""Errors that mean the input or the usage is wrong: the CLI turns them into exit code 2."""

from __future__ import annotations


class EventContractsError(Exception):
    """Base of every error this tool raises on purpose. The message is one line for the user."""


class ConfigError(EventContractsError):
    """``eventcontracts.toml`` is missing, unreadable or has a wrong value."""


class RegistryError(EventContractsError):
    """The registry folder cannot be read at all (missing, not a folder)."""
