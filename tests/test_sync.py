"""Sync against the emulator, driven by the real boto3 client over HTTP."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE_REGISTRY
from eventcontracts.emulator import Emulator, Faults
from eventcontracts.registry import load_registry
from eventcontracts.sync.apply import apply
from eventcontracts.sync.client import schemas_client
from eventcontracts.sync.plan import plan

NAME = "mycompany-events"


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator() as running:
        yield running


@pytest.fixture
def registry_root(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(EXAMPLE_REGISTRY, root)
    return root


def client_for(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    return schemas_client(region="us-east-1", endpoint_url=emulator.endpoint_url)


def writes(client: Any) -> list[str]:
    """Count the write calls a client makes (a botocore hook: observes, changes nothing)."""
    made: list[str] = []

    def record(model: Any, **_: Any) -> None:
        if not model.name.startswith(("Describe", "List", "Search", "Export")):
            made.append(model.name)

    client.meta.events.register("before-call.schemas.*", record)
    return made


def remote_versions(client: Any, schema: str) -> list[str]:
    versions = client.list_schema_versions(RegistryName=NAME, SchemaName=schema)["SchemaVersions"]
    return sorted(v["SchemaVersion"] for v in versions)


def test_first_sync_creates_everything_and_a_second_plan_has_nothing_to_do(
    emulator: Emulator, registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(emulator, monkeypatch)
    registry = load_registry(registry_root)
    first = plan(registry, NAME, client)
    assert first.writes[0].kind == "create-registry"
    assert len(first.writes) == 1 + 11  # the registry and every version
    apply(first, client)
    assert remote_versions(client, "com.mycompany.orders@OrderCreated") == ["1", "2"]

    made = writes(client)
    second = plan(load_registry(registry_root), NAME, client)
    assert second.actions == [] and second.drift == [] and second.unchanged == 9
    assert made == []
    assert second.reads <= 3  # the registry, one page of schemas: no per-schema reads


def test_a_new_local_version_syncs_as_the_next_remote_version(
    emulator: Emulator, registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(emulator, monkeypatch)
    apply(plan(load_registry(registry_root), NAME, client), client)
    folder = registry_root / "com.mycompany.orders" / "OrderCreated"
    document = json.loads((folder / "v2.json").read_text())
    document["components"]["schemas"]["OrderCreated"]["properties"]["note"] = {"type": "string"}
    (folder / "v3.json").write_text(json.dumps(document, indent=2))

    made = writes(client)
    next_plan = plan(load_registry(registry_root), NAME, client)
    assert [(a.schema, a.version) for a in next_plan.writes] == [
        ("com.mycompany.orders@OrderCreated", 3)
    ]
    apply(next_plan, client)
    assert made == ["UpdateSchema", "TagResource"]
    assert remote_versions(client, "com.mycompany.orders@OrderCreated") == ["1", "2", "3"]


def test_remote_drift_is_reported_not_overwritten(
    emulator: Emulator, registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(emulator, monkeypatch)
    apply(plan(load_registry(registry_root), NAME, client), client)
    client.update_schema(
        RegistryName=NAME,
        SchemaName="com.mycompany.orders@OrderShipped",
        Type="OpenApi3",
        Content=json.dumps({"openapi": "3.0.0", "info": {"title": "x", "version": "1"}}),
    )
    client.create_schema(
        RegistryName=NAME, SchemaName="someone.else@Thing", Type="JSONSchemaDraft4", Content="{}"
    )
    result = plan(load_registry(registry_root), NAME, client)
    assert result.writes == []
    assert any("OrderShipped: remote version 2 matches no local version" in d for d in result.drift)
    assert any("someone.else@Thing: on the registry, not in git" in d for d in result.drift)


@pytest.mark.parametrize(
    "faults",
    [Faults(throttle_every=3), Faults(fail_every=4), Faults(drop_every=5)],
    ids=["throttled", "500s", "dropped connections"],
)
def test_an_apply_interrupted_by_faults_and_run_again_ends_with_exactly_the_right_versions(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch, faults: Faults
) -> None:
    with Emulator(faults=faults) as faulty:
        client = client_for(faulty, monkeypatch)
        writer = schemas_client(region="us-east-1", endpoint_url=faulty.endpoint_url, retries=False)
        for _ in range(5):  # retries absorb most faults; a run not complete is run again
            result = apply(
                plan(load_registry(registry_root), NAME, client),
                client,
                writer=writer,
                sleep=lambda _: None,
            )
            if result.complete:
                break
        final = plan(load_registry(registry_root), NAME, client)
        assert final.actions == [] and final.drift == []
        # None lost, none duplicated: every schema has exactly its local versions, in order.
        for name, schema in load_registry(registry_root).schemas.items():
            expected = [str(version.version) for version in schema.versions]
            assert remote_versions(client, name) == expected, name


def _event_schema(source: str, name: str, extra: dict[str, Any]) -> str:
    detail = {"type": "object", "properties": {"id": {"type": "string"}, **extra}}
    return json.dumps(
        {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "x-amazon-events-source": source,
            "x-amazon-events-detail-type": name,
            "type": "object",
            "properties": {"detail": {"$ref": f"#/definitions/{name}"}},
            "definitions": {name: detail},
        }
    )


def test_pull_recreates_three_schemas_of_three_versions_that_lint_accepts(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    client = client_for(emulator, monkeypatch)
    client.create_registry(RegistryName="team-registry")
    for name in ("ThingCreated", "ThingShipped", "ThingDeleted"):
        for version in range(1, 4):
            extra = {f"field{n}": {"type": "string"} for n in range(version)}
            content = _event_schema("com.team.things", name, extra)
            call = client.create_schema if version == 1 else client.update_schema
            call(
                RegistryName="team-registry",
                SchemaName=f"com.team.things@{name}",
                Type="JSONSchemaDraft4",
                Content=content,
            )
    project = tmp_path / "adopter"
    project.mkdir()
    (project / "eventcontracts.toml").write_text('[registry]\nname = "team-registry"\n')
    (project / "registry").mkdir()
    pulled = cli(["pull", "--endpoint-url", emulator.endpoint_url], project)
    assert pulled.code == 0, pulled.both
    files = sorted(p.relative_to(project).as_posix() for p in project.rglob("v*.json"))
    assert len(files) == 9 and "registry/com.team.things/ThingShipped/v3.json" in files
    linted = cli(["lint"], project)
    assert linted.code == 0, linted.both
    again = cli(["pull", "--endpoint-url", emulator.endpoint_url], project)
    assert "0 files written, 9 already there" in again.out
    status = cli(["status", "--endpoint-url", emulator.endpoint_url], project)
    assert (
        status.code == 0
        and "com.team.things@ThingCreated: 3 local versions not synced" not in status.out
    )


PARTNER_SOURCE = "aws.partner/zendesk.com/123/default"
PARTNER_FOLDER = "aws.partner%2Fzendesk.com%2F123%2Fdefault"


def test_a_partner_source_round_trips_lint_sync_and_pull(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    # Written by hand under its encoded folder, linted, synced under its real source's name,
    # pulled into an empty project: the same file comes back to the same folder.
    project = tmp_path / "team"
    (project / "registry" / PARTNER_FOLDER / "TicketCreated").mkdir(parents=True)
    (project / "eventcontracts.toml").write_text('[registry]\nname = "partner-events"\n')
    content = _event_schema(PARTNER_SOURCE, "TicketCreated", {"ticketId": {"type": "string"}})
    version = project / "registry" / PARTNER_FOLDER / "TicketCreated" / "v1.json"
    version.write_text(content)
    linted = cli(["lint"], project)
    assert linted.code == 0, linted.both

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    synced = cli(["sync", "apply", "--yes", "--endpoint-url", emulator.endpoint_url], project)
    assert synced.code == 0, synced.both
    client = client_for(emulator, monkeypatch)
    names = [s["SchemaName"] for s in client.list_schemas(RegistryName="partner-events")["Schemas"]]
    assert names == [f"{PARTNER_SOURCE}@TicketCreated"]

    adopter = tmp_path / "adopter"
    (adopter / "registry").mkdir(parents=True)
    (adopter / "eventcontracts.toml").write_text('[registry]\nname = "partner-events"\n')
    pulled = cli(["pull", "--endpoint-url", emulator.endpoint_url], adopter)
    assert pulled.code == 0, pulled.both
    pulled_file = adopter / "registry" / PARTNER_FOLDER / "TicketCreated" / "v1.json"
    assert json.loads(pulled_file.read_text()) == json.loads(content)
    assert cli(["lint"], adopter).code == 0
    status = cli(["status", "--endpoint-url", emulator.endpoint_url], adopter)
    assert status.code == 0 and "partner-events: in sync." in status.out, status.both


def test_pull_refuses_a_schema_without_any_source_in_one_line(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    client = client_for(emulator, monkeypatch)
    client.create_registry(RegistryName="loose")
    detail_only = {"type": "object", "properties": {"id": {"type": "string"}}}
    client.create_schema(
        RegistryName="loose",
        SchemaName="JustADetail",
        Type="JSONSchemaDraft4",
        Content=json.dumps(detail_only),
    )
    project = tmp_path / "adopter"
    (project / "registry").mkdir(parents=True)
    (project / "eventcontracts.toml").write_text('[registry]\nname = "loose"\n')
    pulled = cli(["pull", "--endpoint-url", emulator.endpoint_url], project)
    assert pulled.code == 1, pulled.both  # a schema not pulled is a problem to see
    skipped = [line for line in pulled.out.splitlines() if line.startswith("  skipped")]
    assert len(skipped) == 1 and "JustADetail version 1: no event source" in skipped[0]
    assert not any((project / "registry").iterdir())


def test_deleting_remote_schemas_needs_prune_and_is_planned_first(
    emulator: Emulator, registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(emulator, monkeypatch)
    apply(plan(load_registry(registry_root), NAME, client), client)
    client.create_schema(
        RegistryName=NAME, SchemaName="someone.else@Thing", Type="JSONSchemaDraft4", Content="{}"
    )
    without = plan(load_registry(registry_root), NAME, client)
    assert without.writes == [] and without.drift == [
        "someone.else@Thing: on the registry, not in git"
    ]
    pruning = plan(load_registry(registry_root), NAME, client, prune=True)
    assert [(a.kind, a.schema) for a in pruning.writes] == [("delete-schema", "someone.else@Thing")]
    apply(pruning, client)
    names = [s["SchemaName"] for s in client.list_schemas(RegistryName=NAME)["Schemas"]]
    assert "someone.else@Thing" not in names and len(names) == 9


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["sync", "plan"], "error: AWS: no credentials found; set AWS_PROFILE"),
        (["status", "--profile", "nosuch"], "error: AWS: The config profile (nosuch)"),
        (["pull"], "error: AWS: no credentials found"),
    ],
)
def test_a_missing_aws_setup_is_one_line_and_exit_2_not_an_internal_error(
    registry_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Any,
    command: list[str],
    expected: str,
) -> None:
    project = registry_root.parent
    (project / "eventcontracts.toml").write_text("[registry]\n")
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                     "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):  # fmt: skip
        monkeypatch.delenv(variable, raising=False)
    nowhere = str(project / "no-aws-files")
    monkeypatch.setenv("AWS_CONFIG_FILE", nowhere)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", nowhere)
    # No instance metadata lookups: they would wait on a network that is not there.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # Port 9 (discard) is never called: botocore gives up before sending without credentials.
    result = cli([*command, "--endpoint-url", "http://127.0.0.1:9"], project)
    assert result.code == 2, result.both
    assert result.err.strip().splitlines() == [result.err.strip()], result.err
    assert result.err.startswith(expected), result.err


def test_status_and_plan_exit_1_while_the_registry_differs_from_git(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    """A scheduled "is AWS in sync with git" job reads the exit code: 0 in sync, 1 not."""
    project = tmp_path / "team"
    project.mkdir()
    shutil.copytree(EXAMPLE_REGISTRY, project / "registry")
    (project / "eventcontracts.toml").write_text(f'[registry]\nname = "{NAME}"\n')
    client = client_for(emulator, monkeypatch)
    endpoint = ["--endpoint-url", emulator.endpoint_url, "--region", "us-east-1"]

    def status_and_plan() -> tuple[Any, Any]:
        return cli(["status", *endpoint], project), cli(["sync", "plan", *endpoint], project)

    # Nothing synced yet: versions to write.
    status, planned = status_and_plan()
    assert status.code == 1 and f"{NAME}: differs." in status.out, status.both
    assert planned.code == 1 and "12 writes planned" in planned.out, planned.both

    assert cli(["sync", "apply", "--yes", *endpoint], project).code == 0
    status, planned = status_and_plan()
    assert status.code == 0 and f"{NAME}: in sync." in status.out, status.both
    assert planned.code == 0 and "0 writes planned, 9 schemas unchanged" in planned.out

    # Someone edits the registry by hand: drift, nothing to write.
    client.create_schema(
        RegistryName=NAME, SchemaName="someone.else@Thing", Type="JSONSchemaDraft4", Content="{}"
    )
    status, planned = status_and_plan()
    assert status.code == 1 and "someone.else@Thing" in status.out, status.both
    assert planned.code == 1 and "0 writes planned" in planned.out and "1 drifted" in planned.out


def _project(tmp_path: Path, registry_name: str = NAME) -> Path:
    project = tmp_path / "team"
    project.mkdir()
    shutil.copytree(EXAMPLE_REGISTRY, project / "registry")
    (project / "eventcontracts.toml").write_text(f'[registry]\nname = "{registry_name}"\n')
    return project


def test_a_version_equal_to_the_one_before_but_for_formatting_is_refused_not_claimed_done(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    """The registry makes no new version of content equal to the latest, so local v2 could
    never arrive: apply printed "done: add to ... v2" on every run and exited 0."""
    project = _project(tmp_path)
    folder = project / "registry" / "com.mycompany.orders" / "OrderCancelled"
    v1 = json.loads((folder / "v1.json").read_text())
    (folder / "v2.json").write_text(json.dumps(v1, indent=4, sort_keys=True) + "\n\n")
    client = client_for(emulator, monkeypatch)
    endpoint = ["--endpoint-url", emulator.endpoint_url, "--region", "us-east-1"]
    schema = "com.mycompany.orders@OrderCancelled"
    for _ in range(2):  # the same honest answer every time
        applied = cli(["sync", "apply", "--yes", *endpoint], project)
        assert applied.code == 1, applied.both
        assert f"add to {schema}: local v2" not in applied.out
        cannot = [line for line in applied.out.splitlines() if "cannot sync" in line]
        assert cannot == [
            f"  ! cannot sync: {schema}: local v2 has the same content as v1 (the same JSON, "
            "whatever the formatting); the registry makes no new version of it, so it and the "
            "versions after it cannot be synced: make v2 a real change, or remove it"
        ], applied.out
        assert remote_versions(client, schema) == ["1"]
    status = cli(["status", *endpoint], project)
    assert status.code == 1 and "cannot sync" in status.out and f"{NAME}: differs." in status.out
    # Every other schema was synced, and is in sync.
    assert "com.mycompany.orders@OrderCreated" not in status.out
    (folder / "v2.json").unlink()
    status = cli(["status", *endpoint], project)
    assert status.code == 0, status.both


def test_pull_reports_each_schema_that_would_share_another_ones_folder(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    client = client_for(emulator, monkeypatch)
    client.create_registry(RegistryName="shared")
    for name in ("s1@Same", "s2@Same", "s3@Same"):  # all three declare source com.team
        content = _event_schema("com.team", "Same", {name[:2]: {"type": "string"}})
        client.create_schema(
            RegistryName="shared", SchemaName=name, Type="JSONSchemaDraft4", Content=content
        )
    project = tmp_path / "adopter"
    (project / "registry").mkdir(parents=True)
    (project / "eventcontracts.toml").write_text('[registry]\nname = "shared"\n')
    for _ in range(2):  # and the same on the next pull
        pulled = cli(["pull", "--endpoint-url", emulator.endpoint_url], project)
        assert pulled.code == 1, pulled.both
        skipped = [line for line in pulled.out.splitlines() if line.startswith("  skipped")]
        assert [line.split(":")[0] for line in skipped] == [
            "  skipped s2@Same",
            "  skipped s3@Same",
        ]
        assert all("registry/com.team/Same, the folder of s1@Same" in line for line in skipped)
    pulled_file = project / "registry" / "com.team" / "Same" / "v1.json"
    assert "s1" in json.loads(pulled_file.read_text())["definitions"]["Same"]["properties"]
    assert [p.name for p in pulled_file.parent.iterdir()] == ["v1.json"]


def test_pull_reports_a_local_file_that_differs_from_the_registry_and_keeps_it(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    client = client_for(emulator, monkeypatch)
    client.create_registry(RegistryName="team")
    content = _event_schema("com.team", "Thing", {})
    client.create_schema(
        RegistryName="team", SchemaName="com.team@Thing", Type="JSONSchemaDraft4", Content=content
    )
    project = tmp_path / "adopter"
    local = project / "registry" / "com.team" / "Thing" / "v1.json"
    local.parent.mkdir(parents=True)
    local.write_text('{"local": "work"}\n')
    (project / "eventcontracts.toml").write_text('[registry]\nname = "team"\n')
    pulled = cli(["pull", "--endpoint-url", emulator.endpoint_url], project)
    assert pulled.code == 1, pulled.both
    assert f"  kept {local}: differs from com.team@Thing version 1" in pulled.out
    assert "0 already there, 1 kept with other content" in pulled.out
    assert local.read_text() == '{"local": "work"}\n'


@pytest.mark.parametrize(
    "faults",
    # Throttling alike, but botocore's own backoff on the reads makes that case take 15 s.
    [Faults(fail_every=2), Faults(drop_every=2)],
    ids=["every second call a 500", "every second call dropped"],
)
def test_apply_makes_progress_when_every_second_call_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any, faults: Faults
) -> None:
    """A read then a write per attempt put every write on an even call: with every second
    call failing, no version was ever written. A write is now retried as it was sent."""
    project = _project(tmp_path)
    with Emulator(faults=faults) as faulty:
        endpoint = ["--endpoint-url", faulty.endpoint_url, "--region", "us-east-1"]
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
        applied = cli(["sync", "apply", "--yes", *endpoint], project)
        assert applied.code == 0, applied.both
        assert "  not done:" not in applied.out
        assert "21 of 21 actions done, 0 not done." in applied.out, applied.out
        client = client_for(faulty, monkeypatch)
        for name, schema in load_registry(project / "registry").schemas.items():
            expected = [str(version.version) for version in schema.versions]
            assert remote_versions(client, name) == expected, name
        status = cli(["status", *endpoint], project)
        assert status.code == 0 and f"{NAME}: in sync." in status.out, status.both


def test_a_write_the_registry_refuses_is_not_done_and_the_others_go_on(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    project = _project(tmp_path)
    # A source with a space: a valid EventBridge source, a schema name the emulator refuses.
    source = "com.my company"
    folder = project / "registry" / "com.my%20company" / "Thing"
    folder.mkdir(parents=True)
    (folder / "v1.json").write_text(_event_schema(source, "Thing", {}))
    endpoint = ["--endpoint-url", emulator.endpoint_url, "--region", "us-east-1"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    applied = cli(["sync", "apply", "--yes", *endpoint], project)
    assert applied.code == 1, applied.both
    not_done = [line for line in applied.out.splitlines() if "not done:" in line]
    schema = f"{source}@Thing"
    assert not_done == [
        f"  not done: create {schema}: local v1: reading the registry failed: "
        f"BadRequestException (400): Invalid schema name {schema!r}: 1 to 385 characters, "
        "no whitespace",
        f"  not done: tag {schema} as synced: an earlier write of it was not done",
    ], applied.out
    assert "21 of 23 actions done, 2 not done." in applied.out
    assert "run 'eventcontracts sync apply' again: it resumes where this run stopped" in applied.out
    client = client_for(emulator, monkeypatch)
    names = {s["SchemaName"] for s in client.list_schemas(RegistryName=NAME)["Schemas"]}
    assert len(names) == 9 and schema not in names


@pytest.mark.parametrize(
    ("faults", "calls", "why"),
    [
        (
            Faults(deny_every=1),
            1,
            "AccessDeniedException (403): Injected fault: not authorized",
        ),
        (
            Faults(throttle_every=1),
            8,
            "8 attempts failed, the last with TooManyRequestsException (429): "
            "Injected fault: rate exceeded",
        ),
    ],
    ids=["access denied: one call", "throttled: every attempt"],
)
def test_a_write_is_retried_only_when_another_attempt_could_succeed(
    emulator: Emulator,
    registry_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    faults: Faults,
    calls: int,
    why: str,
) -> None:
    """A role that may read the registry but not write it (the writer's emulator answers every
    call with the fault; reads go to a healthy one)."""
    client = client_for(emulator, monkeypatch)
    apply(plan(load_registry(registry_root), NAME, client), client)
    folder = registry_root / "com.mycompany.orders" / "OrderCancelled"
    v1 = json.loads((folder / "v1.json").read_text())
    v1["components"]["schemas"]["OrderCancelled"]["properties"]["note"] = {"type": "string"}
    (folder / "v2.json").write_text(json.dumps(v1))
    slept: list[float] = []
    with Emulator(faults=faults) as refusing:
        writer = schemas_client(
            region="us-east-1", endpoint_url=refusing.endpoint_url, retries=False
        )
        made = writes(writer)
        result = apply(
            plan(load_registry(registry_root), NAME, client),
            client,
            writer=writer,
            sleep=slept.append,
        )
    assert made == ["UpdateSchema"] * calls
    assert len(slept) == calls - 1 and all(0 <= s <= 5.0 for s in slept)
    update = "add to com.mycompany.orders@OrderCancelled: local v2"
    assert result.done == []
    assert result.not_done == [
        f"{update}: {why}",
        "tag com.mycompany.orders@OrderCancelled as synced: an earlier write of it was not done",
    ]


def _nested(levels: int) -> str:
    """A JSON document nested ``levels`` deep: past Python's recursion limit at ~1,000."""
    return '{"a":' * levels + "1" + "}" * levels


