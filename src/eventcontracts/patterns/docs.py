"""The bus-rule (event pattern) rules page, generated from the catalog (``make docs``)."""

from __future__ import annotations

from eventcontracts.patterns.catalog import PATTERN_RULES
from eventcontracts.rules import Rule
from eventcontracts.rulesdoc import rules_page


def rules_markdown() -> str:
    return rules_page(
        "Bus rule (event pattern) rules",
        "src/eventcontracts/patterns/catalog.py",
        [
            "`eventcontracts rules check` reads EventBridge rule patterns (rule files,",
            "CloudFormation/SAM templates, Terraform JSON) and checks each against the latest",
            "version of every registry schema its `source` and `detail-type` match. *Errors*",
            "fail the check (exit 1); *warnings* are printed and do not.",
        ],
        ["ID", "Name", "Severity", "Summary"],
        ([r.id, f"`{r.name}`", f"{r.severity}", r.summary] for r in PATTERN_RULES.values()),
        ((f"{r.id} `{r.name}`", section(r)) for r in PATTERN_RULES.values()),
    )


def section(rule: Rule) -> list[str]:
    """The body of the rule's section: its summary, severity, example and fix."""
    return [
        rule.summary,
        "",
        f"Severity: {rule.severity}.",
        "",
        f"Reported for: `{rule.example}`",
        "",
        f"Fix: {rule.fix}",
    ]


if __name__ == "__main__":
    print(rules_markdown(), end="")
