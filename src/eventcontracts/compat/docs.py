"""The compatibility rules page, generated from the catalog (``make docs``)."""

from __future__ import annotations

from eventcontracts.compat.rules import LENIENT, RULES, STRICT, breaks, inverse_of
from eventcontracts.rules import Rule
from eventcontracts.rulesdoc import rules_page


def _breaks(rule: Rule, policy: str) -> str:
    directions = [
        name
        for name, breaks in (
            ("BACKWARD", breaks(rule, policy)),
            ("FORWARD", breaks(inverse_of(rule), policy, old_reader=True)),
        )
        if breaks
    ]
    return " + ".join(directions) or "neither"


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
            [r.id, f"`{r.name}`", _breaks(r, STRICT), _breaks(r, LENIENT), r.confluent or ""]
            for r in RULES.values()
        ),
        ((f"{r.id} `{r.name}`", section(r)) for r in RULES.values()),
    )


def section(rule: Rule) -> list[str]:
    """The body of the rule's section: its summary, verdicts and example."""
    return [
        rule.summary,
        "",
        f"Breaks under strict: {_breaks(rule, STRICT)}; under lenient: {_breaks(rule, LENIENT)}.",
        "",
        "```",
        *rule.example.splitlines(),
        "```",
    ]


if __name__ == "__main__":
    print(rules_markdown(), end="")