def test_pull_and_status_report_remote_content_nested_too_deep_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    # The emulator refuses such content from a client; the registry on AWS may hold it, so it
    # is written into the emulator's state file and the emulator started again from it.
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as emulator:
        client = client_for(emulator, monkeypatch)
        client.create_registry(RegistryName="team")
        for name in ("Deep", "Fine"):
            client.create_schema(
                RegistryName="team",
                SchemaName=f"com.team@{name}",
                Type="JSONSchemaDraft4",
                Content=_event_schema("com.team", name, {}),
            )
    saved = json.loads(state.read_text())
    saved["registries"]["team"]["schemas"]["com.team@Deep"]["versions"][0]["content"] = _nested(
        1500
    )
    state.write_text(json.dumps(saved))
    project = tmp_path / "adopter"
    (project / "registry").mkdir(parents=True)
    (project / "eventcontracts.toml").write_text('[registry]\nname = "team"\n')

    with Emulator(state_file=state) as emulator:
        client_for(emulator, monkeypatch)
        pulled = cli(["pull", "--endpoint-url", emulator.endpoint_url], project)
        assert pulled.code == 1, pulled.both
        assert "Traceback" not in pulled.both and "internal error" not in pulled.both
        skipped = [line for line in pulled.out.splitlines() if line.startswith("  skipped")]
        assert len(skipped) == 1 and "com.team@Deep version 1: " in skipped[0], pulled.out
        assert (project / "registry" / "com.team" / "Fine" / "v1.json").exists()

        status = cli(["status", "--endpoint-url", emulator.endpoint_url], project)
        assert status.code == 1 and "internal error" not in status.both, status.both


