"""The tool's layers, enforced over its import graph (README: "Architecture").

Every module of ``src/eventcontracts`` belongs to one unit (its top-level module or package), and
every unit to one layer. A module may import its own unit and the units of lower layers; a unit
of the same layer only along a declared, reasoned edge of :data:`SIBLING_IMPORTS`. The runtime,
which services ship to Lambda, imports nothing else of the tool, and the rest of the tool uses
only its public modules (``eventcontracts.runtime``, ``eventcontracts.runtime.types``).

The graph is read with ``ast`` from the source, so it sees every import a run could make:
imports inside functions, relative imports, ``from eventcontracts import bounded`` (a submodule)
and imports under ``if TYPE_CHECKING`` (a type is a dependency too).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "eventcontracts"
ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / PACKAGE

# --- the layers, lowest first ------------------------------------------------------------------

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Plain helpers that know nothing of schemas, the registry or settings.
    (
        "base",
        (
            "errors",
            "findings",
            "rules",
            "rulesdoc",
            "wording",
            "safe_regex",
            "processes",
            "aws",
            "version",
            "settings_model",
        ),
    ),
    # The writers of the one diagnostic type: text, json, github, junit, markdown, sarif.
    ("report", ("diagnostics",)),
    # The JSON Schema toolkit: keywords, walk, pointers, ref inlining, canonical form.
    ("schema", ("schema",)),
    # Reading files within bounds, the settings file, and captured events (traffic).
    ("reading", ("bounded", "config", "traffic")),
    # The registry on disk: documents, the typed model, ref resolution, what a well-formed
    # document is, and the rules the loader reports with.
    ("registry", ("registry",)),
    # The engines: lint, the compatibility engine, bus-rule patterns, realistic sample events.
    ("engines", ("lint", "compat", "patterns", "samples")),
    # What the commands do with the engines: the CI gate, code generation, contract tests,
    # registry sync, importing, the schemas emulator, the project scaffold, the catalog site,
    # AsyncAPI export and import, schemas inferred from captured events, drift between captured
    # traffic and the registry.
    (
        "commands",
        (
            "check",
            "codegen",
            "contract",
            "sync",
            "importer",
            "emulator",
            "scaffold",
            "catalog",
            "asyncapi",
            "infer",
            "drift",
        ),
    ),
    # Entry points: the CLI, `python -m eventcontracts`, the rulebook of every catalog, and the
    # public API of `import eventcontracts` (__init__).
    ("entry", ("cli", "rulebook", "__main__", "__init__")),
)

# The runtime ships alone: it imports nothing else of the tool, and others import only its
# public modules (its private ``_x`` modules may change with any release of a service).
RUNTIME = "runtime"

# Units of one layer are independent, except along these edges (importer unit, imported unit).
# They must not form a cycle: "lint imports compat, compat imports lint" is what layers prevent.
SIBLING_IMPORTS: dict[tuple[str, str], str] = {
    ("config", "bounded"): "the settings file is read with the bounded reader",
    ("traffic", "bounded"): "captured events are read within the bounded reader's limits",
    ("lint", "compat"): (
        "lint's consumer checks (L603) find the fields a consumer reads with compat's schema "
        "model, the one the gate's consumer checks use, so that lint and check agree"
    ),
    ("samples", "compat"): (
        "a pattern without a readable match is matched by compat's search (compat.examples."
        "matching), the one its counterexamples use, and the builder's 'no value' is compat's"
    ),
    ("asyncapi", "catalog"): (
        "an AsyncAPI document's file is named as the catalog names a schema's page "
        "(catalog.slugs): safe on every file system, never shared by two sources"
    ),
    ("infer", "importer"): (
        "infer writes the versions it infers and files their samples with the importer's "
        "writers, so inferred and imported schemas are written alike"
    ),
    ("emulator", "infer"): (
        "GetDiscoveredSchema infers a schema from the events of the request as `eventcontracts "
        "infer` does (infer.shape, infer.schema, infer.document): one inference, in the shape "
        "EventBridge's schema discovery writes"
    ),
    ("emulator", "codegen"): (
        "a Python36 code binding is the package `eventcontracts generate` writes for the "
        "version (codegen.generate, codegen.naming), so a binding reads like the generated code"
    ),
    ("asyncapi", "importer"): (
        "asyncapi import writes each message as `import` writes a version (importer.versions) "
        "in the envelope it builds (importer.envelope, importer.splitting) and files its "
        "examples as `import --events` does (importer.filing)"
    ),
    ("cli", "rulebook"): "`explain` and the docs list every catalog's rules",
    ("__main__", "cli"): "`python -m eventcontracts` is the CLI",
}

LAYER_OF: dict[str, int] = {unit: rank for rank, (_, units) in enumerate(LAYERS) for unit in units}
LAYER_NAME = [name for name, _ in LAYERS]


# --- the import graph ------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module names
    imported: str
    file: Path
    line: int

    @property
    def where(self) -> str:
        return f"{self.file.relative_to(SOURCE.parents[1])}:{self.line}"

    @property
    def edge(self) -> tuple[str, str]:
        return (self.importer, self.imported)


def modules(root: Path = SOURCE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(known: dict[str, Path]) -> list[Import]:
    """Every import of a module of the package by a module of the package."""
    found = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):  # every statement, those inside functions too
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _targets(name, path, node, known):
                    if target != name:
                        found.append(Import(name, target, path, node.lineno))
    return found


def _targets(
    name: str, path: Path, node: ast.Import | ast.ImportFrom, known: dict[str, Path]
) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if _ours(alias.name):
                yield _existing(alias.name, known)
    else:
        if node.level:  # relative: from the module's package, one level up per extra dot
            package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
            base = package[: len(package) - node.level + 1]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        if not _ours(source):
            return
        for alias in node.names:
            submodule = f"{source}.{alias.name}"  # `from eventcontracts import bounded`
            yield submodule if submodule in known else _existing(source, known)


def _ours(module: str) -> bool:
    return module == PACKAGE or module.startswith(f"{PACKAGE}.")


def _existing(module: str, known: dict[str, Path]) -> str:
    """``module``, or the longest prefix of it that is a module (an import of a name)."""
    while module not in known and "." in module:
        module = module.rsplit(".", 1)[0]
    return module


def unit_of(module: str) -> str:
    """``eventcontracts.lint.checks`` -> ``lint``; the package itself -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _is_private_runtime(module: str) -> bool:
    parts = module.split(".")
    return unit_of(module) == RUNTIME and any(part.startswith("_") for part in parts[2:])


