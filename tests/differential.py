"""Generated models held to jsonschema: the same accept/reject on valid and mutated details.

Used by tests/test_model_strictness.py (few examples, in ``make test``) and by
bench/strictness_bench.py (many examples, prints the figures). For every schema version with a
generated detail model, hypothesis draws valid details (the contract strategies) and mutated
ones (a property dropped, a value of the wrong type, a null, an out-of-range or off-pattern
value, an unknown property); the version's own validator, built by the registry as every
command builds it, is the referee. The model must accept exactly what the validator accepts,
and write every accepted detail back as the same JSON (what ``publish()`` sends).
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from corpus import CORPUS, adopt, corpus_events
from eventcontracts.codegen import PackageSettings, generate
from eventcontracts.contract import details
from eventcontracts.registry import Registry, Resolver, SchemaVersion, load_registry
from eventcontracts.runtime._entries import wire_detail

# Values a mutation puts in place of another: each JSON type, the usual near misses of bounds,
# lengths, patterns, enums and formats, and the coercions pydantic's lax mode would accept
# ("123" for 123, 1.0 and true for a string, 1 for true).
REPLACEMENTS: tuple[Any, ...] = (
    None,
    "",
    "123",
    "x",
    "not-a-date",
    "2024-02-30T10:00:00Z",
    "x" * 300,
    0,
    -1,
    1,
    123,
    10**20,
    1.0,
    1.5,
    -0.5,
    True,
    False,
    [],
    ["x"],
    {},
    {"x": 1},
)


@dataclass
class Figures:
    """What one run compared."""

    versions: list[str] = field(default_factory=list)
    valid: int = 0
    invalid: int = 0
    rejected: int = 0  # instances the validator rejects (most mutated ones)
    disagreements: list[str] = field(default_factory=list)

    @property
    def instances(self) -> int:
        return self.valid + self.invalid

    def line(self) -> str:
        return (
            f"{len(self.versions)} versions, {self.instances} instances "
            f"({self.valid} drawn valid, {self.invalid} mutated; the validator rejects "
            f"{self.rejected}), "
            f"{len(self.disagreements)} disagreements"
        )


def canonical(value: Any) -> str:
    """JSON text that tells 1 from 1.0 and true from 1: "unchanged" means this is equal."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def judge(model: type[Any], validator: Any, instance: Any) -> str | None:
    """Why model and validator disagree on ``instance`` (or the model rewrites it); None if
    they agree."""
    valid = validator.is_valid(instance)
    try:
        parsed = model.model_validate(instance)
    except ValidationError as exc:
        if valid:
            first = exc.errors()[0]
            return f"model rejects a valid detail ({first['loc']}: {first['msg']})"
        return None
    if not valid:
        return "model accepts an invalid detail"
    written = wire_detail(parsed)
    if not same_json(instance, written):
        return f"model writes back {canonical(written)[:300]}"
    return None


def same_json(read: Any, written: Any) -> bool:
    """``written`` is ``read``, type for type; the one respelling allowed is an integral float
    read into an integer field of a draft-6+ schema (1.0 is the integer 1 there), written as 1."""
    if isinstance(read, dict) and isinstance(written, dict):
        return read.keys() == written.keys() and all(same_json(read[k], written[k]) for k in read)
    if isinstance(read, list) and isinstance(written, list):
        return len(read) == len(written) and all(map(same_json, read, written))
    if type(read) is float and type(written) is int:
        return read.is_integer() and int(read) == written
    return canonical(read) == canonical(written)


def mutations(detail: Any) -> st.SearchStrategy[Any]:
    """Details like ``detail`` with one thing changed somewhere in it."""
    spots = list(_spots(detail, ()))
    if not spots:
        return st.just(detail)

    @st.composite
    def mutate(draw: st.DrawFn) -> Any:
        path, value = draw(st.sampled_from(spots))
        kinds = ["replace"]
        if isinstance(value, dict):
            kinds += ["extra"] + (["drop", "rename"] if value else [])
        if isinstance(value, list) and value:
            kinds += ["shrink", "duplicate"]
        kind = draw(st.sampled_from(kinds))
        if kind == "replace":
            if not path:
                return draw(st.sampled_from(REPLACEMENTS))
            return _set(detail, path, draw(st.sampled_from(REPLACEMENTS)))
        if kind == "extra":
            return _set(detail, path, {**value, "zz_unknown": draw(st.sampled_from(REPLACEMENTS))})
        if kind == "drop":
            key = draw(st.sampled_from(sorted(value)))
            return _set(detail, path, {k: v for k, v in value.items() if k != key})
        if kind == "rename":
            # the key as a Python attribute would spell it (orderId -> order_id)
            key = draw(st.sampled_from(sorted(value)))
            renamed = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower().replace("-", "_")
            renamed = renamed if renamed != key else f"{key}_"
            return _set(detail, path, {renamed if k == key else k: v for k, v in value.items()})
        if kind == "shrink":
            return _set(detail, path, value[:-1])
        return _set(detail, path, [*value, value[0]])

    return mutate()


