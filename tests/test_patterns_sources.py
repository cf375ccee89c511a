"""Reading bus rules from pattern files, CloudFormation/SAM templates and Terraform JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO_ROOT, CliRunner, line_of, run_cli, write_schema
from eventcontracts.patterns.sources import load_rules
from eventcontracts.patterns.targets import TERRAFORM_RULE as TF_RULE

ORDERS = {"source": ["com.mycompany.orders"], "detail-type": ["Order Created"]}

CFN_YAML = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Bus: {Type: String}
Resources:
  BigSpenderRule:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref Bus
      Name: !Sub '${Bus}-big-spenders'
      EventPattern:
        source: [com.mycompany.orders]
        detail-type: [!Sub 'Order Created']
        detail:
          totalAmount:
            - numeric: ['>=', 1000]
      Targets:
        - Arn: !GetAtt Queue.Arn
          Id: q
  FromParameterRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [!Ref Bus]
  Queue:
    Type: AWS::SQS::Queue
"""

SAM_YAML = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  NotifyFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        OnOrder:
          Type: EventBridgeRule
          Properties:
            Pattern:
              source: [com.mycompany.orders]
              detail-type: [Order Created]
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
        Legacy:
          Type: CloudWatchEvent
          Properties:
            Pattern: {source: [com.mycompany.payments]}
