"""Whether an event fits a version: the version's validator, compiled to plain Python checks.

``drift`` asks "does this event fit this version?" for every event and every version: 100,000
events of a few versions each. python-jsonschema answers in 100-300 microseconds an event (it
resolves refs and builds a validator per subschema on every call), which is a minute's work;
the question needs only a yes or no, so each version is compiled once into nested closures
that answer it in a few microseconds.

Exactness comes first, speed second. The reference is :meth:`Resolver.event_validator`
(jsonschema with the version's dialect, its formats and linear-time patterns):

- the version's event schema is inlined (every ``$ref`` replaced by its target, as the
  resolver finds it, ``nullable`` read as the resolver's view reads it);
- a subschema whose keywords (those the dialect's validator knows) are all in
  :data:`COMPILED` becomes closures with jsonschema's semantics for them (types from the
  dialect's type checker, formats from the same format checker, patterns from the same
  linear-time engine); any other subschema is checked by jsonschema itself, as a whole;
- a version that cannot be inlined (a recursive schema, a ref that does not resolve, more
  refs than :data:`MAX_REFS`, ``$id``\\ s that re-base refs, draft 3) is checked by the
  reference validator, unchanged.

``tests/test_drift.py`` holds the compiled checks to the reference on every version of the
example catalog and the real-world corpus, and on thousands of events mutated from theirs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import jsonschema

from eventcontracts.errors import EventContractsError
from eventcontracts.registry.model import SchemaVersion
from eventcontracts.registry.resolver import Resolver, validator_class
from eventcontracts.registry.safe_validators import safe_validator_class
from eventcontracts.registry.structure import error_pointer, shortened
from eventcontracts.safe_regex import RegexBudgetExceeded, compile_pattern
from eventcontracts.schema.inline import Inliner

Check = Callable[[Any], bool]

# The keywords compiled here; any other validation keyword sends its subschema to jsonschema.
COMPILED = frozenset(
    {
        "type",
        "enum",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "additionalItems",  # a no-op unless "items" is a list (then jsonschema checks it)
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "allOf",
        "anyOf",
        "oneOf",
    }
)
# Refs followed while inlining one version: a ref bomb (each definition using the next twice)
# stops here and the version is checked by the reference validator.
MAX_REFS = 5_000
_LEGACY = (
    jsonschema.Draft4Validator,
    jsonschema.Draft6Validator,
    jsonschema.Draft7Validator,
)
# Where the inliner met recursion or a ref it could not resolve: not compiled.
_CUT = "$eventcontracts-cut"
_UNRESOLVED = "$eventcontracts-unresolved"


class DriftError(EventContractsError):
    """A version that cannot be checked at all (a $ref that does not resolve): one line."""


class _NotCompiled(Exception):
    """The version is checked by the reference validator."""


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


class VersionFits:
    """``fits(event)``: whether an event fits one version; ``first_error`` says why not."""

    def __init__(self, version: SchemaVersion, resolver: Resolver) -> None:
        self.version = version
        self.reference = resolver.event_validator(version)
        self.compiled = True
        try:
            self.fits: Check = _Compiler(version, resolver).compile()
        except _NotCompiled:
            self.compiled = False
            self.fits = self._reference_fits

    def _reference_fits(self, event: Any) -> bool:
        try:
            return bool(self.reference.is_valid(event))
        except Exception as exc:  # referencing's errors: a ref lint reports as unresolvable
            # shortened: referencing's message quotes the whole document the ref missed in.
            raise DriftError(
                f"{self.version.document.display}: cannot be checked ({shortened(str(exc))}); "
                "run 'eventcontracts lint' and fix it first"
            ) from None

    def first_error(self, event: Any) -> tuple[str, str] | None:
        """(JSON pointer in the event, message) of the reference's most relevant error."""
        from jsonschema.exceptions import best_match

        error = best_match(self.reference.iter_errors(event))
        if error is None:
            return None
        # shortened: the value it quotes may be long and span lines.
        return error_pointer(error.absolute_path), shortened(error.message, 300)