def _spots(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _spots(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _spots(item, (*path, index))


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _set(value[head], rest, new)}
    copy = list(value)
    copy[head] = _set(copy[head], rest, new)
    return copy


def compare(
    registry: Registry,
    models: dict[tuple[str, int], type[Any]],
    examples: int,
    figures: Figures,
    random_seed: int = 12,
) -> None:
    """Draw ``examples`` valid and as many mutated details per version and judge each."""
    resolver = Resolver(registry)
    for schema in sorted(registry.schemas.values(), key=lambda s: s.name):
        for version in schema.versions:
            model = models.get((version.schema_name, version.version))
            if model is None:
                continue
            figures.versions.append(f"{version.schema_name} v{version.version}")
            _compare_version(registry, resolver, version, model, examples, figures, random_seed)


def _compare_version(
    registry: Registry,
    resolver: Resolver,
    version: SchemaVersion,
    model: type[Any],
    examples: int,
    figures: Figures,
    random_seed: int,
) -> None:
    validator = resolver.detail_validator(version)
    valid = details(version.schema_name, version.version, registry=registry)
    label = f"{version.schema_name} v{version.version}"

    def record(instance: Any, drawn_valid: bool) -> None:
        # "invalid" counts the mutated details; the validator decides what each one is
        if drawn_valid:
            figures.valid += 1
        else:
            figures.invalid += 1
        if not validator.is_valid(instance):
            figures.rejected += 1
        problem = judge(model, validator, instance)
        if problem is not None:
            figures.disagreements.append(f"{label}: {problem}: {canonical(instance)[:300]}")

    for strategy, drawn_valid in ((valid, True), (valid.flatmap(mutations), False)):
        _draw_each(strategy, examples, random_seed, lambda x, v=drawn_valid: record(x, v))


def _draw_each(strategy: st.SearchStrategy[Any], examples: int, random_seed: int, use: Any) -> None:
    @settings(
        database=None,
        max_examples=examples,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @seed(random_seed)
    @given(strategy)
    def run(instance: Any) -> None:
        use(instance)

    run()


# --- registries to compare on -------------------------------------------------------------


def example_catalog_models(repo_root: Path) -> tuple[Registry, dict[tuple[str, int], type[Any]]]:
    """The example catalog and its committed generated package."""
    registry = load_registry(repo_root / "registry")
    return registry, _models(repo_root / "generated", "mycompany_events")


@dataclass
class CorpusSetup:
    catalogs: list[tuple[Registry, dict[tuple[str, int], type[Any]]]]
    covered: list[str]
    not_covered: dict[str, str]  # corpus file -> why
    # the corpus events of the covered documents: (event file, registry, models, detail)
    events: list[tuple[str, Registry, dict[tuple[str, int], type[Any]], Any]] = field(
        default_factory=list
    )

    def judge_events(self) -> tuple[int, int, list[str]]:
        """(events, valid ones, disagreements) of the corpus events against their models."""
        valid, problems = 0, []
        for name, registry, models, detail in self.events:
            ((key, model),) = models.items()
            version = registry.schemas[key[0]].version(key[1])
            validator = Resolver(registry).detail_validator(version)
            valid += validator.is_valid(detail)
            problem = judge(model, validator, detail)
            if problem is not None:
                problems.append(f"{name}: {problem}")
        return len(self.events), valid, problems


def _envelope(source: str, detail_type: str, detail: dict[str, Any]) -> dict[str, Any]:
    """A detail-only JSON Schema (how the aws-samples repos keep them) in the envelope the
    registry expects, the detail inline."""
    inner = {k: v for k, v in detail.items() if k not in ("$schema", "$id", "definitions")}
    return {
        "$schema": detail.get("$schema", "http://json-schema.org/draft-04/schema#"),
        "x-amazon-events-source": source,
        "x-amazon-events-detail-type": detail_type,
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": inner},
    }


CUSTOMER_SERIES = "series/serverless-test-samples-customercreated"


def customer_series_registry(root: Path) -> Path:
    """The aws-samples customerCreated series (1.0.0 .. 1.4.0) as v1..v5 of one schema."""
    folder = root / "com.example.customer" / "CustomerCreated"
    folder.mkdir(parents=True)
    for number, path in enumerate(sorted((CORPUS / CUSTOMER_SERIES).glob("*.json")), 1):
        detail = json.loads(path.read_text(encoding="utf-8"))
        document = _envelope("com.example.customer", "customerCreated", detail)
        (folder / f"v{number}.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    return root


def corpus_models(tmp: Path) -> CorpusSetup:
    """The whole corpus as a team adopts it (``eventcontracts import``, lint, generate; see
    tests/corpus.py) and its generated package; what could not be covered, with the reason
    (the documents import refuses, the ones lint finds a real defect in)."""
    adopted = adopt(tmp / "adopter", "corpus_differential")
    registry = load_registry(adopted.registry)
    models = _models(adopted.generated, adopted.package)
    covered = [f"{key[0]} v{key[1]}" for key in sorted(models)]
    not_covered = {line: "refused by import" for line in adopted.refused}
    not_covered.update({folder: "lint finds a defect" for folder in adopted.set_aside})
    events = []
    for name, source, detail_type, detail in corpus_events():
        for schema in registry.schemas.values():
            for version in schema.versions:
                if (version.source, version.detail_type) == (source, detail_type):
                    key = (schema.name, version.version)
                    events.append((f"events/{name}", registry, {key: models[key]}, detail))
    return CorpusSetup([(registry, models)], covered, not_covered, events)


def _generated(
    root: Path, out: Path, package: str
) -> tuple[Registry, dict[tuple[str, int], type[Any]]]:
    generate(root, out, PackageSettings(package=package, distribution=package), check=False)
    return load_registry(root), _models(out, package)


def _models(out: Path, package: str) -> dict[tuple[str, int], type[Any]]:
    """The detail models of a generated package, by (schema name, version)."""
    import inspect
    import pkgutil

    sys.path.insert(0, str(out))
    try:
        for name in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
            del sys.modules[name]
        module = importlib.import_module(package)
        models: dict[tuple[str, int], type[Any]] = {}
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
            submodule = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(submodule, inspect.isclass):
                schema_name = cls.__dict__.get("SCHEMA_NAME")
                number = cls.__dict__.get("SCHEMA_VERSION")
                if isinstance(schema_name, str) and isinstance(number, int):
                    models[(schema_name, number)] = cls
        return models
    finally:
        sys.path.remove(str(out))


# --- every keyword the models must enforce, in one schema per dialect ---------------------

KEYWORDS_DETAIL: dict[str, Any] = {
    "type": "object",
    "required": ["id", "amount", "count", "flag", "kind", "when"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^C-[0-9]{1,6}$", "minLength": 3, "maxLength": 8},
        "amount": {"type": "number", "minimum": 0, "maximum": 10000, "multipleOf": 0.5},
        "count": {"type": "integer", "minimum": 1, "exclusiveMaximum": 100},
        "flag": {"type": "boolean"},
        "kind": {"enum": ["a", "b", 3]},
        "fixed": {"enum": ["only"]},
        "level": {"enum": [0, 1, "x"]},
        "levels": {"type": "array", "items": {"enum": [1, 2]}},
        "when": {"type": "string", "format": "date-time"},
        "day": {"type": "string", "format": "date"},
        "at": {"type": "string", "format": "time"},
        "email": {"type": "string", "format": "email"},
        "ip4": {"type": "string", "format": "ipv4"},
        "ip6": {"type": "string", "format": "ipv6"},
        "uid": {"type": "string", "format": "uuid"},
        "link": {"type": "string", "format": "uri"},
        "big": {"type": "integer", "format": "int64"},
        "ratio": {"type": "number", "format": "double"},
        "city": {"type": "string", "default": ""},
        "nick": {"type": ["string", "null"]},
        "score": {"type": ["number", "null"], "minimum": 0},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 4},
        "address": {
            "type": "object",
            "required": ["street"],
            "additionalProperties": False,
            "properties": {
                "street": {"type": "string", "minLength": 1},
                "zip": {"type": ["string", "null"], "pattern": "^[0-9]{5}$"},
            },
        },
        "lines": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["sku", "qty"],
                "properties": {
                    "sku": {"type": "string"},
                    "qty": {"type": "integer", "minimum": 1},
                    "price": {"type": "number", "exclusiveMinimum": 0},
                },
            },
        },
        "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
        "free": {},
    },
}


