"""The gate's own rules, beside the compatibility rules (C###) of the engine."""

from __future__ import annotations

from eventcontracts.rules import Catalog

CATALOG = Catalog("K", "gate")
GATE_RULES = CATALOG.rules


PUBLISHED_VERSION_CHANGED = CATALOG.define(
    "K101",
    "published-version-changed",
    "A version that exists at the base ref was edited (more than whitespace or descriptions).",
    "registry/com.example.orders/OrderCreated/v1.json gains a required field in the PR",
    "Leave v1 as it is and put the change in a new version file, v2.json.",
)
PUBLISHED_VERSION_DELETED = CATALOG.define(
    "K102",
    "published-version-deleted",
    "A version that exists at the base ref was deleted.",
    "registry/com.example.orders/OrderCreated/v1.json is removed while v2.json stays",
    "Restore the file: consumers may still read events of that version.",
)
IDENTITY_CHANGED = CATALOG.define(
    "K103",
    "event-identity-changed",
    "A new version changes the event's source or detail-type: that is a new event.",
    'v2.json says "x-amazon-events-detail-type": "OrderCreated" where v1 said "Order Created"',
    "Give the new event its own schema folder; keep publishing the old one until consumers move.",
)
SCHEMA_REMOVED = CATALOG.define(
    "K104",
    "schema-removed",
    "A whole schema that exists at the base ref was removed: its consumers lose their contract.",
    "registry/com.example.orders/OrderCancelled/ is deleted",
    "Keep the schema, or add a waiver once every consumer has stopped reading the event.",
)
WAIVER_EXPIRED = CATALOG.define(
    "K105",
    "waiver-expired",
    "A waiver's expiry date has passed: the break it accepted counts again.",
    "expires = 2026-01-31 in eventcontracts-waivers.toml, checked on 2026-02-01",
    "Fix the break, or have the waiver reviewed again with a new date.",
)
CONSUMER_BROKEN = CATALOG.define(
    "K106",
    "consumer-broken",
    "A version allows events that a consumer, in its consumers/<name>.yaml, says it cannot read.",
    "consumers/shipping-service.yaml reads shippingAddress.country with enum [DE, FR, NL]; "
    "v3 adds US to the schema's enum",
    "Keep the field as the consumer reads it (or add it as a new field beside the old one), "
    "or have the consumer's team widen its expectation once its code handles the change.",
)
COMPATIBILITY_LOOSENED = CATALOG.define(
    "K107",
    "compatibility-loosened",
    "The PR loosens a schema's compatibility mode or policy: the base ref's settings still apply.",
    '[schemas."com.example.orders@OrderCreated"] mode = "NONE" added in the PR, where the '
    'base ref\'s [compatibility] mode is "FULL" (eventcontracts.toml:17)',
    "Keep the setting, or have the loosening reviewed: a waiver of K107 for the schema (its "
    'reason says why) lets the new setting apply; for a loosened default, schema = "*" '
    "accepts it for every schema it covers.",
)
UNUSED_WAIVER = CATALOG.define(
    "K108",
    "unused-waiver",
    "A waiver accepts nothing the gate checked: stale or mistyped, it would accept a later break.",
    'a [[waiver]] for schema "com.example.orders@OrderCreated", version 3, rule "C500", where '
    "v3 adds no enum value",
    "Remove the waiver (or correct its schema, version, rule or field).",
)
OVERRIDE_NAMES_NO_SCHEMA = CATALOG.define(
    "K109",
    "override-names-no-schema",
    'A [schemas."<name>"] table names no schema of the registry: its settings apply to none.',
    '[schemas."com.example.orders@OrderCreatd"] (a typo of OrderCreated)',
    'Correct the name to a schema\'s "<source>@<Name>", or remove the table.',
)
SECURITY_SETTING_CHANGED = CATALOG.define(
    "K110",
    "security-setting-changed",
    "The PR turns on a security-relevant setting: the base ref's value still applies to the check.",
    "allow-remote-refs = true added under [registry] in the PR, where the base ref has it off "
    "(eventcontracts.toml:5): the gate would fetch whatever URL a $ref names",
    'Keep the setting off, or have the change reviewed: a waiver of K110 (schema = "*", its '
    "reason says why) lets the PR merge; the check of this PR still uses the base ref's value, "
    "so nothing the PR names is fetched before the review.",
)
