"""Reading bus rules: the event patterns of rule files and infrastructure templates.

A rule file is one of:

- a ``.json`` (or ``.yaml``) file holding one event pattern, or ``{"EventPattern": ...}``;
- a CloudFormation or SAM template (JSON or YAML, ``Resources`` at the top): every
  ``AWS::Events::Rule``'s ``Properties.EventPattern`` (an object, or a JSON string), and every
  SAM ``Events`` entry of ``Type: EventBridgeRule`` or ``CloudWatchEvent`` (``Properties.Pattern``);
  CloudFormation's short tags (``!Ref``, ``!Sub``, ...) are read as their long forms;
- a Terraform JSON file (``resource`` at the top): every ``aws_cloudwatch_event_rule``'s
  ``event_pattern`` (a JSON string, or an object).

A rule read from a template carries its targets, as written (:mod:`.targets` reads them): a
rule's ``Targets``, the function or state machine a SAM event belongs to, the
``aws_cloudwatch_event_target`` resources naming a Terraform rule. A pattern file has none.

A pattern built by a template function (``!Ref``, ``!Sub`` with variables, ``${jsonencode(...)}``)
cannot be read before deployment: the rule is kept, marked ``unresolved``, and not checked.
A file that cannot be read or parsed is an error naming the file (exit 2).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventcontracts import bounded
from eventcontracts.errors import EventContractsError
from eventcontracts.findings import printable
from eventcontracts.patterns.targets import (
    TERRAFORM_RULE,
    RuleTarget,
    cloudformation_targets,
    sam_target,
    terraform_targets,
)
from eventcontracts.registry.containment import link_leaves, link_target
from eventcontracts.registry.locate import PointerLines, nearest_line
from eventcontracts.schema.pointer import escape_token

if TYPE_CHECKING:
    import yaml

YAML_SUFFIXES = (".yaml", ".yml")
RULE_FILE_SUFFIXES = (".json", *YAML_SUFFIXES)
EVENTS_RULE = "AWS::Events::Rule"
SAM_EVENT_TYPES = ("EventBridgeRule", "CloudWatchEvent")


class RuleFileError(EventContractsError):
    """A rule file that cannot be read: the message names the file and what to do."""


@dataclass
class BusRule:
    """One event pattern and where it is written.

    ``pointer`` locates the pattern in its file; when the pattern was a JSON string inside the
    file (``embedded``), every place in it is reported at the line of that string.
    """

    name: str
    file: str
    pattern: Any
    pointer: str
    lines: Mapping[str, int] = field(default_factory=dict, repr=False)
    embedded: bool = False
    unresolved: str | None = None  # why the pattern cannot be read, e.g. "!Ref at /source/0"
    targets: tuple[RuleTarget, ...] = ()  # where the rule sends what it matches, as written

    @property
    def display(self) -> str:
        return f"{self.file}#{self.name}"

    def line(self, pattern_pointer: str = "") -> int | None:
        """The line of a place in the pattern (a JSON pointer into the pattern)."""
        where = self.pointer if self.embedded else self.pointer + pattern_pointer
        return nearest_line(self.lines, where)


# -- YAML with CloudFormation's short tags ----------------------------------------------------


@cache
def _template_loader() -> type[yaml.SafeLoader]:
    """Safe YAML that reads ``!Ref x`` as ``{"Ref": x}`` and ``!Sub s`` as ``{"Fn::Sub": s}``,
    and keeps timestamps as the strings they were written as. Made on the first YAML file:
    PyYAML is imported then, and JSON rule files never pay for it."""
    import yaml

    class TemplateLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    TemplateLoader.add_multi_constructor("!", _intrinsic)
    TemplateLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
    loader: type[yaml.SafeLoader] = TemplateLoader
    return loader


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    return loader.construct_scalar(node)  # type: ignore[arg-type]


# -- reading files ---------------------------------------------------------------------------


def load_rules(path: Path, display: str) -> list[BusRule]:
    """Every bus rule of one file (none for a template without rules)."""
    text = _read_text(path, display)
    content, lines = _parse(path, display, text)
    if isinstance(content, dict) and isinstance(content.get("Resources"), dict):
        return list(_template_rules(content, display, lines))
    if isinstance(content, dict) and "resource" in content:
        return list(_terraform_rules(content, display, lines))
    name = path.name.removesuffix(path.suffix)
    if isinstance(content, dict) and "EventPattern" in content:
        return [_rule(name, display, content["EventPattern"], "/EventPattern", lines)]
    return [_rule(name, display, content, "", lines)]


def _read_text(path: Path, display: str) -> str:
    try:
        text = bounded.read_bytes(path).decode("utf-8")
    except OSError as exc:
        raise RuleFileError(f"{display}: cannot read the rule file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise RuleFileError(f"{display}: not UTF-8; save the rule file as UTF-8") from None
    except bounded.Refused as refused:
        raise RuleFileError(f"{display}: {refused}") from None
    return bounded.strip_bom(text)


def _parse(path: Path, display: str, text: str) -> tuple[Any, Mapping[str, int]]:
    try:
        return _parse_bounded(path, display, text)
    except bounded.Refused as refused:
        where = f":{refused.line}" if refused.line else ""
        raise RuleFileError(f"{display}{where}: {refused}") from None


def _parse_bounded(path: Path, display: str, text: str) -> tuple[Any, Mapping[str, int]]:
    if path.suffix.lower() in YAML_SUFFIXES:
        import yaml

        try:
            # Templates may repeat a value with an alias; the expansion is budgeted.
            documents = bounded.load_yaml_documents(text, _template_loader(), aliases=True)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f":{mark.line + 1}" if mark is not None else ""
            problem = exc.problem or exc.context or "syntax error"
            raise RuleFileError(
                f"{display}{where}: invalid YAML: {problem}; fix the file"
            ) from None
        except yaml.YAMLError as exc:
            raise RuleFileError(f"{display}: invalid YAML: {exc}") from None
        if len(documents) != 1:
            raise RuleFileError(
                f"{display}: a rule file holds one YAML document, found {len(documents)}"
            )
        bad_key = bounded.first_non_string_key(documents[0])
        if bad_key is not None:
            pointer, key = bad_key
            raise RuleFileError(
                f"{display}: key {printable(repr(key))} at {pointer or '/'} is not a string; "
                "quote it"
            )
        return documents[0], PointerLines(text, "yaml")
    try:
        content = bounded.load_json(text)
    except json.JSONDecodeError as exc:
        raise RuleFileError(
            f"{display}:{exc.lineno}: invalid JSON: {exc.msg} (column {exc.colno}); fix the file"
        ) from None
    return content, PointerLines(text, "json")


def _rule(
    name: str,
    display: str,
    value: Any,
    pointer: str,
    lines: Mapping[str, int],
    targets: tuple[RuleTarget, ...] = (),
) -> BusRule:
    """A rule from a pattern value: an object, or a JSON string holding one."""
    embedded = False
    if isinstance(value, str):
        if "${" in value:
            return BusRule(
                name,
                display,
                None,
                pointer,
                lines,
                unresolved="${...} interpolation",
                targets=targets,
            )
        try:
            value = bounded.load_json(value)
        except (json.JSONDecodeError, bounded.Refused) as exc:
            line = nearest_line(lines, pointer)
            where = f":{line}" if line else ""
            raise RuleFileError(
                f"{display}{where}: rule {printable(name)}: the event pattern string is not "
                f"valid JSON ({getattr(exc, 'msg', exc)}); fix the pattern"
            ) from None
        embedded = True
    value, unresolved = _substitute_literals(value, "")
    return BusRule(name, display, value, pointer, lines, embedded, unresolved, targets)


def _substitute_literals(value: Any, pointer: str) -> tuple[Any, str | None]:
    """``Fn::Sub`` of a string without variables is that string; any other template function
    leaves the pattern unreadable (the reason is returned, with where)."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Fn::Sub" and isinstance(argument, str) and "${" not in argument:
                return argument, None
            if key == "Ref" or key.startswith("Fn::"):
                tag = "!Ref" if key == "Ref" else f"!{key.removeprefix('Fn::')}"
                return value, f"{tag} at {pointer or '/'}"
        result: dict[str, Any] = {}
        for key, child in value.items():
            result[key], reason = _substitute_literals(child, f"{pointer}/{escape_token(key)}")
            if reason:
                return value, reason
        return result, None
    if isinstance(value, list):
        items: list[Any] = []
        for index, child in enumerate(value):
            item, reason = _substitute_literals(child, f"{pointer}/{index}")
            if reason:
                return value, reason
            items.append(item)
        return items, None
    return value, None


