"""The compatibility rules page, generated from the catalog (``make docs``)."""

from __future__ import annotations

from eventcontracts.compat.rules import BY_NAME, LENIENT, RULES, STRICT, breaks, inverse_of
from eventcontracts.rules import Rule
from eventcontracts.rulesdoc import rules_page


def _breaks(rule: Rule, policy: str, inverse: Rule | None = None) -> str:
    """The directions ``rule`` breaks under ``policy``; FORWARD as ``inverse`` (default: the
    rule's own) judges the change seen from the old version."""
    directions = [
        name
        for name, breaks in (
            ("BACKWARD", breaks(rule, policy)),
            ("FORWARD", breaks(inverse or inverse_of(rule), policy, old_reader=True)),
        )
        if breaks
    ]
    return " + ".join(directions) or "neither"


def _cell(rule: Rule, policy: str) -> str:
    """The table's verdict: the usual one, then each case that changes it."""
    usual = _breaks(rule, policy)
    cases = [
        f"{verdict} if {condition}"
        for condition, _, name in rule.inverse_cases
        if (verdict := _breaks(rule, policy, BY_NAME[name])) != usual
    ]
    return "; ".join([usual, *cases])


def verdicts(rule: Rule) -> list[str]:
    """The rule's verdicts in words, each case that changes them on a line of its own: what the
    docs page and ``explain`` say."""
    lines = [
        f"Breaks under strict: {_breaks(rule, STRICT)}; under lenient: {_breaks(rule, LENIENT)}."
    ]
    for condition, reason, name in rule.inverse_cases:
        inverse = BY_NAME[name]
        lines.append(
            f"If {condition}: under strict {_breaks(rule, STRICT, inverse)}; under lenient "
            f"{_breaks(rule, LENIENT, inverse)} ({reason})."
        )
    return lines


def rules_markdown() -> str:
    return rules_page(
        "Compatibility rules",
        "src/eventcontracts/compat/rules.py",
        [
            "Every change `eventcontracts compat` (and `check`) reports is one of these rules.",
            "*Breaks* says which consumers it breaks: BACKWARD, consumers on the new version",
            "reading events of the old; FORWARD, consumers still on the old version reading",
            "events of the new. FULL mode fails on either. Under the `lenient` policy readers",
            "ignore properties they do not know and writers send only the properties they",
            "declare, with one exception: a consumer whose schema closes an object",
            "(`additionalProperties: false`, an `additionalProperties` schema or",
            "`patternProperties` restricting the others) is taken at its word, so a new version",
            "that lets producers add properties there breaks consumers still on the old version",
            "(FORWARD): C314 `additional-properties-added`, C317",
            "`additional-properties-extended`, C334 `pattern-property-removed`, and C333",
            "`pattern-property-added` to an object the old version closed. A new version that",
            "closes an object stays compatible for consumers moving to it (BACKWARD): the",
            "producers of the old version send only what they declare. `strict` is Confluent's",
            "open content model. *Confluent* is the name Confluent Schema Registry gives the",
            "same change.",
            "",
            "A break comes with a counterexample, an event one version accepts and the other",
            "rejects, checked with jsonschema. Where the engine finds none, the finding says",
            '"could not prove compatible" (`"proven": false` in JSON): the engine could not',
            "show the change is safe, nor an event it breaks.",
        ],
        ["ID", "Name", "Breaks (strict)", "Breaks (lenient)", "Confluent"],
        (
            [r.id, f"`{r.name}`", _cell(r, STRICT), _cell(r, LENIENT), r.confluent or ""]
            for r in RULES.values()
        ),
        ((f"{r.id} `{r.name}`", section(r)) for r in RULES.values()),
    )


def section(rule: Rule) -> list[str]:
    """The body of the rule's section: its summary, verdicts and example."""
    return [
        rule.summary,
        "",
        *_paragraph(verdicts(rule)),
        "",
        "```",
        *rule.example.splitlines(),
        "```",
    ]


def _paragraph(lines: list[str]) -> list[str]:
    """One line per sentence, as separate markdown lines of one list when there are cases."""
    return lines if len(lines) == 1 else [lines[0], "", *(f"- {line}" for line in lines[1:])]


if __name__ == "__main__":
    print(rules_markdown(), end="")
