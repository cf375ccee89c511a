"""Every lint rule (L###) fires on a fixture of its own, and its documented example shows it.

A rule's fixture is ``tests/rules/lint/<ID>/``, the files that laid over the clean project
``tests/rules/base/`` make it fire, linted by the real ``eventcontracts lint``. The few inputs
git cannot keep (a file of 40 MB, one of 200 KB, 200 levels of nesting, a symbolic link out of
the registry) are made by a builder of ``BUILT`` instead.

A rule's documented example is either whole documents, which the test lints one by one
(``Runs``), or a part of a file or of the registry's layout, which its firing fixture must
hold as the docs show it (``Shown``). Both tables are checked to name every rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRunner
from rule_fixtures import (
    CLEAN_PROJECT,
    Shown,
    catalog_size,
    fixture_folders,
    lay_over,
    rule_ids,
    rules_of,
)

LETTER = "L"
FOLDERS = fixture_folders("lint")
ORDER_CREATED = "registry/com.example.orders/OrderCreated"


# --- fixtures git cannot keep ------------------------------------------------------------


def _event_schema(detail_type: str, **detail: Any) -> dict[str, Any]:
    """A JSON Schema event of the source com.example (the folder its fixtures use)."""
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "x-amazon-events-source": "com.example",
        "x-amazon-events-detail-type": detail_type,
        "type": "object",
        "properties": {"detail": {"type": "object", **detail}},
    }


def content_too_large(project: Path, outside: Path) -> None:
    path = project / "registry/com.example/Huge/v1.json"
    path.parent.mkdir(parents=True)
    schema = _event_schema("Huge", description="x" * 200_000)
    path.write_text(json.dumps(schema), encoding="utf-8")


def file_too_large(project: Path, outside: Path) -> None:
    thing = project / "registry/com.example/Thing"
    (thing / "examples/v1").mkdir(parents=True)
    (thing / "v1.json").write_text(json.dumps(_event_schema("Thing")), encoding="utf-8")
    with (thing / "examples/v1/dump.json").open("wb") as dump:
        dump.truncate(40 * 1024 * 1024)  # 40 MB without writing them: the size is the point


def nesting_too_deep(project: Path, outside: Path) -> None:
    path = project / "registry/com.example/Thing/v1.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"properties": {"a": ' * 200 + "{}" + "}}" * 200, encoding="utf-8")


def symlink_outside_registry(project: Path, outside: Path) -> None:
    secret = outside / "credentials"
    secret.write_text("[default]\naws_secret_access_key = not-for-a-schema\n", encoding="utf-8")
    shared = project / "registry/_shared"
    shared.mkdir(parents=True)
    (shared / "address.json").symlink_to(secret)


BUILT: dict[str, Callable[[Path, Path], None]] = {
    "L003": content_too_large,
    "L004": file_too_large,
    "L006": nesting_too_deep,
    "L305": symlink_outside_registry,
}


# --- how each rule's documented example is shown -------------------------------------------


@dataclass(frozen=True)
class Runs:
    """The example is one or more whole documents (JSON, or a YAML file): each, written at
    its path in the clean project, is linted on its own and reported under the rule."""

    paths: tuple[str, ...]


THING = "registry/com.example/Thing/v1.json"
EXAMPLES: dict[str, Runs | Shown] = {
    "L001": Shown(("registry/com.example/Thing/v1.json",)),  # the fixture saves it as Latin-1
    "L002": Runs((THING,)),
    "L003": Shown(("registry/com.example/Huge/v1.json",)),
    "L004": Shown(("registry/com.example/Thing/examples/v1/dump.json",)),
    "L005": Runs(("registry/com.example/Thing/v1.yaml",)),
    "L006": Shown(('{"properties": {"a": {"properties": {"a":', "}}}}")),
    "L007": Runs(
        (THING, "registry/com.example/Other/v1.json", "registry/com.example/Third/v1.json")
    ),
    "L008": Runs((THING,)),
    "L101": Runs((THING,)),
    "L102": Shown(('"OrderCreated": {"type": ["string", "null"]}',)),
    "L103": Runs((THING,)),
    "L104": Runs((THING,)),
    "L105": Runs((THING, "registry/com.example/Detail/v1.json")),
    "L110": Shown(('"code": {"type": "string", "pattern": "^(?=.*[0-9])(a+)+$"}',)),
    "L201": Shown(('"AWSEvent": {"x-amazon-events-detail-type": "Order Created",',)),
    "L202": Shown(('"AWSEvent": {"x-amazon-events-source": "com.example.orders",',)),
    "L203": Shown(
        (
            "registry/com.example.orders/OrderCreated/v1.json",
            '"x-amazon-events-source": "com.example.billing"',
        )
    ),
    "L204": Shown(('"Order Created"', '"OrderCreated"')),
    "L205": Shown(('"x-amazon-events-detail-type": "',)),
    "L301": Shown(
        ("registry/com.example.orders/OrderCreated/v1.json", "v3.json"), absent=("v2.json",)
    ),
    "L302": Shown(
        ("registry/com.example.orders/OrderCreated/version-2.json", "v0.json", "v02.json")
    ),
    "L303": Shown(("registry/com.example.orders/OrderCreated/v1.json", "v1.yaml")),
    "L304": Shown(
        (
            "registry/notes.json",
            "registry/com.example.orders/v1.json",
            "registry/com.example.orders/OrderCreated/examples/v1/order.txt",
        )
    ),
    "L305": Shown(("registry/_shared/address.json",)),
    "L401": Shown(('"detail": {"$ref": "#/components/schemas/OrderCreatd"}',)),
    "L402": Shown(
        (
            '"A": {"$ref": "#/definitions/B"}, "B": {"$ref": "#/definitions/A"}',
            '"A": {"anyOf": [{"$ref": "#/definitions/B"}]}, '
            '"B": {"allOf": [{"$ref": "#/definitions/A"}]}',
        )
    ),
    "L403": Shown(('{"$ref": "https://example.com/schemas/address.json"}',)),
    "L501": Shown(
        (
            "registry/com.example.orders/OrderCreated/examples/v1/ok.json",
            '"currency": "JPY"',
        )
    ),
    "L502": Shown(("registry/com.example.orders/OrderCreated/examples/v7/",), absent=("v7.json",)),
    "L601": Shown(
        (
            "registry/com.example.orders/OrderCreated/consumers/shipping-service.yaml",
            "versions: [1]\n  reads:\n    - field: shippingAddress..country\n      type: text",
        )
    ),
    "L602": Shown(("consumers/shipping-service.yaml", "versions: [1, 2, 3]", "v1.json", "v2.json")),
    "L603": Shown(("consumers/shipping-service.yaml", "shippingAdress.country")),
    "L701": Shown(('"orderId": {"type": "string", "x-python-type": "pwn_helper.T"}',)),
}


# --- running lint ----------------------------------------------------------------------------


def lint(cli: CliRunner, project: Path) -> list[dict[str, Any]]:
    result = cli(["lint", "--format", "json"], project)
    assert result.code in (0, 1), result.both
    findings: list[dict[str, Any]] = json.loads(result.out)["findings"]
    return findings


def clean_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    lay_over(CLEAN_PROJECT, project)
    return project


def fixture(rule_id: str, tmp_path: Path) -> Path:
    """The clean project with the rule's fixture laid over it (or built into it)."""
    project = clean_project(tmp_path)
    if rule_id in BUILT:
        outside = tmp_path / "outside"
        outside.mkdir()
        BUILT[rule_id](project, outside)
    else:
        assert rule_id in FOLDERS, f"{rule_id} has no fixture: add tests/rules/lint/{rule_id}/"
        lay_over(FOLDERS[rule_id], project)
    return project


