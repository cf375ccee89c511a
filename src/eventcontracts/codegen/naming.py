"""Python names for schema names, sources and versions: valid, unique, and never code.

Schema names, titles, component names and sources are untrusted input: whatever they hold, what
reaches the generated code is an identifier checked with ``str.isidentifier`` (or a string
literal written with ``repr``, or a docstring written by :func:`docstring_literal`), never text
pasted into source.
"""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata
from collections.abc import Iterable, Mapping

from eventcontracts.codegen.errors import CodegenError

# Names a generated class must not take: they would shadow what the generated code imports or
# defines (datamodel-code-generator's imports and a source's lazy __init__ included).
RESERVED = frozenset(
    {
        "Any",
        "Annotated",
        "AnyUrl",
        "AwareDatetime",
        "BaseModel",
        "ClassVar",
        "ConfigDict",
        "Decimal",
        "Enum",
        "Event",
        "EventEnvelope",
        "EventModel",
        "Field",
        "Literal",
        "NaiveDatetime",
        "Optional",
        "ProducerSettings",
        "PublishResult",
        "RootModel",
        "SOURCE",
        "TYPE_CHECKING",
        "UUID",
        "Union",
        "annotations",
        "date",
        "datetime",
        "importlib",
        "publish",
        "time",
        "timedelta",
    }
)


def identifier(text: str, *, fallback: str) -> str:
    """``text`` as a Python identifier: unicode letters kept, everything else an underscore."""
    normal = unicodedata.normalize("NFKC", text)
    cleaned = re.sub(r"\W+", "_", normal).strip("_")
    if cleaned and cleaned[0].isdigit():
        cleaned = f"_{cleaned}"
    if not cleaned or not cleaned.isidentifier():
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        cleaned = f"{fallback}_{digest}"
    if is_keyword(cleaned) or cleaned.startswith("__"):
        cleaned = f"{cleaned}_"
    return cleaned


def is_keyword(name: str) -> bool:
    return keyword.iskeyword(name) or keyword.issoftkeyword(name)


def pascal_case(text: str) -> str:
    """``Some/Awesome/Schema.Object$2`` -> ``SomeAwesomeSchemaObject2`` (any text, words kept)."""
    words = re.split(r"[\W_]+", unicodedata.normalize("NFKC", text))
    return "".join(word[:1].upper() + word[1:] for word in words if word)


def class_name(schema_name: str) -> str:
    """PascalCase class name of a schema folder name (``OrderCreated``, ``order-created``)."""
    name = identifier(pascal_case(schema_name), fallback="Event")
    return f"{name}Event_" if name in RESERVED else name


def definition_names(keys: Iterable[str], *, reserved: Iterable[str]) -> dict[str, str]:
    """A class name per component name, valid and distinct: ``Some/Awesome/Schema.Object$2``,
    ``Some Awesome Schema``, ``x-y``, ``class``, ``None``, ``订单``, ``Field`` all work; names
    that normalise alike get ``_2``, ``_3`` in the components' order."""
    taken = set(RESERVED) | set(reserved)
    chosen: dict[str, str] = {}
    for key in keys:
        base = identifier(pascal_case(key), fallback="Model")
        name, number = base, 1
        while name in taken:
            number += 1
            name = f"{base}_{number}"
        taken.add(name)
        chosen[key] = name
    return chosen


def module_name(schema_name: str, version: int) -> str:
    """``order_created_v2`` for version 2 of ``OrderCreated``; an acronym stays one word
    (``AWSAPICallViaCloudTrail`` -> ``awsapi_call_via_cloud_trail_v1``)."""
    # A word starts at an upper-case letter after a lower-case one or a digit, and at the last
    # capital of a run that a lower-case letter follows (the "C" of "APICall").
    snake = re.sub(
        r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])",
        "_",
        unicodedata.normalize("NFKC", schema_name),
    )
    return f"{identifier(snake.lower(), fallback='event')}_v{version}"


def source_module(source: str) -> str:
    """The default subpackage of a source: all of it, one identifier
    (``com.mycompany.orders`` -> ``com_mycompany_orders``,
    ``aws.partner/zendesk.com/123/default`` -> ``aws_partner_zendesk_com_123_default``)."""
    return identifier(source.lower(), fallback="source")


def source_packages(sources: Iterable[str], chosen: Mapping[str, str]) -> dict[str, str]:
    """The subpackage of every source: the name ``chosen`` gives it ([codegen.modules]), else
    :func:`source_module`. Derived from the source alone, so adding a schema never renames
    another's module; two sources that would share a module are an error, never renamed."""
    by_module: dict[str, str] = {}
    packages: dict[str, str] = {}
    for source in sorted(sources):
        module = chosen.get(source) or source_module(source)
        if module in by_module:
            other = by_module[module]
            raise CodegenError(
                f"sources {other!r} and {source!r} both make the subpackage {module!r}; give one "
                f'of them its own name in eventcontracts.toml: [codegen.modules] "{source}" = '
                '"<name>"'
            )
        by_module[module] = source
        packages[source] = module
    return packages


def is_consume_only(source: str) -> bool:
    """AWS services' and partners' events (``aws.*``, ``aws.partner/...``): customer code
    cannot put them on a bus, so their subpackage has no ``publish``."""
    return source.startswith("aws.")


def unique_names(names: dict[str, str]) -> dict[str, str]:
    """The same mapping with repeated values made distinct (``Name``, ``Name_2``, ...)."""
    seen: dict[str, int] = {}
    result = {}
    for key in sorted(names):
        name = names[key]
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        result[key] = name
    return result


def docstring_literal(text: str) -> str:
    """``text`` as a triple-quoted string literal that holds exactly ``text``.

    Backslashes are doubled; a quote that could end the literal (one followed by another, or
    the last character) is escaped; every character Python or an editor could take as the end of
    a line or that a module cannot hold (NUL, CR, U+2028, U+0085, form feed, lone surrogates, other
    controls) is written as an escape, so the text can never leave the docstring.
    """
    out = []
    for index, char in enumerate(text):
        if char == "\\":
            out.append("\\\\")
        elif char == '"' and (index + 1 == len(text) or text[index + 1] == '"'):
            out.append('\\"')
        elif char == "\n" or char.isprintable():
            out.append(char)
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    body = "".join(out).strip("\n")
    # A docstring's lines are re-indented by the formatter: keep it one paragraph per line.
    return f'"""{body}"""' if "\n" not in body else f'"""\n{body}\n"""'
