"""Where a build has a choice to make, who makes it.

:class:`Fixed` is the catalog's: the first of everything (the author's first example, the first
enum value, the first name of a list), ids derived from the schema's name and the place
(uuid5), nothing random; one event per version, the same on every run.

:class:`Seeded` is ``eventcontracts sample``'s: the ``index``-th event of a seed cycles
through the author's examples (so ``--count 50`` shows them all) and draws everything else
from a :class:`random.Random` seeded by text (``random`` hashes a text seed with SHA-512, not
with Python's salted ``hash``): the same events on every run and machine, different ones for
another seed or index.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

# uuid5 namespace of every id the fixed build makes: the same name gives the same id everywhere.
ID_NAMESPACE = uuid.UUID("0f6a3c2e-7d1b-5e0a-9c4b-2b8e4f6d1a30")

# What the fixed build takes where a seeded one draws.
_FIXED_AMOUNT = 12.5
_FIXED_NUMBER = 1
_FIXED_HEX = "0123456789abcdef0123456789abcdef"

# The ranges a seeded build draws from where the schema gives no bounds.
AMOUNT_RANGE = (1.0, 500.0)  # prices, totals, fees: two decimals
QUANTITY_RANGE = (1, 10)  # quantities, counts
INTEGER_RANGE = (1, 1000)
NUMBER_RANGE = (0.0, 100.0)
MAX_ITEMS_SHOWN = 3  # items of an array without minItems: 1 to this many
SECONDS_BEFORE = 300  # a detail's own times: up to this long before the envelope's time


class Fixed:
    """The choices of the fixed build."""

    index = 0
    varied = False  # whether the choices vary from event to event

    def __init__(self) -> None:
        self.memory: dict[str, Any] = {}

    def ordered(self, values: list[T], *, cycle: bool) -> list[T]:
        """``values`` in the order to try them: the author's first one first."""
        return values

    def choice(self, options: Sequence[T]) -> T:
        return options[0]

    def uuid(self, seed: str, path: Sequence[str | int]) -> str:
        return str(uuid.uuid5(ID_NAMESPACE, f"{seed}:{'/'.join(map(str, path))}"))

    def hex(self, length: int) -> str:
        return _FIXED_HEX[:length]

    def digits(self, length: int) -> str:
        return "".join(str((n + 1) % 10) for n in range(length))

    def amount(self, low: float, high: float) -> float:
        return _FIXED_AMOUNT

    def integer(self, low: int, high: int) -> int:
        return _FIXED_NUMBER

    def number(self, low: float, high: float) -> float:
        return _FIXED_NUMBER

    def boolean(self) -> bool:
        return True

    def whole_examples(self, count: int) -> bool:
        """Whether an object's own examples (``count`` of them) are taken whole here."""
        return True

    def items(self, least: int, most: int | None) -> int:
        """How many items an array gets: the fewest it may have, and at least one."""
        count = max(least, 1)
        return count if most is None else min(count, most)

    def seconds_before(self) -> int:
        return 0

    def vary_digits(self, text: str) -> str:
        """``text`` with its digits drawn afresh (the fixed build keeps them)."""
        return text

    def remembered(self, key: str, make: Callable[[], T]) -> T:
        """One value per ``key`` for the whole event (an instance's id in the detail and in
        ``resources``)."""
        if key not in self.memory:
            self.memory[key] = make()
        found: T = self.memory[key]
        return found


class Seeded(Fixed):
    """The choices of the ``index``-th event of a seed: drawn from ``rng``."""

    varied = True

    def __init__(self, rng: random.Random, index: int) -> None:
        super().__init__()
        self.rng = rng
        self.index = index

    def ordered(self, values: list[T], *, cycle: bool) -> list[T]:
        # Examples cycle with the event's index (all shown across a run); enum values are drawn.
        if not values:
            return values
        start = self.index % len(values) if cycle else self.rng.randrange(len(values))
        return [*values[start:], *values[:start]]

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def uuid(self, seed: str, path: Sequence[str | int]) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hex(self, length: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(length))

    def digits(self, length: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(length))

    def amount(self, low: float, high: float) -> float:
        # Two decimals, within [low, high] (rounding may step outside: the caller checks).
        return round(self.rng.uniform(low, high), 2)

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high) if low <= high else low

    def number(self, low: float, high: float) -> float:
        return round(self.rng.uniform(low, high), 2)

    def boolean(self) -> bool:
        return self.rng.random() < 0.5

    def whole_examples(self, count: int) -> bool:
        # Rounds through the examples: one round each taken whole, the next built.
        return (self.index // max(count, 1)) % 2 == 0

    def items(self, least: int, most: int | None) -> int:
        first = max(least, 1)
        last = max(first, MAX_ITEMS_SHOWN) if least <= MAX_ITEMS_SHOWN else first
        if most is not None:
            first, last = min(first, most), min(last, most)
        return self.rng.randint(first, last)

    def seconds_before(self) -> int:
        return self.rng.randint(0, SECONDS_BEFORE)

    def vary_digits(self, text: str) -> str:
        return "".join(
            self.rng.choice("0123456789") if char in "0123456789" else char for char in text
        )


def finite(value: float | None, fallback: float) -> float:
    """A bound usable for drawing (JSON Schema bounds may be huge floats or absent)."""
    return fallback if value is None or not math.isfinite(value) else value