def _template_rules(
    template: dict[str, Any], display: str, lines: Mapping[str, int]
) -> Iterator[BusRule]:
    resources: Mapping[str, Any] = template["Resources"]
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        properties = resource.get("Properties")
        if not isinstance(properties, dict):
            continue
        base = f"/Resources/{escape_token(str(logical_id))}/Properties"
        if resource.get("Type") == EVENTS_RULE and "EventPattern" in properties:
            yield _rule(
                str(logical_id),
                display,
                properties["EventPattern"],
                f"{base}/EventPattern",
                lines,
                cloudformation_targets(properties.get("Targets"), resources),
            )
        events = properties.get("Events")
        if not isinstance(events, dict):
            continue
        for event_name, event in events.items():
            if not isinstance(event, dict) or event.get("Type") not in SAM_EVENT_TYPES:
                continue
            event_properties = event.get("Properties")
            if isinstance(event_properties, dict) and "Pattern" in event_properties:
                pointer = f"{base}/Events/{escape_token(str(event_name))}/Properties/Pattern"
                yield _rule(
                    f"{logical_id}.{event_name}",
                    display,
                    event_properties["Pattern"],
                    pointer,
                    lines,
                    sam_target(str(logical_id), resource, str(event_name), event_properties),
                )


def _terraform_rules(
    content: dict[str, Any], display: str, lines: Mapping[str, int]
) -> Iterator[BusRule]:
    blocks = content["resource"]
    # Terraform JSON allows a resource block as an object or as a list of objects.
    indexed = list(enumerate(blocks)) if isinstance(blocks, list) else [(None, blocks)]
    targets_of = terraform_targets([block for _, block in indexed])
    for index, block in indexed:
        if not isinstance(block, dict):
            continue
        base = "/resource" if index is None else f"/resource/{index}"
        rules = block.get(TERRAFORM_RULE)
        if not isinstance(rules, dict):
            continue
        for name, body in rules.items():
            bodies = body if isinstance(body, list) else [body]
            for position, item in enumerate(bodies):
                if not isinstance(item, dict) or "event_pattern" not in item:
                    continue
                pointer = f"{base}/{TERRAFORM_RULE}/{escape_token(str(name))}"
                if isinstance(body, list):
                    pointer += f"/{position}"
                yield _rule(
                    f"{TERRAFORM_RULE}.{name}",
                    display,
                    item["event_pattern"],
                    f"{pointer}/event_pattern",
                    lines,
                    targets_of(str(name), item),
                )


