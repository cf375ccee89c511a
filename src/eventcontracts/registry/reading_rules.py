"""The lint rules the registry loader reports with: a file it cannot read, parse or place.

They are lint rules (IDs L###, listed in ``docs/lint-rules.md`` in ID order with the others):
:mod:`eventcontracts.lint.catalog` adds each to the lint catalog. They are defined here, in the
registry layer, because the loader reports them as it reads, below lint.
"""

from __future__ import annotations

from eventcontracts import bounded
from eventcontracts.rules import Rule

# L0xx: the file itself.
UNREADABLE_FILE = Rule(
    "L001",
    "unreadable-file",
    "The file cannot be read as UTF-8 text.",
    "registry/com.example/Thing/v1.json saved as UTF-16 or Latin-1",
    "Save the file as UTF-8.",
)

PARSE_ERROR = Rule(
    "L002",
    "parse-error",
    "The file is not valid JSON or YAML, or its YAML has keys that are not strings.",
    '{"type": "object",}',
    "Fix the syntax at the line reported.",
)

CONTENT_TOO_LARGE = Rule(
    "L003",
    "content-too-large",
    "The schema is longer than the 100,000 characters EventBridge accepts.",
    "registry/com.example/Huge/v1.json of 200 KB",
    "Move shared parts into definitions, drop inline examples, or split the event.",
)

FILE_TOO_LARGE = Rule(
    "L004",
    "file-too-large",
    "The file is larger than 5 MiB, the most the tool reads of any one file.",
    "registry/com.example/Thing/examples/v1/dump.json of 40 MB",
    "Keep sample events and shared documents small; split a large one.",
)

YAML_ALIAS = Rule(
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

NESTING_TOO_DEEP = Rule(
    "L006",
    "nesting-too-deep",
    "Objects and arrays nest more than 64 levels deep (real event schemas stay under 12).",
    '{"properties": {"a": {"properties": {"a": ... 200 levels ...}}}}',
    "Flatten the schema: move nested parts into definitions and $ref them.",
)

UNREPRESENTABLE_VALUE = Rule(
    "L007",
    "unrepresentable-value",
    "A value JSON cannot carry faithfully: an integer of more than 4,300 digits, a number "
    "beyond a double (1e400), NaN or Infinity, or text with a lone surrogate (\\ud800).",
    '{"maximum": 1e400}   {"enum": [NaN]}   {"const": "\\ud800"}',
    "Write a finite number of sensible size, or a string; write whole characters.",
)

DUPLICATE_KEY = Rule(
    "L008",
    "duplicate-key",
    "A JSON object has the same key twice; tools disagree on which one counts.",
    '{"type": "object", "type": "string"}',
    "Keep one of the two.",
)

# L1xx: what kind of document it is.
NOT_A_SCHEMA = Rule(
    "L101",
    "not-a-schema",
    "The document is neither an OpenAPI 3.0 document nor a JSON Schema.",
    '["this", "is", "a", "list"]',
    "Write an EventBridge schema: OpenApi3 with components.schemas.AWSEvent, "
    "or JSON Schema with x-amazon-events-source.",
)

# L3xx: the registry layout.
BAD_VERSION_FILE = Rule(
    "L302",
    "bad-version-file",
    "A file in a schema folder is not named v<N>.json, v<N>.yaml or v<N>.yml.",
    "registry/com.example.orders/OrderCreated/version-2.json, v0.json, v02.json",
    "Name version files v1.json, v2.json, ...",
)

DUPLICATE_VERSION = Rule(
    "L303",
    "duplicate-version",
    "Two files hold the same version of a schema.",
    "registry/com.example.orders/OrderCreated/v1.json and v1.yaml",
    "Keep one file per version.",
)

UNEXPECTED_FILE = Rule(
    "L304",
    "unexpected-file",
    "A file or folder sits where the registry layout has no place for it. Notes for people "
    "(README.md, *.txt, *.rst, LICENSE, OWNERS) may sit beside schemas; in examples/v<N>/ every "
    "file is a sample event (.json, or .yaml), so a note there is one too.",
    "registry/notes.json, registry/com.example.orders/v1.json, "
    "registry/com.example.orders/OrderCreated/examples/v1/order.txt",
    "Use registry/<source>/<Name>/v<N>.json and examples/v<N>/<name>.json; put shared "
    "definitions under registry/_shared/.",
)

SYMLINK_OUTSIDE_REGISTRY = Rule(
    "L305",
    "symlink-outside-registry",
    "A file or folder is a symbolic link that leads outside the registry's folder; it is not read.",
    "registry/_shared/address.json -> ../../../home/ci/.aws/credentials, or "
    "registry/com.example/Thing/examples -> /etc",
    "Copy the file into the registry (a link may point elsewhere inside it), or remove the link.",
)

# L5xx: sample events.
EXAMPLE_ORPHANED = Rule(
    "L502",
    "example-orphaned",
    "Sample events sit in a folder for a version that does not exist.",
    "registry/com.example.orders/OrderCreated/examples/v7/ with no v7.json",
    "Move the samples under examples/v<N>/ of an existing version.",
)

# L6xx: consumer expectations (consumers/<consumer>.yaml).
CONSUMER_MALFORMED = Rule(
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

# Which rule reports each refusal of the bounded reader (eventcontracts.bounded).
BOUNDED_READING_RULES: dict[str, Rule] = {
    bounded.TOO_LARGE: FILE_TOO_LARGE,
    bounded.ALIAS: YAML_ALIAS,
    bounded.TOO_DEEP: NESTING_TOO_DEEP,
    bounded.VALUE: UNREPRESENTABLE_VALUE,
    bounded.DUPLICATE_KEY: DUPLICATE_KEY,
}
