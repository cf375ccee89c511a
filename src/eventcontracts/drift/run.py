"""``drift``: how captured events fit the versions of their schemas.

Each event is matched to its schema by source and detail-type (those its versions declare)
and checked against every version of it: a count per version needs each event against each
version, so what makes it fast is the check itself (:mod:`.fits`, compiled once per version)
and spreading batches of events over worker processes (forked: they share the compiled
checks) while the parent reads on. Identical events are not looked up in a cache: real
captures differ in ``id`` and ``time`` on every event, so a cache would cost a hash per event
and never hit.

Order is kept: batches are merged in the order they were read, so "the first event that fits
no version" is the same however many workers ran.
"""

from __future__ import annotations

import gc
import json
import os
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from eventcontracts.compat.fields import detail_nodes
from eventcontracts.drift.declared import OPEN, Declared, undeclared_fields
from eventcontracts.drift.fits import DriftError, VersionFits
from eventcontracts.drift.model import (
    DriftReport,
    FirstError,
    SchemaDrift,
    Undeclared,
    UnknownEvents,
    Where,
)
from eventcontracts.registry.model import Registry
from eventcontracts.registry.resolver import Resolver
from eventcontracts.traffic import read_events

BATCH = 2_000
# Batches read before workers are forked to check them: bounds the events held in memory.
BLOCK_BATCHES = 16
# Below this many events one process is quicker than starting workers.
POOL_FROM = 20_000
# Distinct undeclared fields kept per schema, and distinct unknown (source, detail-type)
# pairs: traffic with random keys or sources must not grow memory without end.
MAX_UNDECLARED = 1_000
MAX_UNKNOWN = 1_000

Batch = list[tuple[dict[str, Any], Where]]


class _Catalog:
    """What each event is checked with: built once, before workers fork."""

    def __init__(self, registry: Registry, resolver: Resolver) -> None:
        # A schema with no version loaded (all set aside) has nothing to check against.
        self.names = sorted(name for name, schema in registry.schemas.items() if schema.versions)
        self.schemas = [registry.schemas[name] for name in self.names]
        self.by_pair: dict[tuple[str, str], int] = {}
        for number, schema in enumerate(self.schemas):
            for version in schema.versions:
                # Two schemas claiming one pair (lint reports it): the first by name has it.
                self.by_pair.setdefault((version.source, version.detail_type), number)
        # Newest first: the version most events fit, and whose error is reported.
        self.checks = [
            [VersionFits(version, resolver) for version in reversed(schema.versions)]
            for schema in self.schemas
        ]
        self.declared = [self._declared(schema.versions, resolver) for schema in self.schemas]

    @staticmethod
    def _declared(versions: Sequence[Any], resolver: Resolver) -> Declared:
        per_version = [detail_nodes(version, resolver) for version in versions]
        if not all(per_version):
            return OPEN  # a version whose detail cannot be read: what it declares is unknown
        return Declared([node for nodes in per_version for node in nodes])


_CATALOG: _Catalog | None = None  # the worker's (inherited by fork, or loaded by _load_worker)
_BLOCK: list[Batch] = []  # the batches forked workers check, inherited


