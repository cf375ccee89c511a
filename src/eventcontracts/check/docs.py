"""The gate rules page, generated from the catalog (``make docs``)."""

from __future__ import annotations

from eventcontracts.check.rules import GATE_RULES


def rules_markdown() -> str:
    lines = [
        "# Gate rules",
        "",
        "<!-- Generated from src/eventcontracts/check/rules.py by `make docs`; do not edit. -->",
        "",
        "Beside the compatibility rules (docs/compat-rules.md), `eventcontracts check` enforces",
        "what only a registry-aware gate can. Each is breaking; only a waiver in",
        "`eventcontracts-waivers.toml` (schema, version, rule, reason, expiry date) accepts one.",
        "",
        "| ID | Name | Summary |",
        "|---|---|---|",
    ]
    lines += [f"| {r.id} | `{r.name}` | {r.summary} |" for r in GATE_RULES.values()]
    for rule in GATE_RULES.values():
        lines += [
            "",
            f"## {rule.id} `{rule.name}`",
            "",
            rule.summary,
            "",
            f"Reported for: {rule.example}",
            "",
            f"Fix: {rule.fix}",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
