"""The lint rule catalog: every rule has a stable ID, a name, a one-line summary and an example.

IDs never change meaning and are never reused; ``docs/lint-rules.md`` is generated from this
table (``make docs``) and a test fails when the two disagree.
"""

from __future__ import annotations

from eventcontracts.registry import reading_rules as reading
from eventcontracts.rules import Catalog

CATALOG = Catalog("L", "lint")
RULES = CATALOG.rules


# L0xx: the file itself.
UNREADABLE_FILE = CATALOG.add(reading.UNREADABLE_FILE)
PARSE_ERROR = CATALOG.add(reading.PARSE_ERROR)
CONTENT_TOO_LARGE = CATALOG.add(reading.CONTENT_TOO_LARGE)
FILE_TOO_LARGE = CATALOG.add(reading.FILE_TOO_LARGE)
YAML_ALIAS = CATALOG.add(reading.YAML_ALIAS)
NESTING_TOO_DEEP = CATALOG.add(reading.NESTING_TOO_DEEP)
UNREPRESENTABLE_VALUE = CATALOG.add(reading.UNREPRESENTABLE_VALUE)
DUPLICATE_KEY = CATALOG.add(reading.DUPLICATE_KEY)

# L1xx: what kind of document it is.
NOT_A_SCHEMA = CATALOG.add(reading.NOT_A_SCHEMA)
OPENAPI_STRUCTURE = CATALOG.define(
    "L102",
    "openapi-structure",
    "An OpenApi3 document does not have the structure OpenAPI 3.0 requires.",
    '"OrderCreated": {"type": ["string", "null"]}   # OpenAPI 3.0 wants "type": "string" '
    'with "nullable": true',
    "Follow the OpenAPI 3.0 Schema Object: one type string, nullable, no $schema or const.",
)
METASCHEMA_VIOLATION = CATALOG.define(
    "L103",
    "metaschema-violation",
    "A JSON Schema document is not valid against the metaschema of the dialect it declares.",
    '{"$schema": "http://json-schema.org/draft-04/schema#", "type": "strng"}',
    "Fix the keyword at the pointer reported.",
)
UNKNOWN_DIALECT = CATALOG.define(
    "L104",
    "unknown-dialect",
    "The $schema URI names no JSON Schema dialect this tool knows.",
    '{"$schema": "http://json-schema.org/draft-99/schema#"}',
    "Use draft-04 (EventBridge's JSONSchemaDraft4), draft-06, draft-07, 2019-09 or 2020-12.",
)
MISSING_AWS_EVENT = CATALOG.define(
    "L105",
    "missing-aws-event",
    "The document does not describe the event envelope with its detail: an OpenApi3 document "
    "has no components.schemas.AWSEvent with a detail property, a JSON Schema document no "
    "properties.detail at its root.",
    """
{"openapi": "3.0.0", "components": {"schemas": {"Order": {}}}}
{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
 "properties": {"orderId": {"type": "string"}}}   # the detail alone, no envelope
""",
    "Describe the envelope (components.schemas.AWSEvent in OpenApi3, the root of a JSON "
    "Schema) with a detail property; 'eventcontracts import' wraps a detail-only schema.",
)
NONLINEAR_PATTERN = CATALOG.define(
    "L110",
    "nonlinear-pattern",
    "A pattern or patternProperties regex cannot be evaluated in linear time: it uses "
    "lookaround or a backreference, which RE2 (the tool) and Rust's regex (the generated "
    "models) do not have, and a backtracking engine can take minutes on one short string.",
    '"code": {"type": "string", "pattern": "^(?=.*[0-9])(a+)+$"}',
    "Write the pattern without lookaround or backreferences (split it into allOf patterns, "
    "or use a format, enum or maxLength); until then validators give it a "
    "0.2 s budget per string and report what runs out.",
)

# L2xx: the event's identity.
MISSING_SOURCE = CATALOG.define(
    "L201",
    "missing-source",
    "The schema does not say its event source (x-amazon-events-source).",
    '"AWSEvent": {"x-amazon-events-detail-type": "Order Created", ...}',
    "Add x-amazon-events-source with the source the producer puts in events.",
)
MISSING_DETAIL_TYPE = CATALOG.define(
    "L202",
    "missing-detail-type",
    "The schema does not say its detail-type (x-amazon-events-detail-type).",
    '"AWSEvent": {"x-amazon-events-source": "com.example.orders", ...}',
    "Add x-amazon-events-detail-type with the detail-type the producer puts in events.",
)
SOURCE_FOLDER_MISMATCH = CATALOG.define(
    "L203",
    "source-folder-mismatch",
    "The schema's event source is not the name of the folder it lives in.",
    'registry/com.example.orders/OrderCreated/v1.json with "x-amazon-events-source": '
    '"com.example.billing"',
    "Move the schema under registry/<source>/ (the source as a folder name: '/', '%' and other "
    "characters a folder cannot hold percent-encoded, e.g. aws.partner%2Fzendesk.com%2F1%2Fdefault)"
    ", or fix the source.",
)
IDENTITY_CHANGED = CATALOG.define(
    "L204",
    "identity-changed",
    "A schema's source or detail-type differs between its versions.",
    'v1 has detail-type "Order Created", v2 has "OrderCreated"',
    "A different source or detail-type is a different event: give it its own schema folder.",
)
NAME_LIMIT = CATALOG.define(
    "L205",
    "name-limit",
    "A name breaks an EventBridge limit (schema name 1-385 characters, detail-type at most "
    "128, source at most 256).",
    '"x-amazon-events-detail-type": "<a 200-character string>"',
    "Shorten the name.",
)