@dataclass
class _Tally:
    """What one batch (or the whole run) found, merged in reading order."""

    events: int = 0
    per_schema: dict[int, int] = field(default_factory=dict)
    fits: dict[tuple[int, int], int] = field(default_factory=dict)  # (schema, check) -> n
    none: dict[int, int] = field(default_factory=dict)
    none_example: dict[int, tuple[Where, dict[str, Any]]] = field(default_factory=dict)
    undeclared: dict[int, dict[str, list[Any]]] = field(default_factory=dict)  # [n, Where]
    undeclared_truncated: set[int] = field(default_factory=set)
    unknown: dict[tuple[str, str], list[Any]] = field(default_factory=dict)  # [n, Where]
    unknown_truncated: bool = False

    def merge(self, later: _Tally) -> None:
        self.events += later.events
        for schema, count in later.per_schema.items():
            self.per_schema[schema] = self.per_schema.get(schema, 0) + count
        for key, count in later.fits.items():
            self.fits[key] = self.fits.get(key, 0) + count
        for schema, count in later.none.items():
            self.none[schema] = self.none.get(schema, 0) + count
        for schema, example in later.none_example.items():
            self.none_example.setdefault(schema, example)
        for schema, paths in later.undeclared.items():
            mine = self.undeclared.setdefault(schema, {})
            for path, (count, where) in paths.items():
                if path in mine:
                    mine[path][0] += count
                elif len(mine) < MAX_UNDECLARED:
                    mine[path] = [count, where]
                else:
                    self.undeclared_truncated.add(schema)
        self.undeclared_truncated |= later.undeclared_truncated
        for pair, (count, where) in later.unknown.items():
            if pair in self.unknown:
                self.unknown[pair][0] += count
            elif len(self.unknown) < MAX_UNKNOWN:
                self.unknown[pair] = [count, where]
            else:
                self.unknown_truncated = True
        self.unknown_truncated |= later.unknown_truncated


def _tally(batch: Batch) -> _Tally:
    catalog = _CATALOG
    assert catalog is not None
    tally = _Tally(events=len(batch))
    by_pair, checks, declared = catalog.by_pair, catalog.checks, catalog.declared
    fits = tally.fits
    for event, where in batch:
        pair = (_label(event.get("source")), _label(event.get("detail-type")))
        number = by_pair.get(pair)
        if number is None:
            known = tally.unknown.get(pair)
            if known is not None:
                known[0] += 1
            elif len(tally.unknown) < MAX_UNKNOWN:
                tally.unknown[pair] = [1, where]
            else:
                tally.unknown_truncated = True
            continue
        tally.per_schema[number] = tally.per_schema.get(number, 0) + 1
        fitted = False
        for position, check in enumerate(checks[number]):
            if check.fits(event):
                fitted = True
                key = (number, position)
                fits[key] = fits.get(key, 0) + 1
        if not fitted:
            tally.none[number] = tally.none.get(number, 0) + 1
            tally.none_example.setdefault(number, (where, event))
        detail = event.get("detail")
        if isinstance(detail, (dict, list)):
            paths = tally.undeclared.setdefault(number, {})
            for path in undeclared_fields(detail, declared[number]):
                if path in paths:
                    paths[path][0] += 1
                elif len(paths) < MAX_UNDECLARED:
                    paths[path] = [1, where]
                else:
                    tally.undeclared_truncated.add(number)
    return tally