# -- finding the files -----------------------------------------------------------------------


def rule_files(paths: list[Path]) -> list[Path]:
    """The files ``paths`` name: files as they are, folders searched for rule files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                _inside(
                    sorted(
                        candidate
                        for candidate in path.rglob("*")
                        if candidate.is_file() and candidate.suffix.lower() in RULE_FILE_SUFFIXES
                    ),
                    path,
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise RuleFileError(f"{path}: no such rule file or folder")
    return found


def config_rule_files(root: Path, globs: tuple[str, ...]) -> list[Path]:
    """The files the ``[rules] paths`` globs match, relative to the config file's folder."""
    found: dict[Path, None] = {}  # ordered, and a set: globs may match a file twice
    for pattern in globs:
        try:
            matched = sorted(path for path in root.glob(pattern) if path.is_file())
        except (ValueError, NotImplementedError) as exc:
            # pathlib refuses an absolute glob (NotImplementedError) and a "**" that is not a
            # whole path component (ValueError), saying so in its own words.
            raise RuleFileError(
                f"[rules] paths: {pattern!r} is not a glob relative to {root} ({exc}); "
                'write it like "rules/*.json" or "infra/**/*.yaml"'
            ) from None
        if not matched:
            raise RuleFileError(
                f"[rules] paths: {pattern!r} matches no file under {root}; fix the glob"
            )
        found.update(dict.fromkeys(_inside(matched, root)))
    return list(found)


def _inside(paths: list[Path], root: Path) -> list[Path]:
    """``paths``, or one line (exit 2) for the first reached through a symbolic link that
    leads outside ``root``: a rule file from outside the project is never read."""
    for path in paths:
        if link_leaves(path, root):
            raise RuleFileError(
                f"{display_path(path, root)}: a symbolic link to {link_target(path)!r}, outside "
                f"{root}; bus rules are read from inside it only: copy the file in or remove "
                "the link"
            )
    return paths


def display_path(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` where it is under it (forward slashes), else as given."""
    resolved = path.resolve()
    if resolved.is_relative_to(base):
        return resolved.relative_to(base).as_posix()
    return str(path)
