"""The event-pattern matcher against EventBridge's documented examples.

Sources (each case says which):
  OPS    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
  ARRAYS https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
  VALUES https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-filtering-data-types.html
  RULER  https://github.com/aws/event-ruler/blob/main/README.md
Cases marked OURS pin a reading the documentation leaves open (listed in matcher.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from eventcontracts.patterns import matches
from eventcontracts.patterns.matcher import ALL_OPERATORS
from eventcontracts.patterns.syntax import ARGUMENT_CHECKS, pattern_problems

# RULER's sample event: an EC2 state change.
EC2 = {
    "version": "0",
    "id": "ddddd4-aaaa-7777-4444-345dd43cc333",
    "detail-type": "EC2 Instance State-change Notification",
    "source": "aws.ec2",
    "account": "012345679012",
    "time": "2017-10-02T16:24:49Z",
    "region": "us-east-1",
    "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
    "detail": {
        "c-count": 5,
        "d-count": 3,
        "x-limit": 301.8,
        "source-ip": "10.0.0.33",
        "instance-id": "i-000000aaaaaa00000",
        "state": "running",
    },
}
# RULER's array-of-objects event.
EMPLOYEES = {
    "employees": [
        {"firstName": "John", "lastName": "Doe"},
        {"firstName": "Anna", "lastName": "Smith"},
        {"firstName": "Peter", "lastName": "Jones"},
    ]
}


def detail(**fields: Any) -> dict[str, Any]:
    return {"detail": fields}


CASES: list[tuple[str, dict[str, Any], Any, bool]] = [
    # --- exact values (RULER "Simple matching", OPS "Equals") ---------------------------------
    (
        "ruler-simple",
        {
            "detail-type": ["EC2 Instance State-change Notification"],
            "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
            "detail": {"state": ["initializing", "running"]},
        },
        EC2,
        True,
    ),
    ("exact-one-of-several", {"source": ["aws.ec2", "aws.fargate"]}, EC2, True),
    ("exact-none-of-several", {"source": ["aws.s3", "aws.fargate"]}, EC2, False),
    ("exact-is-case-sensitive", {"source": ["AWS.EC2"]}, EC2, False),
    ("exact-and-all-fields", {"source": ["aws.ec2"], "region": ["eu-west-1"]}, EC2, False),
    ("missing-field-never-matches", {"detail": {"nothing": ["running"]}}, EC2, False),
    ("same-nesting-required", {"state": ["running"]}, EC2, False),
    ("exact-number", {"detail": {"c-count": [5]}}, EC2, True),
    ("exact-number-other", {"detail": {"c-count": [6]}}, EC2, False),
    ("exact-number-numerically", {"detail": {"x-limit": [3.018e2]}}, EC2, True),  # OURS
    ("exact-number-int-float", detail(n=[300]), detail(n=300.0), True),  # OURS
    ("exact-string-is-not-number", detail(n=["5"]), detail(n=5), False),
    ("exact-number-is-not-string", detail(n=[5]), detail(n="5"), False),
    ("exact-true", detail(ok=[True]), detail(ok=True), True),
    ("exact-true-not-false", detail(ok=[True]), detail(ok=False), False),
    ("exact-true-is-not-one", detail(ok=[True]), detail(ok=1), False),
    ("exact-one-is-not-true", detail(ok=[1]), detail(ok=True), False),
    ("exact-true-is-not-string", detail(ok=[True]), detail(ok="true"), False),
    # VALUES: "responseElements": [null]
    ("null-matches-null", detail(responseElements=[None]), detail(responseElements=None), True),
    ("null-not-missing", detail(responseElements=[None]), detail(other=1), False),
    ("null-not-empty-string", detail(responseElements=[None]), detail(responseElements=""), False),
    # VALUES / OPS "Empty": "LastName": [""]
    ("empty-string", detail(LastName=[""]), detail(LastName=""), True),
    ("empty-string-not-null", detail(LastName=[""]), detail(LastName=None), False),
    # --- prefix / suffix (OPS "Begins with", "Ends with") ------------------------------------
    ("prefix", {"time": [{"prefix": "2017-10-02"}]}, EC2, True),
    ("prefix-no", {"time": [{"prefix": "2017-10-03"}]}, EC2, False),
    ("prefix-region-eu", {"region": [{"prefix": "eu-"}]}, EC2, False),
    ("prefix-only-strings", detail(n=[{"prefix": "3"}]), detail(n=30), False),
    (
        "prefix-ignore-case",
        detail(service=[{"prefix": {"equals-ignore-case": "EventB"}}]),
        detail(service="eventbridge"),
        True,
    ),
    (
        "prefix-ignore-case-no",
        detail(service=[{"prefix": {"equals-ignore-case": "EventB"}}]),
        detail(service="lambda"),
        False,
    ),
    ("suffix", detail(FileName=[{"suffix": ".png"}]), detail(FileName="cat.png"), True),
    ("suffix-no", detail(FileName=[{"suffix": ".png"}]), detail(FileName="cat.PNG"), False),
    ("ruler-suffix", {"source": [{"suffix": "ec2"}]}, EC2, True),
    (
        "suffix-ignore-case",
        detail(FileName=[{"suffix": {"equals-ignore-case": ".png"}}]),
        detail(FileName="CAT.PNG"),
        True,
    ),
    # --- equals-ignore-case (OPS, RULER) -------------------------------------------------------
    ("ignore-case", {"source": [{"equals-ignore-case": "AWS.EC2"}]}, EC2, True),
    ("ignore-case-no", {"source": [{"equals-ignore-case": "aws.ec"}]}, EC2, False),
    ("ignore-case-only-strings", detail(n=[{"equals-ignore-case": "5"}]), detail(n=5), False),
    # --- wildcard (OPS "Wildcard", RULER) --------------------------------------------------------
    (
        "wildcard-dir-png",
        detail(FilePath=[{"wildcard": "dir/*.png"}]),
        detail(FilePath="dir/cat.png"),
        True,
    ),
    (
        "wildcard-star-crosses-slashes",
        detail(FilePath=[{"wildcard": "dir/*.png"}]),
        detail(FilePath="dir/sub/cat.png"),
        True,
    ),
    (
        "wildcard-whole-value",
        detail(FilePath=[{"wildcard": "dir/*.png"}]),
        detail(FilePath="dir/cat.png.bak"),
        False,
    ),
    (
        "ruler-wildcard",
        detail(s=[{"wildcard": "Simple*Service"}]),
        detail(s="SimpleQueueService"),
        True,
    ),
    (
        "wildcard-empty-run",
        detail(s=[{"wildcard": "Simple*Service"}]),
        detail(s="SimpleService"),
        True,
    ),
    ("wildcard-escaped-star", detail(s=[{"wildcard": "a\\*b"}]), detail(s="a*b"), True),
    ("wildcard-escaped-star-literal", detail(s=[{"wildcard": "a\\*b"}]), detail(s="axxb"), False),
    ("wildcard-escaped-backslash", detail(s=[{"wildcard": "a\\\\*"}]), detail(s="a\\xyz"), True),
    ("wildcard-only-strings", detail(n=[{"wildcard": "*"}]), detail(n=5), False),
    ("wildcard-ends-overlap", detail(s=[{"wildcard": "ab*ba"}]), detail(s="aba"), False),
    ("wildcard-in-order", detail(s=[{"wildcard": "*a*b*c*"}]), detail(s="xaxbxcx"), True),
    ("wildcard-out-of-order", detail(s=[{"wildcard": "*c*b*"}]), detail(s="bc"), False),
    ("wildcard-no-star", detail(s=[{"wildcard": "abc"}]), detail(s="abc"), True),
    ("wildcard-dot-is-literal", detail(s=[{"wildcard": "a.c"}]), detail(s="abc"), False),
    # --- anything-but (OPS, RULER) -------------------------------------------------------------
    ("anything-but", {"detail": {"state": [{"anything-but": "initializing"}]}}, EC2, True),
    ("anything-but-excluded", {"detail": {"state": [{"anything-but": "running"}]}}, EC2, False),
    ("anything-but-number", {"detail": {"x-limit": [{"anything-but": 123}]}}, EC2, True),
    ("anything-but-number-excluded", {"detail": {"c-count": [{"anything-but": 5}]}}, EC2, False),
    (
        "anything-but-list",
        {"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}},
        EC2,
        True,
    ),
    (
        "anything-but-list-excluded",
        {"detail": {"state": [{"anything-but": ["stopped", "running"]}]}},
        EC2,
        False,
    ),
    (
        "anything-but-number-list",
        {"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}},
        EC2,
        True,
    ),
    ("anything-but-missing-field", detail(other=[{"anything-but": "x"}]), detail(state="y"), False),
    (
        "anything-but-prefix",
        {"detail": {"state": [{"anything-but": {"prefix": "init"}}]}},
        EC2,
        True,
    ),
    (
        "anything-but-prefix-excluded",
        {"detail": {"state": [{"anything-but": {"prefix": "run"}}]}},
        EC2,
        False,
    ),
    (
        "anything-but-prefix-region",
        {"region": [{"anything-but": {"prefix": "us-"}}]},
        EC2,
        False,
    ),
    (
        "anything-but-suffix",
        detail(FileName=[{"anything-but": {"suffix": ".png"}}]),
        detail(FileName="a.jpg"),
        True,
    ),
    (
        "anything-but-suffix-excluded",
        detail(FileName=[{"anything-but": {"suffix": ".png"}}]),
        detail(FileName="a.png"),
        False,
    ),
    (
        "anything-but-ignore-case",
        detail(state=[{"anything-but": {"equals-ignore-case": "initializing"}}]),
        detail(state="INITIALIZING"),
        False,
    ),
    (
        "anything-but-ignore-case-list",
        detail(state=[{"anything-but": {"equals-ignore-case": ["a", "B"]}}]),
        detail(state="c"),
        True,
    ),
    (
        "anything-but-wildcard",
        detail(FilePath=[{"anything-but": {"wildcard": "*/lib/*"}}]),
        detail(FilePath="/usr/lib/x"),
        False,
    ),
    (
        "anything-but-wildcard-passes",
        detail(FilePath=[{"anything-but": {"wildcard": "*/lib/*"}}]),
        detail(FilePath="/usr/bin/x"),
        True,
    ),
    ("anything-but-other-type", detail(n=[{"anything-but": "5"}]), detail(n=5), True),  # OURS
    # OPS "Not": Weather is anything but "Raining"
    (
        "anything-but-weather",
        detail(Weather=[{"anything-but": ["Raining"]}]),
        detail(Weather="Sunny"),
        True,
    ),
    # --- numeric (OPS "Numeric", RULER) ------------------------------------------------------
    (
        "ruler-numeric",
        {
            "detail": {
                "c-count": [{"numeric": [">", 0, "<=", 5]}],
                "d-count": [{"numeric": ["<", 10]}],
                "x-limit": [{"numeric": ["=", 3.018e2]}],
            }
        },
        EC2,
        True,
    ),
    (
        "numeric-upper-exclusive",
        {"detail": {"c-count": [{"numeric": [">", 0, "<", 5]}]}},
        EC2,
        False,
    ),
    ("numeric-lower-inclusive", detail(Price=[{"numeric": [">=", 10]}]), detail(Price=10), True),
    ("numeric-equals", detail(Price=[{"numeric": ["=", 100]}]), detail(Price=100), True),
    ("numeric-equals-float", detail(Price=[{"numeric": ["=", 100]}]), detail(Price=100.0), True),
    (
        "numeric-range-out",
        detail(Price=[{"numeric": [">", 10, "<=", 20]}]),
        detail(Price=25),
        False,
    ),
    ("numeric-range-in", detail(Price=[{"numeric": [">", 10, "<=", 20]}]), detail(Price=20), True),
    ("numeric-negative", detail(t=[{"numeric": ["<", 0]}]), detail(t=-3.5), True),
    ("numeric-not-on-string", detail(Price=[{"numeric": [">", 10]}]), detail(Price="100"), False),
    ("numeric-not-on-true", detail(flag=[{"numeric": [">", 0]}]), detail(flag=True), False),
    ("numeric-not-on-false", detail(flag=[{"numeric": ["=", 0]}]), detail(flag=False), False),
    ("numeric-not-on-null", detail(flag=[{"numeric": ["=", 0]}]), detail(flag=None), False),
    ("numeric-out-of-range-event", detail(n=[{"numeric": [">", 0]}]), detail(n=6.0e9), False),
    # --- exists (OPS, RULER) ----------------------------------------------------------------
    ("exists-true", {"detail": {"c-count": [{"exists": True}]}}, EC2, True),
    ("exists-true-missing", {"detail": {"e-count": [{"exists": True}]}}, EC2, False),
    ("exists-false", {"detail": {"e-count": [{"exists": False}]}}, EC2, True),
    ("exists-false-present", {"detail": {"c-count": [{"exists": False}]}}, EC2, False),
    ("exists-null-value", detail(u=[{"exists": True}]), detail(u=None), True),
    # RULER: exists only works on leaf nodes; an object is not one.
    ("exists-false-on-object", detail(c=[{"exists": False}]), detail(c={"c1": 100}), True),
    ("exists-true-on-object", detail(c=[{"exists": True}]), detail(c={"c1": 100}), False),
    ("exists-true-empty-array", detail(tags=[{"exists": True}]), detail(tags=[]), False),  # OURS
    ("exists-true-array", detail(tags=[{"exists": True}]), detail(tags=["a"]), True),
    # --- cidr (OPS "IP address", RULER) -------------------------------------------------------
    ("cidr", {"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}}, EC2, True),
    ("cidr-out", {"detail": {"source-ip": [{"cidr": "10.0.1.0/24"}]}}, EC2, False),
    ("cidr-wide", {"detail": {"source-ip": [{"cidr": "10.0.0.0/8"}]}}, EC2, True),
    ("cidr-ipv6", detail(ip=[{"cidr": "2001:db8::/32"}]), detail(ip="2001:db8::1"), True),
    ("cidr-ipv6-out", detail(ip=[{"cidr": "2001:db8::/32"}]), detail(ip="2001:db9::1"), False),
    ("cidr-v4-in-v6", detail(ip=[{"cidr": "2001:db8::/32"}]), detail(ip="10.0.0.1"), False),
    ("cidr-not-an-ip", detail(ip=[{"cidr": "10.0.0.0/8"}]), detail(ip="ten"), False),
    # --- arrays (ARRAYS) -------------------------------------------------------------------------
    (
        "arrays-intersection",
        {
            "resources": [
                "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
                "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
                "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f",
            ]
        },
        {
            "resources": [
                "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-"
                "b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
                "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
            ]
        },
        True,
    ),
    ("arrays-no-intersection", {"resources": ["a", "b"]}, {"resources": ["c", "d"]}, False),
    ("arrays-empty-event-array", {"resources": ["a"]}, {"resources": []}, False),
    ("arrays-operator-per-element", detail(t=[{"prefix": "x"}]), detail(t=["ab", "xy"]), True),
    ("arrays-numeric-per-element", detail(n=[{"numeric": [">", 10]}]), detail(n=[1, 2, 30]), True),
    (
        "arrays-anything-but-any-element",
        detail(t=[{"anything-but": "a"}]),
        detail(t=["a", "b"]),
        True,
    ),
    (
        "arrays-anything-but-all-excluded",
        detail(t=[{"anything-but": "a"}]),
        detail(t=["a", "a"]),
        False,
    ),
    ("arrays-nested", detail(t=["c"]), detail(t=[["a", "b"], ["c"]]), True),
    # RULER "JSON Array Matching": arrays of objects are flattened.
    ("array-of-objects", {"employees": {"firstName": ["Anna"]}}, EMPLOYEES, True),
    ("array-of-objects-no", {"employees": {"firstName": ["Mary"]}}, EMPLOYEES, False),
    (
        "array-of-objects-same-element",
        {"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}},
        EMPLOYEES,
        True,
    ),
    (
        "array-of-objects-fields-combine",  # OURS: flattening lets different elements combine
        {"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}},
        EMPLOYEES,
        True,
    ),
    (
        "array-of-arrays-of-objects",
        {"employees": {"firstName": ["Peter"]}},
        {"employees": [[{"firstName": "John"}], [{"firstName": "Peter"}]]},
        True,
    ),
    # --- $or (OPS "Or", RULER "$or") ---------------------------------------------------------
    (
        "or-metric-name",
        {
            "source": ["aws.cloudwatch"],
            "$or": [
                {"metricName": ["CPUUtilization", "ReadLatency"]},
                {"namespace": ["AWS/EC2", "AWS/ES"]},
            ],
        },
        {"source": "aws.cloudwatch", "namespace": "AWS/ES"},
        True,
    ),
    (
        "or-neither",
        {
            "source": ["aws.cloudwatch"],
            "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}],
        },
        {"source": "aws.cloudwatch", "namespace": "AWS/ES"},
        False,
    ),
    (
        "or-and-outside",
        {"source": ["aws.cloudwatch"], "$or": [{"metricName": ["A"]}, {"namespace": ["B"]}]},
        {"source": "aws.ec2", "metricName": "A"},
        False,
    ),
    (
        "or-with-and-inside",
        {
            "source": ["aws.cloudwatch"],
            "$or": [
                {"metricName": ["CPUUtilization"]},
                {"metricType": ["MetricType"], "namespace": ["AWS/EC2"]},
                {"scope": ["Service"]},
            ],
        },
        {"source": "aws.cloudwatch", "metricType": "MetricType", "namespace": "AWS/EC2"},
        True,
    ),
    (
        "or-with-and-inside-partial",
        {
            "$or": [
                {"metricName": ["CPUUtilization"]},
                {"metricType": ["MetricType"], "namespace": ["AWS/EC2"]},
            ],
        },
        {"metricType": "MetricType", "namespace": "AWS/ES"},
        False,
    ),
    (
        "or-nested",
        {
            "source": ["aws.cloudwatch"],
            "$or": [
                {"metricName": ["CPUUtilization"]},
                {"metricType": ["MetricType"], "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]},
            ],
        },
        {"source": "aws.cloudwatch", "metricType": "MetricType", "spaceId": 1000},
        True,
    ),
    (
        "or-inside-detail",
        {"detail": {"$or": [{"source": ["aws.cloudwatch"]}, {"detail-type": ["Alarm"]}]}},
        {"detail": {"detail-type": "Alarm"}},
        True,
    ),
    # OPS "Or" on values: PaymentType is "Credit" or "Debit".
    ("or-values", detail(PaymentType=["Credit", "Debit"]), detail(PaymentType="Debit"), True),
    # Several matchers in one field: any may match.
    (
        "mixed-matchers",
        detail(state=[{"prefix": "stop"}, "running", {"numeric": [">", 3]}]),
        detail(state=4),
        True,
    ),
    # Keys with dots are keys, not paths (OURS).
    (
        "dotted-key-is-not-a-path",
        {"detail": {"state.status": ["running"]}},
        {"detail": {"state": {"status": "running"}}},
        False,
    ),
    (
        "dotted-key",
        {"detail": {"state.status": ["running"]}},
        {"detail": {"state.status": "running"}},
        True,
    ),
]


@pytest.mark.parametrize(
    ("pattern", "event", "expected"),
    [pytest.param(pattern, event, expected, id=name) for name, pattern, event, expected in CASES],
)
def test_matcher_follows_eventbridge(pattern: dict[str, Any], event: Any, expected: bool) -> None:
    assert pattern_problems(pattern) == [], "a case must be a pattern EventBridge accepts"
    assert matches(pattern, event) is expected


def test_there_are_cases_for_both_outcomes_of_every_operator() -> None:
    seen: dict[str, set[bool]] = {}

    def operators(value: Any) -> set[str]:
        if isinstance(value, dict):
            return set(value) & set(ALL_OPERATORS) | {
                o for v in value.values() for o in operators(v)
            }
        if isinstance(value, list):
            return {o for v in value for o in operators(v)}
        return set()

    for _, pattern, _, expected in CASES:
        for operator in operators(pattern) | ({"$or"} if "$or" in str(pattern) else set()):
            seen.setdefault(operator, set()).add(expected)
    for operator in (*ALL_OPERATORS, "$or"):
        assert seen.get(operator) == {True, False}, operator


def test_every_operator_has_a_syntax_check() -> None:
    assert set(ARGUMENT_CHECKS) == set(ALL_OPERATORS)


def test_a_malformed_pattern_matches_nothing_rather_than_raising() -> None:
    for pattern in (
        {"source": "aws.ec2"},
        {"source": [{"unknown-op": 1}]},
        {"source": [{"prefix": "a", "suffix": "b"}]},
        {"source": [["aws.ec2"]]},
        {"n": [{"numeric": [">"]}]},
    ):
        assert matches(pattern, {"source": "aws.ec2", "n": 1}) is False


def test_wildcard_matching_is_linear_on_hostile_input() -> None:
    import time

    pattern = {"s": [{"wildcard": "*a" * 40 + "*b"}]}
    started = time.perf_counter()
    assert matches(pattern, {"s": "a" * 20_000}) is False
    assert time.perf_counter() - started < 1.0


def test_a_deeply_nested_pattern_is_a_problem_not_a_crash() -> None:
    pattern: dict[str, Any] = {"leaf": ["x"]}
    for _ in range(2_000):
        pattern = {"k": pattern}

    problems = pattern_problems(pattern)

    assert len(problems) == 1
    assert "nested" in problems[0].message
    assert matches(pattern, {"k": {}}) is False
