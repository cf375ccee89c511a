"""Write docs/check-output.md: what ``eventcontracts check`` prints, in every format.

The page is the output of the real command on a throwaway git repository made from the example
catalog, with one fixed pull request that breaks four things. Run it with ``make docs``; the
tests regenerate the page and fail when the file is stale. The output is the same on every run
and every machine: the paths the command prints are relative, and nothing depends on the date.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PAGE = REPO_ROOT / "docs" / "check-output.md"
HYPOTHESIS_CACHE = REPO_ROOT / ".hypothesis"
FORMATS = ("text", "json", "github", "junit", "markdown", "sarif")
ORDERS = Path("registry/com.mycompany.orders")
PAYMENT_FAILED = Path("registry/com.mycompany.payments/PaymentFailed")

FORMAT_NOTES = {
    "text": "For people: grouped by schema, with each break's counterexample. Colour on a "
    "terminal only (`NO_COLOR` turns it off).",
    "json": 'For programs; the shape is stable (`"version": 1`, see below).',
    "github": "GitHub Actions workflow commands: each breaking change becomes an error "
    "annotation on its file and line in the pull request; waived breaks are notices and "
    "expired waivers warnings. The last line is the summary.",
    "junit": "JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure "
    "DevOps): one testcase per schema version checked (`schema` for a removed schema), a "
    "failure per breaking change, a waived break as skipped.",
    "markdown": "A pull request comment: the verdict, a table of the breaking changes, and "
    "the details of each with its counterexample.",
    "sarif": "SARIF 2.1.0 for code scanning (GitHub's `upload-sarif`, GitLab, Azure "
    "DevOps): the rules that occur and a result per finding; waived breaks are `note`s "
    "with an external suppression.",
}

JSON_KEYS = """\
The `json` format is stable: fields may be added, none is renamed or removed without a new
`version`.

- `version` (1), `ok` (no unwaived breaking change), `against` (the git ref, or `null`);
- `summary`: `schemas` checked, `failing_schemas`, `problems` (unwaived breaking changes),
  `waived`, `compared_pairs` (version pairs compared), `consumer_checks` (consumer
  expectations held to a version), `unchanged_schemas_skipped`;
- `schemas`: one entry per schema checked: `schema` (`<source>@<Name>`), `mode`, `policy`,
  `versions` (those in the working tree; empty for a removed schema), `ok`, `problems`;
- `schemas` holds one more entry, `"schema": "bus rules"` (no mode, policy or versions),
  when a bus rule has a problem that is about no schema: it targets none (P104) or is not a
  valid pattern (P105);
- each problem: `rule` (K### gate rule, C### compatibility rule or P### bus-rule check),
  `name`, `schema`, `version` (`null` for the whole schema), `against` (the earlier version
  compared with), `file` (relative to `eventcontracts.toml`; a P### problem's is the rule
  file), `line` (or `null`), `pointer` (JSON pointer in the file), `breaking`, `waived`,
  `waiver_reason`, `message`, and `counterexample` (an event
  one version accepts and the other rejects: `accepted_by`, `rejected_by`, `at`, `value`,
  `event`, and `missing` for a newly required property) or `null`; and `consumer`, for
  K106, the consumer the version breaks (`name`, `owner`, `file`, `line` of the read in its
  consumers file, `field`), else `null`. A K106 counterexample is `accepted_by` `"version"`
  and `rejected_by` `"consumer"`; and `bus_rule`, for P###, the name of the bus rule (a
  pattern file's name, a template's logical ID), else `null`;
- `notes`: findings that do not fail the gate by themselves, such as expired waivers and
  bus-rule warnings (P106, P107), in the same shape as problems.
"""


FX_RATES = """\
# The FX service converts order totals; it has rates for three currencies.
owner: team-finance
versions: [2]
reads:
  - field: totalAmount
    type: number
  - field: currency
    enum: [USD, EUR, GBP]
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.email=docs@example.com",
            "-c",
            "user.name=Docs",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=root,
        check=True,
        capture_output=True,
    )


