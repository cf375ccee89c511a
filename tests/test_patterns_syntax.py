"""Patterns EventBridge rejects (InvalidEventPatternException), each with where and why."""

from __future__ import annotations

from typing import Any

import pytest

from eventcontracts.patterns import pattern_problems

INVALID: list[tuple[str, Any, str, str]] = [
    # (case, pattern, pointer of the problem, a word of the message)
    ("not-an-object", ["aws.ec2"], "", "JSON object"),
    ("empty-pattern", {}, "", "empty objects"),
    ("empty-nested-object", {"detail": {}}, "/detail", "empty objects"),
    ("leaf-not-in-array", {"detail": {"state": "running"}}, "/detail/state", '["running"]'),
    ("number-not-in-array", {"detail": {"n": 5}}, "/detail/n", "array"),
    ("empty-array", {"source": []}, "/source", "empty arrays"),
    ("array-in-array", {"source": [["a"]]}, "/source/0", "arrays inside"),
    ("unknown-operator", {"source": [{"contains": "ec2"}]}, "/source/0/contains", "unknown"),
    ("misspelt-operator", {"n": [{"anything_but": 1}]}, "/n/0/anything_but", "anything-but"),
    ("two-operators", {"n": [{"prefix": "a", "suffix": "b"}]}, "/n/0", "exactly one"),
    ("empty-matcher", {"n": [{}]}, "/n/0", "exactly one"),
    ("prefix-number", {"n": [{"prefix": 5}]}, "/n/0/prefix", "string"),
    (
        "prefix-bad-nested",
        {"n": [{"prefix": {"wildcard": "a"}}]},
        "/n/0/prefix",
        "equals-ignore-case",
    ),
    ("suffix-list", {"n": [{"suffix": ["a"]}]}, "/n/0/suffix", "string"),
    ("ignore-case-number", {"n": [{"equals-ignore-case": 1}]}, "/n/0/equals-ignore-case", "string"),
    ("numeric-empty", {"n": [{"numeric": []}]}, "/n/0/numeric", "comparisons"),
    ("numeric-odd", {"n": [{"numeric": [">", 1, "<"]}]}, "/n/0/numeric", "comparisons"),
    ("numeric-bad-operator", {"n": [{"numeric": ["!=", 1]}]}, "/n/0/numeric", "not a comparison"),
    ("numeric-string-bound", {"n": [{"numeric": [">", "5"]}]}, "/n/0/numeric", "not a number"),
    ("numeric-bool-bound", {"n": [{"numeric": [">", True]}]}, "/n/0/numeric", "not a number"),
    ("numeric-two-lower", {"n": [{"numeric": [">", 1, ">=", 2]}]}, "/n/0/numeric", "range"),
    ("numeric-equals-in-range", {"n": [{"numeric": ["=", 1, "<", 2]}]}, "/n/0/numeric", "range"),
    ("numeric-empty-range", {"n": [{"numeric": [">", 5, "<", 1]}]}, "/n/0/numeric", "empty"),
    ("numeric-out-of-range", {"n": [{"numeric": [">", 1e10]}]}, "/n/0/numeric", "range"),
    (
        "numeric-three",
        {"n": [{"numeric": [">", 1, "<", 5, "=", 3]}]},
        "/n/0/numeric",
        "comparisons",
    ),
    ("exists-string", {"n": [{"exists": "true"}]}, "/n/0/exists", "true or false"),
    ("cidr-bad", {"ip": [{"cidr": "10.0.0.0/33"}]}, "/ip/0/cidr", "CIDR"),
    ("cidr-number", {"ip": [{"cidr": 10}]}, "/ip/0/cidr", "string"),
    ("wildcard-consecutive", {"f": [{"wildcard": "a**b"}]}, "/f/0/wildcard", "consecutive"),
    ("wildcard-bad-escape", {"f": [{"wildcard": "a\\b"}]}, "/f/0/wildcard", "backslash"),
    ("wildcard-number", {"f": [{"wildcard": 1}]}, "/f/0/wildcard", "string"),
    ("anything-but-empty-list", {"s": [{"anything-but": []}]}, "/s/0/anything-but", "non-empty"),
    ("anything-but-mixed-list", {"s": [{"anything-but": ["a", 1]}]}, "/s/0/anything-but", "only"),
    ("anything-but-null", {"s": [{"anything-but": None}]}, "/s/0/anything-but", "null"),
    ("anything-but-bool", {"s": [{"anything-but": True}]}, "/s/0/anything-but", "boolean"),
    (
        "anything-but-nested-numeric",
        {"s": [{"anything-but": {"numeric": [">", 1]}}]},
        "/s/0/anything-but",
        "cannot be nested",
    ),
    (
        "anything-but-nested-exists",
        {"s": [{"anything-but": {"exists": True}}]},
        "/s/0/anything-but",
        "cannot be nested",
    ),
    (
        "anything-but-nested-two",
        {"s": [{"anything-but": {"prefix": "a", "suffix": "b"}}]},
        "/s/0/anything-but",
        "one nested",
    ),
    (
        "anything-but-prefix-number",
        {"s": [{"anything-but": {"prefix": 1}}]},
        "/s/0/anything-but",
        "string",
    ),
    (
        "anything-but-bad-wildcard",
        {"s": [{"anything-but": {"wildcard": ["a**"]}}]},
        "/s/0/anything-but",
        "wildcard",
    ),
    ("or-one-alternative", {"$or": [{"a": ["x"]}]}, "/$or", "at least two"),
    ("or-not-a-list", {"$or": {"a": ["x"]}}, "/$or", "at least two"),
    ("or-alternative-not-object", {"$or": [{"a": ["x"]}, ["b"]]}, "/$or/1", "objects"),
    ("or-alternative-invalid", {"$or": [{"a": ["x"]}, {"b": "y"}]}, "/$or/1/b", "array"),
    ("key-with-slash-escaped", {"a/b": "x"}, "/a~1b", "array"),
]


