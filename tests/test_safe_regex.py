"""Schema regexes: RE2 with ECMA-262's semantics in the tool, the same in Rust's regex for the
generated models, and a budget (never a hang) for what no linear-time engine reads."""

from __future__ import annotations

import time

import pytest
from pydantic_core import SchemaValidator, ValidationError

from eventcontracts import safe_regex
from eventcontracts.runtime import _regex as runtime_regex

HOSTILE = "a" * 34 + "!"

# (pattern, text, ECMA-262's answer)
ECMA_CASES = [
    (r"^\d+$", "123", True),
    (r"^\d+$", "١٢٣", False),  # Arabic-Indic digits: Python's \d takes them, ECMA's does not
    (r"^\w+$", "é", False),
    (r"^\s$", "\u00a0", True),  # no-break space is ECMA whitespace, not RE2's
    (r"^\s$", "\ufeff", True),
    (r"^\s$", "\x0b", True),
    (r"^\S$", "\u2028", False),
    (r"^.$", "\r", False),  # a line terminator in ECMA
    (r"^.$", "é", True),
    (r"^ORD-[0-9]+$", "ORD-1\n", False),  # Python's $ matched before the newline
    (r"^\u0041$", "A", True),
    (r"^[\b]$", "\x08", True),
    (r"\bcat\b", "a cat!", True),
    (r"^[^\d\s]+$", "ab", True),
    (r"^a\/b$", "a/b", True),
    (r"^[A-Z]{2}$", "GB", True),
    (r"^[A-Z]{2}$", "GBR", False),
    ("ab", "xaby", True),  # searched anywhere, as JSON Schema says
]


@pytest.mark.parametrize(("pattern", "text", "expected"), ECMA_CASES)
def test_the_tool_matches_as_ecma_262_does(pattern: str, text: str, expected: bool) -> None:
    assert safe_regex.compile_pattern(pattern).linear
    assert safe_regex.search(pattern, text) is expected


@pytest.mark.parametrize(("pattern", "text", "expected"), ECMA_CASES)
def test_the_generated_models_engine_agrees(pattern: str, text: str, expected: bool) -> None:
    translated = safe_regex.rust_pattern(pattern)
    assert translated is not None
    validator = SchemaValidator({"type": "str", "pattern": translated})
    try:
        validator.validate_python(text)
    except ValidationError:
        matched = False
    else:
        matched = True
    assert matched is expected
    assert runtime_regex.search(translated, text) is expected


def test_a_catastrophic_pattern_is_linear_time_in_re2() -> None:
    started = time.monotonic()
    assert safe_regex.search("^(a+)+$", HOSTILE * 100) is False
    assert time.monotonic() - started < 0.5


def test_lookaround_is_reported_and_evaluated_under_a_budget() -> None:
    pattern = "^(?=a)(a|aa)+$x?"
    assert "lookaround" in (safe_regex.linear_time_problem(pattern) or "")
    assert safe_regex.rust_pattern(pattern) is None
    assert safe_regex.search(pattern, "aaa") is True  # a sane string is still answered
    started = time.monotonic()
    assert safe_regex.search(pattern, HOSTILE) is None  # undecided, not a hang
    assert safe_regex.search(pattern, HOSTILE) is None  # and not tried again
    assert time.monotonic() - started < 1.0
    with pytest.raises(safe_regex.RegexBudgetExceeded):
        safe_regex.compile_pattern(pattern).search("aa")


def test_backreferences_and_invalid_patterns() -> None:
    assert "backreference" in (safe_regex.linear_time_problem(r"(a)\1") or "")
    assert safe_regex.linear_time_problem("^[a-") is None  # invalid: another finding's job
    assert safe_regex.search("^[a-", "a") is None


def test_matches_is_true_only_for_a_sure_match() -> None:
    assert safe_regex.matches("^x-", "x-total") is True
    assert safe_regex.matches("^x-", "total") is False
    assert safe_regex.matches("^[a-", "a") is False  # invalid: matches nothing
    pattern = "^(?=a)(a|aa)+$z?"
    assert safe_regex.matches(pattern, HOSTILE) is False  # out of budget: matches nothing
    assert safe_regex.matches(pattern, "aa") is False  # and, exhausted, nothing after it


def test_the_runtime_gives_every_search_its_budget() -> None:
    pattern = "^(?=a)(a|aa)+$y?"
    started = time.monotonic()
    with pytest.raises(runtime_regex.PatternUndecided):
        runtime_regex.search(pattern, HOSTILE)
    assert time.monotonic() - started < 1.0
    assert runtime_regex.search(pattern, "aa") is True  # one hostile event blocks no other
