"""The command line: ``eventcontracts`` (alias ``evc``).

Exit codes everywhere: 0 ok, 1 a check found a problem, 2 the input or the usage is wrong.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from eventcontracts.config import MODES, Config
from eventcontracts.errors import EventContractsError
from eventcontracts.findings import printable
from eventcontracts.lint.settings import load_checked_config
from eventcontracts.version import __version__
from eventcontracts.wording import plural

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2

# --format of every checking command (lint, check, rules check, compat): the formats of
# eventcontracts.diagnostics. Spelled out here so that --help needs no import of them.
_FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github", "junit", "markdown", "sarif"]),
    default="text",
    show_default=True,
    help="text for people; json for programs; github annotations; junit, markdown (PR "
    "comment) and sarif for CI systems.",
)


class _Context:
    def __init__(self, config_path: Path | None) -> None:
        self.config_path = config_path

    def config(self, registry: Path | None = None) -> Config:
        config = load_checked_config(self.config_path)
        if registry is not None:
            config = dataclasses.replace(config, registry_path=registry.resolve())
        return config


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Run 'eventcontracts COMMAND --help' for a command's options and an example.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The settings file. Default: the nearest eventcontracts.toml above the working folder.",
)
@click.version_option(__version__, prog_name="eventcontracts")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """Event schemas as the contract between services on Amazon EventBridge.

    Keep versioned event schemas in git under registry/<source>/<Name>/v<N>.json, and let
    eventcontracts lint them, block breaking changes, generate typed code and sync them to the
    EventBridge Schema Registry.

    \b
    Example:
      eventcontracts init            # adopt the tool in this repository
      eventcontracts lint            # check every schema and sample event
    """
    ctx.obj = _Context(config_path)


@cli.command()
@_FORMAT_OPTION
@click.option(
    "--registry",
    type=click.Path(file_okay=False, path_type=Path),
    help="Lint this registry folder instead of the one eventcontracts.toml names.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes to check with. Default: one per CPU core.",
)
@click.pass_obj
def lint(obj: _Context, output_format: str, registry: Path | None, jobs: int | None) -> None:
    """Check that every schema, version and sample event of the registry is well formed.

    Each document must be valid OpenAPI 3.0 or JSON Schema, name its source and detail-type
    (the same in every version), live in the folder of its source, resolve every $ref, and fit
    EventBridge's limits; versions run 1, 2, 3, ... and every sample event validates.
    Exit 0: no problems; 1: problems found; 2: the registry or config cannot be read.

    \b
    Example:
      eventcontracts lint
      eventcontracts lint --format json > lint.json
    """
    from eventcontracts import diagnostics
    from eventcontracts.lint.report import as_report
    from eventcontracts.lint.runner import lint as run_lint

    config = obj.config(registry)
    result = run_lint(config, jobs=jobs)
    prefix = diagnostics.files_prefix(output_format, config.root)
    diagnostics.write(as_report(result, prefix), output_format)
    sys.exit(EXIT_OK if result.ok else EXIT_PROBLEMS)


@cli.command()
@click.option(
    "--against",
    metavar="GIT_REF",
    help="Compare with the registry where this branch left GIT_REF (their merge base), "
    "e.g. origin/main.",
)
@_FORMAT_OPTION
@click.option(
    "--registry", type=click.Path(file_okay=False, path_type=Path), help="Registry folder."
)
@click.pass_obj
def check(obj: _Context, against: str | None, output_format: str, registry: Path | None) -> None:
    """The CI gate: fail when a change to the registry would break a consumer.

    New versions of every schema are checked against earlier ones in the schema's mode and
    policy (eventcontracts.toml); with --against, only schemas changed since that git ref are
    read, and published versions must stay as they were, events keep their source and
    detail-type, and schemas are not removed. With [rules] paths, the bus rules that target
    the schemas checked (and those of changed rule files) must still route (P101-P105).
    Accepted breaks are listed, with a reason and an expiry date, in
    eventcontracts-waivers.toml. Exit 0: no breaking change; 1: breaking changes; 2: the
    registry, the config, a rule file or the git ref cannot be read.

    \b
    Example:
      eventcontracts check --against origin/main
      eventcontracts check --against origin/main --format github
    """
    from eventcontracts.check.report import write
    from eventcontracts.check.runner import check as run_check

    result = run_check(obj.config(registry), against=against)
    write(result, output_format)
    sys.exit(EXIT_OK if result.ok else EXIT_PROBLEMS)


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the generated package. Default: [codegen] out, or generated/.",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 listing what differs when the generated package is stale.",
)
@click.pass_obj
def generate(obj: _Context, out: Path | None, check_only: bool) -> None:
    """Generate the typed package services import: models, producers, consumers.

    One module per schema version (pydantic models of the detail, with SOURCE, DETAIL_TYPE,
    SCHEMA_NAME and SCHEMA_VERSION, and the typed envelope), one subpackage per source with a
    publish() typed to its events (none for aws.* sources), a py.typed marker and a
    pyproject.toml. A source's subpackage is the whole source as one identifier
    (com_mycompany_orders) unless [codegen.modules] names it. With [codegen.typescript], a
    TypeScript package of the same events too, in its own folder (--out is the Python
    package's). The output is the same byte for byte on every run; --check is what CI runs and
    covers both.

    \b
    Example:
      eventcontracts generate
      eventcontracts generate --check
    """
    from eventcontracts.codegen import PackageSettings, start_workers
    from eventcontracts.codegen import generate as run_generate
    from eventcontracts.registry.loader import check_registry_folder

    config = obj.config()
    check_registry_folder(config.registry_path)
    settings = PackageSettings(
        package=config.codegen.package,
        distribution=config.codegen.distribution,
        enums=config.codegen.enums,
        modules=config.codegen.modules,
        field_names=config.codegen.field_names,
    )
    target = out or config.root / config.codegen.out
    # A worker starts first: it loads the model generator while the registry is read.
    with start_workers() or contextlib.nullcontext() as pool:
        result = run_generate(
            config.registry_path,
            target,
            settings,
            check=check_only,
            pool=pool,
            display_base=config.root,
            allow_remote_refs=config.allow_remote_refs,
        )
    typescript = _generate_typescript(config, check_only)
    if check_only:
        for line in result.stale:
            click.echo(line)
        if result.up_to_date:
            click.echo(f"{target}: up to date.")
        else:
            click.echo(f"{target} is stale: run 'eventcontracts generate'.", err=True)
        up_to_date = result.up_to_date
        if typescript is not None:
            ts_settings, ts_target, ts_result = typescript
            for line in ts_result.stale:
                kind, _, relative = line.partition(": ")
                click.echo(f"{kind}: {ts_settings.out}/{relative}")
            if ts_result.up_to_date:
                click.echo(f"{ts_target}: up to date.")
            else:
                click.echo(f"{ts_target} is stale: run 'eventcontracts generate'.", err=True)
            up_to_date = up_to_date and ts_result.up_to_date
        sys.exit(EXIT_OK if up_to_date else EXIT_PROBLEMS)
    click.echo(
        f"{target}: {plural(len(result.written), 'file')} written, {len(result.removed)} removed "
        f"(package {settings.package})."
    )
    if typescript is not None:
        ts_settings, ts_target, ts_result = typescript
        click.echo(
            f"{ts_target}: {plural(len(ts_result.written), 'file')} written, "
            f"{len(ts_result.removed)} removed (TypeScript package {ts_settings.package})."
        )


def _generate_typescript(config: Config, check_only: bool) -> tuple[Any, Path, Any] | None:
    """The TypeScript package too, when ``[codegen.typescript]`` asks for it: its folder and
    what was written (or, checking, what differs)."""
    settings = config.codegen.typescript
    if settings is None:
        return None
    from eventcontracts.codegen.typescript import TypeScriptSettings, generate_typescript

    target = config.root / settings.out
    result = generate_typescript(
        config.registry_path,
        target,
        TypeScriptSettings(
            package=settings.package, module=settings.module, modules=config.codegen.modules
        ),
        check=check_only,
        display_base=config.root,
        allow_remote_refs=config.allow_remote_refs,
    )
    return settings, target, result


@cli.group()
def sync() -> None:
    """Bring the EventBridge Schema Registry to the versions in git (plan, then apply).

    \b
    Example:
      eventcontracts sync plan --endpoint-url http://127.0.0.1:4599
      eventcontracts sync apply --yes
    """


def _aws_options(function: F) -> F:
    """--region, --profile and --endpoint-url, as every command that talks to AWS takes them."""
    for option in reversed(
        [
            click.option("--region", help="AWS region. Default: the profile's, else us-east-1."),
            click.option("--profile", help="AWS profile."),
            click.option(
                "--endpoint-url", help="Another endpoint, e.g. the emulator's or a moto server's."
            ),
        ]
    ):
        function = option(function)
    return function


def _sync_options(function: F) -> F:
    option = click.option(
        "--registry-name", help="Default: [registry] name in eventcontracts.toml."
    )
    return option(_aws_options(function))


def _sync_plan(obj: _Context, registry_name: str | None, region: str | None, profile: str | None,
               endpoint_url: str | None, prune: bool = False) -> tuple[Any, Any]:  # fmt: skip
    from eventcontracts.registry.loader import load_project_registry
    from eventcontracts.sync.client import schemas_client
    from eventcontracts.sync.plan import plan

    config = obj.config()
    registry = load_project_registry(config)
    client = schemas_client(region=region, profile=profile, endpoint_url=endpoint_url)
    return plan(registry, registry_name or config.registry_name, client, prune=prune), client


def _print_plan(result: Any) -> None:
    for action in result.writes:
        mark = "-" if action.kind == "delete-schema" else "+"
        click.echo(f"  {mark} {action.describe()}")
    for line in result.drift:
        click.echo(click.style(f"  ! drift: {line}", fg="yellow"))
    for line in result.problems:
        click.echo(click.style(f"  ! cannot sync: {line}", fg="red"))
    cannot = f", {len(result.problems)} cannot be synced" if result.problems else ""
    click.echo(
        f"{plural(len(result.writes), 'write')} planned, "
        f"{plural(result.unchanged, 'schema')} unchanged, {len(result.drift)} drifted{cannot} "
        f"({plural(result.reads, 'read')})."
    )


def _differs(result: Any) -> bool:
    """Git and the registry differ: writes to make, drift, or local versions that cannot be
    synced (tag-only actions are not a difference)."""
    return bool(result.writes or result.drift or result.problems)


@sync.command("plan")
@_sync_options
@click.option("--prune", is_flag=True, help="Plan deleting remote schemas git does not have.")
@click.pass_obj
def sync_plan(obj: _Context, registry_name: str | None, region: str | None,
              profile: str | None, endpoint_url: str | None, prune: bool) -> None:  # fmt: skip
    """Show what apply would write, and what drifted. Writes nothing.

    Exit 0: the registry is in sync with git; 1: apply has writes to make or drift was found
    (a scheduled job can alert on it); 2: the configuration or AWS cannot be read.

    \b
    Example:
      eventcontracts sync plan --endpoint-url http://127.0.0.1:4599
    """
    result, _ = _sync_plan(obj, registry_name, region, profile, endpoint_url, prune)
    _print_plan(result)
    sys.exit(EXIT_PROBLEMS if _differs(result) else EXIT_OK)


@sync.command("apply")
@_sync_options
@click.option("--prune", is_flag=True, help="Also delete remote schemas git does not have.")
@click.option("--yes", is_flag=True, help="Apply without asking.")
@click.pass_obj
def sync_apply(obj: _Context, registry_name: str | None, region: str | None,
               profile: str | None, endpoint_url: str | None, prune: bool,
               yes: bool) -> None:  # fmt: skip
    """Create the registry and the versions git has and the registry lacks, in order.

    Safe to run again after any failure: each schema is tagged as synced only when all its
    versions are there. Drift is reported, never overwritten. A write that keeps failing is
    reported as not done and the other schemas go on.
    Exit 0: everything planned was done; 1: something was not done, or a local version cannot
    be synced (one equal to the version before it); 2: the configuration or AWS cannot be read.

    \b
    Example:
      eventcontracts sync apply --yes --endpoint-url http://127.0.0.1:4599
    """
    from eventcontracts.sync.apply import apply
    from eventcontracts.sync.client import schemas_client

    result, client = _sync_plan(obj, registry_name, region, profile, endpoint_url, prune)
    _print_plan(result)
    if not result.actions:
        sys.exit(EXIT_PROBLEMS if result.problems else EXIT_OK)
    if not yes and not click.confirm("Apply these writes?", default=False):
        raise click.exceptions.Abort()
    writer = schemas_client(
        region=region, profile=profile, endpoint_url=endpoint_url, retries=False
    )
    applied = apply(result, client, writer=writer)
    for line in applied.done:
        click.echo(f"  done: {line}")
    for line in applied.not_done:
        click.echo(click.style(f"  not done: {line}", fg="red"))
    left = f"; {len(result.problems)} cannot be synced" if result.problems else ""
    click.echo(
        f"{len(applied.done)} of {plural(len(result.actions), 'action')} done, "
        f"{len(applied.not_done)} not done{left}."
        + (
            " Fix what they say (or wait out the failures) and run 'eventcontracts sync apply' "
            "again: it resumes where this run stopped."
            if applied.not_done
            else ""
        )
    )
    sys.exit(EXIT_PROBLEMS if applied.not_done or result.problems else EXIT_OK)


@cli.command()
@_sync_options
@click.pass_obj
def pull(obj: _Context, registry_name: str | None, region: str | None,
         profile: str | None, endpoint_url: str | None) -> None:  # fmt: skip
    """Import a Schema Registry's schemas into registry/ as versioned files.

    Every version becomes registry/<source>/<Name>/v<N>.json; existing files are never
    overwritten. Adopt the tool from the schemas a team already has, e.g. discovered-schemas.
    Exit 0: every version is in its file; 1: something was skipped (no event source, not
    JSON, two schemas that would share a folder) or a local file differs, a line each.

    \b
    Example:
      eventcontracts pull --registry-name discovered-schemas
    """
    from eventcontracts.sync.client import schemas_client
    from eventcontracts.sync.pull import pull as run_pull

    config = obj.config()
    client = schemas_client(region=region, profile=profile, endpoint_url=endpoint_url)
    result = run_pull(client, registry_name or config.registry_name, config.registry_path)
    for path in result.written:
        click.echo(
            f"  wrote {path.relative_to(config.root) if path.is_relative_to(config.root) else path}"
        )
    for line in result.differing:
        click.echo(click.style(f"  kept {line}", fg="yellow"))
    for line in result.skipped:
        click.echo(click.style(f"  skipped {printable(line)}", fg="yellow"))
    differing = f", {len(result.differing)} kept with other content" if result.differing else ""
    click.echo(
        f"{plural(len(result.written), 'file')} written, {len(result.kept)} already there"
        f"{differing}, {len(result.skipped)} skipped. Next: eventcontracts lint"
    )
    sys.exit(EXIT_OK if result.complete else EXIT_PROBLEMS)


@cli.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--events", is_flag=True, help="The files are sample events, not schemas.")
@click.option("--source", help="The event source, for documents or events that do not say it.")
@click.option("--detail-type", help="The detail-type, for documents or events that do not say it.")
@click.option("--name", help="The schema's folder name. Default: the detail's name, or the title.")
@click.option(
    "--registry",
    type=click.Path(file_okay=False, path_type=Path),
    help="Import into this registry folder instead of the one eventcontracts.toml names.",
)
@click.pass_obj
def import_(obj: _Context, files: tuple[Path, ...], events: bool, source: str | None,
            detail_type: str | None, name: str | None, registry: Path | None) -> None:  # fmt: skip
    """Adopt the schemas (or sample events) a team already has, one file at a time, in order.

    Schemas: registry exports (OpenApi3, JSON Schema draft-04 to 2020-12, JSON or YAML),
    documents holding several events, and detail-only schemas (with --source/--detail-type or
    their x-amazon-events-* keys) become the next version registry/<source>/<Name>/v<N>.json,
    in the envelope the registry expects. Events (--events): envelopes, bare details (with
    --source/--detail-type) and PutEvents requests are filed under examples/v<N>/ of the newest
    version they validate against. Nothing is overwritten.
    Exit 0: all imported; 1: an event fits no version; 2: a file could not be imported.

    \b
    Example:
      eventcontracts import exported/OrderCreated-v1.json exported/OrderCreated-v2.json
      eventcontracts import detail.json --source com.example.orders --detail-type "Order Created"
      eventcontracts import --events samples/*.json
    """
    from eventcontracts.importer import file_events, import_schema_files
    from eventcontracts.importer.splitting import Given

    config = obj.config(registry)
    root = config.registry_path
    if events:
        if name:
            raise click.UsageError("--name names a schema; events are filed by what they carry")
        allow_remote_refs = config.allow_remote_refs
        filed = file_events(list(files), root, config.root, source, detail_type, allow_remote_refs)
        lines, rejected, refused = filed.lines, filed.rejected, filed.refused
    else:
        imported = import_schema_files(
            list(files), root, config.root, Given(source, detail_type, name)
        )
        lines, rejected, refused = imported.lines, [], imported.refused
    for line in lines:
        click.echo(f"  {printable(line)}")
    for line in rejected:
        click.echo(click.style(f"  rejected {printable(line)}", fg="yellow"))
    for line in refused:
        click.echo(f"error: {printable(line)}", err=True)
    click.echo(
        f"{plural(len(files), 'file')} read: {len(lines)} imported, "
        f"{len(rejected)} rejected, {len(refused)} refused. Next: eventcontracts lint"
    )
    sys.exit(EXIT_ERROR if refused else EXIT_PROBLEMS if rejected else EXIT_OK)


@cli.command()
@click.argument("events", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--registry",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write into this registry folder instead of the one eventcontracts.toml names.",
)
@click.option(
    "--enum-threshold",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="A string field with at most this many distinct values (in at least 10 samples) "
    "becomes an enum. 0: never (a value not seen yet would break the enum).",
)
@click.option(
    "--format",
    "schema_format",
    type=click.Choice(["OpenApi3", "JSONSchemaDraft4"]),
    default="OpenApi3",
    show_default=True,
    help="The format of a new schema (a next version keeps its schema's format).",
)
@click.option("--source", help="The source of bare details (captures of the detail alone).")
@click.option("--detail-type", help="The detail-type of bare details.")
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
@click.pass_obj
def infer(obj: _Context, events: tuple[Path, ...], registry: Path | None, enum_threshold: int,
          schema_format: str, source: str | None, detail_type: str | None,
          dry_run: bool) -> None:  # fmt: skip
    """Infer event schemas from captured events (EVENTS: files or folders).

    Events are read as an archive replay, a log or a bucket holds them (JSON, JSON Lines,
    concatenated JSON, PutEvents requests, CloudWatch Logs exports, .gz) and grouped by source
    and detail-type. A new event gets v1, inferred from every sample: a field is required only
    if every sample has it; formats, integer or number, enums and nullable as the samples show.
    A known event gets a candidate next version: its latest version widened by what the
    traffic shows (new fields optional, types and enums widened; never a field the traffic
    happens not to carry dropped), compared with the latest version in the schema's mode and
    policy, every break with a counterexample. Up to 5 samples are filed as its examples.
    Exit 0: written, nothing breaking; 1: a candidate breaks its mode (it is written, for the
    pull request to show), or events fit no candidate; 2: the events or the registry cannot
    be read.

    \b
    Example:
      eventcontracts infer captures/          # replayed archive, one file per hour
      eventcontracts infer events.jsonl --dry-run --enum-threshold 8
    """
    from eventcontracts.infer.report import write_text
    from eventcontracts.infer.runner import infer as run_infer
    from eventcontracts.infer.schema import Options

    config = obj.config(registry)
    options = Options(format=schema_format, enum_threshold=enum_threshold)
    result = run_infer(
        list(events), config, options, dry_run=dry_run, source=source, detail_type=detail_type
    )
    write_text(result)
    sys.exit(result.exit_code)


@cli.command()
@click.argument("events", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--registry",
    type=click.Path(file_okay=False, path_type=Path),
    help="Check against this registry folder instead of the one eventcontracts.toml names.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table per schema; json: one document for dashboards (README: drift).",
)
@click.option("--source", help="The source of bare details (events without an envelope).")
@click.option("--detail-type", help="The detail-type of bare details (with --source).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes to check with. Default: one per CPU core.",
)
@click.pass_obj
def drift(obj: _Context, events: tuple[Path, ...], registry: Path | None, output_format: str,
          source: str | None, detail_type: str | None, jobs: int | None) -> None:  # fmt: skip
    """Check captured events (an archive replayed to a log or a bucket) against the registry.

    EVENTS are files or folders: one event or an array of them (.json), JSON Lines (.jsonl,
    .ndjson), objects concatenated as Firehose writes them, PutEvents requests, CloudWatch Logs
    exports and subscription messages, gzip of any of these. Each event is matched to its
    schema by source and detail-type and checked against every version of it. Per schema: how
    many events fit each version, how many fit none (with the first error and an example), and
    fields seen in the events that no version declares. Events whose source and detail-type no
    schema has are listed as unknown: the catalog has drifted from the traffic too.
    Exit 0: every event fits a version of its schema; 1: some fit none, or have no schema;
    2: the events or the registry cannot be read.

    \b
    Example:
      eventcontracts drift captures/
      eventcontracts drift archive-replay.jsonl.gz --format json > drift.json
    """
    from eventcontracts.drift.report import as_json, as_text
    from eventcontracts.drift.run import drift as run_drift
    from eventcontracts.registry.loader import load_project_registry
    from eventcontracts.registry.resolver import Resolver

    config = obj.config(registry)
    loaded = load_project_registry(config)
    resolver = Resolver(loaded, allow_remote_refs=config.allow_remote_refs)
    report = run_drift(
        list(events),
        loaded,
        resolver,
        display_root=Path.cwd(),
        source=source,
        detail_type=detail_type,
        jobs=jobs,
    )
    click.echo(as_json(report) if output_format == "json" else as_text(report), nl=False)
    sys.exit(EXIT_OK if report.ok else EXIT_PROBLEMS)


@cli.command()
@_sync_options
@click.pass_obj
def status(obj: _Context, registry_name: str | None, region: str | None,
           profile: str | None, endpoint_url: str | None) -> None:  # fmt: skip
    """Local versus remote at a glance: what sync would do, and what drifted.

    Exit 0: in sync; 1: the registry differs from git (versions not synced, or drift);
    2: the configuration or AWS cannot be read.

    \b
    Example:
      eventcontracts status --endpoint-url http://127.0.0.1:4599
    """
    result, _ = _sync_plan(obj, registry_name, region, profile, endpoint_url)
    pending: dict[str, int] = {}
    for action in result.writes:
        if action.schema:
            pending[action.schema] = pending.get(action.schema, 0) + 1
    for schema, count in sorted(pending.items()):
        click.echo(f"  {schema}: {plural(count, 'local version')} not synced")
    for line in result.drift:
        click.echo(click.style(f"  ! {line}", fg="yellow"))
    for line in result.problems:
        click.echo(click.style(f"  ! cannot sync: {line}", fg="red"))
    # Tag-only actions (versions already there, not yet marked) are not a difference.
    differs = _differs(result)
    click.echo(f"{result.registry_name}: {'differs' if differs else 'in sync'}.")
    sys.exit(EXIT_PROBLEMS if differs else EXIT_OK)


@cli.command()
@click.argument("queue_url")
@click.option("--bus", help="Put every event on this bus. Default: the bus a fallback entry names.")
@click.option(
    "--max", "max_messages", type=click.IntRange(min=1), metavar="N", help="At most N messages."
)
@click.option("--dry-run", is_flag=True, help="Read and check the messages; change nothing.")
@_aws_options
def redrive(queue_url: str, bus: str | None, max_messages: int | None, dry_run: bool,
            region: str | None, profile: str | None, endpoint_url: str | None) -> None:  # fmt: skip
    """Put the events of a fallback or dead-letter queue back on the bus.

    Fallback messages (written by publish() when EventBridge did not accept an entry) are put
    again unchanged; whole EventBridge events (a consumer's dead-letter queue) are rebuilt as
    entries for --bus. Each keeps its eventcontracts event id, so consumers skip what they
    already handled. A message is deleted only after its entry was accepted. Exit 0 when every
    message was redriven, 1 when some stayed in the queue, 2 for an unknown queue or a message
    that is not an event.

    \b
    Example:
      eventcontracts redrive https://sqs.us-east-1.amazonaws.com/123456789012/orders-fallback
      eventcontracts redrive "$DLQ_URL" --bus orders --dry-run
    """
    from eventcontracts.aws import aws_client
    from eventcontracts.runtime import RedriveError
    from eventcontracts.runtime import redrive as redrive_queue

    # botocore's retries off: the redrive retries as publish() does.
    def client(service: str) -> Any:
        return aws_client(
            service, region=region, profile=profile, endpoint_url=endpoint_url, retries=False
        )

    try:
        summary = redrive_queue(
            queue_url, bus=bus, max_messages=max_messages, dry_run=dry_run,
            sqs_client=client("sqs"), events_client=client("events"),
        )  # fmt: skip
    except RedriveError as exc:
        raise EventContractsError(str(exc)) from None
    for line in summary.lines():
        click.echo(line)
    if summary.unreadable:
        first = summary.unreadable[0]
        raise EventContractsError(
            f"message {first.message_id} in {queue_url} cannot be redriven: {first.reason}"
        )
    sys.exit(EXIT_OK if summary.complete else EXIT_PROBLEMS)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=4599, show_default=True)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Also accept requests whose Host header names NAME (e.g. host.docker.internal); "
    "loopback names and the --host address are always accepted.",
)
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Load registries and schemas from FILE at start; save them after every write.",
)
@click.option(
    "--throttle-every",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Answer every Nth call with TooManyRequestsException (tests only).",
)
@click.option(
    "--fail-every",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Answer every Nth call with a 500 (tests only).",
)
@click.option(
    "--drop-every",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Close the connection on every Nth call without answering (tests only).",
)
def emulator(
    host: str,
    port: int,
    allow_hosts: tuple[str, ...],
    state: Path | None,
    throttle_every: int,
    fail_every: int,
    drop_every: int,
) -> None:
    """Run an offline EventBridge Schema Registry (the `schemas` API) until Ctrl-C.

    A real HTTP server speaking the API as botocore defines it, for developing and testing
    sync without an AWS account; where it knowingly differs from AWS is listed in
    eventcontracts/emulator/__init__.py. Point boto3 at it with endpoint_url. Requests from
    web pages (an Origin header) and Host names other than its own are refused.

    \b
    Example:
      eventcontracts emulator --port 4599 --state schemas-state.json
      aws schemas list-registries --endpoint-url http://127.0.0.1:4599
    """
    from eventcontracts.emulator import Faults, serve

    faults = Faults(throttle_every, fail_every, drop_every)
    serve(host, port, str(state) if state else None, faults, allow_hosts)


@cli.command()
@click.argument("old_file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--mode",
    type=click.Choice(MODES, case_sensitive=False),
    default="FULL",
    show_default=True,
    help="BACKWARD: consumers on NEW read events of OLD. FORWARD: consumers on OLD read "
    "events of NEW. FULL: both.",
)
@click.option(
    "--policy",
    type=click.Choice(["strict", "lenient"]),
    default="lenient",
    show_default=True,
    help="lenient: readers ignore properties they do not know. strict: Confluent's open "
    "content model, where an undeclared property may hold anything.",
)
@_FORMAT_OPTION
@click.option(
    "--no-counterexamples",
    is_flag=True,
    help="Skip the search for example events that prove each break.",
)
def compat(
    old_file: Path,
    new_file: Path,
    mode: str,
    policy: str,
    output_format: str,
    no_counterexamples: bool,
) -> None:
    """Is NEW_FILE a compatible next version of OLD_FILE?

    Both are EventBridge schemas (OpenApi3 or JSON Schema) or plain JSON Schemas. Every change
    is listed with its rule ID, where it is in both files and whether it breaks the mode; every
    break comes with a counterexample, an event one version accepts and the other rejects.
    Exit 0: compatible; 1: breaking; 2: a file cannot be read or is not a schema.

    \b
    Example:
      eventcontracts compat registry/com.mycompany.orders/OrderCreated/v1.json \\
                            registry/com.mycompany.orders/OrderCreated/v2.json
      eventcontracts compat old.json new.json --mode BACKWARD --policy strict --format json
    """
    from eventcontracts.compat import compare_inputs, from_file
    from eventcontracts.compat.report import write

    report = compare_inputs(
        from_file(old_file),
        from_file(new_file),
        mode=mode.upper(),
        policy=policy,
        counterexamples=not no_counterexamples,
    )
    write(report, output_format, old_file, new_file)
    sys.exit(EXIT_OK if report.compatible else EXIT_PROBLEMS)


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@click.argument("rule_id", required=False)
def explain(output_format: str, rule_id: str | None) -> None:
    """List the rules (lint L###, compatibility C###, gate K###, bus-rule patterns P###), or
    explain one.

    \b
    Example:
      eventcontracts explain
      eventcontracts explain C500
    """
    import json

    from eventcontracts.rulebook import RULEBOOK

    if rule_id is not None:
        rule = RULEBOOK.get(rule_id)
        if rule is None:
            raise EventContractsError(
                f"no rule {rule_id!r}; 'eventcontracts explain' lists them all"
            )
        if output_format == "markdown":
            click.echo(RULEBOOK.markdown_section(rule), nl=False)
        elif output_format == "json":
            click.echo(json.dumps(RULEBOOK.as_json(rule), indent=2))
        else:
            click.echo(RULEBOOK.text(rule), nl=False)
        return
    if output_format == "markdown":
        click.echo(RULEBOOK.markdown(), nl=False)
    elif output_format == "json":
        click.echo(json.dumps([RULEBOOK.as_json(rule) for rule in RULEBOOK], indent=2))
    else:
        for rule in RULEBOOK:
            click.echo(f"{rule.id}  {rule.name:<48} {rule.summary}")


@cli.group()
def rules() -> None:
    """Bus rules: check EventBridge rule patterns against the schemas they target.

    Rule files are event patterns (rules/*.json), CloudFormation/SAM templates or Terraform
    JSON; [rules] paths in eventcontracts.toml lists them (globs). The catalogs of rule IDs
    (L###, C###, K###, P###) are listed by 'eventcontracts explain'.

    \b
    Example:
      eventcontracts rules check
      eventcontracts rules test --count 50 --seed 1
    """


_RULE_PATHS = click.argument(
    "paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATHS]..."
)


@rules.command("check")
@_RULE_PATHS
@_FORMAT_OPTION
@click.pass_obj
def rules_check(obj: _Context, paths: tuple[Path, ...], output_format: str) -> None:
    """Check every bus rule against the registry schemas it targets.

    Each field a pattern names must exist in the latest version of the schemas its source and
    detail-type match (P101), each operator must fit the field's type (P102), each value must
    be one the field can hold (P103), and the pattern must target a schema (P104) and be one
    EventBridge accepts (P105). PATHS are rule files or folders; default: [rules] paths.
    Exit 0: no errors; 1: errors found; 2: a rule file, the registry or the config is unreadable.

    \b
    Example:
      eventcontracts rules check
      eventcontracts rules check infra/template.yaml --format json
    """
    from eventcontracts import diagnostics
    from eventcontracts.patterns.report import as_report
    from eventcontracts.patterns.runner import check_rules

    config = obj.config()
    result = check_rules(config, list(paths))
    prefix = diagnostics.files_prefix(output_format, config.root)
    diagnostics.write(as_report(result, prefix), output_format)
    sys.exit(EXIT_OK if result.ok else EXIT_PROBLEMS)


@rules.command("test")
@_RULE_PATHS
@click.option(
    "--count",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Events per schema version.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same events.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.pass_obj
def rules_test(obj: _Context, paths: tuple[Path, ...], count: int, seed: int,
               output_format: str) -> None:  # fmt: skip
    """Show which bus rules each event version reaches.

    For every version of every schema, COUNT sample events (its examples, then generated
    ones) run through an EventBridge pattern matcher against every rule. Rules that no event
    version reaches are flagged. Exit 0 (informational); 2: unreadable input.

    \b
    Example:
      eventcontracts rules test --count 100 --seed 7
    """
    _hypothesis_files_elsewhere()
    from eventcontracts.contract.rule_samples import samples_for
    from eventcontracts.patterns.matrix import routing_matrix
    from eventcontracts.patterns.report import render_matrix_json, render_matrix_text
    from eventcontracts.patterns.runner import load_checked_registry, read_bus_rules

    config = obj.config()
    _, bus_rules = read_bus_rules(config, list(paths))
    registry, resolver = load_checked_registry(config)
    matrix = routing_matrix(registry, bus_rules, samples_for(resolver), count=count, seed=seed)
    (render_matrix_json if output_format == "json" else render_matrix_text)(matrix)


@cli.group()
def catalog() -> None:
    """The event catalog site: every event, version, consumer and bus rule, browsable.

    A static site (HTML, CSS and a little JavaScript; no server, no network) to open from
    file:// or publish to an S3 bucket: each schema's versions as property trees with sample
    events, the differences between any two versions with their counterexamples, the consumers
    and the fields they read, the bus rules and their targets, flow drawings and a search box.

    \b
    Example:
      eventcontracts catalog build
      aws s3 sync site/ s3://my-bucket/ --delete
    """


@catalog.command("build")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site's folder (replaced as a whole). Default: [catalog] out, else site/.",
)
@click.option(
    "--registry",
    type=click.Path(file_okay=False, path_type=Path),
    help="Build the catalog of this registry folder instead of the one eventcontracts.toml names.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes to build with. Default: one per CPU core for large registries.",
)
@click.pass_obj
def catalog_build(obj: _Context, out: Path | None, registry: Path | None, jobs: int | None) -> None:
    """Write the event catalog site of the registry.

    The same registry, consumer files and rule files ([rules] paths) give the same files, byte
    for byte, so a CI job can build, diff and publish it. The folder is replaced only when it
    is empty or a catalog this command wrote. Exit 0: written; 2: the registry, a rule file or
    the config cannot be read, or --out is a folder of other files.

    \b
    Example:
      eventcontracts catalog build
      eventcontracts catalog build --out public/events
    """
    from eventcontracts.catalog.site import build_site

    config = obj.config(registry)
    folder = out if out is not None else config.root / config.catalog.out
    result = build_site(config, folder, jobs=jobs, fallback=_generated_event_fallback())
    if os.environ.get("EVENTCONTRACTS_TIMINGS"):
        for phase, seconds in result.timings.items():
            click.echo(f"timing: {phase} {seconds:.2f}s", err=True)
    click.echo(
        f"catalog: {plural(result.schemas, 'schema')}, {plural(result.versions, 'version')}, "
        f"{plural(result.rules, 'rule')} -> {_shown_path(result.out / 'index.html')}"
    )


@cli.group()
def asyncapi() -> None:
    """AsyncAPI 3.0 documents of the registry, for the tools that read AsyncAPI.

    One document per source: the bus as the channel, one message per schema version (the
    detail as the payload, the envelope as the headers), the producer's send operations, a
    receive operation per consumer file, and the bus rules under x-eventbridge.

    \b
    Example:
      eventcontracts asyncapi export
    """


@asyncapi.command("export")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="The documents' folder. Default: [asyncapi] out, else asyncapi/.",
)
@click.option(
    "--registry",
    type=click.Path(file_okay=False, path_type=Path),
    help="Export this registry folder instead of the one eventcontracts.toml names.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "yaml"]),
    default="json",
    show_default=True,
    help="<source>.asyncapi.json or <source>.asyncapi.yaml.",
)
@click.pass_obj
def asyncapi_export(
    obj: _Context, out: Path | None, registry: Path | None, output_format: str
) -> None:
    """Write one AsyncAPI 3.0 document per source of the registry.

    Each is self-contained (refs across registry files are inlined; a recursive schema is kept
    once under components.schemas) and valid against the official AsyncAPI 3.0.0 JSON Schema.
    The same registry, consumer files and rule files ([rules] paths) give the same bytes; a
    document of a source the registry no longer has is removed. The channel's address is
    [asyncapi] bus (default "default"). Exit 0: written; 2: the registry, a rule file or the
    config cannot be read, or a version cannot be exported (the line says which and why).

    \b
    Example:
      eventcontracts asyncapi export
      eventcontracts asyncapi export --out docs/asyncapi --format yaml
    """
    from eventcontracts.asyncapi.export import export

    config = obj.config(registry)
    folder = out if out is not None else config.root / config.asyncapi.out
    written = export(config, folder, output_format=output_format)
    if not written:
        click.echo(f"asyncapi: no schemas in {_shown_path(config.registry_path)}, no documents")
    for each in written:
        click.echo(
            f"wrote {_shown_path(each.path)}: {plural(each.messages, 'message')}, "
            f"{plural(each.operations, 'operation')}"
        )


@asyncapi.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--source", help="The event source, for messages and documents that do not say it.")
@click.option(
    "--registry",
    type=click.Path(file_okay=False, path_type=Path),
    help="Import into this registry folder instead of the one eventcontracts.toml names.",
)
@click.pass_obj
def asyncapi_import(
    obj: _Context, files: tuple[Path, ...], source: str | None, registry: Path | None
) -> None:
    """Adopt AsyncAPI 2.6 and 3.0 documents (JSON or YAML): each message a schema version.

    A message's x-amazon-events-source (else the document's, else --source) and
    x-amazon-events-detail-type (else its name) say which event it is; x-eventcontracts-schema
    and x-eventcontracts-version (what 'asyncapi export' writes) its schema and version, else
    its name and the next version. The payload (AsyncAPI schema, JSON Schema draft-04 to
    2020-12, or OpenAPI 3.0) becomes the detail, its $refs (in the document, or files beside
    it) resolved; the headers the envelope; its examples are filed under examples/v<N>/.
    All or nothing: anything ambiguous is one line and nothing is written.
    Exit 0: imported; 1: an example fits not its schema; 2: a document could not be imported.

    \b
    Example:
      eventcontracts asyncapi import partner/orders.asyncapi.yaml
      eventcontracts asyncapi import asyncapi/*.asyncapi.json --registry /tmp/registry
    """
    from eventcontracts.asyncapi.importing import import_asyncapi_files

    config = obj.config(registry)
    result = import_asyncapi_files(
        list(files),
        config.registry_path,
        config.root,
        source=source,
        allow_remote_refs=config.allow_remote_refs,
    )
    for line in result.lines:
        click.echo(f"  {printable(line)}")
    for line in result.rejected:
        click.echo(click.style(f"  rejected {printable(line)}", fg="yellow"))
    for line in result.refused:
        click.echo(f"error: {printable(line)}", err=True)
    click.echo(
        f"{plural(len(files), 'file')} read: {plural(len(result.written), 'version')} written, "
        f"{len(result.rejected)} rejected, {len(result.refused)} refused. "
        "Next: eventcontracts lint"
    )
    sys.exit(EXIT_ERROR if result.refused else EXIT_PROBLEMS if result.rejected else EXIT_OK)


def _generated_event_fallback() -> Callable[[Any, Any], dict[str, Any] | None]:
    """The catalog's generated event when its direct builder makes none: one realistic event
    drawn from the contract strategy (as 'eventcontracts sample' does). Built here because the
    catalog must not import contract testing (README: Architecture); hypothesis is imported
    only when a version needs it."""
    _hypothesis_files_elsewhere()

    def generate(version: Any, resolver: Any) -> dict[str, Any] | None:
        from eventcontracts.contract.strategies import strategy_for
        from eventcontracts.contract.strategies.sampling import draw_or_refuse

        target, strategy = strategy_for(
            version.schema_name, version.version, resolver.registry, kind="event", realistic=True
        )
        drawn = draw_or_refuse(target, strategy, 1, 0)
        return drawn[0] if drawn and isinstance(drawn[0], dict) else None

    return generate


def _shown_path(path: Path) -> str:
    """A path as a user types it: relative to the working folder when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@cli.command()
@click.argument("schema")
@click.option("--version", "version", type=click.IntRange(min=1), help="Default: the latest.")
@click.option("--count", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same events.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "jsonl"]),
    default="json",
    show_default=True,
    help="json: one object (an array for --count > 1); jsonl: one event per line.",
)
@click.option(
    "--registry", type=click.Path(file_okay=False, path_type=Path), help="Registry folder."
)
@click.pass_obj
def sample(
    obj: _Context,
    schema: str,
    version: int | None,
    count: int,
    seed: int,
    output_format: str,
    registry: Path | None,
) -> None:
    """Print valid sample events of a schema version, for docs, local invocation and tests.

    SCHEMA is the registry name (com.mycompany.orders@OrderCreated) or, when only one source
    has it, the bare name (OrderCreated). Every event is valid for the version, reads like
    production (the schema's examples, defaults and consts first; UUIDs, ARNs in the event's
    account and region, recent past times, region, country and currency codes by field name)
    and is the same for the same --seed.

    \b
    Example:
      eventcontracts sample OrderCreated --version 2 > event.json
      sam local invoke OrderHandler -e event.json
      eventcontracts sample com.mycompany.orders@OrderShipped --count 5 --format jsonl
    """
    import json

    from eventcontracts.contract import sample_events

    _hypothesis_files_elsewhere()

    # The Config, not its loaded registry: remote refs follow its allow-remote-refs.
    drawn = sample_events(schema, version, count=count, seed=seed, registry=obj.config(registry))
    if output_format == "jsonl":
        for event in drawn:
            click.echo(json.dumps(event, ensure_ascii=False))
    else:
        click.echo(json.dumps(drawn[0] if count == 1 else drawn, indent=2, ensure_ascii=False))


@cli.command()
@click.argument(
    "folder", type=click.Path(file_okay=False, path_type=Path), default=".", required=False
)
@click.option("--registry", default="registry", show_default=True, help="The registry folder.")
@click.option("--name", help="EventBridge Schema Registry name. Default: from the folder name.")
@click.option("--force", is_flag=True, help="Overwrite an existing eventcontracts.toml.")
def init(folder: Path, registry: str, name: str | None, force: bool) -> None:
    """Set up a repository: eventcontracts.toml and an empty registry/.

    \b
    Example:
      cd my-service-repo && eventcontracts init --name orders-events
    """
    from eventcontracts.scaffold import init_project

    for path in init_project(folder, registry=registry, name=name, force=force):
        click.echo(f"wrote {path}")
    click.echo("Next: add registry/<source>/<Name>/v1.json and run 'eventcontracts lint'.")


def _hypothesis_files_elsewhere() -> None:
    """Hypothesis caches its Unicode tables in ``./.hypothesis`` (on import already): a command
    run in a repository must not leave that behind, so it goes to the user's cache folder
    (unless HYPOTHESIS_STORAGE_DIRECTORY says where). Called before hypothesis is imported."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    os.environ.setdefault(
        "HYPOTHESIS_STORAGE_DIRECTORY", str(Path(cache) / "eventcontracts" / "hypothesis")
    )


def _aws_problem(exc: Exception) -> str | None:
    """One line for botocore failing a call (no credentials, unknown profile, endpoint down,
    access denied): the environment is wrong, not the tool. None for anything else."""
    if "botocore" not in sys.modules:  # not imported, so it cannot have raised: keep start-up light
        return None
    from botocore.exceptions import (  # type: ignore[import-untyped, unused-ignore]
        BotoCoreError,
        ClientError,
        NoCredentialsError,
        NoRegionError,
    )

    if isinstance(exc, NoCredentialsError):
        return (
            "AWS: no credentials found; set AWS_PROFILE (or --profile) or AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY (any values will do for --endpoint-url with the emulator)"
        )
    if isinstance(exc, NoRegionError):
        return "AWS: no region; pass --region or set AWS_REGION"
    if isinstance(exc, (BotoCoreError, ClientError)):
        return f"AWS: {exc}"
    return None


def _set_config(ctx: click.Context, _: click.Parameter, value: Path | None) -> None:
    if value is not None:
        context = ctx.find_object(_Context)
        if context is not None:  # the group's callback has run: it makes the context first
            context.config_path = value


def _accept_config_everywhere(group: click.Group) -> None:
    """``eventcontracts check --config events/eventcontracts.toml``: --config after the
    subcommand too, on every one (the group's option sets the same setting before it)."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            _accept_config_everywhere(command)
            continue
        if any("--config" in param.opts for param in command.params):
            continue
        command.params.append(
            click.Option(
                ["--config"],
                type=click.Path(dir_okay=False, path_type=Path),
                expose_value=False,
                is_eager=True,
                callback=_set_config,
                help="The settings file (also accepted before the command).",
            )
        )


_accept_config_everywhere(cli)


def _file_problem(exc: Exception) -> str | None:
    """A file the system would not read or write (``[codegen] out`` naming a file, a folder
    without write permission, a full disk): the user's to fix, so told as that file and the
    system's reason, not as an internal error. An OSError naming no file is left a bug."""
    if not isinstance(exc, OSError) or exc.filename is None:
        return None
    reason = exc.strerror or type(exc).__name__
    return f"{exc.filename}: {reason}; check the path and its permissions"


def main(argv: list[str] | None = None) -> None:
    """Entry point: every error a user can cause ends in one line and exit code 2."""
    try:
        cli.main(args=argv, prog_name="eventcontracts", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_ERROR)
    except EventContractsError as exc:
        click.echo(f"error: {printable(exc)}", err=True)
        sys.exit(EXIT_ERROR)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except Exception as exc:  # a bug of ours: still one line, the traceback on request
        if os.environ.get("EVENTCONTRACTS_DEBUG"):
            raise
        aws_problem = _aws_problem(exc)
        if aws_problem:
            click.echo(f"error: {aws_problem}", err=True)
            sys.exit(EXIT_ERROR)
        file_problem = _file_problem(exc)
        if file_problem:
            click.echo(f"error: {printable(file_problem)}", err=True)
            sys.exit(EXIT_ERROR)
        click.echo(
            f"internal error: {type(exc).__name__}: {printable(exc)} "
            "(set EVENTCONTRACTS_DEBUG=1 for the traceback, and please report it)",
            err=True,
        )
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK)
