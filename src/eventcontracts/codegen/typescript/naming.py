"""TypeScript names and literals for untrusted text: valid, distinct, and never code.

Schema names, component names, property names, descriptions, sources and enum values come from
a pull request. What reaches the generated TypeScript is one of:

- an identifier made by :func:`ts_identifier` (the Python generator's rules, which keep only
  letters, digits and underscores, plus the words TypeScript reserves);
- a string literal written by :func:`string_literal` (JSON's escaping, ASCII only: no quote,
  backslash, line terminator or backtick can end it, and a template's ``${`` is plain text in
  a double-quoted string);
- a JSDoc comment written by :func:`jsdoc`, in which ``*/`` cannot occur.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from eventcontracts.codegen.naming import identifier, pascal_case

# ECMAScript's reserved words (strict mode, modules), TypeScript's type keywords and the words it
# refuses as a type's name: none can name an interface, a type or a namespace export.
RESERVED_WORDS = frozenset(
    {
        "abstract",
        "any",
        "arguments",
        "as",
        "async",
        "await",
        "bigint",
        "boolean",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "constructor",
        "continue",
        "debugger",
        "declare",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "eval",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "from",
        "function",
        "get",
        "global",
        "if",
        "implements",
        "import",
        "in",
        "infer",
        "instanceof",
        "interface",
        "is",
        "keyof",
        "let",
        "module",
        "namespace",
        "never",
        "new",
        "null",
        "number",
        "object",
        "of",
        "package",
        "private",
        "protected",
        "public",
        "readonly",
        "require",
        "return",
        "satisfies",
        "set",
        "static",
        "string",
        "super",
        "switch",
        "symbol",
        "this",
        "throw",
        "true",
        "try",
        "type",
        "typeof",
        "undefined",
        "unique",
        "unknown",
        "var",
        "void",
        "while",
        "with",
        "yield",
    }
)

# Global names a module's own declaration must not shadow where generated code may use them.
GLOBAL_NAMES = frozenset(
    {"Array", "Date", "Error", "JSON", "Object", "Promise", "Readonly", "Record", "String"}
)

_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


def ts_identifier(text: str, *, fallback: str) -> str:
    """``text`` as an identifier TypeScript takes anywhere a name goes: the Python generator's
    identifier (unicode letters, digits, underscores; never empty), a trailing underscore when
    it is a word TypeScript reserves."""
    name = identifier(text, fallback=fallback)
    return f"{name}_" if name in RESERVED_WORDS or name in GLOBAL_NAMES else name


@cache  # the same property names recur in every version of a schema
def type_name(text: str, *, fallback: str = "Type") -> str:
    """PascalCase type name of any text (``Some/Awesome/Schema.Object$2``, ``订单``)."""
    return ts_identifier(pascal_case(text), fallback=fallback)


def namespace_name(module: str) -> str:
    """A source's folder name as the namespace ``src/index.ts`` exports it under."""
    return ts_identifier(module, fallback="source")


class Names:
    """Distinct names in one scope: a wanted name that is taken gets ``_2``, ``_3``..."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = set(taken) | RESERVED_WORDS

    def take(self, wanted: str) -> str:
        name, number = wanted, 1
        while name in self._taken:
            number += 1
            name = f"{wanted}_{number}"
        self._taken.add(name)
        return name

    def __contains__(self, name: str) -> bool:
        return name in self._taken


def string_literal(text: str) -> str:
    """A double-quoted TypeScript string literal holding exactly ``text`` (JSON's escaping,
    every non-ASCII character as ``\\uXXXX``, lone surrogates included)."""
    return json.dumps(text, ensure_ascii=True)


def property_key(name: str) -> str:
    """A property's name as an interface member key: bare when it is a plain identifier,
    else a string literal (``"detail-type"``, ``"a b"``, ``"__proto__"`` stays bare)."""
    return name if _PLAIN_KEY.fullmatch(name) else string_literal(name)


# Numbers beyond this are not exact as a JavaScript number: their literal type would be a lie.
MAX_SAFE_INTEGER = 2**53 - 1


def literal_type(value: Any) -> str:
    """The literal type of a JSON value (an enum member, a const): ``"USD"``, ``42``, ``true``,
    ``null``; an object or array value as the object or tuple type of its members' literals; a
    number JavaScript cannot hold exactly as ``number``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) <= MAX_SAFE_INTEGER else "number"
    if isinstance(value, float):
        if not math.isfinite(value):  # NaN and Infinity (YAML's .nan, .inf) have no literal
            return "number"
        if value.is_integer():
            return str(int(value)) if abs(value) <= MAX_SAFE_INTEGER else "number"
        return repr(value)
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, list):
        return f"[{', '.join(literal_type(item) for item in value)}]"
    if isinstance(value, dict):
        if not value:
            return "{ [key: string]: never }"
        members = "; ".join(
            f"{property_key(str(key))}: {literal_type(item)}" for key, item in value.items()
        )
        return f"{{ {members} }}"
    return "unknown"


def _comment_text(text: str) -> str:
    """``text`` for a block comment: lines normalised to ``\\n``, ``*/`` broken (``*\\/``), and
    what a source file should not hold (controls, lone surrogates, line terminators JavaScript
    knows besides ``\\n``) written as ``\\uXXXX``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for char in text:
        if char == "\n" or (char.isprintable() and not 0xD800 <= ord(char) <= 0xDFFF):
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\u{{{ord(char):x}}}")
    # "*/" ends the comment; "*\/" reads the same in an editor and ends nothing.
    return "".join(out).replace("*/", "*\\/")


def jsdoc(text: str | None, indent: str = "") -> str:
    """A JSDoc comment (with its newline) holding ``text``, or "" when there is nothing to say."""
    if not isinstance(text, str) or not text.strip():
        return ""
    lines = [line.rstrip() for line in _comment_text(text.strip()).split("\n")]
    if len(lines) == 1:
        return f"{indent}/** {lines[0]} */\n"
    body = "".join(f"{indent} *{' ' + line if line else ''}\n" for line in lines)
    return f"{indent}/**\n{body}{indent} */\n"