class _Compiler:
    def __init__(self, version: SchemaVersion, resolver: Resolver) -> None:
        base = validator_class(version)
        if base is jsonschema.Draft3Validator or resolver.declares_ids(version):
            raise _NotCompiled
        self.version = version
        self.resolver = resolver
        self.legacy = base in _LEGACY
        self.cls: Any = safe_validator_class(base)
        self.keywords = frozenset(self.cls.VALIDATORS)
        self.types = self.cls.TYPE_CHECKER
        self.formats: jsonschema.FormatChecker = self.reference_format_checker()
        self.refs = 0

    def reference_format_checker(self) -> jsonschema.FormatChecker:
        # The reference's own checker: the same formats, asserted the same way.
        checker = getattr(self.resolver.event_validator(self.version), "format_checker", None)
        return checker if checker is not None else jsonschema.FormatChecker()

    def compile(self) -> Check:
        inliner = Inliner(
            self._resolve,
            legacy_refs=self.legacy,
            max_repeats=1,
            cut={_CUT: True},
            unresolved={_UNRESOLVED: True},
        )
        pointer = "#" + quote(self.version.envelope_pointer, safe="/~")
        schema = inliner.inline({"$ref": pointer}, self.version.uri)
        return self._schema(schema)

    def _resolve(self, ref: str, scope: Any) -> tuple[Any, Any] | None:
        self.refs += 1
        if self.refs > MAX_REFS:
            raise _NotCompiled
        try:
            found = self.resolver.lookup(ref, scope)
        except Exception:  # unresolvable: marked, and the version is not compiled
            return None
        return found.contents, found

    # -- one subschema ---------------------------------------------------------------------

    def _schema(self, schema: Any) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict) or _CUT in schema or _UNRESOLVED in schema:
            raise _NotCompiled
        if "$ref" in schema or "$dynamicRef" in schema:
            raise _NotCompiled  # left by the inliner only where it could not follow one
        active = [key for key in schema if key in self.keywords]
        if any(key not in COMPILED for key in active) or not self._compilable(schema):
            return self._by_jsonschema(schema)
        # "type": "object" beside object keywords is checked by the object check itself.
        only_objects = schema.get("type") == "object" and (
            "properties" in schema or "required" in schema or "additionalProperties" in schema
        )
        checks = [
            *([] if only_objects else self._type(schema)),
            *self._enum(schema),
            *self._object(schema, only_objects=only_objects),
            *self._array(schema),
            *self._string(schema),
            *self._number(schema),
            *self._combined(schema),
        ]
        return _every(checks)

    def _compilable(self, schema: dict[str, Any]) -> bool:
        """Whether the compiled keywords have the forms compiled here (else jsonschema)."""
        enum = schema.get("enum")
        if "enum" in schema and not (
            isinstance(enum, list) and all(isinstance(each, str) for each in enum)
        ):
            return False
        if "items" in schema and not isinstance(schema["items"], (dict, bool)):
            return False
        if "required" in schema and not (
            isinstance(schema["required"], list)
            and all(isinstance(each, str) for each in schema["required"])
        ):
            return False
        if "properties" in schema and not isinstance(schema["properties"], dict):
            return False
        for keyword in ("minItems", "maxItems", "minLength", "maxLength"):
            if keyword in schema and not _is_count(schema[keyword]):
                return False
        for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if keyword in schema and keyword in self.keywords and not _is_number(schema[keyword]):
                return False
        if self.legacy and self.cls.VALIDATORS.get("exclusiveMinimum") is None:
            # Draft 4: booleans beside minimum/maximum.
            for keyword in ("exclusiveMinimum", "exclusiveMaximum"):
                if keyword in schema and not isinstance(schema[keyword], bool):
                    return False
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema and not (isinstance(schema[keyword], list) and schema[keyword]):
                return False
        if "pattern" in schema and not isinstance(schema["pattern"], str):
            return False
        if "format" in schema and not isinstance(schema["format"], str):
            return False
        types = schema.get("type")
        names = types if isinstance(types, list) else [types]
        if "type" in schema and not all(
            isinstance(name, str) and self._is_known_type(name) for name in names
        ):
            return False
        return not ("additionalProperties" in schema and "patternProperties" in schema)

    def _is_known_type(self, name: str) -> bool:
        try:
            self.types.is_type(None, name)
        except Exception:  # jsonschema's UnknownType
            return False
        return True

    def _by_jsonschema(self, schema: dict[str, Any]) -> Check:
        validator = self.cls(schema, format_checker=self.formats)
        return validator.is_valid  # type: ignore[no-any-return]

    # -- keywords ----------------------------------------------------------------------------

    def _type(self, schema: dict[str, Any]) -> list[Check]:
        if "type" not in schema:
            return []
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        tests = [self._type_test(name) for name in names]
        if len(tests) == 1:
            return tests
        return [_some(tests)]

    def _type_test(self, name: str) -> Check:
        simple: dict[str, Check] = {
            "string": lambda value: isinstance(value, str),
            "object": lambda value: isinstance(value, dict),
            "array": lambda value: isinstance(value, list),
            "boolean": lambda value: isinstance(value, bool),
            "null": lambda value: value is None,
            "number": _is_number,
        }
        if name in simple:
            return simple[name]
        checker = self.types
        return lambda value: bool(checker.is_type(value, name))

    def _enum(self, schema: dict[str, Any]) -> list[Check]:
        if "enum" not in schema:
            return []
        allowed = frozenset(schema["enum"])
        return [lambda value: isinstance(value, str) and value in allowed]

    def _object(self, schema: dict[str, Any], *, only_objects: bool = False) -> list[Check]:
        properties = {name: self._schema(sub) for name, sub in schema.get("properties", {}).items()}
        properties = {name: check for name, check in properties.items() if check is not _always}
        required = tuple(schema.get("required", ()))
        additional = schema.get("additionalProperties", True)
        declared = frozenset(schema.get("properties", {}))
        extra: Check | None = None
        if additional is not True and additional != {}:
            extra = self._schema(additional)
        if not properties and not required and extra is None and not only_objects:
            return []
        checked = tuple(properties.items())

        def fits_object(value: Any) -> bool:
            if not isinstance(value, dict):
                return not only_objects
            for name in required:
                if name not in value:
                    return False
            for name, check in checked:
                if name in value and not check(value[name]):
                    return False
            if extra is not None:
                for name, item in value.items():
                    if name not in declared and not extra(item):
                        return False
            return True

        return [fits_object]

    def _array(self, schema: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        if "items" in schema:
            item = self._schema(schema["items"])
            if item is not _always:

                def fits_items(value: Any) -> bool:
                    if isinstance(value, list):
                        for each in value:
                            if not item(each):
                                return False
                    return True

                checks.append(fits_items)
        low, high = schema.get("minItems"), schema.get("maxItems")
        if low is not None:
            checks.append(lambda value: not isinstance(value, list) or len(value) >= low)
        if high is not None:
            checks.append(lambda value: not isinstance(value, list) or len(value) <= high)
        return checks

    def _string(self, schema: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        low, high = schema.get("minLength"), schema.get("maxLength")
        if low is not None:
            checks.append(lambda value: not isinstance(value, str) or len(value) >= low)
        if high is not None:
            checks.append(lambda value: not isinstance(value, str) or len(value) <= high)
        if "pattern" in schema:
            checks.append(_pattern_check(schema["pattern"]))
        if "format" in schema and schema["format"] in self.formats.checkers:
            conforms, name = self.formats.conforms, schema["format"]
            checks.append(_remembered(lambda value: bool(conforms(value, name))))
        return checks

    def _number(self, schema: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        legacy_bounds = "exclusiveMinimum" not in self.keywords
        for keyword, exclusive_keyword, below in (
            ("minimum", "exclusiveMinimum", False),
            ("maximum", "exclusiveMaximum", True),
        ):
            if keyword in schema:
                exclusive = legacy_bounds and schema.get(exclusive_keyword, False) is True
                checks.append(_bound(schema[keyword], below=below, exclusive=exclusive))
            if not legacy_bounds and exclusive_keyword in schema:
                checks.append(_bound(schema[exclusive_keyword], below=below, exclusive=True))
        return checks

    def _combined(self, schema: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        if "allOf" in schema:
            checks.append(_every([self._schema(part) for part in schema["allOf"]]))
        if "anyOf" in schema:
            checks.append(_some([self._schema(part) for part in schema["anyOf"]]))
        if "oneOf" in schema:
            choices = [self._schema(part) for part in schema["oneOf"]]
            checks.append(lambda value: sum(1 for part in choices if part(value)) == 1)
        return checks


def _every(checks: list[Check]) -> Check:
    """All of ``checks``, unrolled for the usual few (a generator per call costs more)."""
    checks = [check for check in checks if check is not _always]
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)

    def every(value: Any) -> bool:
        for check in checks:  # noqa: SIM110 - all() over a generator is slower here
            if not check(value):
                return False
        return True

    return every


def _some(checks: list[Check]) -> Check:
    def some(value: Any) -> bool:
        for check in checks:  # noqa: SIM110 - any() over a generator is slower here
            if check(value):
                return True
        return False

    return some


# Values remembered per format or pattern check: captures repeat most strings (currencies,
# countries, statuses); a check forgets all when full rather than growing without end.
_REMEMBERED = 4_096


def _remembered(check: Check) -> Check:
    """``check`` on strings, remembered by value (a string is its own exact key)."""
    known: dict[str, bool] = {}

    def remembered(value: Any) -> bool:
        if not isinstance(value, str):
            return check(value)
        answer = known.get(value)
        if answer is None:
            if len(known) >= _REMEMBERED:
                known.clear()
            answer = known[value] = check(value)
        return answer

    return remembered


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _bound(limit: Any, *, below: bool, exclusive: bool) -> Check:
    if below:
        if exclusive:
            return lambda value: not _is_number(value) or value < limit
        return lambda value: not _is_number(value) or value <= limit
    if exclusive:
        return lambda value: not _is_number(value) or value > limit
    return lambda value: not _is_number(value) or value >= limit


def _pattern_check(pattern: str) -> Check:
    """The safe validators' ``pattern``: RE2 search; a pattern it cannot tell fails."""
    try:
        regex = compile_pattern(pattern)
    except (RegexBudgetExceeded, re.error, RecursionError, OverflowError):
        return lambda value: not isinstance(value, str)

    def matches(value: Any) -> bool:
        if not isinstance(value, str):
            return True
        try:
            return bool(regex.search(value))
        except (RegexBudgetExceeded, re.error, RecursionError, OverflowError):
            return False

    return _remembered(matches)
