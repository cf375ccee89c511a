"""JSON Schema to TypeScript type text, one generated module at a time.

A module's named types are :class:`Declaration` s: the detail of a version, every schema a
``$ref`` names (a component, a definition, a shared document's schema), and every object schema
with properties met inside them (hoisted to an interface named after its property, as the Python
generator makes a nested model). Where a type refers to a named one, the text holds a placeholder
(``\\x00<n>\\x00``: no text from a schema can hold a NUL, see ``naming``) until every name of the
package is chosen; :meth:`ModuleTypes.render` then writes the names in.

Refs are followed where the registry's resolver says they go (``Catalog``): a ref into the same
document is a declaration of the module, a ref into a shared document (``registry/_shared/``) is
an import of the type that document's module declares once, and a ref into a document that
re-bases refs with ``$id`` is inlined by the schema toolkit's inliner with the registry's
resolver. A ref that resolves nowhere (lint reports it) reads as ``unknown``.

What the types say, keyword by keyword: ``type`` (a list is a union, ``null`` included), ``enum``
and ``const`` as literal unions, ``properties`` with ``?`` for what ``required`` does not list,
``additionalProperties``/``patternProperties`` as an index signature, ``items``/``prefixItems``
as arrays and tuples, ``allOf`` as an intersection, ``anyOf``/``oneOf`` as a union. What a type
cannot say (formats, patterns, bounds, ``not``, ``if``) the validators check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin

from eventcontracts.codegen.typescript.naming import (
    Names,
    jsdoc,
    literal_type,
    property_key,
    type_name,
)
from eventcontracts.schema.pointer import parse as pointer_tokens
from eventcontracts.schema.pointer import resolve as value_at

# A named target: (the URI of its document, the JSON pointer to it there).
Key = tuple[str, str]

_NOWHERE = object()
_PLACEHOLDER = re.compile("\x00([0-9]+)\x00")

OBJECT_KEYWORDS = frozenset(
    {"properties", "additionalProperties", "patternProperties", "required", "minProperties",
     "maxProperties", "propertyNames"}
)  # fmt: skip
ARRAY_KEYWORDS = frozenset(
    {"items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains"}
)
# Keywords that say nothing of the values: a $ref with only these beside it is the ref alone.
ANNOTATIONS = frozenset(
    {"description", "title", "examples", "example", "default", "deprecated", "readOnly",
     "writeOnly", "$comment", "$schema", "$id", "id", "definitions", "$defs", "format",
     "x-amazon-events-source", "x-amazon-events-detail-type"}
)  # fmt: skip
SCALARS = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean"}


@dataclass(frozen=True)
class Document:
    """A document refs lead into, as the types read it."""

    uri: str
    content: Any  # its JSON Schema reading (OpenApi3's nullable made explicit)
    legacy_refs: bool  # up to draft 7 a $ref replaces its siblings
    shared: bool  # under the registry's shared folder: its types are declared once
    rebases: bool  # declares $id/id somewhere: its refs need the resolver's scopes


@dataclass
class Declaration:
    hint: str  # the name wanted
    key: Key | None  # the target it declares; None for a hoisted object
    doc: str | None = None
    interface: bool = False  # text is the interface's member lines, else the alias's type
    text: str = "unknown"
    name: str = ""  # chosen by ModuleTypes.name_declarations


@dataclass
class ModuleTypes:
    """The named types of one generated module, and what it imports from shared modules."""

    home: str | None  # the shared document this module declares, None for a version module
    declarations: list[Declaration] = field(default_factory=list)
    by_key: dict[Key, int] = field(default_factory=dict)
    # placeholder number -> ("local", declaration index), ("import", key), or ("edge", (from
    # index, to index)) for a reference that is part of the alias being written (break_cycles)
    placeholders: list[tuple[str, Any]] = field(default_factory=list)
    _placeholder_of: dict[tuple[str, Any], int] = field(default_factory=dict)
    imports: dict[Key, str] = field(default_factory=dict)  # key -> local alias, once named
    # Targets declared but not yet written: (declaration index, schema, where it is written).
    pending: list[tuple[int, Any, Document | None]] = field(default_factory=list)
    _names: Names = field(default_factory=Names)  # the module's names, once chosen
    broken: set[tuple[int, int]] = field(default_factory=set)  # references written unknown

    def placeholder(self, kind: str, value: Any) -> str:
        entry = (kind, value)
        if entry not in self._placeholder_of:
            self._placeholder_of[entry] = len(self.placeholders)
            self.placeholders.append(entry)
            if kind == "import":
                self.imports.setdefault(value, "")
        return f"\x00{self._placeholder_of[entry]}\x00"

    def name_declarations(self, taken: Iterable[str], fixed: dict[int, str]) -> None:
        """Choose every declaration's name: ``fixed`` ones as given, then targets (in pointer
        order for a shared module, whose names other modules import), then hoisted objects in
        the order they were met."""
        self.break_cycles()
        names = Names(taken)
        for index, name in fixed.items():
            self.declarations[index].name = names.take(name)
        targets = [i for i, d in enumerate(self.declarations) if d.key is not None]
        if self.home is not None:
            targets.sort(key=lambda i: self.declarations[i].key or ("", ""))
        hoisted = [i for i, d in enumerate(self.declarations) if d.key is None]
        for index in [*targets, *hoisted]:
            declaration = self.declarations[index]
            if not declaration.name:
                declaration.name = names.take(declaration.hint)
        self._names = names

    def name_imports(self, exported: Callable[[Key], str]) -> None:
        """Local names for the imported types: their exported names where free."""
        for key in sorted(self.imports):
            self.imports[key] = self._names.take(exported(key))

    def break_cycles(self) -> None:
        """Type aliases that are made of each other (``anyOf: [{"$ref": "#/definitions/A"},
        ...]`` in A) are no type TypeScript can hold; the references that close such a cycle
        are written ``unknown``, which is never narrower than the schema."""
        aliases = {i for i, d in enumerate(self.declarations) if not d.interface}
        edges: dict[int, set[int]] = {}
        for kind, value in self.placeholders:
            if kind == "edge" and value[0] in aliases and value[1] in aliases:
                edges.setdefault(value[0], set()).add(value[1])
        component = _components(edges)
        self.broken = {
            value
            for kind, value in self.placeholders
            if kind == "edge"
            and value[0] in component
            and component.get(value[1]) == component[value[0]]
        }

    def substitute(self, text: str) -> str:
        def name(match: re.Match[str]) -> str:
            kind, value = self.placeholders[int(match[1])]
            if kind == "local":
                return self.declarations[int(value)].name
            if kind == "edge":
                return "unknown" if value in self.broken else self.declarations[value[1]].name
            return self.imports[value]

        return _PLACEHOLDER.sub(name, text)

    def ordered(self) -> list[Declaration]:
        """The declarations in the order the module lists them (a shared module's by pointer)."""
        if self.home is None:
            return list(self.declarations)
        targets = sorted(
            (d for d in self.declarations if d.key is not None), key=lambda d: d.key or ("", "")
        )
        return targets + [d for d in self.declarations if d.key is None]

    def render(self) -> str:
        """The declarations as TypeScript, names written in."""
        blocks = []
        for declaration in self.ordered():
            doc = jsdoc(declaration.doc)
            if declaration.interface:
                body = self.substitute(declaration.text)
                blocks.append(f"{doc}export interface {declaration.name} {{\n{body}}}\n")
            else:
                text = self.substitute(declaration.text)
                blocks.append(f"{doc}export type {declaration.name} = {text};\n")
        return "\n".join(blocks)


class Catalog:
    """What refs reach, read through the registry's resolver: documents by URI, and the module
    of each shared document (``modules``), filled in as refs reach them."""

    def __init__(
        self,
        documents: Callable[[str], Document | None],
        inline: Callable[[str, str], Any],
    ) -> None:
        self._read = documents
        self._inline = inline  # (ref, base uri) -> the target, every ref in it inlined
        self._documents: dict[str, Document | None] = {}
        self.modules: dict[str, ModuleTypes] = {}

    def document(self, uri: str) -> Document | None:
        if uri not in self._documents:
            self._documents[uri] = self._read(uri)
        return self._documents[uri]

    def inline(self, ref: str, base: str) -> Any:
        return self._inline(ref, base)

    def shared_module(self, uri: str) -> ModuleTypes:
        if uri not in self.modules:
            self.modules[uri] = ModuleTypes(home=uri)
        return self.modules[uri]


def settle(catalog: Catalog, module: ModuleTypes) -> None:
    """Write every declared target of ``module`` and of the shared modules its types reach
    (writing one may declare more, in any of them), until none is left."""
    while True:
        waiting = [m for m in (module, *catalog.modules.values()) if m.pending]
        if not waiting:
            return
        for each in waiting:
            while each.pending:
                index, schema, place = each.pending.pop(0)
                TypeWriter(catalog, each).write(index, schema, place)


class TypeWriter:
    """Writes the types of one module's declarations (see the module's docstring)."""

    def __init__(self, catalog: Catalog, module: ModuleTypes) -> None:
        self.catalog = catalog
        self.module = module
        # The declaration being written, and how many object or array types deep the writer is
        # in it: a reference at depth 0 is part of the type alias itself (see break_cycles).
        self._current: int | None = None
        self._deferred = 0

    # --- declarations -------------------------------------------------------------------------

    def declare(self, key: Key | None, hint: str, schema: Any, place: Document | None) -> str:
        """The placeholder of the declaration of ``schema`` (made, and written, the first time
        its key is met)."""
        if key is not None and key in self.module.by_key:
            return self.module.placeholder("local", self.module.by_key[key])
        index = len(self.module.declarations)
        declaration = Declaration(hint=hint, key=key)
        self.module.declarations.append(declaration)
        if key is not None:
            # A ref's target is written later (see settle): a chain of refs, however long, never
            # nests the writer's calls deeper than one document's own nesting.
            self.module.by_key[key] = index
            self.module.pending.append((index, schema, place))
        else:
            self.write(index, schema, place)
        return self.module.placeholder("local", index)

    def write(self, index: int, schema: Any, place: Document | None) -> None:
        """Fill in a declaration: an interface when the schema is a plain object, else a type."""
        declaration = self.module.declarations[index]
        if isinstance(schema, dict):
            description = schema.get("description")
            declaration.doc = description if isinstance(description, str) else None
        outer = (self._current, self._deferred)
        self._current, self._deferred = index, 0
        try:
            if _is_plain_object(schema):
                declaration.interface = True
                declaration.text = self.members(schema, place, declaration.hint)
            else:
                declaration.text = self.type_of(schema, place, declaration.hint)
        finally:
            self._current, self._deferred = outer

    # --- types --------------------------------------------------------------------------------

    def type_of(self, schema: Any, place: Document | None, hint: str) -> str:
        """The type of the values ``schema`` accepts (as written in ``place``)."""
        if schema is True:
            return "unknown"
        if schema is False:
            return "never"
        if not isinstance(schema, dict):
            return "unknown"
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = self.ref(ref, place, hint)
            rest = {key: value for key, value in schema.items() if key != "$ref"}
            if (place is None or place.legacy_refs) or not (rest.keys() - ANNOTATIONS):
                return target
            return intersection([target, self.type_of(rest, place, hint)])
        parts = []
        base = self.base(schema, place, hint)
        if base is not None:
            parts.append(base)
        for keyword in ("allOf",):
            for number, item in enumerate(_schemas(schema.get(keyword)), start=1):
                parts.append(self.type_of(item, place, f"{hint}{number}"))
        for keyword in ("anyOf", "oneOf"):
            items = _schemas(schema.get(keyword))
            if items:
                parts.append(
                    union(
                        self.type_of(item, place, f"{hint}{number}")
                        for number, item in enumerate(items, start=1)
                    )
                )
        return intersection(parts) if parts else "unknown"

    def base(self, schema: dict[str, Any], place: Document | None, hint: str) -> str | None:
        """The type ``const``, ``enum`` or ``type`` (declared, or implied by the keywords of
        objects or arrays) give; None when the schema says none of them."""
        if "const" in schema:
            return literal_type(schema.get("const"))
        if isinstance(schema.get("enum"), list):
            return union(literal_type(value) for value in schema["enum"])
        types = _types(schema)
        if types is None:
            return None
        parts = []
        for name in types:
            if name in SCALARS:
                parts.append(SCALARS[name])
            elif name == "null":
                parts.append("null")
            elif name == "array":
                parts.append(self.array(schema, place, hint))
            elif name == "object":
                parts.append(self.object(schema, place, hint))
            else:
                parts.append("unknown")
        return union(parts)

    def object(self, schema: dict[str, Any], place: Document | None, hint: str) -> str:
        """An object with properties becomes an interface of its own (named after where it is);
        other objects are an inline type literal."""
        properties = schema.get("properties")
        if isinstance(properties, dict) and properties:
            return self.declare(None, hint, _object_part(schema), place)
        members = self.members(schema, place, hint).strip().replace("\n  ", " ")
        return f"{{ {members} }}" if members else "{}"

    def members(self, schema: dict[str, Any], place: Document | None, hint: str) -> str:
        """The member lines of an object type: properties (``?`` unless required), the names
        ``required`` lists without declaring them, and the index signature of the others."""
        self._deferred += 1
        try:
            return self._members(schema, place, hint)
        finally:
            self._deferred -= 1

    def _members(self, schema: dict[str, Any], place: Document | None, hint: str) -> str:
        declared = schema.get("properties")
        properties = declared if isinstance(declared, dict) else {}
        required = {name for name in _list(schema.get("required")) if isinstance(name, str)}
        extra = schema.get("additionalProperties")
        patterns = schema.get("patternProperties")
        lines = []
        value_types = []
        for name, sub in properties.items():
            member = self.type_of(sub, place, type_name(str(name), fallback="Property"))
            value_types.append(member)
            description = sub.get("description") if isinstance(sub, dict) else None
            optional = "" if name in required else "?"
            lines.append(jsdoc(description, "  "))
            lines.append(f"  {property_key(str(name))}{optional}: {member};\n")
        index: list[str] = []
        if isinstance(extra, dict) and extra:
            index.append(self.type_of(extra, place, f"{hint}Value"))
        elif extra is True or extra == {} or (extra is None and not properties):
            index.append("unknown")
        if isinstance(patterns, dict):
            index += [self.type_of(sub, place, f"{hint}Value") for sub in patterns.values()]
        undeclared = sorted(required - properties.keys())
        if undeclared and extra is not False:
            # Required but not declared: present, of whatever the other properties may be.
            kind = union(index) if index else "unknown"
            for name in undeclared:
                lines.append(f"  {property_key(name)}: {kind};\n")
                value_types.append(kind)
        if not index and extra is False and not properties and not isinstance(patterns, dict):
            index = ["never"]  # no property at all
        if index:
            # Every property is one of the index signature's values; an optional one may be
            # undefined (TypeScript holds optional properties to the signature with it).
            absent = ["undefined"] if properties.keys() - required else []
            lines.append(f"  [key: string]: {union([*index, *value_types, *absent])};\n")
        return "".join(lines)

    def array(self, schema: dict[str, Any], place: Document | None, hint: str) -> str:
        """``T[]``, or a tuple (``items`` as a list up to 2019-09, ``prefixItems`` in 2020-12)
        whose elements past ``minItems`` are optional and whose rest is typed."""
        self._deferred += 1
        try:
            return self._array(schema, place, hint)
        finally:
            self._deferred -= 1

    def _array(self, schema: dict[str, Any], place: Document | None, hint: str) -> str:
        items = schema.get("items")
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list):
            rest: Any = items if "items" in schema else True
            elements = prefix
        elif isinstance(items, list):
            rest = schema.get("additionalItems", True)
            elements = items
        else:
            element = self.type_of(items, place, hint) if "items" in schema else "unknown"
            return array_of(element)
        minimum = schema.get("minItems")
        required = minimum if isinstance(minimum, int) and not isinstance(minimum, bool) else 0
        parts = []
        for number, item in enumerate(elements):
            element = self.type_of(item, place, f"{hint}{number + 1}")
            parts.append(element if number < required else f"{element}?")
        if rest is not False:
            parts.append(f"...{array_of(self.type_of(rest, place, hint))}")
        return f"[{', '.join(parts)}]"

    # --- refs ---------------------------------------------------------------------------------

    def ref(self, ref: str, place: Document | None, hint: str) -> str:
        """The type a ``$ref`` names: a declaration of this module, an imported shared type, or
        the target inlined (a document that re-bases refs with ``$id``, an anchor)."""
        if place is None:
            return "unknown"  # an inlined schema keeps no refs: one left is unresolvable
        uri, _, fragment = urljoin(place.uri, ref).partition("#")
        pointer = unquote(fragment)
        document = self.catalog.document(uri)
        if document is None:
            return "unknown"
        if document.rebases or place.rebases or (pointer and not pointer.startswith("/")):
            inlined = self.catalog.inline(ref, place.uri)
            return self.type_of(inlined, None, hint) if inlined is not None else "unknown"
        target = value_at(document.content, pointer, _NOWHERE)
        if target is _NOWHERE:
            return "unknown"
        key = (uri, pointer)
        if document.shared and document.uri != self.module.home:
            shared = self.catalog.shared_module(document.uri)
            TypeWriter(self.catalog, shared).declare(key, _hint(pointer, uri), target, document)
            return self.module.placeholder("import", key)
        placeholder = self.declare(key, _hint(pointer, uri), target, document)
        if self._deferred or self._current is None:
            return placeholder
        return self.module.placeholder("edge", (self._current, self.module.by_key[key]))