"""


def test_a_json_file_holds_one_pattern(tmp_path: Path) -> None:
    path = write_schema(tmp_path / "big.json", {**ORDERS, "detail": {"totalAmount": [1]}})

    (rule,) = load_rules(path, "rules/big.json")

    assert rule.name == "big"
    assert rule.display == "rules/big.json#big"
    assert rule.pattern["detail"] == {"totalAmount": [1]}
    assert rule.line("/detail/totalAmount") == line_of(path, "totalAmount")


def test_a_json_file_may_wrap_the_pattern_in_event_pattern(tmp_path: Path) -> None:
    path = write_schema(tmp_path / "r.json", {"EventPattern": ORDERS, "Description": "x"})

    (rule,) = load_rules(path, "r.json")

    assert rule.pattern == ORDERS
    assert rule.line("/detail-type") == line_of(path, "detail-type")


def test_cloudformation_yaml_with_short_tags(tmp_path: Path) -> None:
    path = write_schema(tmp_path / "template.yaml", CFN_YAML)

    rules = {rule.name: rule for rule in load_rules(path, "infra/template.yaml")}

    assert set(rules) == {"BigSpenderRule", "FromParameterRule"}
    big = rules["BigSpenderRule"]
    assert big.display == "infra/template.yaml#BigSpenderRule"
    # !Sub of a literal is the literal.
    assert big.pattern["detail-type"] == ["Order Created"]
    assert big.unresolved is None
    assert big.line("/detail/totalAmount/0") == line_of(path, "numeric")
    assert rules["FromParameterRule"].unresolved == "!Ref at /source/0"


def test_cloudformation_json_with_the_pattern_as_a_string(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Rule": {
                "Type": "AWS::Events::Rule",
                "Properties": {"EventPattern": json.dumps(ORDERS)},
            },
            "Other": {"Type": "AWS::SQS::Queue", "Properties": {}},
        }
    }
    path = write_schema(tmp_path / "template.json", template)

    (rule,) = load_rules(path, "template.json")

    assert rule.pattern == ORDERS
    # Every place in a pattern written as a string is reported at the string's line.
    assert rule.line("/detail-type") == line_of(path, "EventPattern")


def test_sam_function_events(tmp_path: Path) -> None:
    path = write_schema(tmp_path / "template.yaml", SAM_YAML)

    rules = {rule.name: rule for rule in load_rules(path, "template.yaml")}

    assert set(rules) == {"NotifyFunction.OnOrder", "NotifyFunction.Legacy"}
    assert rules["NotifyFunction.OnOrder"].pattern == ORDERS
    assert rules["NotifyFunction.Legacy"].line("/source") == line_of(path, "Pattern: {source")


def test_terraform_json(tmp_path: Path) -> None:
    content = {
        "resource": {
            "aws_cloudwatch_event_rule": {
                "big_spender": {"name": "big", "event_pattern": json.dumps(ORDERS)},
                "templated": {"event_pattern": "${jsonencode(local.pattern)}"},
            },
            "aws_sqs_queue": {"q": {"name": "q"}},
        }
    }
    path = write_schema(tmp_path / "main.tf.json", content)

    rules = {rule.name: rule for rule in load_rules(path, "main.tf.json")}

    assert rules["aws_cloudwatch_event_rule.big_spender"].pattern == ORDERS
    assert rules["aws_cloudwatch_event_rule.templated"].unresolved == "${...} interpolation"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("broken.json", '{"source": ["a"],\n  "detail": }\n', "broken.json:2: invalid JSON"),
        ("broken.yaml", "Resources:\n  R: [unclosed\n", "broken.yaml:3: invalid YAML"),
        ("two.yaml", "a: 1\n---\nb: 2\n", "two.yaml: a rule file holds one YAML document"),
        ("latin1.json", b'{"source": ["caf\xe9"]}', "latin1.json: not UTF-8"),
        (
            "string.json",
            json.dumps(
                {
                    "Resources": {
                        "R": {
                            "Type": "AWS::Events::Rule",
                            "Properties": {"EventPattern": "{source: nope"},
                        }
                    }
                }
            ),
            "rule R: the event pattern string is not valid JSON",
        ),
    ],
)
def test_an_unreadable_rule_file_is_one_line_and_exit_2(
    name: str, content: str | bytes, expected: str, tmp_path: Path
) -> None:
    write_schema(tmp_path / "rules" / name, content)

    result = run_cli(["rules", "check", f"rules/{name}"], tmp_path)

    assert result.code == 2, result.both
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert f"rules/{name}" in lines[0]
    assert expected in lines[0]
    assert "Traceback" not in result.err


def test_a_missing_rule_file_is_exit_2(tmp_path: Path, cli: CliRunner) -> None:
    result = cli(["rules", "check", "nowhere.json"], tmp_path)

    assert result.code == 2
    assert "nowhere.json: no such rule file" in result.err


def test_no_rule_files_configured_is_exit_2(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / "registry").mkdir()

    result = cli(["rules", "check"], tmp_path)

    assert result.code == 2
    assert "[rules] paths" in result.err


def test_a_config_glob_matching_nothing_is_exit_2(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / "registry").mkdir()
    (tmp_path / "eventcontracts.toml").write_text('[rules]\npaths = ["rules/*.json"]\n')

    result = cli(["rules", "check"], tmp_path)

    assert result.code == 2
    assert "'rules/*.json' matches no file" in result.err


@pytest.mark.parametrize("glob", ["/etc/*.json", "rules**/*.json"])
def test_a_glob_pathlib_refuses_is_one_line_and_exit_2(
    tmp_path: Path, cli: CliRunner, glob: str
) -> None:
    # pathlib raises on an absolute glob and on a "**" inside a path component: no
    # "internal error" for what is a mistake in the settings file.
    (tmp_path / "registry").mkdir()
    (tmp_path / "eventcontracts.toml").write_text(f'[rules]\npaths = ["{glob}"]\n')

    for command in (["rules", "check"], ["check"]):
        result = cli(command, tmp_path)
        assert result.code == 2, result.both
        assert result.err.startswith(f"error: [rules] paths: {glob!r} is not a glob relative to")
        assert "internal error" not in result.err and "Traceback" not in result.err


def test_a_bad_rules_table_is_exit_2(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / "eventcontracts.toml").write_text('[rules]\npaths = "rules/*.json"\n')

    result = cli(["rules", "check"], tmp_path)

    assert result.code == 2
    assert "[rules] paths must be a list of globs" in result.err


# -- targets: where each rule sends what it matches, as its file declares it -----------------

TARGETS_YAML = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  AlertsTopicArn: {Type: String}
Resources:
  ShippedRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [com.mycompany.orders], detail-type: [Order Shipped]}
      Targets:
        - Arn: !GetAtt CustomsQueue.Arn
          Id: customs
        - Arn: !Ref AuditTopic
          Id: audit
        - Arn: !Sub 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Ledger.QueueName}'
          Id: !Sub '${AWS::StackName}-ledger'
        - Arn: !Ref AlertsTopicArn
          Id: alerts
        - Arn: arn:aws:sqs:eu-west-1:123456789012:legacy
          Id: legacy
        - Id: no-arn
  ScheduledRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [com.mycompany.orders]}
  OrderFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        OnOrder:
          Type: EventBridgeRule
          Properties:
            Pattern: {source: [com.mycompany.orders], detail-type: [Order Created]}
        Pinned:
          Type: CloudWatchEvent
          Properties:
            Pattern: {source: [com.mycompany.orders]}
            Target: {Id: pinned-target}
  Fulfilment:
    Type: AWS::Serverless::StateMachine
    Properties:
      Events:
        OnPaid:
          Type: EventBridgeRule
          Properties:
            Pattern: {source: [com.mycompany.payments]}
  CustomsQueue: {Type: AWS::SQS::Queue}
  Ledger: {Type: AWS::SQS::Queue}
  AuditTopic: {Type: AWS::SNS::Topic}
"""


