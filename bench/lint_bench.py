"""Benchmark: how long `eventcontracts lint` takes on a large synthetic registry.

The script writes a deterministic registry (by default 1,000 schemas x 5 versions, half in
EventBridge "OpenApi3" format and half in "JSONSchemaDraft4" format, with sample events for
one schema in ten) into a fresh directory, then runs `python -m eventcontracts lint` in it a
few times as a subprocess and prints the wall-clock time of each run, the best and the median.

Each version of a schema adds one or two optional detail properties to the one before, so
the whole history is a compatible (FULL) evolution and a correct linter should find nothing
to reject.

Run it from the project root:

    .venv/bin/python bench/lint_bench.py                   # generate, then time 3 lint runs
    .venv/bin/python bench/lint_bench.py --generate-only --out bench/out
    .venv/bin/python bench/lint_bench.py --schemas 100 --versions 3 --runs 5 --validate

`--validate` checks every generated document against its metaschema and every sample event
against its schema (with format checking) using the jsonschema library.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The envelope every imported schema gets: the bench's documents look like imported ones.
from eventcontracts.importer.envelope import REQUIRED, envelope_properties

JSON = dict[str, Any]
Sampler = Callable[[random.Random], Any]

SOURCE_COUNT = 50
ACCOUNT = "123456789012"
EVENT_TIME = "2026-11-02T10:15:30Z"
REGION = "eu-west-1"
MAX_DETAIL_TYPE = 128
OPENAPI_PREFIX = "#/components/schemas/"
DRAFT4_PREFIX = "#/definitions/"

CONFIG_TOML = """\
[registry]
path = "registry"
name = "bench-events"