def _components(edges: dict[int, set[int]]) -> dict[int, int]:
    """The strongly connected component (by a representative node) of each node that is on a
    cycle: Tarjan's algorithm, iterative, as an alias chain may be thousands long."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    found: dict[int, int] = {}
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(sorted(edges.get(root, ()))))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1 or node in edges.get(node, ()):
                    for member in members:
                        found[member] = node
    return found


def _hint(pointer: str, uri: str) -> str:
    """The name a target wants: its component's (``/components/schemas/Money`` -> Money), or the
    file's for a whole document."""
    tokens = [token for token in pointer_tokens(pointer) if token]
    if tokens and not tokens[-1].isdigit() and tokens[-1] not in ("items", "additionalProperties"):
        return type_name(tokens[-1])
    if tokens:
        return type_name(" ".join(tokens[-2:]))
    stem = uri.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return type_name(stem)


def _is_plain_object(schema: Any) -> bool:
    """Whether a schema is an object type and nothing else (an interface says it all)."""
    if not isinstance(schema, dict):
        return False
    if any(key in schema for key in ("$ref", "allOf", "anyOf", "oneOf", "enum", "const")):
        return False
    return _types(schema) == ["object"]


def _object_part(schema: dict[str, Any]) -> dict[str, Any]:
    """The keywords of a schema that shape an object (and its description), for the interface
    hoisted from it."""
    part = {key: value for key, value in schema.items() if key in OBJECT_KEYWORDS}
    if isinstance(schema.get("description"), str):
        part["description"] = schema["description"]
    part["type"] = "object"
    return part


