"""The one rule type of every catalog, and the catalog that holds a family of rules.

Lint (L###), compatibility (C###), gate (K###) and bus-rule pattern (P###) rules share one
shape: a stable ID that never changes meaning, a name, a one-line summary, the example the docs
show, and the fix. A field only one catalog needs is optional. ``eventcontracts.rulebook``
gathers the four catalogs into the one registry ``explain`` iterates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class DuplicateRuleError(ValueError):
    """A rule reuses an ID or a name another rule already has, or its ID is malformed."""


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    summary: str
    # What the rule reports, as the docs and `explain` show it: a file and its content, a
    # layout, a pattern, or the old and new schema of a compatibility rule.
    example: str
    fix: str = ""  # empty for compatibility rules: the change itself is what to review
    severity: str | None = None  # bus-rule patterns: an error fails the check, a warning not

    # Compatibility rules (C###) only; eventcontracts.compat.rules says what they mean.
    breaks_strict: bool = False
    breaks_lenient: bool = False
    inverse: str | None = None
    confluent: str | None = None
    example_schemas: tuple[object, object] | None = None  # (old, new) showing the change
    # (condition, reason, rule name): when the condition holds, the same change seen from the
    # other direction is that rule rather than ``inverse``, and its verdict holds instead.
    inverse_cases: tuple[tuple[str, str, str], ...] = ()

    def __post_init__(self) -> None:
        # Multi-line examples are written as triple-quoted blocks; the blank first and last
        # lines are the source's layout, not the example's.
        object.__setattr__(self, "example", self.example.strip("\n"))


class Catalog:
    """One family of rules (one ID letter), in the order the docs list them.

    ``add`` refuses a rule whose ID does not carry the catalog's letter, or whose ID or name
    the catalog already has: an ID that meant one thing must never mean another.
    """

    def __init__(self, letter: str, name: str, *, example_label: str = "Reported for") -> None:
        self.letter = letter
        self.name = name
        self.example_label = example_label  # how `explain` introduces a rule's example
        self.rules: dict[str, Rule] = {}
        self.by_name: dict[str, Rule] = {}
        self._id_shape = re.compile(rf"{re.escape(letter)}[0-9]{{3}}")

    def add(self, rule: Rule) -> Rule:
        if not self._id_shape.fullmatch(rule.id):
            raise DuplicateRuleError(
                f"rule ID {rule.id!r} is not {self.letter} and three digits ({self.name} catalog)"
            )
        if rule.id in self.rules:
            raise DuplicateRuleError(f"rule ID {rule.id} is defined twice ({self.name} catalog)")
        if rule.name in self.by_name:
            raise DuplicateRuleError(
                f"rule name {rule.name!r} is used by {self.by_name[rule.name].id} and {rule.id}"
            )
        self.rules[rule.id] = rule
        self.by_name[rule.name] = rule
        return rule

    def define(
        self,
        id: str,
        name: str,
        summary: str,
        example: str,
        fix: str,
        *,
        severity: str | None = None,
    ) -> Rule:
        """Add a rule that has the common fields (and a severity): what most catalogs need."""
        return self.add(Rule(id, name, summary, example, fix, severity=severity))
