"""The bus-rule (P###) catalog and the page generated from it."""

from __future__ import annotations

import re

from conftest import REPO_ROOT
from eventcontracts.patterns.catalog import ERROR, PATTERN_RULES, WARNING
from eventcontracts.patterns.docs import rules_markdown

DOCS_PAGE = REPO_ROOT / "docs" / "pattern-rules.md"


def test_pattern_rules_page_is_up_to_date() -> None:
    assert DOCS_PAGE.is_file(), "docs/pattern-rules.md is missing; run `make docs`"
    assert DOCS_PAGE.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/pattern-rules.md is stale; run `make docs`"
    )


def test_every_pattern_rule_is_documented() -> None:
    assert PATTERN_RULES
    for key, rule in PATTERN_RULES.items():
        assert key == rule.id
        assert re.fullmatch(r"P[0-9]{3}", rule.id), rule.id
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.name
        assert rule.severity in (ERROR, WARNING)
        for field in ("summary", "example", "fix"):
            assert getattr(rule, field).strip(), f"{rule.id} has no {field}"


def test_pattern_rule_ids_and_names_are_unique_and_ordered() -> None:
    ids = [rule.id for rule in PATTERN_RULES.values()]
    names = [rule.name for rule in PATTERN_RULES.values()]
    assert len(set(ids)) == len(ids)
    assert len(set(names)) == len(names)
    assert ids == sorted(ids)


def test_page_has_a_section_per_rule() -> None:
    page = rules_markdown()
    for rule in PATTERN_RULES.values():
        assert f"## {rule.id} `{rule.name}`" in page
        assert f"| {rule.id} | `{rule.name}` | {rule.severity} | {rule.summary} |" in page
