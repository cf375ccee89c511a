"""The lint rules page, generated from the catalog: ``python -m eventcontracts.lint.docs``."""

from __future__ import annotations

from eventcontracts.lint.catalog import RULES
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
        (
            (
                f"{r.id} `{r.name}`",
                [r.summary, "", "Reported for:", "", "```", r.example, "```", "", f"Fix: {r.fix}"],
            )
            for r in RULES.values()
        ),
    )


if __name__ == "__main__":
    print(rules_markdown(), end="")
