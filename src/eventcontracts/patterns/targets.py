"""Where a bus rule sends what it matches: the targets its template declares, as written.

Targets are read for showing (the catalog site's rules page and flow drawing), never checked:
nothing here can make ``rules check`` fail. They are:

- a CloudFormation ``AWS::Events::Rule``'s ``Properties.Targets`` (each ``Id`` and ``Arn``);
- for a SAM ``Events`` entry (``EventBridgeRule``/``CloudWatchEvent``), the function or state
  machine that declares it, with the target Id SAM gives it (``Target.Id``, else the event's
  logical id and ``LambdaTarget`` or ``StepFunctionsTarget``, as SAM's translator does);
- the Terraform ``aws_cloudwatch_event_target`` resources of the same file whose ``rule`` names
  the rule (``${aws_cloudwatch_event_rule.NAME.name}`` or ``.id``, or the rule's literal name on
  the same bus). Targets in another ``.tf.json`` file of the module are not seen.

An ARN built by a template function is shown in CloudFormation's short form (``!GetAtt
CustomsQueue.Arn``, ``!Ref Topic``, ``!Sub arn:...:${Queue.QueueName}``) or as Terraform wrote it
(``${aws_sqs_queue.q.arn}``); ``resource`` names the template resource it points to when it
names exactly one (a parameter, a pseudo parameter or another module's output is not one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

TERRAFORM_RULE = "aws_cloudwatch_event_rule"
TERRAFORM_TARGET = "aws_cloudwatch_event_target"
SAM_STATE_MACHINE = "AWS::Serverless::StateMachine"

# ${Name} or ${Name.Attribute} inside an Fn::Sub string (${!Literal} is an escaped "${").
_SUB_VARIABLE = re.compile(r"\$\{([^!}][^}]*)\}")
# A whole Terraform reference to the rule: "${aws_cloudwatch_event_rule.NAME.name}" (or .id).
_RULE_REFERENCE = re.compile(
    r"^\$\{\s*" + TERRAFORM_RULE + r"\.([A-Za-z_][A-Za-z0-9_-]*)\.(?:name|id|arn)\s*\}$"
)
# A whole Terraform reference to a managed resource's attribute: "${aws_sqs_queue.q.arn}".
_TERRAFORM_RESOURCE = re.compile(
    r"^\$\{\s*([A-Za-z][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?\.[^}]+\}$"
)
# Characters that end or change a plain string inside a YAML flow list.
_FLOW_SPECIAL = frozenset(",:[]{}#&*!|>\"%@`'")
# Terraform reference roots that are not managed resources.
_NOT_RESOURCES = frozenset(
    {"var", "local", "module", "data", "each", "count", "path", "self", "terraform"}
)


@dataclass(frozen=True)
class RuleTarget:
    """One target of a bus rule, as its file declares it."""

    id: str | None
    arn: str  # the Arn as written; an intrinsic shown as e.g. "!GetAtt CustomsQueue.Arn"
    resource: str | None = None  # the template resource the Arn points to, when it names one


# -- CloudFormation and SAM ----------------------------------------------------------------------


def cloudformation_targets(targets: Any, resources: Mapping[str, Any]) -> tuple[RuleTarget, ...]:
    """The targets of an ``AWS::Events::Rule`` (its ``Properties.Targets``); an entry without
    an ``Arn`` is not a target CloudFormation would create, and is left out."""
    if not isinstance(targets, list):
        return ()
    found: list[RuleTarget] = []
    for target in targets:
        if not isinstance(target, dict) or "Arn" not in target:
            continue
        ident = target.get("Id")
        found.append(
            RuleTarget(
                None if ident is None else short_form(ident),
                short_form(target["Arn"]),
                _named_resource(target["Arn"], resources),
            )
        )
    return tuple(found)


def sam_target(
    logical_id: str, resource: Mapping[str, Any], event_name: str, event: Mapping[str, Any]
) -> tuple[RuleTarget, ...]:
    """The one target of a SAM event source: the function (or state machine) declaring it."""
    target = event.get("Target")
    given = target.get("Id") if isinstance(target, dict) else None
    if resource.get("Type") == SAM_STATE_MACHINE:
        arn, suffix = f"!Ref {logical_id}", "StepFunctionsTarget"
    else:
        arn, suffix = f"!GetAtt {logical_id}.Arn", "LambdaTarget"
    ident = short_form(given) if given is not None else f"{logical_id}{event_name}{suffix}"
    return (RuleTarget(ident, arn, logical_id),)


def short_form(value: Any) -> str:
    """A template value as a person would write it in YAML: intrinsics in their short form."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((key, argument),) = value.items()
        if key == "Ref":
            return f"!Ref {short_form(argument)}"
        if key.startswith("Fn::"):
            name = key.removeprefix("Fn::")
            if (
                name == "GetAtt"
                and isinstance(argument, list)
                and all(isinstance(part, str) for part in argument)
            ):
                return f"!GetAtt {'.'.join(argument)}"
            # A lone string argument is written bare, as in "!Sub arn:...:${Queue.QueueName}".
            shown = argument if isinstance(argument, str) else _argument(argument)
            return f"!{name} {shown}"
    return _compact(value)


