"""Checking documents against a metaschema, fast: the metaschema compiled to keyword dispatch.

A general validator walks every keyword of the metaschema for every subschema of the document
(draft-04's metaschema has 33 properties); most subschemas use two or three. Compiled here,
an object is checked by looking up only the keys it has, so a registry of thousands of
documents lints in a fraction of the time. Each keyword the metaschemas use is one small
function, dispatched from ``_KEYWORDS`` (the shape of python-jsonschema's ``_keywords.py``).

Semantics follow python-jsonschema's reading of the metaschema's own dialect, ``regex`` being
the one format checked (as ``check_schema`` does without optional packages); the test suite
holds this module to that oracle on generated documents.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from eventcontracts.schema.canonical import canonical
from eventcontracts.schema.pointer import escape_token
from eventcontracts.schema.pointer import resolve as value_at

# Where a check is, as a linked tuple (parent, key): cheap to extend on every key visited,
# turned into a JSON pointer string only for a problem that gets reported.
Path = tuple[Any, ...]
Problem = tuple[Path, str]
Check = Callable[[Any, Path], list[Problem]]
ROOT: Path = ()
_OK: list[Problem] = []  # shared and never mutated: problems lists are always built anew
_NOWHERE = object()  # where a metaschema $ref that leads to nothing leads

_TYPE_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "null": "null",
}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_integer_strict(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_integer_loose(value: Any) -> bool:
    # draft-06 and later: 1.0 is an integer
    return _is_integer_strict(value) or (isinstance(value, float) and value.is_integer())


def _json_type(value: Any) -> str:
    """What a value is, in the words of _TYPE_NAMES (bool before int: True is an int)."""
    if isinstance(value, bool):
        return "a boolean"
    for name, python_type in (("object", dict), ("array", list), ("string", str)):
        if isinstance(value, python_type):
            return _TYPE_NAMES[name]
    return "null" if value is None else "a number"


def _describe_value(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."


class _Compiler:
    def __init__(self, root: dict[str, Any], *, loose_integers: bool) -> None:
        self.root = root
        self.types: dict[str, Callable[[Any], bool]] = {
            "object": lambda v: isinstance(v, dict),
            "array": lambda v: isinstance(v, list),
            "string": lambda v: isinstance(v, str),
            "number": _is_number,
            "integer": _is_integer_loose if loose_integers else _is_integer_strict,
            "boolean": lambda v: isinstance(v, bool),
            "null": lambda v: v is None,
        }
        self.compiled: dict[int, Check] = {}

    def compile(self, node: Any) -> Check:
        key = id(node)
        if key in self.compiled:
            return self.compiled[key]
        cell: list[Check] = []

        def forward(instance: Any, pointer: Path) -> list[Problem]:
            return cell[0](instance, pointer)

        # Registered before compiling the body, so recursion ($ref: "#") finds it.
        self.compiled[key] = forward
        check = self._compile_node(node)
        cell.append(check)
        self.compiled[key] = check
        return check

    def resolve(self, ref: str) -> Any:
        if ref in ("#", ""):
            return self.root
        if not ref.startswith("#/"):
            raise ValueError(f"metaschema $ref {ref!r} is not local")
        node = value_at(self.root, ref[1:], _NOWHERE)
        if node is _NOWHERE:
            raise ValueError(f"metaschema $ref {ref!r} points to nothing")
        return node

    def _compile_node(self, node: Any) -> Check:
        if node is True or node == {}:
            return lambda instance, pointer: _OK
        if node is False:
            return lambda instance, pointer: [(pointer, "no value is allowed here")]
        if "$ref" in node:  # draft-04..07: siblings of $ref are ignored
            return self.compile(self.resolve(node["$ref"]))
        checks = [
            check
            for keyword, compile_keyword in _KEYWORDS.items()
            if keyword in node
            for check in [compile_keyword(self, node[keyword], node)]
            if check is not None
        ]
        if not checks:
            return lambda instance, pointer: _OK
        if len(checks) == 1:
            return checks[0]

        has_type = "type" in node  # compiled first: _KEYWORDS starts with it

        def all_checks(instance: Any, pointer: Path) -> list[Problem]:
            problems = _OK
            for index, check in enumerate(checks):
                found = check(instance, pointer)
                if found:
                    if index == 0 and has_type:
                        return found  # of the wrong type, the other keywords only add noise
                    problems = problems + found if problems else found
            return problems

        return all_checks


KeywordCompiler = Callable[[_Compiler, Any, dict[str, Any]], Check | None]


def _type(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    names = [value] if isinstance(value, str) else list(value)
    tests = [compiler.types[name] for name in names]
    wanted = " or ".join(_TYPE_NAMES[name] for name in names)

    def check(instance: Any, pointer: Path) -> list[Problem]:
        for test in tests:
            if test(instance):
                return _OK
        return [(pointer, f"must be {wanted}, not {_json_type(instance)}")]

    return check


def _enum(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    allowed = {canonical(item) for item in value}
    strings = {item for item in value if isinstance(item, str)}
    listed = ", ".join(_describe_value(item) for item in value)

    def check(instance: Any, pointer: Path) -> list[Problem]:
        if instance.__class__ is str:
            if instance in strings:
                return _OK
        elif canonical(instance) in allowed:
            return _OK
        return [(pointer, f"{_describe_value(instance)} is not one of {listed}")]

    return check


def _minimum(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    exclusive = node.get("exclusiveMinimum") is True

    def check(instance: Any, pointer: Path) -> list[Problem]:
        if not _is_number(instance):
            return _OK
        if instance > value or (not exclusive and instance == value):
            return _OK
        bound = f"greater than {value}" if exclusive else f"at least {value}"
        return [(pointer, f"{_describe_value(instance)} must be {bound}")]

    return check


def _exclusive_minimum(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check | None:
    if isinstance(value, bool):
        return None  # draft-04 form, read by _minimum

    def check(instance: Any, pointer: Path) -> list[Problem]:
        if not _is_number(instance) or instance > value:
            return _OK
        return [(pointer, f"{_describe_value(instance)} must be greater than {value}")]

    return check


def _min_items(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    def check(instance: Any, pointer: Path) -> list[Problem]:
        if not isinstance(instance, list) or len(instance) >= value:
            return _OK
        return [(pointer, f"must have at least {value} item{'s' if value != 1 else ''}")]

    return check


def _unique_items(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check | None:
    if value is not True:
        return None

    def check(instance: Any, pointer: Path) -> list[Problem]:
        if not isinstance(instance, list):
            return _OK
        seen: set[Any] = set()
        for item in instance:
            key = canonical(item)
            if key in seen:
                return [(pointer, f"items must be unique; {_describe_value(item)} repeats")]
            seen.add(key)
        return _OK

    return check


def _required(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    def check(instance: Any, pointer: Path) -> list[Problem]:
        if not isinstance(instance, dict):
            return _OK
        missing = [name for name in value if name not in instance]
        if not missing:
            return _OK
        return [(pointer, f"{', '.join(map(repr, missing))} is required here")]

    return check


def _pattern(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    regex = re.compile(value)

    def check(instance: Any, pointer: Path) -> list[Problem]:
        if not isinstance(instance, str) or regex.search(instance):
            return _OK
        return [(pointer, f"{_describe_value(instance)} does not match {value!r}")]

    return check


def _format(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check | None:
    if value != "regex":
        return None

    def check(instance: Any, pointer: Path) -> list[Problem]:
        if not isinstance(instance, str):
            return _OK
        try:
            re.compile(instance)
        except re.error as exc:
            return [(pointer, f"{_describe_value(instance)} is not a valid regex ({exc})")]
        return _OK

    return check


def _items(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    item_check = compiler.compile(value)

    def check(instance: Any, pointer: Path) -> list[Problem]:
        if not isinstance(instance, list):
            return _OK
        problems = _OK
        for index, item in enumerate(instance):
            found = item_check(item, (pointer, index))
            if found:
                problems = problems + found if problems else found
        return problems

    return check


def _properties(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    """properties, patternProperties and additionalProperties together: one pass over the keys."""
    named = {name: compiler.compile(schema) for name, schema in value.items()}
    patterns = [
        (re.compile(pattern), compiler.compile(schema))
        for pattern, schema in node.get("patternProperties", {}).items()
    ]
    additional = node.get("additionalProperties", True)
    additional_check = None if additional is False else compiler.compile(additional)

    # Which patterns match a named property is known now, not per document.
    for_named = {
        name: tuple(check for pattern, check in patterns if pattern.search(name)) for name in named
    }

    def check(instance: Any, pointer: Path) -> list[Problem]:
        if not isinstance(instance, dict):
            return _OK
        problems = _OK
        unexpected = []
        for key, item in instance.items():
            named_check = named.get(key)
            if named_check is not None:
                found = named_check(item, (pointer, key))
                for pattern_check in for_named[key]:
                    more = pattern_check(item, (pointer, key))
                    found = found + more if found else more
            else:
                found = _OK
                matched = False
                for pattern, pattern_check in patterns:
                    if pattern.search(key):
                        matched = True
                        more = pattern_check(item, (pointer, key))
                        found = found + more if found else more
                if not matched:
                    if additional_check is None:
                        unexpected.append(key)
                    else:
                        found = additional_check(item, (pointer, key))
            if found:
                problems = problems + found if problems else found
        if unexpected:
            keys = ", ".join(map(repr, unexpected))
            problems = [*problems, (pointer, f"keyword {keys} not allowed here")]
        return problems

    return check


def _pattern_properties(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check | None:
    if "properties" in node:
        return None  # compiled together with properties
    return _properties(compiler, {}, node)


def _additional_properties(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check | None:
    if "properties" in node or "patternProperties" in node:
        return None
    return _properties(compiler, {}, node)


def _property_names(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    name_check = compiler.compile(value)

    def check(instance: Any, pointer: Path) -> list[Problem]:
        if not isinstance(instance, dict):
            return _OK
        problems = _OK
        for key in instance:
            found = name_check(key, (pointer, key))
            if found:
                problems = problems + found if problems else found
        return problems

    return check


def _dependencies(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    pairs = [(name, needed) for name, needed in value.items() if isinstance(needed, list)]

    def check(instance: Any, pointer: Path) -> list[Problem]:
        if not isinstance(instance, dict):
            return _OK
        problems = _OK
        for name, needed in pairs:
            if name in instance:
                for other in needed:
                    if other not in instance:
                        message = f"{name!r} needs {other!r} beside it"
                        problems = [*problems, ((pointer, name), message)]
        return problems

    return check


def _all_of(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    checks = [compiler.compile(schema) for schema in value]

    def check(instance: Any, pointer: Path) -> list[Problem]:
        problems = _OK
        for branch in checks:
            found = branch(instance, pointer)
            if found:
                problems = problems + found if problems else found
        return problems

    return check


def _depth(path: Path) -> int:
    depth = 0
    while path:
        path = path[0]
        depth += 1
    return depth


def to_pointer(path: Path) -> str:
    tokens = []
    while path:
        path, key = path
        tokens.append(escape_token(str(key)))
    return "".join(f"/{token}" for token in reversed(tokens))


def _closest(failures: Sequence[list[Problem]]) -> list[Problem]:
    """The failing branch the author most likely meant: the one that got deepest, then fewest."""
    return max(failures, key=lambda f: (max(_depth(p[0]) for p in f), -len(f)))


def _any_of(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    checks = [compiler.compile(schema) for schema in value]

    def check(instance: Any, pointer: Path) -> list[Problem]:
        failures = []
        for branch in checks:
            found = branch(instance, pointer)
            if not found:
                return _OK
            failures.append(found)
        return _closest(failures)

    return check


def _one_of(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    checks = [compiler.compile(schema) for schema in value]

    def check(instance: Any, pointer: Path) -> list[Problem]:
        failures = []
        passed = 0
        for branch in checks:
            found = branch(instance, pointer)
            if found:
                failures.append(found)
            else:
                passed += 1
        if passed == 1:
            return _OK
        if passed > 1:
            return [(pointer, "matches more than one of the allowed forms")]
        return _closest(failures)

    return check


def _not(compiler: _Compiler, value: Any, node: dict[str, Any]) -> Check:
    inner = compiler.compile(value)

    def check(instance: Any, pointer: Path) -> list[Problem]:
        if inner(instance, pointer):
            return _OK
        return [(pointer, f"{_describe_value(instance)} is not allowed here")]

    return check


# Keywords of the metaschema (not of the documents): each compiles to a check, or to None for
# annotations and for keywords another keyword's check already covers.
_KEYWORDS: dict[str, KeywordCompiler] = {
    "type": _type,
    "enum": _enum,
    "minimum": _minimum,
    "exclusiveMinimum": _exclusive_minimum,
    "minItems": _min_items,
    "uniqueItems": _unique_items,
    "required": _required,
    "pattern": _pattern,
    "format": _format,
    "items": _items,
    "properties": _properties,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
    "propertyNames": _property_names,
    "dependencies": _dependencies,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "not": _not,
}
# What the compiler knows to be annotations; any other keyword is an error at compile time,
# so a metaschema using something unsupported cannot pass documents silently.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "id", "title", "description", "default", "definitions", "$comment"}
)


def compile_metaschema(
    metaschema: dict[str, Any], *, loose_integers: bool
) -> Callable[[Any], list[tuple[str, str]]]:
    """Check documents against ``metaschema``: ``(pointer, message)`` for each problem.

    ``loose_integers`` for draft-06 and later, where 1.0 is an integer.
    """
    _assert_supported(metaschema)
    check = _Compiler(metaschema, loose_integers=loose_integers).compile(metaschema)

    def check_document(document: Any) -> list[tuple[str, str]]:
        return [(to_pointer(path), message) for path, message in check(document, ROOT)]

    return check_document


def _assert_supported(node: Any) -> None:
    if isinstance(node, dict):
        for keyword, value in node.items():
            if keyword not in _KEYWORDS and keyword not in _ANNOTATIONS and keyword != "$ref":
                raise ValueError(f"metaschema keyword {keyword!r} is not supported")
            if keyword in ("properties", "patternProperties", "definitions"):
                for child in value.values():
                    _assert_supported(child)
            elif keyword not in ("enum", "required", "default", "dependencies", "type"):
                _assert_supported(value)
    elif isinstance(node, list):
        for child in node:
            _assert_supported(child)