def _label(value: Any) -> str:
    """A source or detail-type as text (a hostile event may carry a number or an object)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)[:200]


def drift(
    paths: Sequence[Path],
    registry: Registry,
    resolver: Resolver,
    *,
    display_root: Path,
    source: str | None = None,
    detail_type: str | None = None,
    jobs: int | None = None,
) -> DriftReport:
    """Check every event of ``paths`` against the versions of its schema (bare details are
    given ``source`` and ``detail_type``, and refused without them)."""
    global _CATALOG
    _CATALOG = catalog = _Catalog(registry, resolver)
    with _fewer_collections():
        total = _checked(paths, display_root, source, detail_type, jobs, registry)
    if total.events == 0:
        shown = ", ".join(str(path) for path in paths[:3])
        raise DriftError(f"no events in {shown}; name captured event files or folders")
    return _report(catalog, total)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Events are trees, freed by reference counting; the cycle collector, run every 700
    allocations, would only walk 100,000 of them again and again (a sixth of the time)."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _checked(
    paths: Sequence[Path],
    display_root: Path,
    source: str | None,
    detail_type: str | None,
    jobs: int | None,
    registry: Registry,
) -> _Tally:
    batches = _batches(paths, display_root, source, detail_type)
    first: list[Batch] = []
    read = 0
    for batch in batches:
        first.append(batch)
        read += len(batch)
        if read >= POOL_FROM:
            break
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if read < POOL_FROM or workers < 2:
        total = _Tally()
        for batch in chain(first, batches):
            total.merge(_tally(batch))
    else:
        total = _in_workers(chain(first, batches), workers, registry)
    return total


def _batches(
    paths: Sequence[Path], display_root: Path, source: str | None, detail_type: str | None
) -> Iterator[Batch]:
    batch: Batch = []
    events = read_events(paths, display_root=display_root, source=source, detail_type=detail_type)
    for captured in events:
        batch.append((captured.event, Where(captured.file, captured.line, captured.index)))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _in_workers(batches: Iterator[Batch], workers: int, registry: Registry) -> _Tally:
    from eventcontracts.processes import can_fork

    if can_fork():
        return _in_forked_blocks(batches, workers)
    return _in_a_pool(batches, workers, registry)


def _in_forked_blocks(batches: Iterator[Batch], workers: int) -> _Tally:
    """Workers forked for each block of events: they inherit the block, and only the small
    tallies travel back (pickling every event to a worker would cost as much as checking it).
    The parent reads the next block while they check this one."""
    from eventcontracts.processes import pool_context

    global _BLOCK
    total = _Tally()
    block = list(islice(batches, BLOCK_BATCHES))
    while block:
        _BLOCK = block
        with pool_context().Pool(min(workers, len(block))) as pool:
            pending = pool.map_async(_tally_of_block, range(len(block)), chunksize=1)
            following = list(islice(batches, BLOCK_BATCHES))
            for tally in pending.get():
                total.merge(tally)
        _BLOCK = []
        block = following
    return total


def _tally_of_block(number: int) -> _Tally:
    return _tally(_BLOCK[number])


def _in_a_pool(batches: Iterator[Batch], workers: int, registry: Registry) -> _Tally:
    """Where workers cannot fork: each loads the registry, and batches travel to them."""
    from eventcontracts.processes import pool_context

    total = _Tally()
    pending: deque[Any] = deque()
    initargs = (registry.root,)
    with pool_context().Pool(workers, initializer=_load_worker, initargs=initargs) as pool:
        for batch in batches:  # the parent reads on while the workers check
            pending.append(pool.apply_async(_tally, (batch,)))
            while len(pending) > 2 * workers:
                total.merge(pending.popleft().get())
        while pending:
            total.merge(pending.popleft().get())
    return total


def _load_worker(root: Path) -> None:
    """Where workers are not forked: load the registry and compile the checks again."""
    global _CATALOG
    if _CATALOG is not None:
        return
    from eventcontracts.registry.loader import load_registry

    registry = load_registry(root)
    _CATALOG = _Catalog(registry, Resolver(registry))


def _report(catalog: _Catalog, total: _Tally) -> DriftReport:
    schemas = []
    for number, schema in enumerate(catalog.schemas):
        checks = catalog.checks[number]
        latest = schema.latest
        found = SchemaDrift(
            schema=schema.name,
            source=latest.source,
            detail_type=latest.detail_type,
            versions=[version.version for version in schema.versions],
            events=total.per_schema.get(number, 0),
            fits={
                check.version.version: total.fits.get((number, position), 0)
                for position, check in enumerate(checks)
            },
            fits_none=total.none.get(number, 0),
            undeclared_truncated=number in total.undeclared_truncated,
        )
        if number in total.none_example:
            where, event = total.none_example[number]
            found.none_example = where
            error = checks[0].first_error(event)
            if error is not None:
                found.first_error = FirstError(latest.version, *error)
        found.undeclared = sorted(
            (
                Undeclared(path, count, where)
                for path, (count, where) in total.undeclared.get(number, {}).items()
            ),
            key=lambda each: each.field,
        )
        schemas.append(found)
    unknown = sorted(
        (
            UnknownEvents(source, detail_type, count, where)
            for (source, detail_type), (count, where) in total.unknown.items()
        ),
        key=lambda each: (each.source, each.detail_type),
    )
    return DriftReport(total.events, schemas, unknown, total.unknown_truncated)
