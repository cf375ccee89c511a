"""The rule catalog and the page generated from it."""

from __future__ import annotations

import re

from conftest import REPO_ROOT
from eventcontracts.lint.catalog import RULES
from eventcontracts.lint.docs import rules_markdown

DOCS_PAGE = REPO_ROOT / "docs" / "lint-rules.md"


def test_lint_rules_page_is_up_to_date() -> None:
    assert DOCS_PAGE.is_file(), "docs/lint-rules.md is missing; run `make docs`"
    assert DOCS_PAGE.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/lint-rules.md is stale; run `make docs`"
    )


def test_every_rule_is_documented() -> None:
    assert RULES, "the catalog is empty"
    for key, rule in RULES.items():
        assert key == rule.id
        assert re.fullmatch(r"L[0-9]{3}", rule.id), rule.id
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.name
        for field in ("summary", "example", "fix"):
            assert getattr(rule, field).strip(), f"{rule.id} has no {field}"


def test_rule_ids_and_names_are_unique() -> None:
    ids = [rule.id for rule in RULES.values()]
    names = [rule.name for rule in RULES.values()]
    assert len(set(ids)) == len(ids)
    assert len(set(names)) == len(names)
    assert ids == sorted(ids), "rules are listed in ID order"


def test_page_has_a_section_per_rule() -> None:
    page = rules_markdown()
    for rule in RULES.values():
        assert f"## {rule.id} `{rule.name}`" in page
        assert f"| {rule.id} | `{rule.name}` | {rule.summary} |" in page