def _types(schema: dict[str, Any]) -> list[str] | None:
    """The JSON types a schema declares, or implies by keywords only objects or arrays have."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        names = [name for name in declared if isinstance(name, str)]
        return list(dict.fromkeys(names)) if names else None
    if schema.keys() & OBJECT_KEYWORDS:
        return ["object"]
    if schema.keys() & ARRAY_KEYWORDS:
        return ["array"]
    return None


def _schemas(value: Any) -> list[Any]:
    """The subschemas of a list keyword (allOf...), anything else in it left out."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, (dict, bool))]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _top_level_operator(text: str) -> bool:
    """Whether ``text`` has a ``|`` or ``&`` outside brackets and string literals."""
    depth = 0
    quoted = escaped = False
    for char in text:
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char in "([{<":
            depth += 1
        elif char in ")]}>":
            depth -= 1
        elif char in "|&" and depth == 0:
            return True
    return False


def _grouped(text: str) -> str:
    return f"({text})" if _top_level_operator(text) else text


def union(parts: Iterable[str]) -> str:
    """``A | B``: repeated members once, ``never`` left out, ``unknown`` absorbing the rest."""
    members = [part for part in dict.fromkeys(parts) if part != "never"]
    if "unknown" in members:
        return "unknown"
    if not members:
        return "never"
    if len(members) == 1:
        return members[0]
    return " | ".join(members)


def intersection(parts: Iterable[str]) -> str:
    """``A & B``: repeated parts once, ``unknown`` left out, ``never`` absorbing the rest."""
    members = [part for part in dict.fromkeys(parts) if part != "unknown"]
    if "never" in members:
        return "never"
    if not members:
        return "unknown"
    if len(members) == 1:
        return members[0]
    return " & ".join(_grouped(part) for part in members)


def array_of(element: str) -> str:
    return f"{_grouped(element)}[]"
