"""The bus-rule checks (P###): what ``eventcontracts rules check`` reports about event patterns.

Every rule has a stable ID, a name, a one-line summary, an example of a pattern it reports
and the fix; docs/pattern-rules.md is generated from this catalog (``make docs``).
Errors fail the check (exit 1); warnings are printed and do not.
"""

from __future__ import annotations

from eventcontracts.rules import Catalog

ERROR, WARNING = "error", "warning"

CATALOG = Catalog("P", "patterns")
PATTERN_RULES = CATALOG.rules


PATH_MISSING = CATALOG.define(
    "P101",
    "path-missing",
    "A field the pattern names is not in the schema it targets: the rule silently stops "
    "routing (a rename, a typo, a removed field).",
    '{"source": ["com.mycompany.orders"], "detail-type": ["Order Created"], '
    '"detail": {"total": [{"numeric": [">=", 1000]}]}} where the schema says totalAmount',
    "Name the field as the schema declares it, or keep the field in the schema.",
    severity=ERROR,
)
OPERATOR_TYPE_MISMATCH = CATALOG.define(
    "P102",
    "operator-type-mismatch",
    "An operator does not fit the field's type: numeric on a string, prefix/suffix/wildcard/"
    "equals-ignore-case/cidr on a non-string, any value matcher on an object.",
    '"detail": {"orderId": [{"numeric": [">", 100]}]} where orderId is a string',
    "Use an operator of the field's type (prefix, wildcard, ... for strings; numeric for numbers).",
    severity=ERROR,
)
VALUE_NEVER_MATCHES = CATALOG.define(
    "P103",
    "value-never-matches",
    "A value the field can never hold: a type the schema rules out, a value outside its "
    "enum, or exists on an object.",
    '"detail": {"currency": ["JPY"]} where currency is one of USD, EUR, GBP',
    "Match a value the schema allows, or add the value to the schema first.",
    severity=ERROR,
)
TARGETS_NO_SCHEMA = CATALOG.define(
    "P104",
    "targets-no-schema",
    "The pattern's source is in the registry but no schema has a detail-type it matches: "
    "the rule routes nothing (a renamed detail-type, a typo).",
    '{"source": ["com.mycompany.orders"], "detail-type": ["OrderCreated"]} where the '
    'detail-type is "Order Created"',
    "Match the detail-type as the schema declares it (x-amazon-events-detail-type).",
    severity=ERROR,
)
INVALID_PATTERN = CATALOG.define(
    "P105",
    "invalid-pattern",
    "The pattern itself is malformed: EventBridge rejects it with InvalidEventPatternException.",
    '"detail": {"state": "running"} (a value not in an array), or {"numeric": [">", "5"]}',
    'Write every field as an array of values or operators, e.g. "state": ["running"].',
    severity=ERROR,
)
FOREIGN_SOURCE = CATALOG.define(
    "P106",
    "foreign-source",
    "The pattern matches no source of the registry (e.g. aws.ec2): its fields are not checked.",
    '{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]}',
    "Nothing to do for events the registry does not describe; otherwise add their schema.",
    severity=WARNING,
)
UNRESOLVED_TEMPLATE_VALUE = CATALOG.define(
    "P107",
    "unresolved-template-value",
    "The pattern is built by a template function (!Sub with variables, !Ref, jsonencode): "
    "it cannot be read before deployment and is not checked.",
    "EventPattern: {source: [!Ref EventSource]} in a CloudFormation template",
    "Write the pattern's values literally to have it checked, or keep it in a rules/*.json file.",
    severity=WARNING,
)
