"""Settings files read into declared models: every table refuses a key it does not declare, no
value is coerced ("yes" is no boolean), and every mistake is one line naming the file, the key
and what to do, exit 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CliResult, CliRunner
from eventcontracts.check.waivers import load_waivers
from eventcontracts.config import load_config
from eventcontracts.errors import ConfigError

CONFIG = "eventcontracts.toml"
WAIVERS = "eventcontracts-waivers.toml"


def one_line_error(result: CliResult) -> str:
    assert result.code == 2, result.both
    assert result.out == "" and "Traceback" not in result.both
    (line,) = result.err.strip().splitlines()
    return line


def line_of(path: Path, needle: str) -> int:
    return next(n for n, text in enumerate(path.read_text().splitlines(), 1) if needle in text)


# (what is appended to the example config, the misspelt key, where it is, the key meant)
UNKNOWN_KEYS = {
    "registry": ("[registry.nmae]\n", "nmae", "[registry]", "name"),
    "compatibility": ("[compatibility.policcy]\n", "policcy", "[compatibility]", "policy"),
    "schemas": (
        '[schemas."com.mycompany.orders@OrderCreated"]\nmdoe = "NONE"\n',
        "mdoe",
        '[schemas."com.mycompany.orders@OrderCreated"]',
        "mode",
    ),
    "lint": ('[lint]\nignores = ["L060"]\n', "ignores", "[lint]", "ignore"),
    "codegen": ("[codegen.fieldnames]\n", "fieldnames", "[codegen]", "field-names"),
    "rules": ("[rules.path]\n", "path", "[rules]", "paths"),
    "catalog": ("[catalog.titel]\n", "titel", "[catalog]", "title"),
    "asyncapi": ('[asyncapi]\nbuss = "orders"\n', "buss", "[asyncapi]", "bus"),
    # The example config ends with its [codegen.typescript] table: the key lands there.
    "codegen.typescript": (
        'modlue = "esm"\n',
        "modlue",
        "[codegen.typescript]",
        "module",
    ),
}


@pytest.mark.parametrize(("extra", "key", "table", "meant"), list(UNKNOWN_KEYS.values()),
                         ids=list(UNKNOWN_KEYS))  # fmt: skip
def test_every_table_refuses_an_unknown_key_with_a_suggestion(
    example_project: Path, cli: CliRunner, extra: str, key: str, table: str, meant: str
) -> None:
    config = example_project / CONFIG
    config.write_text(config.read_text() + "\n" + extra)

    line = one_line_error(cli(["lint"], example_project))

    assert (
        f"{CONFIG}:{line_of(config, extra.splitlines()[-1])}: unknown key {key!r} in {table}"
        in line
    )
    assert f"; did you mean {meant!r}?" in line
    assert f"({table} has " in line  # and what it does hold


def test_an_unknown_table_is_refused_with_a_suggestion(
    example_project: Path, cli: CliRunner
) -> None:
    config = example_project / CONFIG
    config.write_text(config.read_text() + '\n[codgen]\npackage = "x"\n')
    line = one_line_error(cli(["lint"], example_project))
    assert f"{CONFIG}:{line_of(config, '[codgen]')}: unknown table [codgen]" in line
    assert "did you mean 'codegen'?" in line and "(the tables are [registry]," in line


def test_a_source_in_codegen_modules_is_no_unknown_key(tmp_path: Path) -> None:
    # [codegen.modules] is keyed by the user's own sources: any name is one.
    config = tmp_path / CONFIG
    config.write_text('[codegen.modules]\n"anything.at.all" = "orders"\n')
    assert load_config(config).codegen.modules == (("anything.at.all", "orders"),)


def test_the_typescript_package_is_off_unless_its_table_is_there(tmp_path: Path) -> None:
    config = tmp_path / CONFIG
    config.write_text('[codegen]\ndistribution = "My-Events"\n')
    assert load_config(config).codegen.typescript is None

    config.write_text('[codegen]\ndistribution = "My-Events"\n\n[codegen.typescript]\n')
    typescript = load_config(config).codegen.typescript
    assert typescript is not None
    # the npm name defaults to the distribution's, in the lower case npm requires
    assert (typescript.out, typescript.package, typescript.module) == (
        "generated-ts",
        "my-events",
        "esm",
    )

    config.write_text(
        '[codegen.typescript]\nout = "ts"\npackage = "@acme/events"\nmodule = "commonjs"\n'
    )
    typescript = load_config(config).codegen.typescript
    assert typescript is not None
    assert (typescript.out, typescript.package, typescript.module) == (
        "ts",
        "@acme/events",
        "commonjs",
    )


# (the setting, what the line says): TOML's type is the type; nothing is coerced.
WRONG_TYPES = {
    "yes-is-no-boolean": (
        '[registry]\nallow-remote-refs = "yes"\n',
        "[registry] allow-remote-refs must be true or false",
    ),
    "a-number-is-no-path": ("[registry]\npath = 1\n", "[registry] path must be a non-empty string"),
    "an-empty-path": ('[registry]\npath = ""\n', "[registry] path must be a non-empty string"),
    "a-mode-that-is-a-number": (
        "[compatibility]\nmode = 1\n",
        "[compatibility] mode 1 is not one of",
    ),
    "an-override-policy-that-is-a-boolean": (
        '[schemas."x"]\npolicy = false\n',
        '[schemas."x"] policy False is not one of strict, lenient',
    ),
    "a-number-among-rule-ids": (
        '[lint]\nignore = ["L060", 60]\n',
        '[lint] ignore must be a list of rule IDs, e.g. ["L060"]',
    ),
    "an-empty-glob": ('[rules]\npaths = [""]\n', "[rules] paths must be a list of globs"),
    "enums-as-a-boolean": (
        "[codegen]\nenums = true\n",
        '[codegen] enums must be "literal" or "enum"',
    ),
    "modules-as-a-string": (
        '[codegen]\nmodules = "orders"\n',
        '[codegen.modules] must be a table, e.g. "com.mycompany.orders" = "orders"',
    ),
    "typescript-module-umd": (
        '[codegen.typescript]\nmodule = "umd"\n',
        '[codegen.typescript] module must be "esm" or "commonjs"',
    ),
    "typescript-package-not-an-npm-name": (
        '[codegen.typescript]\npackage = "My Events"\n',
        "[codegen.typescript] package 'My Events' is not an npm package name",
    ),
    "typescript-out-empty": (
        '[codegen.typescript]\nout = ""\n',
        "[codegen.typescript] out must be a non-empty string",
    ),
    "typescript-in-the-python-packages-folder": (
        '[codegen]\nout = "gen"\n\n[codegen.typescript]\nout = "./gen/"\n',
        "[codegen] and [codegen.typescript] out are both 'gen'; give the TypeScript package its "
        "own folder",
    ),
    "typescript-as-a-string": (
        '[codegen]\ntypescript = "generated-ts"\n',
        "[codegen.typescript] must be a table",
    ),
    "catalog-owners-as-a-string": (
        '[catalog]\nowners = "team-orders"\n',
        '[catalog.owners] must be a table, e.g. "com.mycompany.orders" = "team-orders"',
    ),
    "catalog-owner-a-number": (
        '[catalog.owners]\n"com.a" = 3\n',
        '[catalog.owners] "com.a" = 3 is not a team name',
    ),
    "catalog-title-empty": (
        '[catalog]\ntitle = ""\n',
        "[catalog] title must be a non-empty string",
    ),
    "asyncapi-bus-not-a-bus-name": (
        '[asyncapi]\nbus = "orders bus"\n',
        "[asyncapi] bus 'orders bus' is not an EventBridge bus name",
    ),
    "asyncapi-out-a-number": ("[asyncapi]\nout = 3\n", "[asyncapi] out must be a non-empty string"),
    "a-table-as-a-string": ('registry = "registry"\n', "[registry] must be a table"),
    "an-override-as-a-string": ('[schemas]\n"x" = "NONE"\n', '[schemas."x"] must be a table'),
}


@pytest.mark.parametrize(("text", "says"), list(WRONG_TYPES.values()), ids=list(WRONG_TYPES))
def test_a_value_of_the_wrong_type_is_one_line_and_exit_2(
    tmp_path: Path, cli: CliRunner, text: str, says: str
) -> None:
    (tmp_path / "registry").mkdir()
    (tmp_path / CONFIG).write_text(text)
    line = one_line_error(cli(["lint"], tmp_path))
    assert line.startswith(f"error: {tmp_path / CONFIG}: ") and says in line, line


def test_the_base_refs_copy_is_read_without_refusing_what_this_version_does_not_know(
    tmp_path: Path,
) -> None:
    # A key the base ref holds that this version does not know is not the branch's doing: the
    # keys it does know still apply (its mode is what the PR is judged by).
    config = tmp_path / CONFIG
    config.write_text('[compatibility]\nmode = "BACKWARD"\nfuture-key = 1\n[future]\nx = 1\n')
    with pytest.raises(ConfigError, match="unknown key 'future-key'"):
        load_config(config)
    assert load_config(config, strict=False).compatibility.mode == "BACKWARD"
    # but a wrong value is wrong for either
    config.write_text('[registry]\nallow-remote-refs = "yes"\n')
    with pytest.raises(ConfigError, match="allow-remote-refs must be true or false"):
        load_config(config, strict=False)


WAIVER = (
    '[[waiver]]\nschema = "com.mycompany.orders@OrderCreated"\nversion = 2\nrule = "C500"\n'
    'reason = "PLAT-1"\nexpires = 2099-12-31\n'
)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("version = 2", "version = true"), ":1: version is a positive integer"),
        (("version = 2", 'version = "2"'), ":1: version is a positive integer"),
        (("expires = 2099-12-31", 'expires = "2099-12-31"'), ":1: expires is a date"),
        (('reason = "PLAT-1"', 'reason = " "'), ":1: schema, rule and reason are non-empty"),
        (('reason = "PLAT-1"\n', ""), ":1: the waiver needs 'reason'"),
        (("version = 2", "verison = 2"), ":3: unknown key 'verison' in a waiver; did you mean "),
        (("[[waiver]]", "[[waivers]]"), ": unknown table [waivers]; did you mean 'waiver'?"),
    ],
)
def test_a_wrong_waiver_is_one_line_and_exit_2(
    example_project: Path, cli: CliRunner, change: tuple[str, str], says: str
) -> None:
    (example_project / WAIVERS).write_text(WAIVER.replace(*change))
    line = one_line_error(cli(["check"], example_project))
    assert f"{WAIVERS}{says}" in line, line


def test_a_waiver_reads_as_written(tmp_path: Path) -> None:
    path = tmp_path / WAIVERS
    path.write_text(WAIVER.replace("expires = 2099-12-31", "expires = 2099-12-31T10:00:00Z"))
    (waiver,) = load_waivers(path)
    assert (waiver.schema, waiver.version, waiver.rule, waiver.reason) == (
        "com.mycompany.orders@OrderCreated",
        2,
        "C500",
        "PLAT-1",
    )
    assert str(waiver.expires) == "2099-12-31" and waiver.line == 1


def test_commands_that_read_no_settings_do_not_import_pydantic() -> None:
    # pydantic costs tens of milliseconds to import; --help and explain read no settings file.
    code = (
        "import sys; from eventcontracts import cli, config; "
        "assert 'pydantic' not in sys.modules, 'pydantic imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("before", [None, "logfire"])
def test_reading_settings_leaves_the_pydantic_plugin_switch_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: str | None
) -> None:
    # The tool's settings models are built without pydantic plugins (finding them reads every
    # installed distribution); the user's own models, built later in the process, are not.
    if before is None:
        monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    else:
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", before)
    (tmp_path / "eventcontracts.toml").write_text('[registry]\nname = "x"\n', encoding="utf-8")
    config = load_config(tmp_path / "eventcontracts.toml")
    assert config.registry_name == "x"
    assert os.environ.get("PYDANTIC_DISABLE_PLUGINS") == before


@pytest.mark.parametrize("other_thread", [False, True])
def test_the_plugin_switch_is_flipped_only_to_build_a_validator_with_no_other_thread(
    tmp_path: Path, other_thread: bool
) -> None:
    # The switch is process-wide: a thread building its own model meanwhile would silently lose
    # its plugins, so with one running the plugins are looked up as usual. A validator already
    # built needs no switch at all.
    config = tmp_path / "eventcontracts.toml"
    config.write_text('[registry]\nname = "x"\n', encoding="utf-8")
    code = f"""
import os, threading
import pydantic.plugin._loader as loader
seen = []
real = loader.get_plugins
loader.get_plugins = lambda: seen.append(os.environ.get("PYDANTIC_DISABLE_PLUGINS")) or real()
from pathlib import Path
from eventcontracts.config import load_config
stop = threading.Event()
if {other_thread}:
    threading.Thread(target=stop.wait, daemon=True).start()
load_config(Path({str(config)!r}))
load_config(Path({str(config)!r}))
stop.set()
print(seen)
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == ("[None]" if other_thread else "['__all__']")