def test_pull_keeps_a_local_file_nested_too_deep_to_compare_and_reports_it(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    client = client_for(emulator, monkeypatch)
    client.create_registry(RegistryName="team")
    client.create_schema(
        RegistryName="team",
        SchemaName="com.team@Thing",
        Type="JSONSchemaDraft4",
        Content=_event_schema("com.team", "Thing", {}),
    )
    project = tmp_path / "adopter"
    local = project / "registry" / "com.team" / "Thing" / "v1.json"
    local.parent.mkdir(parents=True)
    local.write_text(_nested(1500))
    (project / "eventcontracts.toml").write_text('[registry]\nname = "team"\n')
    pulled = cli(["pull", "--endpoint-url", emulator.endpoint_url], project)
    assert pulled.code == 1, pulled.both
    assert f"  kept {local}: differs from com.team@Thing version 1" in pulled.out
    assert local.read_text() == _nested(1500)


def test_a_schema_named_without_source_pulls_and_syncs_back_to_the_same_name(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    # A registry filled by hand names a schema "OrderCreated"; its content declares the source.
    # Pull files it under that source; sync must then find it there, not create a second
    # schema "com.shop@OrderCreated" and call the original drift.
    client = client_for(emulator, monkeypatch)
    client.create_registry(RegistryName="shop")
    for version in range(1, 3):
        extra = {f"field{n}": {"type": "string"} for n in range(version)}
        call = client.create_schema if version == 1 else client.update_schema
        call(
            RegistryName="shop",
            SchemaName="OrderCreated",
            Type="JSONSchemaDraft4",
            Content=_event_schema("com.shop", "OrderCreated", extra),
        )
    project = tmp_path / "adopter"
    (project / "registry").mkdir(parents=True)
    (project / "eventcontracts.toml").write_text('[registry]\nname = "shop"\n')
    endpoint = ["--endpoint-url", emulator.endpoint_url, "--region", "us-east-1"]
    pulled = cli(["pull", *endpoint], project)
    assert pulled.code == 0, pulled.both
    folder = project / "registry" / "com.shop" / "OrderCreated"
    assert sorted(p.name for p in folder.iterdir()) == ["v1.json", "v2.json"]

    planned = cli(["sync", "plan", *endpoint], project)
    assert planned.code == 0, planned.both
    assert "0 writes planned" in planned.out and "0 drifted" in planned.out, planned.both

    # A new local version goes to the schema pull read it from, and is the only one there.
    (folder / "v3.json").write_text(
        _event_schema("com.shop", "OrderCreated", {"a": {}, "b": {}, "c": {"type": "string"}})
    )
    applied = cli(["sync", "apply", "--yes", *endpoint], project)
    assert applied.code == 0, applied.both
    assert "add to OrderCreated: local v3" in applied.out, applied.both
    names = [s["SchemaName"] for s in client.list_schemas(RegistryName="shop")["Schemas"]]
    assert names == ["OrderCreated"]
    assert remote_versions_in(client, "shop", "OrderCreated") == ["1", "2", "3"]
    status = cli(["status", *endpoint], project)
    assert status.code == 0 and "shop: in sync." in status.out, status.both


def remote_versions_in(client: Any, registry: str, schema: str) -> list[str]:
    versions = client.list_schema_versions(RegistryName=registry, SchemaName=schema)
    return sorted(v["SchemaVersion"] for v in versions["SchemaVersions"])


def test_pull_takes_the_schema_sync_writes_to_when_two_would_share_a_folder(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    # What an older pull-then-sync left behind: "OrderCreated" and its duplicate
    # "com.shop@OrderCreated". Pull and sync must pick the same one: the one sync names.
    client = client_for(emulator, monkeypatch)
    client.create_registry(RegistryName="shop")
    for name, field_name in (("OrderCreated", "old"), ("com.shop@OrderCreated", "new")):
        client.create_schema(
            RegistryName="shop",
            SchemaName=name,
            Type="JSONSchemaDraft4",
            Content=_event_schema("com.shop", "OrderCreated", {field_name: {"type": "string"}}),
        )
    project = tmp_path / "adopter"
    (project / "registry").mkdir(parents=True)
    (project / "eventcontracts.toml").write_text('[registry]\nname = "shop"\n')
    endpoint = ["--endpoint-url", emulator.endpoint_url, "--region", "us-east-1"]
    pulled = cli(["pull", *endpoint], project)
    assert pulled.code == 1, pulled.both
    assert (
        "skipped OrderCreated: maps to registry/com.shop/OrderCreated, the folder of "
        "com.shop@OrderCreated" in pulled.out
    ), pulled.both
    written = json.loads((project / "registry/com.shop/OrderCreated/v1.json").read_text())
    assert "new" in written["definitions"]["OrderCreated"]["properties"]
    planned = cli(["sync", "plan", *endpoint], project)
    assert "0 writes planned" in planned.out, planned.both
    assert "drift: OrderCreated: on the registry, not in git" in planned.out, planned.both
