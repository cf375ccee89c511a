"""Which operation a request is: every schemas operation's HTTP method and requestUri, as in
botocore's service model (schemas 2019-12-02), matched against the raw (still quoted) path."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

# (operation, method, requestUri) for every operation in the model, implemented or not.
ROUTES: tuple[tuple[str, str, str], ...] = (
    ("CreateDiscoverer", "POST", "/v1/discoverers"),
    ("CreateRegistry", "POST", "/v1/registries/name/{registryName}"),
    ("CreateSchema", "POST", "/v1/registries/name/{registryName}/schemas/name/{schemaName}"),
    ("DeleteDiscoverer", "DELETE", "/v1/discoverers/id/{discovererId}"),
    ("DeleteRegistry", "DELETE", "/v1/registries/name/{registryName}"),
    ("DeleteResourcePolicy", "DELETE", "/v1/policy"),
    ("DeleteSchema", "DELETE", "/v1/registries/name/{registryName}/schemas/name/{schemaName}"),
    (
        "DeleteSchemaVersion",
        "DELETE",
        "/v1/registries/name/{registryName}/schemas/name/{schemaName}/version/{schemaVersion}",
    ),
    (
        "DescribeCodeBinding",
        "GET",
        "/v1/registries/name/{registryName}/schemas/name/{schemaName}/language/{language}",
    ),
    ("DescribeDiscoverer", "GET", "/v1/discoverers/id/{discovererId}"),
    ("DescribeRegistry", "GET", "/v1/registries/name/{registryName}"),
    ("DescribeSchema", "GET", "/v1/registries/name/{registryName}/schemas/name/{schemaName}"),
    (
        "ExportSchema",
        "GET",
        "/v1/registries/name/{registryName}/schemas/name/{schemaName}/export",
    ),
    (
        "GetCodeBindingSource",
        "GET",
        "/v1/registries/name/{registryName}/schemas/name/{schemaName}/language/{language}/source",
    ),
    ("GetDiscoveredSchema", "POST", "/v1/discover"),
    ("GetResourcePolicy", "GET", "/v1/policy"),
    ("ListDiscoverers", "GET", "/v1/discoverers"),
    ("ListRegistries", "GET", "/v1/registries"),
    (
        "ListSchemaVersions",
        "GET",
        "/v1/registries/name/{registryName}/schemas/name/{schemaName}/versions",
    ),
    ("ListSchemas", "GET", "/v1/registries/name/{registryName}/schemas"),
    ("ListTagsForResource", "GET", "/tags/{resource-arn}"),
    (
        "PutCodeBinding",
        "POST",
        "/v1/registries/name/{registryName}/schemas/name/{schemaName}/language/{language}",
    ),
    ("PutResourcePolicy", "PUT", "/v1/policy"),
    ("SearchSchemas", "GET", "/v1/registries/name/{registryName}/schemas/search"),
    ("StartDiscoverer", "POST", "/v1/discoverers/id/{discovererId}/start"),
    ("StopDiscoverer", "POST", "/v1/discoverers/id/{discovererId}/stop"),
    ("TagResource", "POST", "/tags/{resource-arn}"),
    ("UntagResource", "DELETE", "/tags/{resource-arn}"),
    ("UpdateDiscoverer", "PUT", "/v1/discoverers/id/{discovererId}"),
    ("UpdateRegistry", "PUT", "/v1/registries/name/{registryName}"),
    ("UpdateSchema", "PUT", "/v1/registries/name/{registryName}/schemas/name/{schemaName}"),
)

_LABEL = re.compile(r"\{([A-Za-z0-9_-]+)(\+?)\}")


@dataclass(frozen=True)
class Route:
    operation: str
    method: str
    pattern: re.Pattern[str]
    labels: tuple[str, ...]


def _compile(operation: str, method: str, uri: str) -> Route:
    labels: list[str] = []
    parts: list[str] = []
    pos = 0
    for match in _LABEL.finditer(uri):
        parts.append(re.escape(uri[pos : match.start()]))
        labels.append(match.group(1))
        # A greedy label (``{name+}``) takes slashes; a plain one a single (quoted) segment.
        parts.append(
            f"(?P<g{len(labels) - 1}>.+)" if match.group(2) else f"(?P<g{len(labels) - 1}>[^/]+)"
        )
        pos = match.end()
    parts.append(re.escape(uri[pos:]))
    return Route(operation, method, re.compile("".join(parts) + r"/?"), tuple(labels))


_COMPILED = tuple(_compile(*route) for route in ROUTES)


def match(method: str, raw_path: str) -> tuple[str, dict[str, str]] | None:
    """The operation and its (unquoted) URI labels, or ``None`` if no route fits."""
    for route in _COMPILED:
        if route.method != method:
            continue
        found = route.pattern.fullmatch(raw_path)
        if found:
            labels = {label: unquote(found.group(f"g{i}")) for i, label in enumerate(route.labels)}
            return route.operation, labels
    return None
