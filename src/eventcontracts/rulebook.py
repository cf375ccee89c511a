"""Every rule of every catalog in one registry: what ``eventcontracts explain`` iterates.

The registry is built at import and refuses a rule ID, or a rule name, that two rules share:
an ID is what a user waives, ignores and searches for, so it must mean one thing only.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from eventcontracts.check import docs as gate_docs
from eventcontracts.check.rules import CATALOG as GATE
from eventcontracts.compat import docs as compat_docs
from eventcontracts.compat.rules import CATALOG as COMPAT
from eventcontracts.lint import docs as lint_docs
from eventcontracts.lint.catalog import CATALOG as LINT
from eventcontracts.patterns import docs as pattern_docs
from eventcontracts.patterns.catalog import CATALOG as PATTERNS
from eventcontracts.rules import Catalog, DuplicateRuleError, Rule

# Names two catalogs already shared before the registry existed. Renaming either would change
# what `check` and `compat` print, so each stays until that is decided; no other pair may
# share a name. (C005 is a subschema removed, e.g. an array's items; K104 a registry schema.)
SHARED_NAMES_ALLOWED: dict[str, frozenset[str]] = {"schema-removed": frozenset({"C005", "K104"})}


@dataclass(frozen=True)
class Documented:
    """A catalog with the docs page generated from it."""

    catalog: Catalog
    page: Callable[[], str]  # the whole markdown page (docs/<catalog>-rules.md)
    section: Callable[[Rule], list[str]]  # the body of one rule's section of that page
    # What ``explain`` adds after the summary (a compatibility rule's verdicts), if anything.
    details: Callable[[Rule], list[str]] | None = None


class RuleRegistry:
    """The rules of several catalogs; refuses an ID or a name two of them share."""

    def __init__(
        self,
        catalogs: Iterable[Documented],
        shared_names_allowed: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self.catalogs = list(catalogs)
        self._by_id: dict[str, tuple[Rule, Documented]] = {}
        by_name: dict[str, Rule] = {}
        allowed = shared_names_allowed or {}
        for documented in self.catalogs:
            for rule in documented.catalog.rules.values():
                if rule.id in self._by_id:
                    first = self._by_id[rule.id][1].catalog.name
                    raise DuplicateRuleError(
                        f"rule ID {rule.id} is defined by the {first} and the "
                        f"{documented.catalog.name} catalogs"
                    )
                other = by_name.get(rule.name)
                if other is not None and allowed.get(rule.name) != frozenset({other.id, rule.id}):
                    raise DuplicateRuleError(
                        f"rule name {rule.name!r} is used by {other.id} and {rule.id}"
                    )
                self._by_id[rule.id] = (rule, documented)
                by_name.setdefault(rule.name, rule)

    def __iter__(self) -> Iterator[Rule]:
        return (rule for rule, _ in self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, rule_id: str) -> Rule | None:
        found = self._by_id.get(rule_id.upper())
        return found[0] if found else None

    def catalog_of(self, rule: Rule) -> Catalog:
        return self._by_id[rule.id][1].catalog

    def markdown(self) -> str:
        """Every catalog's docs page, one after the other."""
        return "\n".join(documented.page() for documented in self.catalogs)

    def markdown_section(self, rule: Rule) -> str:
        """The rule's section as its docs page has it."""
        body = self._by_id[rule.id][1].section(rule)
        return "\n".join([f"## {rule.id} `{rule.name}`", "", *body]) + "\n"

    def text(self, rule: Rule) -> str:
        """The rule explained in plain text, as ``explain RULE_ID`` prints it."""
        severity = f" ({rule.severity})" if rule.severity else ""
        details = self._by_id[rule.id][1].details
        lines = [
            f"{rule.id} {rule.name}{severity}: {rule.summary}",
            *(["", *details(rule)] if details is not None else []),
            "",
            f"{self.catalog_of(rule).example_label}:",
            textwrap.indent(rule.example, "  "),
        ]
        if rule.fix:
            lines += ["", f"Fix: {rule.fix}"]
        return "\n".join(lines) + "\n"

    def as_json(self, rule: Rule) -> dict[str, object]:
        """The rule as ``explain --format json`` lists it."""
        return {
            "id": rule.id,
            "catalog": self.catalog_of(rule).name,
            "name": rule.name,
            "summary": rule.summary,
            "example": rule.example,
            "fix": rule.fix or None,
            "severity": rule.severity,
        }


RULEBOOK = RuleRegistry(
    [
        Documented(LINT, lint_docs.rules_markdown, lint_docs.section),
        Documented(COMPAT, compat_docs.rules_markdown, compat_docs.section, compat_docs.verdicts),
        Documented(GATE, gate_docs.rules_markdown, gate_docs.section),
        Documented(PATTERNS, pattern_docs.rules_markdown, pattern_docs.section),
    ],
    SHARED_NAMES_ALLOWED,
)
