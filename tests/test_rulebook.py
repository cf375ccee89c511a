"""The one registry of every rule (L, C, K, P): unique IDs and names, each in its letter."""

from __future__ import annotations

import re

import pytest

from eventcontracts.rulebook import RULEBOOK, SHARED_NAMES_ALLOWED, Documented, RuleRegistry
from eventcontracts.rules import Catalog, DuplicateRuleError, Rule

CATALOG_LETTERS = {"lint": "L", "compat": "C", "gate": "K", "patterns": "P"}


def _documented(catalog: Catalog) -> Documented:
    return Documented(catalog, lambda: "", lambda rule: [rule.summary])


def _catalog(letter: str, name: str, *rules: tuple[str, str]) -> Catalog:
    catalog = Catalog(letter, name)
    for rule_id, rule_name in rules:
        catalog.define(rule_id, rule_name, "A summary.", "an example", "A fix.")
    return catalog


def test_the_registry_refuses_an_id_two_catalogs_define() -> None:
    first = _catalog("L", "lint", ("L001", "unreadable-file"))
    second = _catalog("L", "lint-plugin", ("L001", "another-rule"))

    with pytest.raises(DuplicateRuleError, match="L001"):
        RuleRegistry([_documented(first), _documented(second)])


def test_the_registry_refuses_a_name_two_catalogs_use() -> None:
    lint = _catalog("L", "lint", ("L001", "parse-error"))
    gate = _catalog("K", "gate", ("K101", "parse-error"))

    with pytest.raises(DuplicateRuleError, match="parse-error"):
        RuleRegistry([_documented(lint), _documented(gate)])


def test_a_catalog_refuses_a_second_rule_with_its_id_or_name_or_a_foreign_letter() -> None:
    catalog = _catalog("K", "gate", ("K101", "published-version-changed"))

    with pytest.raises(DuplicateRuleError, match="K101"):
        catalog.define("K101", "other-name", "A summary.", "an example", "A fix.")
    with pytest.raises(DuplicateRuleError, match="published-version-changed"):
        catalog.define("K102", "published-version-changed", "A summary.", "an example", "A fix.")
    with pytest.raises(DuplicateRuleError, match="L101"):
        catalog.add(Rule("L101", "not-a-gate-rule", "A summary.", "an example"))
    assert list(catalog.rules) == ["K101"]


def test_every_rule_id_is_unique_and_has_its_catalogs_letter() -> None:
    ids = [rule.id for rule in RULEBOOK]
    assert len(ids) == len(set(ids)) == len(RULEBOOK)
    assert {catalog.catalog.name for catalog in RULEBOOK.catalogs} == set(CATALOG_LETTERS)
    for documented in RULEBOOK.catalogs:
        letter = CATALOG_LETTERS[documented.catalog.name]
        assert documented.catalog.rules, f"the {documented.catalog.name} catalog is empty"
        for rule_id, rule in documented.catalog.rules.items():
            assert rule_id == rule.id
            assert re.fullmatch(rf"{letter}[0-9]{{3}}", rule.id), rule.id
            assert RULEBOOK.get(rule.id) is rule
            assert RULEBOOK.catalog_of(rule) is documented.catalog


def test_names_are_unique_but_for_the_pairs_named_as_shared() -> None:
    users: dict[str, set[str]] = {}
    for rule in RULEBOOK:
        users.setdefault(rule.name, set()).add(rule.id)
    shared = {name: frozenset(ids) for name, ids in users.items() if len(ids) > 1}
    assert shared == SHARED_NAMES_ALLOWED


def test_every_rule_has_a_summary_and_an_example() -> None:
    for rule in RULEBOOK:
        assert rule.summary.strip() and rule.example.strip(), rule.id
        assert rule.fix.strip() or RULEBOOK.catalog_of(rule).name == "compat", rule.id
