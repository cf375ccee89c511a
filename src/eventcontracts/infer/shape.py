"""What the samples at one place of a detail held: the shape a schema is inferred from.

Every value seen at a path (``detail.items[].sku``) is counted into one :class:`Shape`: how many
times each JSON type came, and below it the shapes of an object's keys and of an array's items.
Presence is counted per object: a key is present in ``present`` of the ``count`` objects seen at
its path, objects inside arrays included (each array element is one object). That is what makes
``required`` right when samples are merged (GenSON #25 counted presence per sample instead, so a
key missing from one array element of one event still came out required).

Bounded whatever the traffic holds: nesting beyond :data:`MAX_DEPTH` is not looked into, an
object path with more than :data:`MAX_KEYS` distinct keys is a map (its values merged into one
shape), and at most ``keep_strings`` distinct strings are kept per path (for enums).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eventcontracts.infer.formats import formats_of

# Real event details nest under 12 levels; below 16 the values are not looked into (the schema
# says nothing there: `{}`), so a hostile event cannot make the schema, or the walk, deep.
MAX_DEPTH = 16
# More distinct keys than this at one object path: keys are data (ids, dates, names), the
# object is a map, and the schema says so with `additionalProperties` instead of listing them.
MAX_KEYS = 200


@dataclass
class Strings:
    count: int = 0
    # The distinct values, kept while there are at most `limit` of them (None after).
    values: dict[str, int] | None = field(default_factory=dict)
    # The formats every string so far has (None before the first string).
    formats: frozenset[str] | None = None


@dataclass
class Objects:
    count: int = 0
    # key -> how many objects at this path held it, and the shape of its values.
    present: dict[str, int] = field(default_factory=dict)
    keys: dict[str, Shape] = field(default_factory=dict)
    # Set once the path has more than MAX_KEYS distinct keys: every value, merged.
    map_values: Shape | None = None


@dataclass
class Arrays:
    count: int = 0
    items: Shape | None = None  # None while every array seen was empty


@dataclass
class Shape:
    """The values seen at one path, by JSON type."""

    depth: int = 0
    nulls: int = 0
    booleans: int = 0
    integers: int = 0  # written without a fraction or exponent
    floats: int = 0  # written with one (1.0 included): JSON numbers that are not integers
    strings: Strings | None = None
    objects: Objects | None = None
    arrays: Arrays | None = None
    too_deep: bool = False  # values below MAX_DEPTH were seen and not looked into

    @property
    def count(self) -> int:
        return (
            self.nulls
            + self.booleans
            + self.integers
            + self.floats
            + (self.strings.count if self.strings else 0)
            + (self.objects.count if self.objects else 0)
            + (self.arrays.count if self.arrays else 0)
        )


def shape_of(values: list[Any], *, keep_strings: int = 0) -> Shape:
    """The shape of ``values`` (the details of one event's samples)."""
    shape = Shape()
    for value in values:
        observe(shape, value, keep_strings)
    return shape


def observe(shape: Shape, value: Any, keep_strings: int) -> None:
    """Count ``value`` into ``shape`` (iteratively: the depth is the traffic's to choose)."""
    stack: list[tuple[Shape, Any]] = [(shape, value)]
    while stack:
        at, current = stack.pop()
        if at.depth >= MAX_DEPTH and isinstance(current, (dict, list)):
            at.too_deep = True
            continue
        if current is None:
            at.nulls += 1
        elif isinstance(current, bool):  # before int: a bool is an int to Python
            at.booleans += 1
        elif isinstance(current, int):
            at.integers += 1
        elif isinstance(current, float):
            at.floats += 1
        elif isinstance(current, str):
            _observe_string(at, current, keep_strings)
        elif isinstance(current, dict):
            stack.extend(_observe_object(at, current))
        elif isinstance(current, list):
            stack.extend(_observe_array(at, current))


def _observe_string(at: Shape, value: str, keep_strings: int) -> None:
    strings = at.strings = at.strings or Strings()
    strings.count += 1
    if strings.values is not None:
        strings.values[value] = strings.values.get(value, 0) + 1
        if len(strings.values) > keep_strings:
            strings.values = None  # too many to be an enum: stop keeping them
    if strings.formats is None:
        strings.formats = formats_of(value)
    elif strings.formats:
        strings.formats = strings.formats & formats_of(value)


def _observe_object(at: Shape, value: dict[str, Any]) -> list[tuple[Shape, Any]]:
    objects = at.objects = at.objects or Objects()
    objects.count += 1
    below = at.depth + 1
    if objects.map_values is None and len(objects.keys) + len(value) > MAX_KEYS:
        new = [key for key in value if key not in objects.keys]
        if len(objects.keys) + len(new) > MAX_KEYS:
            _become_map(objects, below)
    if objects.map_values is not None:
        return [(objects.map_values, item) for item in value.values()]
    found = []
    for key, item in value.items():
        objects.present[key] = objects.present.get(key, 0) + 1
        child = objects.keys.get(key)
        if child is None:
            child = objects.keys[key] = Shape(depth=below)
        found.append((child, item))
    return found


def _become_map(objects: Objects, depth: int) -> None:
    """Too many keys to list: the values seen so far are merged into one shape."""
    merged = Shape(depth=depth)
    for child in objects.keys.values():
        _merge_into(merged, child)
    objects.map_values = merged
    objects.keys.clear()
    objects.present.clear()


def _merge_into(target: Shape, other: Shape) -> None:
    """Add what ``other`` counted to ``target`` (used once, when an object becomes a map)."""
    target.nulls += other.nulls
    target.booleans += other.booleans
    target.integers += other.integers
    target.floats += other.floats
    target.too_deep = target.too_deep or other.too_deep
    if other.strings is not None:
        strings = target.strings = target.strings or Strings()
        strings.count += other.strings.count
        strings.values = None  # the map's values are not one field's: never an enum
        if strings.formats is None:
            strings.formats = other.strings.formats
        elif other.strings.formats is not None:
            strings.formats = strings.formats & other.strings.formats
    if other.objects is not None:
        _merge_objects(target, other.objects)
    if other.arrays is not None:
        arrays = target.arrays = target.arrays or Arrays()
        arrays.count += other.arrays.count
        if other.arrays.items is not None:
            arrays.items = arrays.items or Shape(depth=target.depth + 1)
            _merge_into(arrays.items, other.arrays.items)


def _merge_objects(target: Shape, other: Objects) -> None:
    """The objects of two shapes as one: presence and values added key by key (recursion
    bounded by MAX_DEPTH, as the shapes are)."""
    objects = target.objects = target.objects or Objects()
    objects.count += other.count
    below = target.depth + 1
    if other.map_values is not None or len(set(objects.keys) | set(other.keys)) > MAX_KEYS:
        if objects.map_values is None:
            _become_map(objects, below)
        assert objects.map_values is not None
        for child in (*other.keys.values(), *([other.map_values] if other.map_values else [])):
            _merge_into(objects.map_values, child)
        return
    if objects.map_values is not None:
        for child in other.keys.values():
            _merge_into(objects.map_values, child)
        return
    for key, child in other.keys.items():
        objects.present[key] = objects.present.get(key, 0) + other.present[key]
        mine = objects.keys.get(key)
        if mine is None:
            mine = objects.keys[key] = Shape(depth=below)
        _merge_into(mine, child)


def _observe_array(at: Shape, value: list[Any]) -> list[tuple[Shape, Any]]:
    arrays = at.arrays = at.arrays or Arrays()
    arrays.count += 1
    if not value:
        return []
    items = arrays.items = arrays.items or Shape(depth=at.depth + 1)
    return [(items, item) for item in value]