def make_example(root: Path) -> None:
    """The example project committed on ``main``, and branch ``pr`` with four breaks."""
    for folder in ("registry", "rules", "infra"):  # infra/ and rules/: the bus rules
        shutil.copytree(REPO_ROOT / folder, root / folder)
    shutil.copy2(REPO_ROOT / "eventcontracts.toml", root / "eventcontracts.toml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "The example catalog")
    git(root, "checkout", "-qb", "pr")

    # A new version of Order Created accepts a currency that consumers on v2 reject.
    created = root / ORDERS / "OrderCreated"
    document = json.loads((created / "v2.json").read_text(encoding="utf-8"))
    document["info"]["version"] = "3.0.0"
    document["components"]["schemas"]["OrderCreated"]["properties"]["currency"]["enum"].append(
        "JPY"
    )
    (created / "v3.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")

    # In the same PR, the FX service writes down what it reads: the three currencies it has
    # rates for. v3 breaks it (K106).
    (created / "consumers" / "fx-rates.yaml").write_text(FX_RATES, encoding="utf-8")

    # The published v1 of Order Shipped is edited in place: a field becomes required.
    shipped = root / ORDERS / "OrderShipped" / "v1.yaml"
    text = shipped.read_text(encoding="utf-8")
    required = "        - metadata\n"
    assert text.count(required) == 1, "the example's OrderShipped v1 changed; update the script"
    text = text.replace(required, f"{required}        - estimatedDeliveryDate\n")
    shipped.write_text(text, encoding="utf-8")

    # A whole schema is deleted; a bus rule routed its events.
    shutil.rmtree(root / PAYMENT_FAILED)


def run_check(root: Path, output_format: str) -> tuple[int, str]:
    """``eventcontracts check --against main --format F`` in ``root``: exit code and stdout."""
    # The counterexample search (hypothesis) caches Unicode tables in a folder; the repository's
    # .hypothesis/ keeps them between runs, which saves seconds and changes no output.
    env = {**os.environ, "NO_COLOR": "1", "HYPOTHESIS_STORAGE_DIRECTORY": str(HYPOTHESIS_CACHE)}
    env.pop("EVENTCONTRACTS_DEBUG", None)
    command = ["check", "--against", "main", "--format", output_format]
    proc = subprocess.run(
        [sys.executable, "-m", "eventcontracts", *command],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if proc.returncode not in (0, 1) or proc.stderr:
        raise RuntimeError(f"check --format {output_format} failed: {proc.stderr.strip()}")
    return proc.returncode, proc.stdout


def fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in ``text``."""
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def page_markdown() -> str:
    """The page, from a fresh throwaway repository."""
    with tempfile.TemporaryDirectory(prefix="eventcontracts-docs-") as temp:
        root = Path(temp)
        make_example(root)
        with ThreadPoolExecutor(max_workers=len(FORMATS)) as pool:
            runs = pool.map(lambda fmt: run_check(root, fmt), FORMATS)
            outputs = dict(zip(FORMATS, runs, strict=True))
    lines = [
        "# `eventcontracts check` output",
        "",
        "<!-- Generated by scripts/check_output_docs.py (`make docs`); do not edit. -->",
        "",
        "`eventcontracts check --against REF --format FORMAT` prints its verdict in one of six",
        "formats. Each section below is the real output for the same pull request on the",
        "example catalog of this repository, which breaks four things:",
        "",
        "1. `OrderCreated/v3.json` is v2 with `JPY` added to the `currency` enum: consumers",
        "   still on v2 reject such an event (C500, found with a counterexample);",
        "2. the same PR adds `OrderCreated/consumers/fx-rates.yaml`, in which the FX service",
        "   says it reads `currency` as one of USD, EUR, GBP: v3 breaks it (K106);",
        "3. the published `OrderShipped/v1.yaml` is edited: `estimatedDeliveryDate` becomes",
        "   required (K101: a published version never changes);",
        "4. the schema `com.mycompany.payments@PaymentFailed` is deleted (K104), and the bus",
        "   rule in `rules/payment-problems.json` that routes Payment Failed events now routes",
        "   nothing of them (P104, from `[rules] paths` in `eventcontracts.toml`).",
        "",
        "```sh",
        "git checkout -b pr",
        "# ... the four changes above ...",
        "eventcontracts check --against main                  # text",
        "eventcontracts check --against main --format github  # json, junit, markdown, sarif",
        "```",
        "",
        "Exit codes, the same in every format: **0** no breaking change (waived ones included),",
        "**1** breaking changes, **2** the registry, the config, a rule file or the git ref",
        "cannot be read (one line on stderr says what to do). [ci.md](ci.md) shows the formats",
        "in CI.",
    ]
    for fmt in FORMATS:
        code, out = outputs[fmt]
        language = {"json": "json", "junit": "xml", "sarif": "json", "markdown": "markdown"}
        mark = fence(out)
        lines += [
            "",
            f"## `--format {fmt}`",
            "",
            textwrap.fill(FORMAT_NOTES[fmt], width=92),
            "",
            f"{mark}{language.get(fmt, 'text')}",
            out.rstrip("\n"),
            mark,
            "",
            f"Exit code: {code}.",
        ]
        if fmt == "json":
            lines += ["", JSON_KEYS.rstrip("\n")]
    return "\n".join(lines) + "\n"


def main() -> None:
    PAGE.write_text(page_markdown(), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
