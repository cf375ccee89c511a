"""What the declared models of every settings file share: strict tables, and plain words for
what is wrong with a value.

A settings file is read into pydantic models, one per table. Each refuses a key it does not
declare (a typo would otherwise silently not apply) and takes values as TOML typed them: no
coercion, so ``"yes"`` is not a boolean and ``1`` not a string. A value's mistake is told by
the words its field declares (:func:`must_be`, :func:`refused_as`), never by pydantic's, so
each file's loader can turn a ValidationError into its one line.

Imported only when a settings file is read: pydantic costs the commands that never read one
(``--help``, ``explain``) tens of milliseconds.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, WrapValidator
from pydantic_core import ErrorDetails

_Table = TypeVar("_Table", bound="SettingsTable")


class SettingsTable(BaseModel):
    """One table of a settings file: its keys declared (TOML's, dashes and all, as aliases),
    any other refused, every value of the type TOML gave it."""

    # defer_build: a file's model builds one validator, tables and all, when it first reads a
    # file, instead of one per table class at import (a few milliseconds of every command).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """The keys the table may hold, as the file spells them, in the declared order."""
        return tuple(field.alias or name for name, field in cls.model_fields.items())

    @classmethod
    def read(cls: type[_Table], raw: Any, **options: Any) -> _Table:
        """``raw`` (a parsed file) as this model: ``model_validate``, the first call building
        the model's validator without pydantic's plugins (:func:`_without_plugins`).

        pydantic has no model setting for that, only its process-wide environment switch: it
        is flipped only while the validator is built, and only when no other thread runs (one
        building a model of its own meanwhile would silently lose its plugins; there the
        plugins are looked up as usual)."""
        if cls.__pydantic_complete__ or threading.active_count() > 1:
            return cls.model_validate(raw, **options)
        with _without_plugins():
            return cls.model_validate(raw, **options)


# pydantic's documented switch for its plugins (observability tools such as logfire).
_PLUGINS_SWITCH = "PYDANTIC_DISABLE_PLUGINS"


@contextmanager
def _without_plugins() -> Iterator[None]:
    """Build validators with no pydantic plugin: finding plugins reads the entry points of every
    installed distribution (~20 ms with a hundred; an installed plugin adds its own imports),
    and this tool's settings files are not what such a plugin is there to observe. The switch
    is put back at once, so the models of the user's own code (contract tests) still get them.
    """
    before = os.environ.get(_PLUGINS_SWITCH)
    os.environ[_PLUGINS_SWITCH] = "__all__"
    try:
        yield
    finally:
        if before is None:
            del os.environ[_PLUGINS_SWITCH]
        else:
            os.environ[_PLUGINS_SWITCH] = before


def refused_as(message: Callable[[Any], str]) -> WrapValidator:
    """A value the field's type (and constraints) does not take, whatever the reason, is told
    as ``message(value)``."""

    def validate(value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise ValueError(message(value)) from None

    return WrapValidator(validate)


def must_be(expected: str) -> WrapValidator:
    """A value the field does not take is told as ``must be <expected>``."""
    return refused_as(lambda _value: f"must be {expected}")


def valid_when(test: Callable[[Any], bool], why: str) -> AfterValidator:
    """A value of the field's type is taken only when ``test(value)``; else it is told as
    ``<value> <why>`` (``'my events' is not a valid name``)."""

    def validate(value: Any) -> Any:
        if not test(value):
            raise ValueError(f"{value!r} {why}")
        return value

    return AfterValidator(validate)


def table_or(expected: str) -> WrapValidator:
    """A value that is not a table is told as ``must be <expected>``; a table is validated
    as declared, its own mistakes told by its own fields."""

    def validate(value: Any, handler: Callable[[Any], Any]) -> Any:
        if not isinstance(value, dict):
            raise ValueError(f"must be {expected}")
        return handler(value)

    return WrapValidator(validate)


UNKNOWN_KEY = "extra_forbidden"
MISSING_KEY = "missing"
# A table (or an array of tables) where something else was written.
NOT_A_TABLE = frozenset({"model_type", "dict_type", "model_attributes_type"})


def first_error(error: ValidationError, order: Sequence[str] = (UNKNOWN_KEY,)) -> ErrorDetails:
    """The error to tell: the first of the kinds in ``order`` (an unknown key first: it may be
    the misspelt key a later "missing" error is about), else the first in the file's order."""
    errors = error.errors(include_url=False, include_input=True)
    for kind in order:
        for found in errors:
            if found["type"] == kind:
                return found
    return errors[0]


def explanation(error: ErrorDetails) -> str:
    """What a value error says (the words its field declared); pydantic's words otherwise."""
    context = error.get("ctx") or {}
    if error["type"] == "value_error" and "error" in context:
        return str(context["error"])
    return error["msg"]