def documents(example: str, how: Runs) -> list[str]:
    """The documents an example is, as their text: the whole example when it is one (a
    parse error or a YAML file is what some rules are about), else the JSON values it lists.

    Comments after the JSON (``   # why``) are the docs' words, not the document's; the text
    itself is kept as written, since 1e400, NaN and lone surrogates are what some rules are
    about and would not survive a round trip through a JSON parser.
    """
    text = re.sub(r"\s+#\s.*$", "", example, flags=re.MULTILINE)
    if len(how.paths) == 1:
        return [text + "\n"]
    decoder, found, index = json.JSONDecoder(), [], 0
    while index < len(text):
        if text[index].isspace():
            index += 1
            continue
        _, end = decoder.raw_decode(text, index)
        found.append(text[index:end] + "\n")
        index = end
    return found


# --- the tests -------------------------------------------------------------------------------


def test_every_lint_rule_is_tested_and_nothing_else() -> None:
    ids = rule_ids(LETTER)
    assert len(ids) == catalog_size(LETTER) > 0
    # One fixture per rule, either a folder or a builder, and none for a rule that is gone.
    assert sorted([*FOLDERS, *BUILT]) == sorted(ids)
    assert not set(FOLDERS) & set(BUILT)
    assert sorted(EXAMPLES) == sorted(ids)


def test_the_clean_project_fires_no_rule(cli: CliRunner, tmp_path: Path) -> None:
    # Every fixture only adds to this project: what a fixture fires, its files fire.
    assert lint(cli, clean_project(tmp_path)) == []


@pytest.mark.parametrize("rule", rules_of(LETTER), ids=lambda rule: rule.id)
def test_the_rule_fires_on_its_fixture(
    rule: Any, cli: CliRunner, tmp_path: Path, no_network: list[object]
) -> None:
    project = fixture(rule.id, tmp_path)

    findings = lint(cli, project)

    assert rule.id in {finding["rule"] for finding in findings}, findings


@pytest.mark.parametrize("rule", rules_of(LETTER), ids=lambda rule: rule.id)
def test_the_documented_example_shows_the_rule(
    rule: Any, cli: CliRunner, tmp_path: Path, no_network: list[object]
) -> None:
    how = EXAMPLES[rule.id]
    if isinstance(how, Shown):
        assert how.problems(rule, fixture(rule.id, tmp_path)) == []
        return
    texts = documents(rule.example, how)
    assert len(texts) == len(how.paths), f"{rule.id}'s example has {len(texts)} documents"
    for number, (text, path) in enumerate(zip(texts, how.paths, strict=True)):
        project = clean_project(tmp_path / str(number))
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text, encoding="utf-8")

        findings = lint(cli, project)

        assert (rule.id, path) in {(f["rule"], f["file"]) for f in findings}, (text, findings)
