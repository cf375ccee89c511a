"""The lint rules page, generated from the catalog: ``python -m eventcontracts.lint.docs``."""

from __future__ import annotations

from eventcontracts.lint.catalog import RULES


def rules_markdown() -> str:
    lines = [
        "# Lint rules",
        "",
        "<!-- Generated from src/eventcontracts/lint/catalog.py by `make docs`; do not edit. -->",
        "",
        "`eventcontracts lint` reports each problem with one of these stable IDs. Silence a rule",
        'for a whole repository with `[lint] ignore = ["L304"]` in `eventcontracts.toml`.',
        "",
        "| ID | Name | Summary |",
        "|---|---|---|",
    ]
    lines += [f"| {r.id} | `{r.name}` | {r.summary} |" for r in RULES.values()]
    for rule in RULES.values():
        lines += [
            "",
            f"## {rule.id} `{rule.name}`",
            "",
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
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
