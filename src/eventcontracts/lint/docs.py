"""The lint rules page, generated from the catalog: ``python -m eventcontracts.lint.docs``."""

from __future__ import annotations

from eventcontracts.lint.catalog import RULES
from eventcontracts.rules import Rule
from eventcontracts.rulesdoc import rules_page


def rules_markdown() -> str:
    return rules_page(
        "Lint rules",
        "src/eventcontracts/lint/catalog.py",
        [
            "`eventcontracts lint` reports each problem with one of these stable IDs. Silence a",
            'rule for a whole repository with `[lint] ignore = ["L304"]` in',
            "`eventcontracts.toml`.",
        ],
        ["ID", "Name", "Summary"],
        ([r.id, f"`{r.name}`", r.summary] for r in RULES.values()),
        ((f"{r.id} `{r.name}`", section(r)) for r in RULES.values()),
    )


def section(rule: Rule) -> list[str]:
    """The body of the rule's section: its summary, example and fix."""
    return [
        rule.summary,
        "",
        "Reported for:",
        "",
        "```",
        rule.example,
        "```",
        "",
        f"Fix: {rule.fix}",
    ]


if __name__ == "__main__":
    print(rules_markdown(), end="")
