"""One broken file (a tab in a YAML schema) stops only the commands that need it.

``sample`` of another schema reads only that schema (and the shared documents): it works. The
gate (``check``) and ``generate --check`` read every file: they refuse with exit 2, in one line
that names the file, the line and the problem in a user's words (a tab, not a token).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CliRunner, git, make_repo
from eventcontracts.registry import Resolver, load_registry

SHIPPED = "registry/com.mycompany.orders/OrderShipped/v1.yaml"
TAB_WORDS = "a tab character at line 24, column 1: YAML indents with spaces only; replace the tab"


def put_a_tab(project: Path) -> None:
    """Indent the line ``detail:`` of OrderShipped v1 with a tab (line 24 of the file)."""
    path = project / SHIPPED
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[23] == "        detail:\n"
    lines[23] = "\tdetail:\n"
    path.write_text("".join(lines), encoding="utf-8")


def test_sample_of_an_unrelated_schema_works_beside_a_broken_file(
    cli: CliRunner, example_project: Path
) -> None:
    put_a_tab(example_project)
    result = cli(["sample", "OrderCreated", "--version", "2"], example_project)
    assert result.code == 0, result.both
    registry = load_registry(example_project / "registry")
    created = registry.schemas["com.mycompany.orders@OrderCreated"].version(2)
    assert Resolver(registry).event_validator(created).is_valid(json.loads(result.out))


def test_sample_into_the_schemas_own_examples_folder_works(
    cli: CliRunner, example_project: Path
) -> None:
    """``sample X > registry/.../X/examples/v1/new.json``: the shell makes the empty file before
    sample runs. Drawing an event reads no sample event, so that file does not stop it."""
    examples = example_project / "registry/com.mycompany.orders/OrderShipped/examples/v1"
    (examples / "new.json").write_text("", encoding="utf-8")
    result = cli(["sample", "OrderShipped"], example_project)
    assert result.code == 0, result.both
    (examples / "new.json").write_text(result.out, encoding="utf-8")
    assert cli(["lint"], example_project).code == 0


def test_sample_of_the_broken_schema_refuses_naming_the_tab(
    cli: CliRunner, example_project: Path
) -> None:
    put_a_tab(example_project)
    result = cli(["sample", "OrderShipped"], example_project)
    assert result.code == 2, result.both
    assert result.err.count("\n") == 1 and "Traceback" not in result.both
    assert f"{SHIPPED}:24:" in result.err and TAB_WORDS in result.err


@pytest.mark.parametrize("args", [["check"], ["generate", "--check"]], ids=" ".join)
def test_the_gate_refuses_a_file_it_cannot_read_in_one_line_naming_the_tab(
    args: list[str], cli: CliRunner, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "repo")
    put_a_tab(repo)
    git(repo, "commit", "-qam", "a tab")
    result = cli(args, repo)
    assert result.code == 2, result.both
    assert result.err.count("\n") == 1 and "Traceback" not in result.both
    assert f"{SHIPPED}:24:" in result.err and TAB_WORDS in result.err, result.err


def test_lint_names_the_tab(cli: CliRunner, example_project: Path) -> None:
    put_a_tab(example_project)
    result = cli(["lint"], example_project)
    assert result.code == 1
    assert f"{SHIPPED}:24: L002" in result.out and TAB_WORDS in result.out, result.out


def test_sample_of_a_schema_whose_ref_needs_the_broken_file_names_it(
    cli: CliRunner, example_project: Path
) -> None:
    put_a_tab(example_project)
    folder = example_project / "registry" / "com.example.notes" / "ShipmentNoted"
    folder.mkdir(parents=True)
    shipped = "../../com.mycompany.orders/OrderShipped/v1.yaml#/components/schemas/OrderShipped"
    schema = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "x-amazon-events-source": "com.example.notes",
        "x-amazon-events-detail-type": "ShipmentNoted",
        "type": "object",
        "properties": {"detail": {"$ref": shipped}},
    }
    (folder / "v1.json").write_text(json.dumps(schema), encoding="utf-8")
    result = cli(["sample", "ShipmentNoted"], example_project)
    assert result.code == 2, result.both
    assert result.err.count("\n") == 1 and "Traceback" not in result.both
    assert f"{SHIPPED}:24 cannot be read" in result.err and TAB_WORDS in result.err, result.err
