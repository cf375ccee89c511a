"""The schemas operations the emulator implements, each a function of the state and a request
that returns the response status and JSON body (``None`` for an empty body)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventcontracts.emulator import validation as check
from eventcontracts.emulator.bindings import (
    CREATE_COMPLETE,
    PYTHON_LANGUAGES,
    CodeBinding,
    CodeBindings,
)
from eventcontracts.emulator.discovery import discovered_schema
from eventcontracts.emulator.errors import ApiError, bad_request, conflict, not_found
from eventcontracts.emulator.export import NotExportable, draft4_export
from eventcontracts.emulator.pagination import paginate, parse_limit
from eventcontracts.emulator.state import Registry, Schema, SchemaVersion, State, now_iso


@dataclass
class Request:
    labels: dict[str, str]
    query: dict[str, list[str]] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None


# A JSON body, a blob payload (GetCodeBindingSource's zip), or no body.
Response = tuple[int, "dict[str, Any] | bytes | None"]
# ClientTokenIds remembered per schema; a retry comes within minutes, not 100 updates later.
MAX_TOKENS = 100


@dataclass
class Service:
    state: State
    region: str = "us-east-1"
    account: str = "123456789012"
    bindings: CodeBindings = field(default_factory=CodeBindings)

    # ARNs -----------------------------------------------------------------------------------

    def registry_arn(self, registry: str) -> str:
        return f"arn:aws:schemas:{self.region}:{self.account}:registry/{registry}"

    def schema_arn(self, registry: str, schema: str) -> str:
        return f"arn:aws:schemas:{self.region}:{self.account}:schema/{registry}/{schema}"

    # Look-ups -------------------------------------------------------------------------------

    def registry(self, name: str) -> Registry:
        check.registry_name(name)
        found = self.state.registries.get(name)
        if found is None:
            raise not_found(f"Registry {name} does not exist.")
        return found

    def schema(self, registry: str, name: str) -> tuple[Registry, Schema]:
        reg = self.registry(registry)
        check.schema_name(name)
        found = reg.schemas.get(name)
        if found is None:
            raise not_found(f"Schema {name} in registry {registry} does not exist.")
        return reg, found

    def version(self, schema: Schema, number: str | None) -> SchemaVersion:
        if number is None:
            return schema.latest
        found = schema.version(number)
        if found is None:
            raise not_found(f"Version {number} of schema {schema.name} does not exist.")
        return found

    def resource(self, arn: str) -> Registry | Schema:
        prefix = f"arn:aws:schemas:{self.region}:{self.account}:"
        if not arn.startswith(prefix):
            raise bad_request(f"Invalid resource ARN {arn!r}; expected {prefix}...")
        kind, _, rest = arn[len(prefix) :].partition("/")
        # A registry name holds no '/', a schema name may (partner sources): split once.
        registry, slash, schema = rest.partition("/")
        if kind == "registry" and not slash:
            return self.registry(registry)
        if kind == "schema" and slash:
            return self.schema(registry, schema)[1]
        raise bad_request(f"Invalid resource ARN {arn!r}")

    # Shapes ---------------------------------------------------------------------------------

    def registry_out(self, reg: Registry) -> dict[str, Any]:
        out: dict[str, Any] = {
            "RegistryArn": self.registry_arn(reg.name),
            "RegistryName": reg.name,
            "tags": dict(reg.tags),
        }
        if reg.description is not None:
            out["Description"] = reg.description
        return out

    def schema_out(self, reg: Registry, schema: Schema, version: SchemaVersion) -> dict[str, Any]:
        out: dict[str, Any] = {
            "LastModified": schema.last_modified,
            "SchemaArn": self.schema_arn(reg.name, schema.name),
            "SchemaName": schema.name,
            "SchemaVersion": version.version,
            "tags": dict(schema.tags),
            "Type": version.type,
            "VersionCreatedDate": version.created,
        }
        if schema.description is not None:
            out["Description"] = schema.description
        return out

    # Registries -----------------------------------------------------------------------------

    def create_registry(self, req: Request) -> Response:
        name = check.registry_name(req.labels["registryName"])
        description = check.description(req.body.get("Description"))
        tags = check.tags(req.body.get("tags"))
        if name in self.state.registries:
            raise conflict(f"Registry {name} already exists.")
        reg = Registry(name, description, tags)
        self.state.registries[name] = reg
        self.state.save()
        return 201, self.registry_out(reg)

    def describe_registry(self, req: Request) -> Response:
        return 200, self.registry_out(self.registry(req.labels["registryName"]))

    def update_registry(self, req: Request) -> Response:
        reg = self.registry(req.labels["registryName"])
        if "Description" in req.body:
            reg.description = check.description(req.body["Description"])
            self.state.save()
        return 200, self.registry_out(reg)

    def delete_registry(self, req: Request) -> Response:
        reg = self.registry(req.labels["registryName"])
        del self.state.registries[reg.name]
        self.state.save()
        return 204, None

    def list_registries(self, req: Request) -> Response:
        prefix = req.param("registryNamePrefix") or ""
        scope = req.param("scope")
        if scope is not None and scope not in ("LOCAL", "AWS"):
            raise bad_request(f"Invalid scope {scope!r}: must be LOCAL or AWS")
        items = [
            (name, reg)
            for name, reg in sorted(self.state.registries.items())
            if name.startswith(prefix) and scope != "AWS"
        ]
        limit = parse_limit(req.param("limit"))
        page, token = paginate(items, limit, req.param("nextToken"), f"registries:{prefix}")
        out: dict[str, Any] = {
            "Registries": [
                {
                    "RegistryArn": self.registry_arn(reg.name),
                    "RegistryName": reg.name,
                    "tags": dict(reg.tags),
                }
                for reg in page
            ]
        }
        if token:
            out["NextToken"] = token
        return 200, out

    # Schemas --------------------------------------------------------------------------------

    def create_schema(self, req: Request) -> Response:
        reg = self.registry(req.labels["registryName"])
        name = check.schema_name(req.labels["schemaName"])
        content = check.content(check.required(req.body, "Content"))
        type_ = check.schema_type(check.required(req.body, "Type"))
        description = check.description(req.body.get("Description"))
        tags = check.tags(req.body.get("tags"))
        if name in reg.schemas:
            raise conflict(f"Schema {name} already exists in registry {reg.name}.")
        schema = Schema(name, description, tags)
        version = schema.add_version(type_, content)
        reg.schemas[name] = schema
        self.state.save()
        return 201, self.schema_out(reg, schema, version)

    def update_schema(self, req: Request) -> Response:
        reg, schema = self.schema(req.labels["registryName"], req.labels["schemaName"])
        latest = schema.latest
        body = req.body
        token = check.client_token(body.get("ClientTokenId"))
        replayed = schema.version(schema.tokens[token]) if token in schema.tokens else None
        if replayed is not None:  # a retry of a call that was done: answer as it was answered
            return 200, self.schema_out(reg, schema, replayed)
        type_ = latest.type if body.get("Type") is None else check.schema_type(body["Type"])
        content = None if body.get("Content") is None else check.content(body["Content"])
        changed = False
        if "Description" in body:
            new_description = check.description(body["Description"])
            if new_description != schema.description:
                schema.description = new_description
                schema.last_modified = now_iso()
                changed = True
        if content is not None and (content, type_) != (latest.content, latest.type):
            latest = schema.add_version(type_, content)
            changed = True
        elif content is None and type_ != latest.type:
            raise bad_request("Changing Type needs Content for the new version")
        if token is not None:
            schema.tokens[token] = latest.version
            while len(schema.tokens) > MAX_TOKENS:
                del schema.tokens[next(iter(schema.tokens))]
            changed = True
        if changed:
            self.state.save()
        return 200, self.schema_out(reg, schema, latest)

    def describe_schema(self, req: Request) -> Response:
        reg, schema = self.schema(req.labels["registryName"], req.labels["schemaName"])
        version = self.version(schema, req.param("schemaVersion"))
        out = self.schema_out(reg, schema, version)
        out["Content"] = version.content
        return 200, out

    def delete_schema(self, req: Request) -> Response:
        reg, schema = self.schema(req.labels["registryName"], req.labels["schemaName"])
        del reg.schemas[schema.name]
        self.state.save()
        return 204, None

    def delete_schema_version(self, req: Request) -> Response:
        reg, schema = self.schema(req.labels["registryName"], req.labels["schemaName"])
        version = self.version(schema, req.labels["schemaVersion"])
        schema.versions.remove(version)
        if not schema.versions:
            del reg.schemas[schema.name]
        else:
            schema.last_modified = now_iso()
        self.state.save()
        return 204, None

    def list_schemas(self, req: Request) -> Response:
        reg = self.registry(req.labels["registryName"])
        prefix = req.param("schemaNamePrefix") or ""
        items = [(n, s) for n, s in sorted(reg.schemas.items()) if n.startswith(prefix)]
        limit = parse_limit(req.param("limit"))
        page, token = paginate(items, limit, req.param("nextToken"), f"schemas:{reg.name}:{prefix}")
        out: dict[str, Any] = {
            "Schemas": [
                {
                    "LastModified": s.last_modified,
                    "SchemaArn": self.schema_arn(reg.name, s.name),
                    "SchemaName": s.name,
                    "tags": dict(s.tags),
                    "VersionCount": len(s.versions),
                }
                for s in page
            ]
        }
        if token:
            out["NextToken"] = token
        return 200, out

    def list_schema_versions(self, req: Request) -> Response:
        reg, schema = self.schema(req.labels["registryName"], req.labels["schemaName"])
        # Keys sort numerically as zero-padded strings; versions are listed oldest first.
        items = [(v.version.zfill(12), v) for v in schema.versions]
        limit = parse_limit(req.param("limit"))
        page, token = paginate(
            items, limit, req.param("nextToken"), f"versions:{reg.name}:{schema.name}"
        )
        arn = self.schema_arn(reg.name, schema.name)
        out: dict[str, Any] = {
            "SchemaVersions": [
                {
                    "SchemaArn": arn,
                    "SchemaName": schema.name,
                    "SchemaVersion": v.version,
                    "Type": v.type,
                }
                for v in page
            ]
        }
        if token:
            out["NextToken"] = token
        return 200, out

    def search_schemas(self, req: Request) -> Response:
        reg = self.registry(req.labels["registryName"])
        keywords = req.param("keywords")
        if not keywords:
            raise bad_request("Missing required parameter keywords")
        words = keywords.lower().split()
        items = [
            (n, s)
            for n, s in sorted(reg.schemas.items())
            if all(w in n.lower() or w in s.latest.content.lower() for w in words)
        ]
        limit = parse_limit(req.param("limit"))
        page, token = paginate(
            items, limit, req.param("nextToken"), f"search:{reg.name}:{keywords}"
        )
        out: dict[str, Any] = {
            "Schemas": [
                {
                    "RegistryName": reg.name,
                    "SchemaArn": self.schema_arn(reg.name, s.name),
                    "SchemaName": s.name,
                    "SchemaVersions": [
                        {"CreatedDate": v.created, "SchemaVersion": v.version, "Type": v.type}
                        for v in s.versions
                    ],
                }
                for s in page
            ]
        }
        if token:
            out["NextToken"] = token
        return 200, out

    def export_schema(self, req: Request) -> Response:
        reg, schema = self.schema(req.labels["registryName"], req.labels["schemaName"])
        export_type = req.param("type")
        if export_type is None:
            raise bad_request("Missing required parameter type")
        if export_type != "JSONSchemaDraft4":
            raise bad_request(f"Invalid export type {export_type!r}: only JSONSchemaDraft4")
        version = self.version(schema, req.param("schemaVersion"))
        content = version.content
        if version.type == "OpenApi3":
            try:
                content = json.dumps(draft4_export(json.loads(content)), ensure_ascii=False)
            except (NotExportable, RecursionError) as e:
                raise bad_request(
                    f"Schema {schema.name} version {version.version} (OpenApi3) cannot be "
                    f"exported as JSONSchemaDraft4: {e}"
                ) from None
        return 200, {
            "Content": content,
            "SchemaArn": self.schema_arn(reg.name, schema.name),
            "SchemaName": schema.name,
            "SchemaVersion": version.version,
            "Type": "JSONSchemaDraft4",
        }

    # Code bindings --------------------------------------------------------------------------

    def _binding_target(
        self, req: Request
    ) -> tuple[Registry, Schema, SchemaVersion, tuple[str, str, str, str]]:
        reg, schema = self.schema(req.labels["registryName"], req.labels["schemaName"])
        version = self.version(schema, req.param("schemaVersion"))
        language = req.labels["language"]
        if language not in PYTHON_LANGUAGES:
            raise not_found(
                f"Code binding language {language!r} is not supported by the eventcontracts "
                f"emulator; it generates {', '.join(PYTHON_LANGUAGES)} (the generated Python "
                "package)"
            )
        return reg, schema, version, (reg.name, schema.name, version.version, language)

    def _binding(self, req: Request) -> CodeBinding:
        _, schema, version, key = self._binding_target(req)
        binding = self.bindings.find(key, version.type, version.content)
        if binding is None:
            raise not_found(
                f"No {key[3]} code binding for schema {schema.name} version {version.version}; "
                "create it with PutCodeBinding"
            )
        return binding

    @staticmethod
    def binding_out(binding: CodeBinding) -> dict[str, Any]:
        return {
            "CreationDate": binding.created,
            "LastModified": binding.last_modified,
            "SchemaVersion": binding.version,
            "Status": binding.status,
        }

    def put_code_binding(self, req: Request) -> Response:
        _, schema, version, key = self._binding_target(req)
        binding = self.bindings.put(key, schema.name, version.type, version.content)
        return 202, self.binding_out(binding)

    def describe_code_binding(self, req: Request) -> Response:
        return 200, self.binding_out(self._binding(req))

    def get_code_binding_source(self, req: Request) -> Response:
        binding = self._binding(req)
        if binding.status != CREATE_COMPLETE or binding.source is None:
            why = f": {binding.failure}" if binding.failure else ""
            raise not_found(
                f"The code binding is {binding.status}{why}; its source is served once "
                "DescribeCodeBinding says CREATE_COMPLETE"
            )
        return 200, binding.source

    # Discovery ------------------------------------------------------------------------------

    def get_discovered_schema(self, req: Request) -> Response:
        return 200, {"Content": discovered_schema(req.body)}

    # Tags -----------------------------------------------------------------------------------

    def tag_resource(self, req: Request) -> Response:
        resource = self.resource(req.labels["resource-arn"])
        tags = check.tags(check.required(req.body, "tags"))
        merged = {**resource.tags, **tags}
        check.tags(merged)
        resource.tags = merged
        self.state.save()
        return 204, None

    def untag_resource(self, req: Request) -> Response:
        resource = self.resource(req.labels["resource-arn"])
        keys = req.query.get("tagKeys")
        if not keys:
            raise bad_request("Missing required parameter tagKeys")
        resource.tags = {k: v for k, v in resource.tags.items() if k not in keys}
        self.state.save()
        return 204, None

    def list_tags_for_resource(self, req: Request) -> Response:
        return 200, {"tags": dict(self.resource(req.labels["resource-arn"]).tags)}

    # Dispatch -------------------------------------------------------------------------------

    def handlers(self) -> dict[str, Callable[[Request], Response]]:
        return {
            "CreateRegistry": self.create_registry,
            "DescribeRegistry": self.describe_registry,
            "UpdateRegistry": self.update_registry,
            "ListRegistries": self.list_registries,
            "DeleteRegistry": self.delete_registry,
            "CreateSchema": self.create_schema,
            "UpdateSchema": self.update_schema,
            "DescribeSchema": self.describe_schema,
            "ListSchemas": self.list_schemas,
            "ListSchemaVersions": self.list_schema_versions,
            "DeleteSchema": self.delete_schema,
            "DeleteSchemaVersion": self.delete_schema_version,
            "SearchSchemas": self.search_schemas,
            "ExportSchema": self.export_schema,
            "GetDiscoveredSchema": self.get_discovered_schema,
            "PutCodeBinding": self.put_code_binding,
            "DescribeCodeBinding": self.describe_code_binding,
            "GetCodeBindingSource": self.get_code_binding_source,
            "TagResource": self.tag_resource,
            "UntagResource": self.untag_resource,
            "ListTagsForResource": self.list_tags_for_resource,
        }

    def call(self, operation: str, req: Request) -> Response:
        handler = self.handlers().get(operation)
        if handler is None:
            raise ApiError(
                "NotImplementedException",
                f"{operation} is not implemented by the eventcontracts emulator",
            )
        with self.state.lock:
            return handler(req)


IMPLEMENTED_OPERATIONS: tuple[str, ...] = tuple(
    sorted(Service(State()).handlers())  # the names only; this State is never used
)


def decode_body(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise bad_request("The request body is not UTF-8") from None
    body = check.strict_json(text, "The request body")
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object")
    return body
