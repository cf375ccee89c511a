"""Writing the catalog site: every page into a fresh folder, then put in place of the old one.

The schemas are spread over worker processes when there are many (forked, so each reads the
registry the parent loaded): a worker collects a schema, writes its page and hands back only
what the shared pages need (its versions without their trees, samples and diffs), and the
search rows. The output is the same for the same inputs, whatever the number of workers.

The folder is replaced, never merged into: a page of a deleted schema must not stay behind. So
``out`` is only ever deleted when it is a previous catalog (it holds :data:`MARKER`) or empty; a
user's ``--out src`` is refused, untouched.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from eventcontracts.catalog import render
from eventcontracts.catalog.collect import (
    CatalogInputs,
    Fallback,
    catalog_shell,
    read_inputs,
    schema_entry,
)
from eventcontracts.catalog.drawings import catalog_flow, schema_flow
from eventcontracts.catalog.model import Catalog, PropertyNode, SchemaEntry, VersionEntry
from eventcontracts.catalog.search import EventRow, FieldRow, index_script, schema_rows
from eventcontracts.config import Config
from eventcontracts.errors import EventContractsError
from eventcontracts.processes import can_fork, pool_context
from eventcontracts.version import __version__

MARKER = ".eventcontracts-catalog"
ASSETS = ("catalog.css", "catalog.js")
# Below this many schemas, starting worker processes costs more than it saves (unless --jobs
# asks for them).
PARALLEL_MIN_SCHEMAS = 50


class CatalogError(EventContractsError):
    """The site cannot be written where it was asked to be (one line, exit 2)."""


@dataclass(frozen=True)
class BuildResult:
    out: Path
    schemas: int
    versions: int
    rules: int
    files: int
    timings: dict[str, float]


SchemaRows = tuple[EventRow, tuple[FieldRow, ...]]

# What a forked worker reads: set by the parent just before the pool starts.
_WORK: tuple[CatalogInputs, Catalog, Path] | None = None


def build_site(
    config: Config,
    out: Path,
    *,
    jobs: int | None = None,
    fallback: Fallback | None = None,
) -> BuildResult:
    """Write the catalog of ``config``'s registry into ``out``."""
    timings: dict[str, float] = {}
    out = out.absolute()
    refuse_unless_catalog(out)
    with _timed(timings, "load"):
        inputs = read_inputs(config, fallback)
        shell = catalog_shell(inputs)
        render.warm_up()
    staging = out.parent / f"{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        (staging / "schemas").mkdir(parents=True)
    except OSError as exc:  # named as the user wrote it, not as the staging folder beside it
        raise CatalogError(
            f"{out}: the catalog site cannot be written here ({exc.strerror or exc}); "
            "pick another --out or [catalog] out"
        ) from exc
    try:
        with _timed(timings, "schemas"):
            light, rows = _schema_pages(inputs, shell, staging, jobs)
        with _timed(timings, "shared pages"):
            catalog = dataclasses.replace(shell, schemas=light)
            _write_shared(catalog, rows, staging)
        with _timed(timings, "replace"):
            _replace(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(
        out=out,
        schemas=len(light),
        versions=sum(len(entry.versions) for entry in light.values()),
        rules=len(catalog.rules),
        files=sum(1 for path in out.rglob("*") if path.is_file()),
        timings=timings,
    )


def refuse_unless_catalog(out: Path) -> None:
    """``out`` may be absent, an empty folder or a previous catalog; anything else is a
    user's folder, which the build must not replace."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise CatalogError(f"{out}: is not a folder; pick another --out for the catalog site")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise CatalogError(
            f"{out}: the folder holds files and is not a catalog this tool wrote (no {MARKER} "
            "in it); pick an empty or new folder for --out, nothing was written"
        )


def _schema_pages(
    inputs: CatalogInputs, shell: Catalog, staging: Path, jobs: int | None
) -> tuple[dict[str, SchemaEntry], list[SchemaRows]]:
    """Every schema page, written; the schemas' light entries and search rows, by name."""
    global _WORK
    names = inputs.schema_names
    workers = _workers(jobs, len(names))
    _WORK = (inputs, shell, staging)
    # The loaded registry lives until the end: the collector need not walk it again on every
    # collection (~6% of the build), and forked workers do not copy its pages by counting it.
    gc.freeze()
    try:
        if workers > 1:
            shards = [names[index::workers] for index in range(workers)]
            with pool_context().Pool(workers) as pool:
                parts = pool.map(_build_shard, shards)
        else:
            parts = [_build_shard(names)]
    finally:
        gc.unfreeze()
        _WORK = None
    done = sorted((item for part in parts for item in part), key=lambda item: item[0].name)
    return {entry.name: entry for entry, _ in done}, [rows for _, rows in done]


def _workers(jobs: int | None, schemas: int) -> int:
    if not can_fork():  # each worker would have to read the registry again
        return 1
    if jobs is not None:
        return max(1, min(jobs, schemas))
    return (os.cpu_count() or 1) if schemas >= PARALLEL_MIN_SCHEMAS else 1


def _build_shard(names: list[str]) -> list[tuple[SchemaEntry, SchemaRows]]:
    """Collect and write the pages of ``names`` (in a worker: from the forked parent's data)."""
    assert _WORK is not None, "the inputs are set before the workers start"
    inputs, shell, staging = _WORK
    done = []
    for name in names:
        entry = schema_entry(inputs, inputs.registry.schemas[name])
        rules = [rule for rule, _ in inputs.rules_for(name)]
        flow = schema_flow(entry, rules, "../")
        page = render.schema_page(shell, entry, rules, flow)
        (staging / "schemas" / f"{entry.slug}.html").write_text(page, encoding="utf-8")
        done.append((_light(entry), schema_rows(entry)))
    return done


_NO_TREE = PropertyNode(name="", path="")


def _light(entry: SchemaEntry) -> SchemaEntry:
    """What the shared pages need of a schema: its versions without trees and samples, no
    diffs (the schema's own page has them), so little crosses back from a worker."""
    versions = tuple(
        VersionEntry(
            version=version.version,
            format=version.format,
            file=version.file,
            detail_type=version.detail_type,
            title=version.title,
            description=version.description,
            tree=_NO_TREE,
            samples=(),
            routes=version.routes,
        )
        for version in entry.versions
    )
    return dataclasses.replace(entry, versions=versions, diffs=())


def _write_shared(catalog: Catalog, rows: list[SchemaRows], staging: Path) -> None:
    """index.html, rules.html, consumers.html, the assets, the search index and the marker."""
    pages = {
        "index.html": render.index_page(catalog, catalog_flow(catalog)),
        "rules.html": render.rules_page(catalog),
        "consumers.html": render.consumers_page(catalog),
    }
    for name, text in pages.items():
        (staging / name).write_text(text, encoding="utf-8")
    assets = staging / "assets"
    assets.mkdir()
    source = resources.files("eventcontracts").joinpath("templates/catalog/assets")
    for name in ASSETS:
        (assets / name).write_bytes(source.joinpath(name).read_bytes())
    (assets / "search-index.js").write_text(index_script(rows), encoding="utf-8")
    (staging / MARKER).write_text(f"eventcontracts {__version__}\n", encoding="utf-8")


def _replace(staging: Path, out: Path) -> None:
    """Put the new site in place of ``out``: the old one is moved aside first and deleted
    last, so a failure leaves one whole site (the old or the new)."""
    refuse_unless_catalog(out)  # checked again: the folder may have changed meanwhile
    old = out.parent / f"{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        if old.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _timed(timings: dict[str, float], phase: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    timings[phase] = time.perf_counter() - started


__all__ = ["BuildResult", "CatalogError", "build_site", "refuse_unless_catalog"]