def test_cloudformation_targets_are_read_as_written_in_short_form(tmp_path: Path) -> None:
    path = write_schema(tmp_path / "template.yaml", TARGETS_YAML)

    rules = {rule.name: rule for rule in load_rules(path, "template.yaml")}

    assert [(t.id, t.arn, t.resource) for t in rules["ShippedRule"].targets] == [
        ("customs", "!GetAtt CustomsQueue.Arn", "CustomsQueue"),
        ("audit", "!Ref AuditTopic", "AuditTopic"),
        (
            "!Sub ${AWS::StackName}-ledger",
            "!Sub arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Ledger.QueueName}",
            "Ledger",
        ),
        # A parameter is not a resource of the template; a literal ARN names none.
        ("alerts", "!Ref AlertsTopicArn", None),
        ("legacy", "arn:aws:sqs:eu-west-1:123456789012:legacy", None),
    ]
    assert rules["ScheduledRule"].targets == ()


def test_a_sam_event_targets_the_function_or_state_machine_declaring_it(tmp_path: Path) -> None:
    path = write_schema(tmp_path / "template.yaml", TARGETS_YAML)

    rules = {rule.name: rule for rule in load_rules(path, "template.yaml")}

    # The target ids SAM gives them when the template does not (its translator's rule).
    assert [(t.id, t.arn, t.resource) for t in rules["OrderFunction.OnOrder"].targets] == [
        ("OrderFunctionOnOrderLambdaTarget", "!GetAtt OrderFunction.Arn", "OrderFunction")
    ]
    assert [(t.id, t.arn, t.resource) for t in rules["OrderFunction.Pinned"].targets] == [
        ("pinned-target", "!GetAtt OrderFunction.Arn", "OrderFunction")
    ]
    assert [(t.id, t.arn, t.resource) for t in rules["Fulfilment.OnPaid"].targets] == [
        ("FulfilmentOnPaidStepFunctionsTarget", "!Ref Fulfilment", "Fulfilment")
    ]


def test_cloudformation_json_targets_use_the_long_forms(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Rule": {
                "Type": "AWS::Events::Rule",
                "Properties": {
                    "EventPattern": ORDERS,
                    "Targets": [
                        {"Id": "q", "Arn": {"Fn::GetAtt": ["Queue", "Arn"]}},
                        {
                            "Id": "joined",
                            "Arn": {"Fn::Join": [":", ["arn:aws:sns", {"Ref": "Topic"}]]},
                        },
                    ],
                },
            },
            "Queue": {"Type": "AWS::SQS::Queue"},
            "Topic": {"Type": "AWS::SNS::Topic"},
        }
    }
    path = write_schema(tmp_path / "template.json", template)

    (rule,) = load_rules(path, "template.json")

    assert [(t.id, t.arn, t.resource) for t in rule.targets] == [
        ("q", "!GetAtt Queue.Arn", "Queue"),
        ("joined", '!Join [":", ["arn:aws:sns", (!Ref Topic)]]', "Topic"),
    ]


