"""The lint rule catalog: every rule has a stable ID, a name, a one-line summary and an example.

IDs never change meaning and are never reused; ``docs/lint-rules.md`` is generated from this
table (``make docs``) and a test fails when the two disagree.
"""

from __future__ import annotations

from eventcontracts import bounded
from eventcontracts.rules import Catalog, Rule

CATALOG = Catalog("L", "lint")
RULES = CATALOG.rules


# L0xx: the file itself.
UNREADABLE_FILE = CATALOG.define(
    "L001",
    "unreadable-file",
    "The file cannot be read as UTF-8 text.",
    "registry/com.example/Thing/v1.json saved as UTF-16 or Latin-1",
    "Save the file as UTF-8.",
)
PARSE_ERROR = CATALOG.define(
    "L002",
    "parse-error",
    "The file is not valid JSON or YAML, or its YAML has keys that are not strings.",
    '{"type": "object",}',
    "Fix the syntax at the line reported.",
)
CONTENT_TOO_LARGE = CATALOG.define(
    "L003",
    "content-too-large",
    "The schema is longer than the 100,000 characters EventBridge accepts.",
    "registry/com.example/Huge/v1.json of 200 KB",
    "Move shared parts into definitions, drop inline examples, or split the event.",
)
FILE_TOO_LARGE = CATALOG.define(
    "L004",
    "file-too-large",
    "The file is larger than 5 MiB, the most the tool reads of any one file.",
    "registry/com.example/Thing/examples/v1/dump.json of 40 MB",
    "Keep sample events and shared documents small; split a large one.",
)
YAML_ALIAS = CATALOG.define(
    "L005",
    "yaml-alias",
    "A YAML registry file uses an anchor or an alias (&name, *name): a few of them can expand "
    "to billions of values.",
    """
base: &base {type: string}
properties: {id: *base}
""",
    "Write the value out, or share it through a $ref to a definition.",
)
NESTING_TOO_DEEP = CATALOG.define(
    "L006",
    "nesting-too-deep",
    "Objects and arrays nest more than 64 levels deep (real event schemas stay under 12).",
    '{"properties": {"a": {"properties": {"a": ... 200 levels ...}}}}',
    "Flatten the schema: move nested parts into definitions and $ref them.",
)
UNREPRESENTABLE_VALUE = CATALOG.define(
    "L007",
    "unrepresentable-value",
    "A value JSON cannot carry faithfully: an integer of more than 4,300 digits, a number "
    "beyond a double (1e400), NaN or Infinity, or text with a lone surrogate (\\ud800).",
    '{"maximum": 1e400}   {"enum": [NaN]}   {"const": "\\ud800"}',
    "Write a finite number of sensible size, or a string; write whole characters.",
)
DUPLICATE_KEY = CATALOG.define(
    "L008",
    "duplicate-key",
    "A JSON object has the same key twice; tools disagree on which one counts.",
    '{"type": "object", "type": "string"}',
    "Keep one of the two.",
)

# L1xx: what kind of document it is.
NOT_A_SCHEMA = CATALOG.define(
    "L101",
    "not-a-schema",
    "The document is neither an OpenAPI 3.0 document nor a JSON Schema.",
    '["this", "is", "a", "list"]',
    "Write an EventBridge schema: OpenApi3 with components.schemas.AWSEvent, "
    "or JSON Schema with x-amazon-events-source.",
)
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
BAD_VERSION_FILE = CATALOG.define(
    "L302",
    "bad-version-file",
    "A file in a schema folder is not named v<N>.json, v<N>.yaml or v<N>.yml.",
    "registry/com.example.orders/OrderCreated/version-2.json, v0.json, v02.json",
    "Name version files v1.json, v2.json, ...",
)
DUPLICATE_VERSION = CATALOG.define(
    "L303",
    "duplicate-version",
    "Two files hold the same version of a schema.",
    "registry/com.example.orders/OrderCreated/v1.json and v1.yaml",
    "Keep one file per version.",
)
UNEXPECTED_FILE = CATALOG.define(
    "L304",
    "unexpected-file",
    "A file or folder sits where the registry layout has no place for it.",
    "registry/notes.txt, registry/com.example.orders/v1.json",
    "Use registry/<source>/<Name>/v<N>.json; put shared definitions under registry/_shared/.",
)
SYMLINK_OUTSIDE_REGISTRY = CATALOG.define(
    "L305",
    "symlink-outside-registry",
    "A file or folder is a symbolic link that leads outside the registry's folder; it is not read.",
    "registry/_shared/address.json -> ../../../home/ci/.aws/credentials, or "
    "registry/com.example/Thing/examples -> /etc",
    "Copy the file into the registry (a link may point elsewhere inside it), or remove the link.",
)

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
    "Fix the sample, or the schema if the sample is what producers really send.",
)
EXAMPLE_ORPHANED = CATALOG.define(
    "L502",
    "example-orphaned",
    "Sample events sit in a folder for a version that does not exist.",
    "registry/com.example.orders/OrderCreated/examples/v7/ with no v7.json",
    "Move the samples under examples/v<N>/ of an existing version.",
)

# L6xx: consumer expectations (consumers/<consumer>.yaml).
CONSUMER_MALFORMED = CATALOG.define(
    "L601",
    "consumer-malformed",
    "A consumer expectations file is not what the format says: an unknown key, a field path "
    "that is not one, an unknown type, a constraint of the wrong kind.",
    """
registry/com.example.orders/OrderCreated/consumers/shipping-service.yaml:
  versions: [1]
  reads:
    - field: shippingAddress..country
      type: text
""",
    "Write versions and reads as docs describe: field paths like shippingAddress.country or "
    "items[].sku, types string, number, integer, boolean, object, array or null.",
)
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

# Which rule reports each refusal of the bounded reader (eventcontracts.bounded).
BOUNDED_READING_RULES: dict[str, Rule] = {
    bounded.TOO_LARGE: FILE_TOO_LARGE,
    bounded.ALIAS: YAML_ALIAS,
    bounded.TOO_DEEP: NESTING_TOO_DEEP,
    bounded.VALUE: UNREPRESENTABLE_VALUE,
    bounded.DUPLICATE_KEY: DUPLICATE_KEY,
}
