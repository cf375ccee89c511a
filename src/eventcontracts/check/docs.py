"""The gate rules page, generated from the catalog (``make docs``)."""

from __future__ import annotations

from eventcontracts.check.rules import GATE_RULES
from eventcontracts.rules import Rule
from eventcontracts.rulesdoc import rules_page


def rules_markdown() -> str:
    return rules_page(
        "Gate rules",
        "src/eventcontracts/check/rules.py",
        [
            "Beside the compatibility rules (docs/compat-rules.md), `eventcontracts check`",
            "enforces what only a registry-aware gate can. Each is breaking; only a waiver in",
            "`eventcontracts-waivers.toml` (schema, version, rule, optional consumer and field,",
            "reason, expiry date) accepts one. K108 and K109 are about the settings files",
            "themselves and cannot be waived: the fix is to edit the file.",
        ],
        ["ID", "Name", "Summary"],
        ([r.id, f"`{r.name}`", r.summary] for r in GATE_RULES.values()),
        ((f"{r.id} `{r.name}`", section(r)) for r in GATE_RULES.values()),
    )


def section(rule: Rule) -> list[str]:
    """The body of the rule's section: its summary, example and fix."""
    return [rule.summary, "", f"Reported for: {rule.example}", "", f"Fix: {rule.fix}"]


if __name__ == "__main__":
    print(rules_markdown(), end="")