# L3xx: the registry layout.
VERSION_GAP = CATALOG.define(
    "L301",
    "version-gap",
    "A schema's versions are not numbered 1, 2, 3, ... without gaps.",
    "registry/com.example.orders/OrderCreated/v1.json and v3.json, no v2.json",
    "Renumber the files so that versions are contiguous from v1.",
)
BAD_VERSION_FILE = CATALOG.add(reading.BAD_VERSION_FILE)
DUPLICATE_VERSION = CATALOG.add(reading.DUPLICATE_VERSION)
UNEXPECTED_FILE = CATALOG.add(reading.UNEXPECTED_FILE)
SYMLINK_OUTSIDE_REGISTRY = CATALOG.add(reading.SYMLINK_OUTSIDE_REGISTRY)

# L4xx: references.
DANGLING_REF = CATALOG.define(
    "L401",
    "dangling-ref",
    "A $ref points to nothing.",
    '"detail": {"$ref": "#/components/schemas/OrderCreatd"}',
    "Point the $ref at a definition that exists (pointer tokens escape '/' as ~1, '~' as ~0).",
)
REF_CYCLE = CATALOG.define(
    "L402",
    "ref-cycle",
    "A chain of $refs comes back to where it started without describing any value, or "
    "without going into the event (through allOf, anyOf, oneOf, not, if/then/else): a "
    "validator would loop forever.",
    '"A": {"$ref": "#/definitions/B"}, "B": {"$ref": "#/definitions/A"}\n'
    '"A": {"anyOf": [{"$ref": "#/definitions/B"}]}, "B": {"allOf": [{"$ref": "#/definitions/A"}]}',
    "Break the cycle: one of the schemas must say what the value is.",
)
REMOTE_REF = CATALOG.define(
    "L403",
    "remote-ref",
    "A $ref points to a remote URL, and remote refs are off.",
    '{"$ref": "https://example.com/schemas/address.json"}',
    "Copy the schema into registry/_shared/, or set allow-remote-refs = true in [registry].",
)

# L5xx: sample events.
EXAMPLE_INVALID = CATALOG.define(
    "L501",
    "example-invalid",
    "A sample event does not validate against its schema version.",
    'registry/com.example.orders/OrderCreated/examples/v1/ok.json with "currency": "JPY"',
    "Fix the sample, or the schema if the sample is what producers really send. A sample that "
    "is only the detail (as aws-samples repositories keep them) is one finding, not one per "
    'missing envelope key: wrap it as {"detail": ...} with the envelope, or file it with '
    "`eventcontracts import --events FILE --source S --detail-type T`.",
)
EXAMPLE_ORPHANED = CATALOG.add(reading.EXAMPLE_ORPHANED)

# L6xx: consumer expectations (consumers/<consumer>.yaml).
CONSUMER_MALFORMED = CATALOG.add(reading.CONSUMER_MALFORMED)
CONSUMER_UNKNOWN_VERSION = CATALOG.define(
    "L602",
    "consumer-unknown-version",
    "A consumer says it reads a version the schema does not have.",
    "consumers/shipping-service.yaml with versions: [1, 2, 3] where only v1.json and v2.json exist",
    "List only versions that exist; add a version to the list once it is published.",
)
CONSUMER_UNKNOWN_FIELD = CATALOG.define(
    "L603",
    "consumer-unknown-field",
    "A consumer reads a field that none of the versions it names declares.",
    "consumers/shipping-service.yaml reads shippingAdress.country (a typo of shippingAddress)",
    "Fix the path, or drop the read: a field no version declares is never guaranteed.",
)

# L7xx: what generated code may be told.
CODE_CHOOSING_KEY = CATALOG.define(
    "L701",
    "code-choosing-key",
    "A schema uses a vendor key with which the schema text picks a type, module or base class "
    "of generated code (x-python-type, customTypePath, x-python-import, customBasePath, ...); "
    "code generation ignores them, and a schema from a pull request must not choose imports.",
    '"orderId": {"type": "string", "x-python-type": "pwn_helper.T"}',
    "Remove the key; describe the value with JSON Schema keywords (type, format, pattern).",
)