# Keywords pydantic cannot express: the model embeds its schema and the runtime checks them.
UNEXPRESSED_DETAIL: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "minProperties": 2,
    "maxProperties": 8,
    "not": {"required": ["legacy"]},
    "dependencies": {"card": ["expiry"]},
    "if": {"properties": {"kind": {"const": "refund"}}, "required": ["kind"]},
    "then": {"required": ["reason"]},
    "properties": {
        "id": {"type": "string"},
        "kind": {"type": "string", "enum": ["sale", "refund"]},
        "reason": {"type": "string"},
        "legacy": {"type": "boolean"},
        "card": {"type": "string"},
        "expiry": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "codes": {"type": "array", "items": {"type": "integer"}, "contains": {"minimum": 10}},
        "amount": {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 100}]},
        "labels": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z]+$"},
            "patternProperties": {"^x": {"type": "integer"}},
        },
        "pair": {
            "type": "array",
            "items": [{"type": "string"}, {"type": "integer"}],
            "additionalItems": False,
        },
        "origin": {"enum": [{"x": 1}, "here"]},
    },
}


def keywords_registry(root: Path) -> Path:
    """KEYWORDS_DETAIL as a draft-04 document, a draft-07 one (draft-4's boolean exclusive
    bounds swapped for numbers) and an OpenApi3 one (``nullable`` instead of type arrays)."""
    draft4 = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "x-amazon-events-source": "com.example.keywords",
        "x-amazon-events-detail-type": "Keywords Draft4",
        "type": "object",
        "properties": {"detail": {"$ref": "#/definitions/Keywords"}},
        "definitions": {"Keywords": _draft4(KEYWORDS_DETAIL)},
    }
    draft7 = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "x-amazon-events-source": "com.example.keywords",
        "x-amazon-events-detail-type": "Keywords Draft7",
        "type": "object",
        "properties": {"detail": {"$ref": "#/definitions/Keywords"}},
        "definitions": {"Keywords": KEYWORDS_DETAIL},
    }
    openapi = {
        "openapi": "3.0.0",
        "info": {"version": "1.0.0", "title": "KeywordsOpenApi"},
        "paths": {},
        "components": {
            "schemas": {
                "AWSEvent": {
                    "type": "object",
                    "x-amazon-events-source": "com.example.keywords",
                    "x-amazon-events-detail-type": "Keywords OpenApi",
                    "properties": {"detail": {"$ref": "#/components/schemas/Keywords"}},
                },
                "Keywords": _openapi(_draft4(KEYWORDS_DETAIL)),
            }
        },
    }
    unexpressed = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "x-amazon-events-source": "com.example.keywords",
        "x-amazon-events-detail-type": "Unexpressed",
        "type": "object",
        "properties": {"detail": {"$ref": "#/definitions/Unexpressed"}},
        "definitions": {"Unexpressed": UNEXPRESSED_DETAIL},
    }
    documents = (("Draft4", draft4), ("Draft7", draft7), ("OpenApi", openapi))
    for name, document in (*documents, ("Unexpressed", unexpressed)):
        folder = root / "com.example.keywords" / f"Keywords{name}"
        folder.mkdir(parents=True)
        (folder / "v1.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    return root


def _draft4(schema: Any) -> Any:
    """Draft-4 spelling: exclusive bounds are booleans next to minimum/maximum."""
    if isinstance(schema, list):
        return [_draft4(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _draft4(value) for key, value in schema.items()}
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(result.get(exclusive), (int, float)) and not isinstance(
            result[exclusive], bool
        ):
            result[bound] = result.pop(exclusive)
            result[exclusive] = True
    return result


def _openapi(schema: Any) -> Any:
    """OpenApi3 spelling: ``nullable: true`` instead of a type array with null."""
    if isinstance(schema, list):
        return [_openapi(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _openapi(value) for key, value in schema.items()}
    declared = result.get("type")
    if isinstance(declared, list) and "null" in declared:
        (result["type"],) = [t for t in declared if t != "null"]
        result["nullable"] = True
    return result


def keywords_models(tmp: Path) -> tuple[Registry, dict[tuple[str, int], type[Any]]]:
    root = keywords_registry(tmp / "keywords" / "registry")
    return _generated(root, tmp / "keywords" / "out", "keyword_events")