def violations(graph: list[Import]) -> list[str]:
    """Each import that breaks the layers, as ``file:line: importer -> imported (why)``."""
    found: dict[str, None] = {}  # one line for `from x import a, b, c`, however many names it takes
    for each in graph:
        why = _why_not(each)
        if why is not None:
            found[f"{each.where}: {each.importer} -> {each.imported} ({why})"] = None
    return list(found)


def _why_not(each: Import) -> str | None:
    """Why the import breaks the layers, or None when it does not."""
    here, there = unit_of(each.importer), unit_of(each.imported)
    if here == there:
        return None
    if here == RUNTIME:
        return "the runtime imports nothing else of the tool"
    if there == RUNTIME:
        if _is_private_runtime(each.imported):
            return "a private runtime module; import the runtime's public API"
        return None
    importing, imported = LAYER_OF[here], LAYER_OF[there]
    if imported > importing:
        return f"layer {LAYER_NAME[importing]} imports higher layer {LAYER_NAME[imported]}"
    if imported == importing and (here, there) not in SIBLING_IMPORTS:
        return (
            f"{here} and {there} are both of layer {LAYER_NAME[importing]}; siblings import "
            "each other only along a declared SIBLING_IMPORTS edge"
        )
    return None


# --- the tests -------------------------------------------------------------------------------

KNOWN = modules()
GRAPH = imports(KNOWN)


def test_every_module_belongs_to_a_layer() -> None:
    units = {unit_of(module) for module in KNOWN}
    unplaced = sorted(units - set(LAYER_OF) - {RUNTIME})
    assert not unplaced, f"add these to LAYERS in {Path(__file__).name}: {unplaced}"
    assert len(LAYER_OF) == sum(len(units) for _, units in LAYERS), "a unit is in two layers"