@pytest.mark.parametrize(
    ("pattern", "pointer", "word"),
    [pytest.param(pattern, pointer, word, id=name) for name, pattern, pointer, word in INVALID],
)
def test_invalid_pattern_is_reported_where_it_is(pattern: Any, pointer: str, word: str) -> None:
    problems = pattern_problems(pattern)

    assert [problem.pointer for problem in problems] == [pointer]
    assert word in problems[0].message


VALID: list[Any] = [
    {"source": ["aws.ec2"]},
    {"detail": {"n": [{"numeric": ["=", 3.018e2]}]}},
    {"detail": {"n": [{"numeric": [">=", -5.0e9, "<", 5.0e9]}]}},
    {"detail": {"n": [{"numeric": ["<=", 5, ">", 0]}]}},  # the bounds in either order
    {"detail": {"n": [1, "a", True, None, {"exists": False}]}},
    {"s": [{"anything-but": {"equals-ignore-case": ["a", "b"]}}]},
    {"s": [{"anything-but": {"wildcard": "*/lib/*"}}]},
    {"s": [{"prefix": {"equals-ignore-case": "EventB"}}]},
    {"s": [{"wildcard": "a\\*b\\\\c*"}]},
    {"ip": [{"cidr": "2001:db8::/32"}]},
    {"$or": [{"a": ["x"]}, {"b": ["y"], "$or": [{"c": [1]}, {"d": [2]}]}]},
]


@pytest.mark.parametrize("pattern", VALID)
def test_valid_pattern_has_no_problem(pattern: Any) -> None:
    assert pattern_problems(pattern) == []


def test_every_problem_of_a_pattern_is_reported() -> None:
    problems = pattern_problems(
        {"source": "aws.ec2", "detail": {"a": [], "b": [{"nope": 1}, {"numeric": [">"]}]}}
    )

    assert [p.pointer for p in problems] == [
        "/source",
        "/detail/a",
        "/detail/b/0/nope",
        "/detail/b/1/numeric",
    ]
