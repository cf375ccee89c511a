"""``allow-remote-refs`` is a security setting: a PR cannot turn it on for its own check (a
$ref would make CI fetch any URL), turning it on is K110; ``sample`` follows the setting.

A local HTTP server on 127.0.0.1 records every request made to it.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CliRunner, Recorder, git, line_of, make_repo

ORDER_CREATED = Path("registry/com.mycompany.orders/OrderCreated")
CONFIG = "eventcontracts.toml"
# v3 moves the currency's schema to a URL; the recorder answers with it (conftest.CURRENCY).


def allow_remote_refs(project: Path) -> None:
    config = project / CONFIG
    text = config.read_text(encoding="utf-8")
    assert "[registry]\n" in text
    config.write_text(
        text.replace("[registry]\n", "[registry]\nallow-remote-refs = true\n", 1),
        encoding="utf-8",
    )


def add_remote_v3(project: Path, url: str) -> None:
    """v3 of OrderCreated: v2 with the currency's schema at ``url`` (what the server answers
    drops USD and GBP: a break under FULL that only a fetch finds)."""
    folder = project / ORDER_CREATED
    document = json.loads((folder / "v2.json").read_text(encoding="utf-8"))
    detail = document["components"]["schemas"]["OrderCreated"]
    detail["properties"]["currency"] = {"$ref": url}
    document["info"]["version"] = "3.0.0"
    (folder / "v3.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def test_a_pr_turning_on_remote_refs_is_k110(tmp_path: Path, cli: CliRunner) -> None:
    repo = make_repo(tmp_path / "repo")
    allow_remote_refs(repo)

    result = cli(["check", "--against", "main"], repo)

    assert result.code == 1, result.both
    line = line_of(repo / CONFIG, "allow-remote-refs = true")
    assert f"{CONFIG}:{line}: K110 security-setting-changed" in result.out, result.out
    assert "[registry] allow-remote-refs false -> true" in result.out


def test_the_check_of_a_pr_turning_on_remote_refs_fetches_nothing(
    tmp_path: Path, cli: CliRunner, recorder: Recorder
) -> None:
    repo = make_repo(tmp_path / "repo")
    allow_remote_refs(repo)
    add_remote_v3(repo, recorder.url)

    result = cli(["check", "--against", "main"], repo)

    assert recorder.paths == []
    assert result.code == 2, result.both
    assert "Traceback" not in result.both and len(result.err.strip().splitlines()) == 1
    assert f"remote $ref {recorder.url!r} refused" in result.err
    assert "the base ref has allow-remote-refs off" in result.err and "K110" in result.err


def test_a_k110_waiver_lets_the_pr_merge_but_its_check_still_fetches_nothing(
    tmp_path: Path, cli: CliRunner, recorder: Recorder
) -> None:
    repo = make_repo(tmp_path / "repo")
    allow_remote_refs(repo)
    (repo / "eventcontracts-waivers.toml").write_text(
        '[[waiver]]\nschema = "*"\nrule = "K110"\n'
        'reason = "Schemas from the partner portal, reviewed in SEC-7."\nexpires = 2999-12-31\n',
        encoding="utf-8",
    )

    result = cli(["check", "--against", "main"], repo)

    assert result.code == 0, result.both
    assert "waived K110" in result.out
    assert recorder.paths == []


def test_with_remote_refs_on_at_the_base_the_check_reads_them(
    tmp_path: Path, cli: CliRunner, recorder: Recorder
) -> None:
    repo = make_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "main")
    allow_remote_refs(repo)
    git(repo, "commit", "-qam", "remote refs reviewed")
    git(repo, "checkout", "-qB", "pr", "main")
    add_remote_v3(repo, recorder.url)

    result = cli(["check", "--against", "main"], repo)

    assert recorder.paths and set(recorder.paths) == {"/currency.json"}
    assert "K110" not in result.out
    assert result.code == 1 and "detail.currency" in result.out, result.both


def test_sample_follows_allow_remote_refs(
    example_project: Path, cli: CliRunner, recorder: Recorder
) -> None:
    add_remote_v3(example_project, recorder.url)
    refused = cli(["sample", "OrderCreated", "--version", "3"], example_project)
    assert refused.code == 2 and "allow-remote-refs" in refused.err, refused.both
    assert recorder.paths == []

    allow_remote_refs(example_project)
    result = cli(["sample", "OrderCreated", "--version", "3"], example_project)

    assert result.code == 0, result.both
    assert json.loads(result.out)["detail"]["currency"] == "EUR"
    assert recorder.paths and set(recorder.paths) == {"/currency.json"}
