"""Schemas read for comparison: each JSON Schema node classified the way validators see it.

A schema object may constrain several types at once (``{"minLength": 1, "minimum": 0}``
constrains strings and numbers), combine (``allOf`` beside ``properties``), enumerate values
and reference others. :func:`Loader.load` turns it into one :class:`Node`:

- ``empty`` (accepts everything), ``false`` (accepts nothing);
- a typed node, ``string``, ``number`` (``integer`` is a number with ``integer=True``),
  ``boolean``, ``null``, ``object``, ``array``; ``explicit`` when ``type`` says so, otherwise
  the keywords only apply to that type and other types pass;
- ``enum``, ``const``, ``not``;
- ``combined``: ``allOf``/``anyOf``/``oneOf`` of nodes; a schema that is several of the above
  at once is the ``allOf`` of its parts (``synthetic``).

``$ref`` is followed through the shared resolver. Nodes are made once per (schema, scope), so
comparisons can memoise on node identity and recursive schemas terminate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eventcontracts.schema.keywords import NULLABLE
from eventcontracts.schema.pointer import escape_token

TYPES = ("string", "number", "integer", "boolean", "null", "object", "array")
STRING_KEYWORDS = ("minLength", "maxLength", "pattern", "format")
NUMBER_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
OBJECT_KEYWORDS = (
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "minProperties",
    "maxProperties",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "propertyNames",
    "unevaluatedProperties",
)
ARRAY_KEYWORDS = (
    "items",
    "prefixItems",
    "additionalItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedItems",
)
KEYWORDS_BY_TYPE = {
    "string": STRING_KEYWORDS,
    "number": NUMBER_KEYWORDS,
    "object": OBJECT_KEYWORDS,
    "array": ARRAY_KEYWORDS,
}
COMBINATORS = ("allOf", "anyOf", "oneOf")
LEGACY_REF_DIALECTS = frozenset({"draft-04", "draft-06", "draft-07"})


@dataclass(eq=False)
class Node:
    """One schema as a validator reads it. ``pointer`` is where it is written (after refs)."""

    kind: str
    raw: Any
    pointer: str
    explicit: bool = True
    integer: bool = False
    criterion: str = ""
    parts: list[Node] = field(default_factory=list)
    synthetic: bool = False
    scope: Any = None  # where refs inside resolve from
    dialect: str = "draft-07"
    loader: Any = field(default=None, repr=False)  # the Loader of its side, for its children

    def child(self, raw: Any, *tokens: str | int) -> Node:
        """The node of a subschema ``raw`` found at ``tokens`` below this one."""
        loader: Loader = self.loader
        return loader.child(self, raw, *tokens)

    @property
    def keywords(self) -> dict[str, Any]:
        return self.raw if isinstance(self.raw, dict) else {}

    def at(self, *tokens: str | int) -> str:
        return self.pointer + "".join(f"/{escape_token(str(token))}" for token in tokens)


def _declares_id(raw: dict[str, Any]) -> bool:
    return isinstance(raw.get("$id"), str) or isinstance(raw.get("id"), str)


class Loader:
    """Makes Nodes out of raw schemas, following refs with ``resolve``.

    ``resolve(ref, scope) -> (contents, pointer, scope)`` is supplied by the caller: the
    registry resolver for registry documents, a local one for standalone schema files.
    """

    def __init__(self, resolve: Any, *, dialect: str = "draft-07", enter: Any = None) -> None:
        self.resolve = resolve
        # ``enter(raw, scope) -> scope``: the scope inside a schema that declares an $id.
        self.enter = enter
        self.dialect = dialect
        # By identity of the schema object: a schema object sits at one place of one document,
        # so its scope is always the same. The value keeps the object alive: no id is reused.
        self._nodes: dict[int, tuple[Any, Node]] = {}

    def load(self, raw: Any, pointer: str, scope: Any) -> Node:
        cached = self._nodes.get(id(raw))
        if cached is not None:
            return cached[1]
        node = self._load(raw, pointer, scope, set())
        self._nodes[id(raw)] = (raw, node)
        return node

    def child(self, node: Node, raw: Any, *tokens: str | int) -> Node:
        return self.load(raw, node.at(*tokens), node.scope)

    def _node(self, kind: str, raw: Any, pointer: str, **fields: Any) -> Node:
        return Node(kind, raw, pointer, dialect=self.dialect, loader=self, **fields)

    def _load(self, raw: Any, pointer: str, scope: Any, seen_refs: set[str]) -> Node:
        if raw is True or (isinstance(raw, dict) and not _validating(raw)):
            return self._node("empty", raw, pointer, scope=scope)
        if raw is False or not isinstance(raw, dict):
            return self._node("false", raw, pointer, scope=scope)
        legacy_ref = "$ref" in raw and self.dialect in LEGACY_REF_DIALECTS
        if self.enter is not None and pointer and not legacy_ref and _declares_id(raw):
            # The document's root keeps the document's own URI as its base (its refs are
            # local ones); an $id deeper in re-bases the refs inside it. Up to draft-07 an $id
            # beside a $ref is ignored with every other sibling.
            scope = self.enter(raw, scope)
        if "$ref" in raw and (self.dialect in LEGACY_REF_DIALECTS or not _validating(raw, "$ref")):
            # Up to draft-07 a $ref replaces its siblings; later it is one applicator among them.
            ref = raw["$ref"]
            if ref in seen_refs:  # a loop of bare refs accepts everything it is given
                return self._node("empty", {}, pointer, scope=scope)
            contents, target_pointer, target_scope = self.resolve(ref, scope)
            cached = self._nodes.get(id(contents))
            if cached is not None:
                return cached[1]
            node = self._load(contents, target_pointer, target_scope, {*seen_refs, ref})
            self._nodes[id(contents)] = (contents, node)
            return node
        parts = self._parts(raw, pointer, scope)
        if not parts:
            return self._node("empty", raw, pointer, scope=scope)
        if len(parts) == 1:
            return parts[0]
        return self._node(
            "combined",
            raw,
            pointer,
            criterion="allOf",
            parts=parts,
            synthetic=True,
            scope=scope,
        )

    def _parts(self, raw: dict[str, Any], pointer: str, scope: Any) -> list[Node]:
        parts: list[Node] = []
        declared = raw.get("type")
        if isinstance(declared, str):
            parts.append(self._typed(declared, raw, pointer, scope, explicit=True))
        elif isinstance(declared, list) and declared:
            typed = [self._typed(t, raw, pointer, scope, explicit=True) for t in declared]
            if len(typed) == 1:
                parts.append(typed[0])
            else:
                parts.append(
                    self._node(
                        "combined",
                        raw,
                        pointer,
                        criterion="anyOf",
                        parts=typed,
                        synthetic=True,
                        scope=scope,
                    )
                )
        else:
            for kind, keywords in KEYWORDS_BY_TYPE.items():
                if any(keyword in raw for keyword in keywords):
                    parts.append(self._typed(kind, raw, pointer, scope, explicit=False))
        if "$ref" in raw:  # 2019-09 and later, beside other keywords
            parts.append(self.load({"$ref": raw["$ref"]}, pointer, scope))
        if "enum" in raw:
            parts.append(self._node("enum", raw, pointer, scope=scope))
        if "const" in raw:
            parts.append(self._node("const", raw, pointer, scope=scope))
        if "not" in raw:
            parts.append(self._node("not", raw, pointer, scope=scope))
        for criterion in COMBINATORS:
            if isinstance(raw.get(criterion), list):
                subschemas = [
                    self.load(sub, f"{pointer}/{criterion}/{i}", scope)
                    for i, sub in enumerate(raw[criterion])
                ]
                parts.append(
                    self._node(
                        "combined",
                        raw,
                        pointer,
                        criterion=criterion,
                        parts=subschemas,
                        scope=scope,
                    )
                )
        if any(key in raw for key in ("if", "then", "else")):
            parts.append(self._node("conditional", raw, pointer, scope=scope))
        return parts

    def _typed(self, name: str, raw: Any, pointer: str, scope: Any, *, explicit: bool) -> Node:
        kind = "number" if name == "integer" else name
        if kind not in ("string", "number", "boolean", "null", "object", "array"):
            return self._node("false", raw, pointer, scope=scope)
        return self._node(
            kind,
            raw,
            pointer,
            explicit=explicit,
            integer=name == "integer",
            scope=scope,
        )


_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "id",
        "$comment",
        "$anchor",
        "$defs",
        "definitions",
        "title",
        "description",
        "default",
        "examples",
        "example",
        "readOnly",
        "writeOnly",
        "deprecated",
        "contentMediaType",
        "contentEncoding",
        NULLABLE,
        "discriminator",
        "xml",
        "externalDocs",
    }
)


def _is_validation_keyword(key: str) -> bool:
    return key not in _ANNOTATIONS and not key.startswith("x-")


def _validating(raw: dict[str, Any], *ignoring: str) -> bool:
    return any(_is_validation_keyword(key) and key not in ignoring for key in raw)