def test_no_module_imports_a_higher_layer_or_an_undeclared_sibling() -> None:
    found = violations(GRAPH)
    assert not found, "imports against the layers (README: Architecture):\n" + "\n".join(found)


def test_the_runtime_imports_nothing_else_of_the_tool() -> None:
    outside = [
        f"{each.where}: {each.importer} -> {each.imported}"
        for each in GRAPH
        if unit_of(each.importer) == RUNTIME and unit_of(each.imported) != RUNTIME
    ]
    assert not outside, "\n".join(outside)


def test_importing_the_runtime_loads_no_other_part_of_the_tool() -> None:
    # What a Lambda that runs generated code pays at a cold start: importing the runtime runs
    # the package's __init__, which must not load the registry, jsonschema or yaml with it (the
    # version, one line, is all it loads).
    probe = (
        "import sys, eventcontracts.runtime, eventcontracts.runtime.types; "
        "print(sorted(m for m in sys.modules if m.startswith('eventcontracts.') "
        "and not m.startswith(('eventcontracts.runtime', 'eventcontracts.version')) "
        "or m in ('jsonschema', 'yaml', 'click', 'jinja2', 'referencing')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_declared_sibling_imports_are_acyclic_and_within_one_layer() -> None:
    for here, there in SIBLING_IMPORTS:
        assert LAYER_OF[here] == LAYER_OF[there], f"{here} -> {there} is not within a layer"
    graph: dict[str, set[str]] = {}
    for here, there in SIBLING_IMPORTS:
        graph.setdefault(here, set()).add(there)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            step == goal or (step not in seen and reaches(step, goal, seen | {step}))
            for step in graph.get(start, ())
        )

    cycles = [unit for unit in graph if reaches(unit, unit, set())]
    assert not cycles, f"declared sibling imports form a cycle through {cycles}"


# An allowance nothing needs any more would let its edge come back unnoticed.


def test_every_declared_sibling_import_is_still_made() -> None:
    made = {(unit_of(each.importer), unit_of(each.imported)) for each in GRAPH}
    stale = sorted(set(SIBLING_IMPORTS) - made)
    assert not stale, f"remove from SIBLING_IMPORTS, no module imports along them: {stale}"


def test_the_readme_draws_these_layers() -> None:
    # README "Architecture" shows the table top down, one layer a line: name, then its units.
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Architecture\n", 1)[1]
    drawing = section.split("```", 2)[1].strip().splitlines()
    shown = [line.split(None, 1) for line in drawing if line and not line.startswith(RUNTIME)]
    readme = [
        (name, tuple(unit.split(" (")[0] for unit in units.split(" · "))) for name, units in shown
    ]
    ours = [
        (name, tuple("eventcontracts" if unit == "__init__" else unit for unit in units))
        for name, units in reversed(LAYERS)
    ]
    assert readme == ours


def test_the_graph_reader_resolves_every_form_of_import(tmp_path: Path) -> None:
    package = tmp_path / PACKAGE
    (package / "lint").mkdir(parents=True)
    (package / "runtime").mkdir()
    files = {
        "__init__.py": "",
        "bounded.py": "",
        "config.py": (
            "from eventcontracts import bounded\n"
            "def late():\n    from eventcontracts.lint.catalog import RULES\n"
        ),
        "lint/__init__.py": "from . import catalog\n",
        "lint/catalog.py": "from ..bounded import x\nimport eventcontracts.config\n",
        "runtime/__init__.py": "from ._model import DETAIL\n",
        "runtime/_model.py": "",
    }
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    edges = {(i.importer, i.imported, i.line) for i in imports(modules(package))}
    assert edges == {
        ("eventcontracts.config", "eventcontracts.bounded", 1),
        ("eventcontracts.config", "eventcontracts.lint.catalog", 3),
        ("eventcontracts.lint", "eventcontracts.lint.catalog", 1),
        ("eventcontracts.lint.catalog", "eventcontracts.bounded", 1),
        ("eventcontracts.lint.catalog", "eventcontracts.config", 2),
        ("eventcontracts.runtime", "eventcontracts.runtime._model", 1),
    }