[compatibility]
mode = "FULL"
policy = "lenient"
"""

NOUNS = [
    "Shipment",
    "PurchaseOrder",
    "Invoice",
    "Payment",
    "Customer",
    "Subscription",
    "InventoryItem",
    "Refund",
    "Cart",
    "Booking",
    "Parcel",
    "Ticket",
    "Account",
    "Delivery",
    "PriceQuote",
    "Return",
]
VERBS = [
    "Created",
    "Updated",
    "Dispatched",
    "Cancelled",
    "Approved",
    "Rejected",
    "Delivered",
    "Completed",
    "Failed",
    "Expired",
    "Renewed",
    "Archived",
]

# The registry export order of the envelope's required fields, as the importer writes them.
ENVELOPE_REQUIRED = REQUIRED

ADDRESS = "Address"
LINE_ITEM = "LineItem"
DEFINITIONS: dict[str, JSON] = {
    ADDRESS: {
        "type": "object",
        "required": ["street", "city", "country"],
        "properties": {
            "street": {"type": "string", "maxLength": 200},
            "city": {"type": "string", "maxLength": 100},
            "postalCode": {"type": "string", "pattern": "^[0-9A-Z -]{3,10}$"},
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
        },
    },
    LINE_ITEM: {
        "type": "object",
        "required": ["productId", "quantity", "price"],
        "properties": {
            "productId": {"type": "string", "pattern": "^PRD-[0-9]{6}$"},
            "quantity": {"type": "integer", "minimum": 1},
            "price": {"type": "number", "minimum": 0},
        },
    },
}


# --------------------------------------------------------------------------- sample values


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def uppers(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(n))


def random_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def random_datetime(rng: random.Random) -> str:
    return (
        f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
    )


def sample_address(rng: random.Random) -> JSON:
    return {
        "street": f"{rng.randint(1, 999)} {rng.choice(['Main', 'High', 'Mill'])} Street",
        "city": rng.choice(["Dublin", "Lisbon", "Utrecht", "Gdansk"]),
        "postalCode": f"{digits(rng, 4)} {uppers(rng, 2)}",
        "country": rng.choice(["IE", "PT", "NL", "PL"]),
    }


def sample_line_items(rng: random.Random) -> list[JSON]:
    return [
        {
            "productId": f"PRD-{digits(rng, 6)}",
            "quantity": rng.randint(1, 9),
            "price": round(rng.uniform(0.5, 500.0), 2),
        }
        for _ in range(rng.randint(1, 3))
    ]


# --------------------------------------------------------------------------- field catalogue


@dataclass(frozen=True)
class FieldSpec:
    """One detail property: its schema (refs written draft-4 style) and a sample generator."""

    name: str
    schema: JSON
    sample: Sampler

    @property
    def primitive(self) -> bool:
        """A scalar without an enum: the kind of field that can be made nullable."""
        return self.schema.get("type") in {"string", "integer", "number", "boolean"} and (
            "enum" not in self.schema
        )


def patterned(name: str, pattern: str, sample: Sampler) -> FieldSpec:
    return FieldSpec(name, {"type": "string", "pattern": pattern}, sample)


def date_time(name: str) -> FieldSpec:
    return FieldSpec(name, {"type": "string", "format": "date-time"}, random_datetime)


def uuid_field(name: str) -> FieldSpec:
    return FieldSpec(name, {"type": "string", "format": "uuid"}, random_uuid)


def enum_field(name: str, values: list[str]) -> FieldSpec:
    return FieldSpec(name, {"type": "string", "enum": values}, lambda r: r.choice(values))


def integer(name: str, minimum: int) -> FieldSpec:
    schema = {"type": "integer", "minimum": minimum}
    return FieldSpec(name, schema, lambda r: r.randint(minimum, minimum + 500))


def number(name: str, minimum: float) -> FieldSpec:
    schema = {"type": "number", "minimum": minimum}
    return FieldSpec(name, schema, lambda r: round(r.uniform(minimum, minimum + 1000), 2))


def boolean(name: str) -> FieldSpec:
    return FieldSpec(name, {"type": "boolean"}, lambda r: r.random() < 0.5)


def ref(name: str, definition: str, sample: Sampler) -> FieldSpec:
    return FieldSpec(name, {"$ref": DRAFT4_PREFIX + definition}, sample)


def line_items(name: str) -> FieldSpec:
    schema = {"type": "array", "minItems": 1, "items": {"$ref": DRAFT4_PREFIX + LINE_ITEM}}
    return FieldSpec(name, schema, sample_line_items)


METADATA = FieldSpec(
    "metadata",
    {
        "type": "object",
        "required": ["correlationId", "version"],
        "properties": {
            "correlationId": {"type": "string", "format": "uuid"},
            "version": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+$"},
        },
    },
    lambda r: {"correlationId": random_uuid(r), "version": f"{r.randint(1, 3)}.{r.randint(0, 9)}"},
)

ADDRESS_FIELDS = [
    ref("shippingAddress", ADDRESS, sample_address),
    ref("billingAddress", ADDRESS, sample_address),
]

CATALOGUE: list[FieldSpec] = [
    *ADDRESS_FIELDS,
    patterned("orderId", "^ORD-[0-9]{8}$", lambda r: f"ORD-{digits(r, 8)}"),
    patterned("customerId", "^CUS-[0-9]{6}$", lambda r: f"CUS-{digits(r, 6)}"),
    patterned("sku", "^[A-Z]{3}-[0-9]{4}$", lambda r: f"{uppers(r, 3)}-{digits(r, 4)}"),
    patterned("trackingNumber", "^1Z[0-9]{16}$", lambda r: f"1Z{digits(r, 16)}"),
    patterned("invoiceNumber", "^INV-[0-9]{4}-[0-9]{6}$", lambda r: f"INV-2026-{digits(r, 6)}"),
    patterned("currency", "^[A-Z]{3}$", lambda r: r.choice(["EUR", "USD", "GBP"])),
    date_time("createdAt"),
    date_time("updatedAt"),
    date_time("occurredAt"),
    date_time("expectedDeliveryAt"),
    date_time("expiresAt"),
    uuid_field("requestId"),
    uuid_field("sessionId"),
    uuid_field("tenantId"),
    enum_field("status", ["PENDING", "ACTIVE", "SUSPENDED", "CLOSED"]),
    enum_field("channel", ["WEB", "MOBILE", "STORE", "API"]),
    enum_field("priority", ["LOW", "NORMAL", "HIGH"]),
    integer("quantity", 1),
    integer("retryCount", 0),
    integer("itemCount", 0),
    integer("weightGrams", 0),
    number("totalAmount", 0),
    number("taxAmount", 0),
    number("discount", 0),
    boolean("isGift"),
    boolean("expedited"),
    boolean("requiresSignature"),
    FieldSpec("note", {"type": "string", "maxLength": 500}, lambda r: f"note {digits(r, 4)}"),
    FieldSpec(
        "tags",
        {"type": "array", "maxItems": 10, "items": {"type": "string"}},
        lambda r: r.sample(["fragile", "bulk", "promo", "vip"], r.randint(0, 3)),
    ),
    line_items("lineItems"),
]


def extension_field(k: int) -> FieldSpec:
    """Fallback property once the catalogue runs out (only with very many versions)."""
    return FieldSpec(f"extension{k}", {"type": "string"}, lambda r: f"ext-{digits(r, 3)}")


# --------------------------------------------------------------------------- schema plans


@dataclass
class SchemaPlan:
    """Everything needed to write every version of one schema."""

    index: int
    name: str
    source: str
    detail_type: str
    openapi: bool
    versions: list[list[FieldSpec]]  # versions[v - 1] = detail properties of version v
    required: list[str]
    nullable: str | None = None
    examples: bool = False
    files: list[Path] = field(default_factory=list)


def pascal_words(name: str) -> list[str]:
    return re.findall(r"[A-Z][a-z]*", name)


def has_examples(index: int) -> bool:
    """One schema in ten, alternating between the two formats (even index = OpenApi3)."""
    return index % 20 in (0, 11)


def plan_fields(rng: random.Random, versions: int) -> list[list[FieldSpec]]:
    """Pick the v1 properties, then one or two new optional ones for each later version."""
    base = rng.randint(10, max(10, 25 - 2 * (versions - 1)))
    pool = rng.sample(CATALOGUE, len(CATALOGUE))
    address = rng.choice(ADDRESS_FIELDS)
    first = [METADATA, address]
    pool = [f for f in pool if f is not address]
    take = base - len(first)
    first, pool = first + pool[:take], pool[take:]
    if not any(f.primitive for f in first):
        first.append(next(f for f in pool if f.primitive))
        pool.remove(first[-1])
    history = [first]
    for _ in range(versions - 1):
        added: list[FieldSpec] = []
        for _ in range(rng.choice((1, 2))):
            added.append(pool.pop(0) if pool else extension_field(len(history) * 2 + len(added)))
        history.append(history[-1] + added)
    return history


def plan_schema(rng: random.Random, index: int, versions: int) -> SchemaPlan:
    noun, verb = rng.choice(NOUNS), rng.choice(VERBS)
    name = f"{noun}{index}{verb}"
    words = pascal_words(noun)
    detail_type = " ".join([*words[:-1], f"{words[-1]}{index}", verb])
    assert len(detail_type) <= MAX_DETAIL_TYPE, detail_type
    history = plan_fields(rng, versions)
    first = history[0]
    nullable_field = next(f for f in first if f.primitive)
    required = [
        f.name for f in first if f is METADATA or (f is not nullable_field and rng.random() < 0.5)
    ]
    openapi = index % 2 == 0
    return SchemaPlan(
        index=index,
        name=name,
        source=f"com.bench.domain{index % SOURCE_COUNT}",
        detail_type=detail_type,
        openapi=openapi,
        versions=history,
        required=required,
        nullable=nullable_field.name if openapi else None,
        examples=has_examples(index),
    )


# --------------------------------------------------------------------------- documents


def collect_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from collect_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from collect_refs(item)


def rewrite_refs(node: Any, old: str, new: str) -> Any:
    """Copy `node`, replacing the `old` prefix of every local $ref with `new`."""
    if isinstance(node, dict):
        return {
            k: (
                v.replace(old, new, 1)
                if k == "$ref" and isinstance(v, str)
                else rewrite_refs(v, old, new)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [rewrite_refs(item, old, new) for item in node]
    return node


def detail_schema(plan: SchemaPlan, version: int) -> JSON:
    """The detail object of one version, with draft-4 style refs."""
    properties: JSON = {}
    for spec in plan.versions[version - 1]:
        prop = dict(spec.schema)
        if spec.name == plan.nullable:
            prop["nullable"] = True
        properties[spec.name] = prop
    return {
        "type": "object",
        "description": f"Detail of the {plan.detail_type} event.",
        "required": list(plan.required),
        "properties": properties,
    }


def definitions_for(plan: SchemaPlan, version: int) -> JSON:
    """The detail schema plus the shared definitions it references, by name."""
    detail = detail_schema(plan, version)
    used = {r.removeprefix(DRAFT4_PREFIX) for r in collect_refs(detail)}
    return {plan.name: detail} | {name: DEFINITIONS[name] for name in sorted(used)}


def openapi_document(plan: SchemaPlan, version: int) -> JSON:
    aws_event = {
        "type": "object",
        "required": list(ENVELOPE_REQUIRED),
        "x-amazon-events-detail-type": plan.detail_type,
        "x-amazon-events-source": plan.source,
        "properties": envelope_properties(OPENAPI_PREFIX + plan.name),
    }
    components = rewrite_refs(definitions_for(plan, version), DRAFT4_PREFIX, OPENAPI_PREFIX)
    return {
        "openapi": "3.0.0",
        "info": {"version": "1.0.0", "title": plan.name},
        "paths": {},
        "components": {"schemas": {"AWSEvent": aws_event, **components}},
    }


def draft4_document(plan: SchemaPlan, version: int) -> JSON:
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": plan.name,
        "type": "object",
        "x-amazon-events-source": plan.source,
        "x-amazon-events-detail-type": plan.detail_type,
        "required": list(ENVELOPE_REQUIRED),
        "properties": envelope_properties(DRAFT4_PREFIX + plan.name),
        "definitions": definitions_for(plan, version),
    }


def sample_event(rng: random.Random, plan: SchemaPlan, version: int) -> JSON:
    detail: JSON = {}
    for spec in plan.versions[version - 1]:
        if spec.name in plan.required or rng.random() < 0.7:
            null = spec.name == plan.nullable and rng.random() < 0.3
            detail[spec.name] = None if null else spec.sample(rng)
    return {
        "version": "0",
        "id": random_uuid(rng),
        "detail-type": plan.detail_type,
        "source": plan.source,
        "account": ACCOUNT,
        "time": EVENT_TIME,
        "region": REGION,
        "resources": [],
        "detail": detail,
    }


# --------------------------------------------------------------------------- generation


@dataclass
class GenStats:
    out: Path
    schemas: int
    versions: int
    schema_files: int = 0
    sample_files: int = 0
    total_bytes: int = 0
    seconds: float = 0.0
    plans: list[SchemaPlan] = field(default_factory=list)


def write_json(path: Path, doc: JSON) -> int:
    data = (json.dumps(doc, indent=2) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def prepare_out(out: Path, overwrite: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            sys.exit(f"error: {out} is not empty (pass --overwrite to replace the registry)")
        shutil.rmtree(out / "registry", ignore_errors=True)
        (out / "eventcontracts.toml").unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)


def generate(out: Path, schemas: int, versions: int, seed: int) -> GenStats:
    started = time.perf_counter()
    rng = random.Random(seed)
    stats = GenStats(out=out, schemas=schemas, versions=versions)
    stats.total_bytes += (out / "eventcontracts.toml").write_text(CONFIG_TOML)
    for index in range(schemas):
        plan = plan_schema(rng, index, versions)
        folder = out / "registry" / plan.source / plan.name
        build = openapi_document if plan.openapi else draft4_document
        for version in range(1, versions + 1):
            path = folder / f"v{version}.json"
            stats.total_bytes += write_json(path, build(plan, version))
            plan.files.append(path)
            stats.schema_files += 1
            if plan.examples:
                sample = sample_event(rng, plan, version)
                sample_path = folder / "examples" / f"v{version}" / "sample.json"
                stats.total_bytes += write_json(sample_path, sample)
                stats.sample_files += 1
        stats.plans.append(plan)
    stats.seconds = time.perf_counter() - started
    return stats


# --------------------------------------------------------------------------- validation


def openapi_to_jsonschema(node: Any) -> Any:
    """OpenAPI 3.0 schema objects -> JSON Schema: `nullable: true` becomes type [t, "null"]."""
    if isinstance(node, dict):
        converted = {k: openapi_to_jsonschema(v) for k, v in node.items() if k != "nullable"}
        if node.get("nullable") is True and isinstance(node.get("type"), str):
            converted["type"] = [node["type"], "null"]
        return converted
    if isinstance(node, list):
        return [openapi_to_jsonschema(item) for item in node]
    return node


def resolve_pointer(doc: JSON, pointer: str) -> bool:
    node: Any = doc
    for part in pointer.removeprefix("#/").split("/"):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def openapi_types_are_strings(node: Any) -> bool:
    if isinstance(node, dict):
        if "type" in node and not isinstance(node["type"], str | dict):
            return False
        return all(openapi_types_are_strings(v) for v in node.values())
    if isinstance(node, list):
        return all(openapi_types_are_strings(item) for item in node)
    return True


def validatable(doc: JSON, openapi: bool) -> JSON:
    """A Draft 4 schema that validates whole events against `doc`."""
    if not openapi:
        return doc
    return {"$ref": OPENAPI_PREFIX + "AWSEvent", **openapi_to_jsonschema(doc)}


def document_errors(path: Path, doc: JSON, openapi: bool) -> list[str]:
    from jsonschema import Draft4Validator, SchemaError

    errors = [
        f"{path}: unresolved $ref {r}" for r in collect_refs(doc) if not resolve_pointer(doc, r)
    ]
    if openapi and not openapi_types_are_strings(doc):
        errors.append(f"{path}: OpenAPI 3.0 'type' must be a single string")
    try:
        Draft4Validator.check_schema(validatable(doc, openapi))
    except SchemaError as exc:
        errors.append(f"{path}: not a valid Draft 4 schema: {exc.message}")
    return errors


def sample_errors(path: Path, sample: JSON, schema: JSON) -> list[str]:
    from jsonschema import Draft4Validator, FormatChecker

    validator = Draft4Validator(schema, format_checker=FormatChecker())
    return [f"{path}: {e.json_path}: {e.message}" for e in validator.iter_errors(sample)]


def detail_of(doc: JSON, plan: SchemaPlan) -> JSON:
    container = doc["components"]["schemas"] if plan.openapi else doc["definitions"]
    detail: JSON = container[plan.name]
    return detail


def evolution_errors(plan: SchemaPlan, docs: list[JSON]) -> list[str]:
    """Each version must keep the previous detail unchanged and add optional properties."""
    errors: list[str] = []
    details = [detail_of(doc, plan) for doc in docs]
    for version, (old, new) in enumerate(itertools.pairwise(details), start=2):
        kept = {k: v for k, v in new["properties"].items() if k in old["properties"]}
        if kept != old["properties"] or new["required"] != old["required"]:
            errors.append(f"{plan.name} v{version}: changes properties of v{version - 1}")
        if len(new["properties"]) <= len(old["properties"]):
            errors.append(f"{plan.name} v{version}: adds no property")
    return errors


def validate(stats: GenStats) -> int:
    """Check every generated document and sample; print a summary, return the error count."""
    try:
        from jsonschema import FormatChecker
    except ImportError:
        print("--validate needs the jsonschema package", file=sys.stderr)
        return 1
    errors: list[str] = []
    samples = 0
    sizes: list[int] = []
    for plan in stats.plans:
        docs = [json.loads(path.read_text()) for path in plan.files]
        errors += evolution_errors(plan, docs)
        sizes += [len(detail_of(doc, plan)["properties"]) for doc in docs]
        for version, (path, doc) in enumerate(zip(plan.files, docs, strict=True), start=1):
            errors += document_errors(path, doc, plan.openapi)
            sample_path = path.parent / "examples" / f"v{version}" / "sample.json"
            if sample_path.exists():
                samples += 1
                sample = json.loads(sample_path.read_text())
                errors += sample_errors(sample_path, sample, validatable(doc, plan.openapi))
    for line in errors[:20]:
        print(line)
    checked = sorted({"date-time", "uuid"} & set(FormatChecker().checkers))
    print(
        f"validate: {len(errors)} error(s) in {stats.schema_files} documents and {samples}"
        f" samples (formats checked: {', '.join(checked) or 'none'});"
        f" detail properties per version {min(sizes)}-{max(sizes)}"
    )
    if "date-time" not in checked:
        print("note: install rfc3339-validator to have jsonschema check date-time")
    return len(errors)


# --------------------------------------------------------------------------- timing


@dataclass
class Run:
    seconds: float
    returncode: int
    output: str


def lint_available() -> bool:
    try:
        return importlib.util.find_spec("eventcontracts.__main__") is not None
    except ImportError:
        return False


def run_lint(out: Path, jobs: str) -> Run:
    """One whole `eventcontracts lint` process: start-up, load, every check, the report."""
    jobs_args = [] if jobs == "auto" else ["--jobs", jobs]
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "eventcontracts", "lint", *jobs_args],
        cwd=out,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return Run(time.perf_counter() - started, proc.returncode, proc.stdout)


def print_table(rows: list[tuple[str, str]]) -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value:>12}")


def report(stats: GenStats, runs_by_jobs: dict[str, list[Run]]) -> None:
    rows = [
        ("schemas", str(stats.schemas)),
        ("versions", str(stats.versions)),
        ("files", f"{stats.schema_files + stats.sample_files}"),
        ("  schema files", str(stats.schema_files)),
        ("  sample files", str(stats.sample_files)),
        ("total bytes", f"{stats.total_bytes:,}"),
        ("generation s", f"{stats.seconds:.2f}"),
    ]
    for jobs, runs in runs_by_jobs.items():
        label = f"lint --jobs {jobs}" if jobs != "auto" else f"lint (jobs: {os.cpu_count()} cores)"
        times = [run.seconds for run in runs]
        rows.append((label, ""))
        rows += [(f"  run {i} s", f"{t:.3f}") for i, t in enumerate(times, start=1)]
        rows += [
            ("  best s", f"{min(times):.3f}"),
            ("  median s", f"{statistics.median(times):.3f}"),
        ]
        rows.append(("  exit code", str(runs[0].returncode)))
    print(f"registry: {stats.out}")
    print_table(rows)
    for jobs, runs in list(runs_by_jobs.items())[:1]:
        print(f"last lines of the first run (jobs {jobs}):")
        for line in runs[0].output.rstrip("\n").splitlines()[-3:]:
            print(f"  | {line}")


# --------------------------------------------------------------------------- main


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--schemas", type=positive, default=1000, help="schemas (default 1000)")
    parser.add_argument("--versions", type=positive, default=5, help="versions each (default 5)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--out", type=Path, help="directory to write (default: a new temp dir)")
    parser.add_argument("--overwrite", action="store_true", help="replace a registry in --out")
    parser.add_argument("--runs", type=positive, default=3, help="lint runs to time (default 3)")
    parser.add_argument("--generate-only", action="store_true", help="write, do not time")
    parser.add_argument("--validate", action="store_true", help="check output with jsonschema")
    parser.add_argument(
        "--jobs",
        default="1,auto",
        help="comma-separated --jobs values to time lint with; auto = one per core "
        "(default 1,auto)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out or Path(tempfile.mkdtemp(prefix="evc-bench-"))
    prepare_out(out, args.overwrite)
    stats = generate(out, args.schemas, args.versions, args.seed)
    failed = bool(args.validate and validate(stats))
    if args.generate_only:
        report(stats, {})
        return 1 if failed else 0
    if not lint_available():
        report(stats, {})
        print(
            "eventcontracts is not importable with `python -m eventcontracts` from"
            f" {sys.executable}; install the project (make test) or use --generate-only.",
            file=sys.stderr,
        )
        return 2
    runs_by_jobs = {
        jobs: [run_lint(out, jobs) for _ in range(args.runs)] for jobs in args.jobs.split(",")
    }
    report(stats, runs_by_jobs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
