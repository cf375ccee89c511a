"""What the gate found: problems, each at a schema version, a file and a line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The outcome of bus-rule problems about no schema (P104 targets-no-schema, P105
# invalid-pattern): schema names are "<source>@<Name>", so this cannot be one.
BUS_RULES = "bus rules"
# The outcome of findings about the settings files themselves (K108 unused waiver, K109
# override naming no schema); "settings" cannot be a schema name either.
SETTINGS = "settings"


@dataclass
class Problem:
    """One finding of the gate.

    ``rule`` is a gate rule (K###), a compatibility rule (C###) or a bus-rule check (P###);
    ``against`` is the earlier version a compatibility change was found against; ``consumer``
    names the consumer a K106 problem breaks (name, owner, file, line, field); ``bus_rule``
    the bus rule a P### problem is in (its file and line are the problem's). ``breaking``
    problems fail the gate unless ``waived``.
    """

    rule: str
    name: str
    schema: str
    version: int | None
    file: str
    line: int | None
    pointer: str
    message: str
    breaking: bool = True
    against: int | None = None
    counterexample: Any = None
    # For a compatibility break: True when a counterexample proves it, False when the engine
    # could not prove the versions compatible and found no counterexample either.
    proven: bool | None = None
    waived_by: str | None = None  # the waiver's reason, when one accepts this problem
    consumer: dict[str, Any] | None = None
    bus_rule: str | None = None
    # The detail path a change is at (``detail.customer.firstName``), which a waiver's
    # ``field`` may name; the index of the waiver that matched in the waivers file, to tell
    # unused waivers apart (not its line: waivers in an array of inline tables share one).
    field_path: str | None = None
    waiver_index: int | None = field(default=None, compare=False)

    @property
    def fails(self) -> bool:
        return self.breaking and self.waived_by is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "schema": self.schema,
            "version": self.version,
            "against": self.against,
            "file": self.file,
            "line": self.line,
            "pointer": self.pointer,
            "field": self.field_path,
            "breaking": self.breaking,
            "waived": self.waived_by is not None,
            "waiver_reason": self.waived_by,
            "message": self.message,
            "counterexample": self.counterexample,
            "proven": self.proven,
            "consumer": self.consumer,
            "bus_rule": self.bus_rule,
        }


@dataclass
class SchemaOutcome:
    """The verdict on one schema: its versions checked, and what was found."""

    schema: str
    mode: str
    policy: str
    versions: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The compatible changes of the versions compared: the reviewer's changelog.
    changes: list[Problem] = field(default_factory=list)
    # The versions this run compared (new ones with --against, all without).
    compared: list[int] = field(default_factory=list)

    @property
    def fails(self) -> bool:
        return any(problem.fails for problem in self.problems)


@dataclass
class CheckResult:
    against: str | None
    outcomes: list[SchemaOutcome]
    notes: list[Problem] = field(default_factory=list)  # expired waivers and the like
    compared_pairs: int = 0
    skipped_unchanged: int = 0
    # The project folder relative to the git root ("events" in a monorepo, "" at the top):
    # the formats a code host reads (github, sarif, junit) name files from the git root.
    host_prefix: str = ""
    settings_compared: bool = False  # --against, and the PR changed eventcontracts.toml
    # Every bus rule of the project was checked (without --against, or with it when the PR
    # changed the config or a shared file): only then can a waiver of a finding about no
    # schema (P104, P105 on "bus rules") be called unused, as it names no rule file.
    bus_rules_checked: bool = False
    consumer_checks: int = 0  # (consumer, version) pairs checked

    @property
    def problems(self) -> list[Problem]:
        return [p for outcome in self.outcomes for p in outcome.problems]

    @property
    def schema_outcomes(self) -> list[SchemaOutcome]:
        """The outcomes of schemas: all but the ones of bus-rule problems about no schema and
        of the settings files."""
        return [o for o in self.outcomes if o.schema not in (BUS_RULES, SETTINGS)]

    @property
    def bus_rules_fail(self) -> bool:
        return any(outcome.fails for outcome in self.outcomes if outcome.schema == BUS_RULES)

    @property
    def settings_fail(self) -> bool:
        return any(outcome.fails for outcome in self.outcomes if outcome.schema == SETTINGS)

    @property
    def changes(self) -> list[Problem]:
        return [change for outcome in self.outcomes for change in outcome.changes]

    @property
    def ok(self) -> bool:
        return not any(outcome.fails for outcome in self.outcomes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "ok": self.ok,
            "against": self.against,
            "summary": {
                "schemas": len(self.schema_outcomes),
                "failing_schemas": sum(outcome.fails for outcome in self.schema_outcomes),
                "problems": sum(p.fails for p in self.problems),
                "waived": sum(p.waived_by is not None for p in self.problems),
                "compared_pairs": self.compared_pairs,
                "consumer_checks": self.consumer_checks,
                "unchanged_schemas_skipped": self.skipped_unchanged,
            },
            "schemas": [
                {
                    "schema": outcome.schema,
                    "mode": outcome.mode,
                    "policy": outcome.policy,
                    "versions": outcome.versions,
                    "ok": not outcome.fails,
                    "problems": [problem.as_dict() for problem in outcome.problems],
                    "changes": [change.as_dict() for change in outcome.changes],
                }
                for outcome in self.outcomes
            ],
            "notes": [note.as_dict() for note in self.notes],
        }
