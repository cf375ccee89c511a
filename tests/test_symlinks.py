"""Symbolic links that lead out of the registry are never followed: lint reports them (L305)
and no command reads what they point to.

The secret is a file outside the project that a PR links into the registry; every test
checks that its text reaches no output and no generated file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import CliRunner, git, make_repo
from eventcontracts.check.gitref import GitBase

ORDER_CREATED = Path("registry/com.mycompany.orders/OrderCreated")
SECRET = "TOPSECRET-58213"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A schema-shaped file outside every project: what a link must not bring in."""
    path = tmp_path / "outside" / "credentials.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"type": "string", "enum": [SECRET]}), encoding="utf-8")
    return path


def link_shared_secret(project: Path, secret: Path) -> Path:
    """``_shared/link.json`` -> the secret, and a v3 of OrderCreated whose currency refs it."""
    shared = project / "registry" / "_shared"
    shared.mkdir(exist_ok=True)
    link = shared / "link.json"
    link.symlink_to(secret)
    folder = project / ORDER_CREATED
    document = json.loads((folder / "v2.json").read_text(encoding="utf-8"))
    document["components"]["schemas"]["OrderCreated"]["properties"]["currency"] = {
        "$ref": "../../_shared/link.json"
    }
    document["info"]["version"] = "3.0.0"
    (folder / "v3.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return link


def test_lint_reports_a_shared_file_linked_outside_and_does_not_read_it(
    example_project: Path, secret: Path, cli: CliRunner
) -> None:
    link_shared_secret(example_project, secret)

    result = cli(["lint"], example_project)

    assert result.code == 1, result.both
    assert "registry/_shared/link.json: L305 " in result.out
    assert "[symlink-outside-registry]" in result.out
    assert SECRET not in result.both


def test_lint_does_not_list_a_folder_linked_outside(
    example_project: Path, tmp_path: Path, cli: CliRunner
) -> None:
    outside = tmp_path / "etc"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0\n", encoding="utf-8")
    (outside / "shadow.json").write_text("{}", encoding="utf-8")
    (example_project / "registry/com.mycompany.orders/Leak").symlink_to(outside)
    (example_project / ORDER_CREATED / "consumers" / "etc").symlink_to(outside)

    result = cli(["lint"], example_project)

    assert result.code == 1, result.both
    assert "registry/com.mycompany.orders/Leak: L305 " in result.out
    assert f"{ORDER_CREATED.as_posix()}/consumers/etc: L305 " in result.out
    assert "passwd" not in result.both and "shadow" not in result.both


def test_a_link_inside_the_registry_is_still_followed(
    example_project: Path, cli: CliRunner
) -> None:
    shared = example_project / "registry" / "_shared"
    shared.mkdir()
    (shared / "currency.json").write_text(
        json.dumps({"type": "string", "enum": ["USD", "EUR", "GBP"]}), encoding="utf-8"
    )
    (shared / "money.json").symlink_to("currency.json")

    result = cli(["lint"], example_project)

    assert result.code == 0, result.both


def test_sample_does_not_put_a_linked_secret_in_its_events(
    example_project: Path, secret: Path, cli: CliRunner
) -> None:
    link_shared_secret(example_project, secret)

    result = cli(["sample", "OrderCreated", "--version", "3"], example_project)

    assert result.code == 2, result.both
    assert "registry/_shared/link.json" in result.err and "outside the registry" in result.err
    assert SECRET not in result.both


def test_generate_does_not_put_a_linked_secret_in_the_code(
    example_project: Path, secret: Path, cli: CliRunner
) -> None:
    link_shared_secret(example_project, secret)

    result = cli(["generate"], example_project)

    assert result.code == 2, result.both
    assert "registry/_shared/link.json" in result.err and "outside the registry" in result.err
    assert SECRET not in result.both
    generated = example_project / "generated"
    written = [p for p in generated.rglob("*") if p.is_file()] if generated.exists() else []
    assert not [p for p in written if SECRET in p.read_text(encoding="utf-8", errors="replace")]


def test_check_refuses_a_pr_linking_a_secret_into_the_registry(
    tmp_path: Path, secret: Path, cli: CliRunner
) -> None:
    repo = make_repo(tmp_path / "repo")
    link_shared_secret(repo, secret)

    for args in (["check"], ["check", "--against", "main"]):
        result = cli(args, repo)
        assert result.code == 2, (args, result.both)
        assert "registry/_shared/link.json" in result.err, result.err
        assert SECRET not in result.both


def test_a_link_at_the_base_ref_is_not_followed(tmp_path: Path, secret: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "main")
    (repo / "registry" / "_shared").mkdir()
    os.symlink(secret, repo / "registry" / "_shared" / "link.json")
    (repo / "registry" / "_shared" / "plain.json").write_text("{}", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a link on main")
    assert "120000" in git(repo, "ls-tree", "main", "--", "registry/_shared/link.json")

    base = GitBase(repo, "main")
    entries = base.files(["registry/_shared"])
    destination = tmp_path / "base"
    base.write(entries, destination)
    base.write_paths(["registry/_shared/link.json"], destination)

    assert [entry.path for entry in entries] == ["registry/_shared/plain.json"]
    assert (destination / "registry/_shared/plain.json").read_text(encoding="utf-8") == "{}"
    assert not (destination / "registry/_shared/link.json").exists()


def test_a_bus_rule_file_linked_outside_the_project_is_not_read(
    tmp_path: Path, secret: Path, cli: CliRunner
) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "rules" / "leak.json").symlink_to(secret)

    for args in (["rules", "check"], ["check"]):
        result = cli(args, repo)
        assert result.code == 2, (args, result.both)
        assert "rules/leak.json: a symbolic link" in result.err, result.err
        assert len(result.err.strip().splitlines()) == 1 and SECRET not in result.both
