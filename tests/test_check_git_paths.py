"""The gate reads the base ref with plumbing that file names cannot confuse, and from a
shallow clone it says to deepen instead of guessing a base.

Real git repositories built from the example catalog (``make_repo``): main holds the
catalog, the branch 'pr' is checked out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CliRunner, git, make_repo

ORDER_CREATED = "registry/com.mycompany.orders/OrderCreated"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


def edit_published_v1(repo: Path) -> bytes:
    """Make v1 of OrderCreated require a new field (K101 at the base ref); its new bytes."""
    path = repo / ORDER_CREATED / "v1.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    detail = document["components"]["schemas"]["OrderCreated"]
    detail["properties"]["loyaltyTier"] = {"type": "string"}
    detail["required"].append("loyaltyTier")
    text = (json.dumps(document, indent=2) + "\n").encode("utf-8")
    path.write_bytes(text)
    return text


def blob_id(repo: Path, content: bytes) -> str:
    path = repo.parent / "blob"
    path.write_bytes(content)
    return git(repo, "hash-object", str(path)).strip()


def test_a_file_name_holding_newlines_cannot_feed_the_base_another_files_content(
    repo: Path, cli: CliRunner
) -> None:
    # The attacker's PR will edit v1.json; they know its new bytes, so its blob id.
    edited = (repo / ORDER_CREATED / "v1.json").read_bytes()
    new_v1 = edit_published_v1(repo)
    (repo / ORDER_CREATED / "v1.json").write_bytes(edited)
    listing = git(repo, "ls-tree", "-r", "main", "--", f"{ORDER_CREATED}/").splitlines()
    # One request per line: "x" is a missing object (that file is then absent at the base),
    # an id is that blob; the n-th answer goes to the n-th file after the notes.
    ids = [
        blob_id(repo, new_v1)
        if line.endswith("/v1.json")
        else line.split()[2]
        if line.endswith("/v2.json")
        else "x"
        for line in listing
    ]
    # Merged earlier: a "notes" file in _shared (the loader ignores it, lint passes) whose
    # name feeds the base the PR's v1 in the published v1's place.
    git(repo, "checkout", "-q", "main")
    shared = repo / "registry" / "_shared"
    shared.mkdir()
    (shared / ("notes\n" + "\n".join(ids))).write_text("nothing to see\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "notes")
    git(repo, "checkout", "-qB", "pr", "main")
    edit_published_v1(repo)
    git(repo, "commit", "-qam", "edit v1")

    result = cli(["check", "--against", "main"], repo)

    assert result.code == 1, result.both
    assert "K101" in result.out and f"{ORDER_CREATED}/v1.json" in result.out


def test_the_same_edit_without_the_trick_is_k101(repo: Path, cli: CliRunner) -> None:
    edit_published_v1(repo)
    git(repo, "commit", "-qam", "edit v1")

    result = cli(["check", "--against", "main"], repo)

    assert result.code == 1, result.both
    assert "K101" in result.out


# --- a shallow clone: both tips, no merge base ------------------------------------------


def test_a_shallow_clone_without_the_merge_base_says_to_deepen_it(
    repo: Path, tmp_path: Path, cli: CliRunner
) -> None:
    # main moves on (a v3 the branch does not have) after the branch left it
    git(repo, "checkout", "-q", "main")
    v2 = repo / ORDER_CREATED / "v2.json"
    (repo / ORDER_CREATED / "v3.json").write_bytes(v2.read_bytes().replace(b"2.0.0", b"3.0.0"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v3 on main")
    git(repo, "checkout", "-q", "pr")
    (repo / "README.md").write_text("the branch's own change\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "docs on the branch")
    clone = tmp_path / "clone"
    # As actions/checkout does by default: one commit of each tip, no history between.
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch", repo.as_uri(), str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"

    result = cli(["check", "--against", "origin/main"], clone)

    assert result.code == 2, result.both
    assert "K102" not in result.both
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "git fetch --deepen" in lines[0] and "fetch-depth: 0" in lines[0]
