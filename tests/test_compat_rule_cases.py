"""A rule whose verdict depends on the case says so, and what it says is what the engine does.

C304 (a property removed from an open object) breaks consumers still on the old version under
lenient too when the property was required: seen from the old version, the change is C303
(a required property added), not C302. The catalog lists such cases; the docs page, `explain`
and the change's message are generated from them, and here they are held to the engine's
verdicts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO_ROOT, CliRunner, make_repo
from eventcontracts.compat.engine import compare_documents
from eventcontracts.compat.rules import BY_NAME, LENIENT, RULES, STRICT, breaks, inverse_of

DOCS = REPO_ROOT / "docs" / "compat-rules.md"
DRAFT4 = "http://json-schema.org/draft-04/schema#"


def _object(properties: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"$schema": DRAFT4, "type": "object", "properties": properties, **more}


# (rule, the case's condition as documented, or "" for the usual case; old, new)
CASES = [
    (
        "C304",
        "the removed property was required",
        _object({"a": {}, "b": {"type": "string"}}, required=["b"]),
        _object({"a": {}}),
    ),
    ("C304", "", _object({"a": {}, "b": {"type": "string"}}), _object({"a": {}})),
    (
        "C304",
        "the removed property was optional and accepted anything ({})",
        _object({"a": {}, "b": {}}),
        _object({"a": {}}),
    ),
    (
        "C308",
        "the removed property was required",
        _object({"a": {}, "b": {}}, required=["b"], additionalProperties=False),
        _object({"a": {}}, additionalProperties=False),
    ),
    (
        "C308",
        "",
        _object({"a": {}, "b": {}}, additionalProperties=False),
        _object({"a": {}}, additionalProperties=False),
    ),
]


def engine_verdict(old: Any, new: Any, rule: str, policy: str) -> str:
    report = compare_documents(old, new, policy=policy, counterexamples=False)
    (change,) = [change for change in report.changes if change.rule == rule]
    return " + ".join(change.breaks) or "neither"


@pytest.mark.parametrize(
    ("rule", "condition", "old", "new"), CASES, ids=[f"{c[0]} {c[1] or 'usual'}" for c in CASES]
)
def test_the_documented_verdict_is_the_engines(
    rule: str, condition: str, old: Any, new: Any, cli: CliRunner, tmp_path: Path
) -> None:
    strict, lenient = (engine_verdict(old, new, rule, policy) for policy in (STRICT, LENIENT))
    if condition:
        said = f"If {condition}: under strict {strict}; under lenient {lenient} ("
    else:
        said = f"Breaks under strict: {strict}; under lenient: {lenient}."
    section = DOCS.read_text(encoding="utf-8").split(f"## {rule} ", 1)[1].split("\n## ", 1)[0]
    assert said in section, section
    explained = cli(["explain", rule], tmp_path)
    assert explained.code == 0 and said in explained.out, explained.out


def test_c304_breaks_forward_under_lenient_when_the_property_was_required() -> None:
    # What issue 20 found: the docs said "under lenient: neither", check said breaking.
    required, optional = CASES[0], CASES[1]
    assert engine_verdict(*required[2:], "C304", LENIENT) == "FORWARD"
    assert engine_verdict(*optional[2:], "C304", LENIENT) == "neither"
    table = next(line for line in DOCS.read_text().splitlines() if line.startswith("| C304 |"))
    assert "| neither; FORWARD if the removed property was required |" in table


def test_checks_message_says_why_a_removed_required_property_breaks(
    tmp_path: Path, cli: CliRunner
) -> None:
    repo = make_repo(tmp_path / "repo")
    folder = repo / "registry" / "com.mycompany.orders" / "OrderCreated"
    document = json.loads((folder / "v2.json").read_text())
    detail = document["components"]["schemas"]["OrderCreated"]
    detail["properties"].pop("customerId")
    detail["required"].remove("customerId")
    (folder / "v3.json").write_text(json.dumps(document, indent=2) + "\n")
    result = cli(["check", "--against", "main"], repo)  # FULL, lenient: the example's config
    assert result.code == 1, result.both
    (line,) = [line for line in result.out.splitlines() if "C304" in line and "customerId" in line]
    assert (
        "consumers on the old version reject some events of the new, as the removed property "
        "was required: consumers on the old version require it" in line
    ), result.out


# Rules whose verdict also depends on the case in the BACKWARD direction, which the catalog's
# cases (the other direction's rule) cannot say yet: C333 on an object the old version closed,
# C600 for anyOf narrowed to a oneOf of disjoint schemas.
NOT_YET_DOCUMENTED = {"C333", "C600"}


def test_every_case_that_changes_a_verdict_is_documented() -> None:
    """Seen from the other direction, a change may be another rule than the declared inverse
    (every rule naming it as its inverse); where that rule's verdict differs, the catalog must
    list the case, or the docs would say "neither" where the engine says "breaking"."""

    def forward(rule: Any) -> tuple[bool, bool]:
        return breaks(rule, STRICT, old_reader=True), breaks(rule, LENIENT, old_reader=True)

    missing = []
    for rule in RULES.values():
        documented = {name for _, _, name in rule.inverse_cases}
        for other in RULES.values():
            if other.inverse != rule.name or other.name == rule.inverse:
                continue
            if forward(other) != forward(inverse_of(rule)) and other.name not in documented:
                missing.append(f"{rule.id}: seen from the old version it may be {other.id}")
        for name in documented:  # and every case is real
            assert BY_NAME[name].inverse == rule.name, (rule.id, name)
    assert sorted(line.split(":")[0] for line in missing) == sorted(NOT_YET_DOCUMENTED), missing