def _argument(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_argument(item) for item in value) + "]"
    if isinstance(value, str):
        # Quoted where a YAML flow list might misread it, so the list stays readable.
        plain = value and value.strip() == value and not _FLOW_SPECIAL.intersection(value)
        return value if plain else json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict) and len(value) == 1:
        ((key, _),) = value.items()
        if key == "Ref" or key.startswith("Fn::"):
            return "(" + short_form(value) + ")"
    return _compact(value)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _named_resource(value: Any, resources: Mapping[str, Any]) -> str | None:
    """The one template resource ``value`` refers to (by ``Ref``, ``GetAtt`` or a ``Sub``
    variable, at any depth); None when it refers to none, or to several."""
    named = {name for name in _references(value) if name in resources}
    return named.pop() if len(named) == 1 else None


def _references(value: Any) -> list[str]:
    """The logical names ``value`` refers to (the template was read within a nesting bound)."""
    if isinstance(value, list):
        return [name for item in value for name in _references(item)]
    if not isinstance(value, dict):
        return []
    if len(value) == 1:
        ((key, argument),) = value.items()
        if key == "Ref" and isinstance(argument, str):
            return [argument]
        if key == "Fn::GetAtt":
            if isinstance(argument, list) and argument and isinstance(argument[0], str):
                return [argument[0]]
            if isinstance(argument, str):
                return [argument.split(".", 1)[0]]
        if key == "Fn::Sub":
            text: Any = argument
            variables: Any = {}
            if isinstance(argument, list) and argument:
                text = argument[0]
                variables = argument[1] if len(argument) > 1 else {}
            own = variables if isinstance(variables, dict) else {}
            named = (
                [
                    match.split(".", 1)[0]
                    for match in _SUB_VARIABLE.findall(text)
                    if match.strip() not in own
                ]
                if isinstance(text, str)
                else []
            )
            return named + _references(list(own.values()))
    return [name for child in value.values() for name in _references(child)]


# -- Terraform JSON ------------------------------------------------------------------------------


def terraform_targets(
    blocks: list[Any],
) -> Callable[[str, Mapping[str, Any]], tuple[RuleTarget, ...]]:
    """A function giving a rule's targets (by the rule's resource name and body), from the
    ``aws_cloudwatch_event_target`` resources of ``blocks`` (the file's resource blocks)."""
    declared: list[Mapping[str, Any]] = []
    for block in blocks:
        if not isinstance(block, dict) or not isinstance(block.get(TERRAFORM_TARGET), dict):
            continue
        for body in block[TERRAFORM_TARGET].values():
            for item in body if isinstance(body, list) else [body]:
                if isinstance(item, dict) and "arn" in item and isinstance(item.get("rule"), str):
                    declared.append(item)

    def targets_of(name: str, rule: Mapping[str, Any]) -> tuple[RuleTarget, ...]:
        return tuple(
            RuleTarget(
                None if item.get("target_id") is None else short_form(item["target_id"]),
                short_form(item["arn"]),
                _terraform_resource(item["arn"]),
            )
            for item in declared
            if _names_rule(item, name, rule)
        )

    return targets_of


def _names_rule(target: Mapping[str, Any], name: str, rule: Mapping[str, Any]) -> bool:
    reference = _RULE_REFERENCE.match(target["rule"])
    if reference:
        return reference.group(1) == name
    # A literal name names a rule on one bus: the target's, "default" when not given.
    literal = rule.get("name")
    return (
        isinstance(literal, str)
        and "${" not in target["rule"]
        and target["rule"] == literal
        and target.get("event_bus_name", "default") == rule.get("event_bus_name", "default")
    )


def _terraform_resource(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    match = _TERRAFORM_RESOURCE.match(value)
    if match is None or match.group(1).split(".", 1)[0] in _NOT_RESOURCES:
        return None
    return match.group(1)
