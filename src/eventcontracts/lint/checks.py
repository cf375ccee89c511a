"""The lint checks: one small function per concern, dispatched from the tables at the bottom.

A version check sees one version file, a schema check sees all versions of one schema. Each
yields Findings; none raises for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import jsonschema
import referencing.exceptions
import referencing.jsonschema
from jsonschema import Draft4Validator
from jsonschema.protocols import Validator

from eventcontracts import safe_regex
from eventcontracts.config import Config
from eventcontracts.findings import Finding, printable
from eventcontracts.lint import catalog
from eventcontracts.lint.bare_detail import bare_detail_findings, is_bare_detail
from eventcontracts.lint.codekeys import code_choosing_keys
from eventcontracts.registry.documents import Document
from eventcontracts.registry.formats import MAX_DETAIL_TYPE, MAX_SCHEMA_NAME, MAX_SOURCE
from eventcontracts.registry.model import Registry, Schema, SchemaFormat, SchemaVersion
from eventcontracts.registry.refloops import IN_PLACE_KEYWORDS, base_of, in_place_cycle, ref_cycle
from eventcontracts.registry.resolver import Resolved, Resolver, UnresolvableRef
from eventcontracts.registry.sourcefolder import folder_of_source
from eventcontracts.registry.structure import (
    describe_error,
    dialect_problems,
    error_leaves,
    error_pointer,
    is_known_dialect,
    json_text,
    openapi_problems,
    shortened,
)
from eventcontracts.rules import Rule
from eventcontracts.schema.keywords import DETAIL_TYPE_KEY, SOURCE_KEY
from eventcontracts.schema.pointer import escape_token
from eventcontracts.schema.pointer import resolve as value_at
from eventcontracts.schema.walk import find_refs, iter_document_schemas

# A version whose document has structural problems is not validated further: its samples would
# only repeat the same problem, or trip the validator on a malformed keyword.
BLOCKING_RULES = frozenset(
    {
        catalog.OPENAPI_STRUCTURE.id,
        catalog.METASCHEMA_VIOLATION.id,
        catalog.UNKNOWN_DIALECT.id,
        catalog.MISSING_AWS_EVENT.id,
        catalog.DANGLING_REF.id,
        catalog.REF_CYCLE.id,
        catalog.REMOTE_REF.id,
    }
)


IDENTITY_RULES = frozenset(
    {
        catalog.MISSING_SOURCE.id,
        catalog.MISSING_DETAIL_TYPE.id,
        catalog.SOURCE_FOLDER_MISMATCH.id,
        catalog.IDENTITY_CHANGED.id,
    }
)


@dataclass
class LintContext:
    config: Config
    registry: Registry
    resolver: Resolver
    version_findings: dict[str, list[Finding]] = field(default_factory=dict)


VersionCheck = Callable[[LintContext, SchemaVersion], Iterable[Finding]]
SchemaCheck = Callable[[LintContext, Schema], Iterable[Finding]]
SharedCheck = Callable[[LintContext, Document], Iterable[Finding]]


# --- structure -------------------------------------------------------------------------------


def check_structure(ctx: LintContext, version: SchemaVersion) -> Iterator[Finding]:
    document = version.document
    content = document.content
    if version.format is SchemaFormat.OPENAPI3:
        for pointer, message in openapi_problems(content):
            yield _structure_finding(
                document, catalog.OPENAPI_STRUCTURE, pointer, message, "OpenAPI 3.0"
            )
        if version.detail_pointer is None:
            yield document.finding(
                catalog.MISSING_AWS_EVENT,
                "/components/schemas",
                "no components.schemas.AWSEvent with a detail property; EventBridge describes "
                "the event envelope there",
            )
        return
    yield from _json_schema_structure(document)
    if version.detail_pointer is None and isinstance(content, dict):
        # Without a detail, nothing says what the event carries: a detail-only schema (as
        # teams keep them beside their code) needs the envelope around it to be an event.
        yield document.finding(
            catalog.MISSING_AWS_EVENT,
            "/properties" if isinstance(content.get("properties"), dict) else "",
            "no properties.detail at the root; an EventBridge JSON Schema describes the whole "
            "event: put the detail schema under properties.detail (or a definition it $refs), "
            "or let 'eventcontracts import' wrap it",
        )


def _json_schema_structure(document: Document) -> Iterator[Finding]:
    """A JSON Schema document against the metaschema of the dialect it declares."""
    content = document.content
    if not isinstance(content, dict):
        yield document.finding(
            catalog.NOT_A_SCHEMA, "", "a JSON Schema document is an object; this is not one"
        )
        return
    declared = content.get("$schema")
    if declared is not None and not is_known_dialect(declared):
        yield document.finding(
            catalog.UNKNOWN_DIALECT,
            "/$schema",
            f"$schema {declared!r} is not a JSON Schema dialect this tool knows; use "
            '"http://json-schema.org/draft-04/schema#" (EventBridge\'s JSONSchemaDraft4) or '
            "draft-06, draft-07, 2019-09, 2020-12",
        )
        return
    cls = jsonschema.validators.validator_for(content, default=Draft4Validator)
    dialect = _DIALECT_NAMES.get(cls.__name__, cls.__name__)
    for pointer, message in dialect_problems(cls, content):
        yield _structure_finding(document, catalog.METASCHEMA_VIOLATION, pointer, message, dialect)


_DIALECT_NAMES = {
    "Draft3Validator": "draft-03",
    "Draft4Validator": "draft-04",
    "Draft6Validator": "draft-06",
    "Draft7Validator": "draft-07",
    "Draft201909Validator": "2019-09",
    "Draft202012Validator": "2020-12",
}


def _structure_finding(
    document: Document, rule: Rule, pointer: str, message: str, dialect: str
) -> Finding:
    return document.finding(rule, pointer, f"{pointer or '/'}: {message} (not valid {dialect})")


# --- identity --------------------------------------------------------------------------------


def check_identity(ctx: LintContext, version: SchemaVersion) -> Iterator[Finding]:
    document = version.document
    envelope = value_at(document.content, version.envelope_pointer)
    if not isinstance(envelope, dict):
        return  # reported as missing-aws-event
    base = version.envelope_pointer
    for key, rule, limit, what in (
        (SOURCE_KEY, catalog.MISSING_SOURCE, MAX_SOURCE, "source"),
        (DETAIL_TYPE_KEY, catalog.MISSING_DETAIL_TYPE, MAX_DETAIL_TYPE, "detail-type"),
    ):
        value = envelope.get(key)
        if not isinstance(value, str) or not value.strip():
            yield document.finding(
                rule,
                base or "",
                f"no {key} at {base or '/'}: add the event's {what} as a non-empty string",
            )
        elif len(value) > limit:
            yield document.finding(
                catalog.NAME_LIMIT,
                f"{base}/{key}",
                f"the {what} is {len(value)} characters; EventBridge allows at most {limit}",
            )
    source = envelope.get(SOURCE_KEY)
    schema = ctx.registry.schemas[version.schema_name]
    if isinstance(source, str) and source and source != schema.source:
        yield document.finding(
            catalog.SOURCE_FOLDER_MISMATCH,
            f"{base}/{SOURCE_KEY}",
            f"source {source!r} but the schema lives in the folder of source "
            f"{schema.source!r}; move it to registry/{_source_folder(source)}/ or fix the source",
        )


def _source_folder(source: str) -> str:
    try:
        return folder_of_source(source)
    except ValueError:  # a source that is not UTF-8 text; its own finding says so
        return "<source>"


# --- references ------------------------------------------------------------------------------


def check_refs(ctx: LintContext, version: SchemaVersion) -> Iterator[Finding]:
    openapi = version.format is SchemaFormat.OPENAPI3
    yield from _ref_findings(ctx, version.document, ctx.resolver.view(version), openapi=openapi)


def _ref_findings(
    ctx: LintContext, document: Document, view: Any, *, openapi: bool
) -> Iterator[Finding]:
    """Every $ref of a document resolves, and no chain of bare refs loops."""
    refs, has_ids = find_refs(document.content, openapi=openapi)
    loops_reported: set[frozenset[int]] = set()
    visited: set[int] = set()  # schemas the in-place search has finished with
    for at, ref in refs:
        # Fast path for the common case, a local pointer to a schema that is not itself a $ref:
        # without any $id in the document, it means what it says. Everything else, failures
        # included, goes through the resolver for the full semantics and its message.
        if not has_ids and isinstance(ref, str) and ref.startswith("#/"):
            target_contents = value_at(view, unquote(ref[1:]))
            if (
                isinstance(target_contents, dict)
                and "$ref" not in target_contents
                and not IN_PLACE_KEYWORDS.intersection(target_contents)
            ):
                continue
        try:
            target = ctx.resolver.lookup(ref, base_of(ctx.resolver, document, at, has_ids))
        except UnresolvableRef as exc:
            rule = catalog.REMOTE_REF if exc.remote else catalog.DANGLING_REF
            yield document.finding(rule, at, str(exc))
            continue
        for loop, message in _loops(ctx.resolver, ref, target, visited):
            if loop not in loops_reported:
                loops_reported.add(loop)
                yield document.finding(catalog.REF_CYCLE, at, message)
                break


def _loops(
    resolver: Resolver, ref: str, target: Resolved, visited: set[int]
) -> Iterator[tuple[frozenset[int], str]]:
    """The loops the $ref at hand is on, each with its identity and what to say of it: a chain
    of bare refs first, then one through the in-place keywords. A generator, so that the
    second search runs only when the first loop was not there or already reported."""
    cycle = ref_cycle(resolver, ref, target)
    if cycle:
        yield (
            cycle[1],
            f"$ref chain {' -> '.join(map(repr, cycle[0]))} comes back to itself without "
            "describing a value",
        )
    in_place = in_place_cycle(resolver, target, visited)
    if in_place:
        yield (
            in_place[1],
            f"$ref {printable(repr(ref))} comes back to itself through "
            f"{' -> '.join(in_place[0])} without going into the event: a validator would "
            "loop forever on any event",
        )


# --- sample events ---------------------------------------------------------------------------


def check_examples(ctx: LintContext, version: SchemaVersion) -> Iterator[Finding]:
    if not version.examples:
        return
    if any(f.rule in BLOCKING_RULES for f in ctx.version_findings.get(version.uri, [])):
        return
    validator = ctx.resolver.event_validator(version)
    # When the schema's own source or detail-type is reported, comparing every sample's with it
    # would only repeat that finding once per sample.
    compare_identity = not any(
        f.rule in IDENTITY_RULES for f in ctx.version_findings.get(version.uri, [])
    )
    for example in version.examples:
        yield from _check_example(ctx.resolver, validator, version, example, compare_identity)


def _check_example(
    resolver: Resolver,
    validator: Validator,
    version: SchemaVersion,
    example: Document,
    compare_identity: bool,
) -> Iterator[Finding]:
    event = example.content
    where = f"{version.schema_name} v{version.version}"
    detail_errors: list[jsonschema.ValidationError] | None = None
    try:
        errors = sorted(validator.iter_errors(event), key=lambda e: list(map(str, e.path)))
        if errors and is_bare_detail(event) and version.detail_pointer is not None:
            # Checked here, under the same guards: the envelope check of a bare detail never
            # entered "detail", so this is the first to follow the detail's refs.
            detail_validator = resolver.detail_validator(version)
            detail_errors = sorted(
                detail_validator.iter_errors(event), key=lambda e: list(map(str, e.path))
            )
    except referencing.exceptions.Unresolvable:
        # A ref in a document this version reaches (a shared file) is broken: that file's own
        # finding says which; the sample cannot be judged until it is fixed.
        yield example.finding(
            catalog.EXAMPLE_INVALID,
            "",
            f"cannot be checked against {where}: a $ref it reaches does not resolve "
            "(fix the dangling-ref findings first)",
        )
        return
    except (RecursionError, jsonschema.exceptions.SchemaError, re.error) as exc:
        yield example.finding(
            catalog.EXAMPLE_INVALID, "", f"cannot be checked against {where}: {shortened(str(exc))}"
        )
        return
    if detail_errors is not None:
        yield from bare_detail_findings(version, example, errors, detail_errors)
        return
    for error in errors:
        for leaf in error_leaves(error):
            pointer = error_pointer(leaf.absolute_path)
            yield example.finding(
                catalog.EXAMPLE_INVALID,
                pointer,
                f"{pointer or '/'}: {describe_error(leaf)} (schema {where})",
            )
    if compare_identity and isinstance(event, dict):
        for key, expected in (("source", version.source), ("detail-type", version.detail_type)):
            actual = event.get(key)
            if expected and isinstance(actual, str) and actual != expected:
                yield example.finding(
                    catalog.EXAMPLE_INVALID,
                    f"/{key}",
                    f"/{key}: {json_text(actual)} is not the schema's {key} {json_text(expected)}",
                )


# --- per schema ------------------------------------------------------------------------------


def check_version_numbers(ctx: LintContext, schema: Schema) -> Iterator[Finding]:
    numbers = schema.version_numbers
    missing = sorted(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
    if missing:
        folder = _display(ctx, schema)
        listed = ", ".join(f"v{n}" for n in missing)
        yield Finding(
            folder,
            None,
            catalog.VERSION_GAP.id,
            "",
            f"{schema.name} has versions {', '.join(f'v{n}' for n in numbers)} but no {listed}; "
            "versions are numbered 1, 2, 3, ... without gaps",
        )


def check_identity_stable(ctx: LintContext, schema: Schema) -> Iterator[Finding]:
    if not schema.versions:
        return
    first = schema.versions[0]
    for version in schema.versions[1:]:
        for what, old, new, key in (
            ("source", first.source, version.source, SOURCE_KEY),
            ("detail-type", first.detail_type, version.detail_type, DETAIL_TYPE_KEY),
        ):
            if old and new and old != new:
                yield version.document.finding(
                    catalog.IDENTITY_CHANGED,
                    f"{version.envelope_pointer}/{key}",
                    f"{what} {new!r} differs from v{first.version}'s {old!r}; a new {what} is a "
                    "new event: give it its own schema folder",
                )


def check_schema_name(ctx: LintContext, schema: Schema) -> Iterator[Finding]:
    if len(schema.name) > MAX_SCHEMA_NAME:
        yield Finding(
            _display(ctx, schema),
            None,
            catalog.NAME_LIMIT.id,
            "",
            f"schema name is {len(schema.name)} characters; EventBridge allows at most "
            f"{MAX_SCHEMA_NAME}",
        )


def _display(ctx: LintContext, schema: Schema) -> str:
    try:
        return schema.folder.relative_to(ctx.registry.root.parent).as_posix() + "/"
    except ValueError:
        return schema.folder.as_posix() + "/"


# --- shared documents ------------------------------------------------------------------------


def check_shared_structure(ctx: LintContext, document: Document) -> Iterator[Finding]:
    yield from _json_schema_structure(document)


def check_shared_refs(ctx: LintContext, document: Document) -> Iterator[Finding]:
    yield from _ref_findings(ctx, document, document.content, openapi=False)


def check_patterns(ctx: LintContext, version: SchemaVersion) -> Iterator[Finding]:
    openapi = version.format is SchemaFormat.OPENAPI3
    yield from _nonlinear_patterns(version.document, openapi=openapi)


def check_shared_patterns(ctx: LintContext, document: Document) -> Iterator[Finding]:
    yield from _nonlinear_patterns(document, openapi=False)


def _nonlinear_patterns(document: Document, *, openapi: bool) -> Iterator[Finding]:
    """Every regex the document's schemas declare that RE2 cannot evaluate.

    Only schemas are searched, found by the keywords that hold subschemas: a blind walk that
    skipped data keywords by name would also skip a property *named* ``example`` or ``enum``,
    and with it the pattern below it.
    """
    found: list[tuple[str, str]] = []
    for pointer, schema in iter_document_schemas(document.content, openapi=openapi):
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            found.append((f"{pointer}/pattern", pattern))
        keyed = schema.get("patternProperties")
        if isinstance(keyed, dict):
            for key in keyed:
                if isinstance(key, str):
                    found.append((f"{pointer}/patternProperties/{escape_token(key)}", key))
    for pointer, pattern in sorted(found):
        problem = safe_regex.linear_time_problem(pattern)
        if problem is not None:
            yield document.finding(
                catalog.NONLINEAR_PATTERN,
                pointer,
                f"{pointer}: the pattern {json_text(pattern)} cannot be evaluated in linear time: "
                f"{problem}; write it without lookaround or backreferences",
            )


def check_code_keys(ctx: LintContext, version: SchemaVersion) -> Iterator[Finding]:
    yield from code_choosing_keys(version.document)


def check_shared_code_keys(ctx: LintContext, document: Document) -> Iterator[Finding]:
    yield from code_choosing_keys(document)


# The order matters: check_examples reads what the earlier checks found in the same version.
VERSION_CHECKS: tuple[VersionCheck, ...] = (
    check_structure,
    check_patterns,
    check_identity,
    check_refs,
    check_code_keys,
    check_examples,
)
SHARED_CHECKS: tuple[SharedCheck, ...] = (
    check_shared_structure,
    check_shared_refs,
    check_shared_patterns,
    check_shared_code_keys,
)
SCHEMA_CHECKS: tuple[SchemaCheck, ...] = (
    check_version_numbers,
    check_identity_stable,
    check_schema_name,
)
