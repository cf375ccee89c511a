"""Reading bus rules from pattern files, CloudFormation/SAM templates and Terraform JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CliRunner, line_of, run_cli, write_schema
from eventcontracts.patterns.sources import load_rules

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