def test_terraform_targets_name_their_rule(tmp_path: Path) -> None:
    content = {
        "resource": [
            {
                "aws_cloudwatch_event_rule": {
                    "big_spender": {"name": "big-spender", "event_pattern": json.dumps(ORDERS)},
                    "on_custom_bus": {
                        "name": "big-spender",
                        "event_bus_name": "orders",
                        "event_pattern": json.dumps(ORDERS),
                    },
                    "lonely": {"name": "lonely", "event_pattern": json.dumps(ORDERS)},
                }
            },
            {
                "aws_cloudwatch_event_target": {
                    "by_name": {
                        "rule": "${aws_cloudwatch_event_rule.big_spender.name}",
                        "target_id": "sales",
                        "arn": "${aws_sqs_queue.sales.arn}",
                    },
                    "by_id": {
                        "rule": "${aws_cloudwatch_event_rule.big_spender.id}",
                        "arn": "${var.alerts_topic_arn}",
                    },
                    "by_literal": {
                        "rule": "big-spender",
                        "target_id": "ledger",
                        "arn": "arn:aws:sqs:eu-west-1:123456789012:ledger",
                    },
                    "on_bus": {
                        "rule": "big-spender",
                        "event_bus_name": "orders",
                        "target_id": "orders-bus",
                        "arn": "${aws_lambda_function.notify.arn}",
                    },
                    "elsewhere": {
                        "rule": "${aws_cloudwatch_event_rule.other.name}",
                        "arn": "${aws_sqs_queue.x.arn}",
                    },
                }
            },
        ]
    }
    path = write_schema(tmp_path / "main.tf.json", content)

    rules = {rule.name: rule for rule in load_rules(path, "main.tf.json")}

    assert [(t.id, t.arn, t.resource) for t in rules[f"{TF_RULE}.big_spender"].targets] == [
        ("sales", "${aws_sqs_queue.sales.arn}", "aws_sqs_queue.sales"),
        (None, "${var.alerts_topic_arn}", None),  # Terraform makes the id up
        ("ledger", "arn:aws:sqs:eu-west-1:123456789012:ledger", None),
    ]
    assert [(t.id, t.resource) for t in rules[f"{TF_RULE}.on_custom_bus"].targets] == [
        ("orders-bus", "aws_lambda_function.notify")
    ]
    assert rules[f"{TF_RULE}.lonely"].targets == ()


def test_a_pattern_file_has_no_targets(tmp_path: Path) -> None:
    plain = write_schema(tmp_path / "plain.json", ORDERS)
    wrapped = write_schema(tmp_path / "wrapped.json", {"EventPattern": ORDERS})

    assert [rule.targets for rule in load_rules(plain, "plain.json")] == [()]
    assert [rule.targets for rule in load_rules(wrapped, "wrapped.json")] == [()]


def test_an_unresolved_pattern_keeps_its_targets(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Rule": {
                "Type": "AWS::Events::Rule",
                "Properties": {
                    "EventPattern": {"source": [{"Ref": "Source"}]},
                    "Targets": [{"Id": "q", "Arn": {"Fn::GetAtt": ["Queue", "Arn"]}}],
                },
            },
            "Queue": {"Type": "AWS::SQS::Queue"},
        }
    }
    path = write_schema(tmp_path / "template.json", template)

    (rule,) = load_rules(path, "template.json")

    assert rule.unresolved == "!Ref at /source/0"
    assert [(t.id, t.arn, t.resource) for t in rule.targets] == [
        ("q", "!GetAtt Queue.Arn", "Queue")
    ]


def test_the_example_infra_template_targets_its_queues() -> None:
    path = REPO_ROOT / "infra" / "order-routing.yaml"

    rules = {rule.name: rule for rule in load_rules(path, "infra/order-routing.yaml")}

    assert [(t.id, t.arn, t.resource) for t in rules["InternationalShipmentRule"].targets] == [
        ("customs", "!GetAtt CustomsQueue.Arn", "CustomsQueue")
    ]
    assert [(t.id, t.arn, t.resource) for t in rules["RefundOnCancelRule"].targets] == [
        ("refunds", "!GetAtt RefundQueue.Arn", "RefundQueue")
    ]
