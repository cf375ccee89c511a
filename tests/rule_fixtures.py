"""What the per-rule firing tests share: the rules of a catalog, the fixture folders of
tests/rules/, and the check that a rule's documented example is what its fixture holds.

tests/rules/ is kept the way buf keeps ``testdata/<rule>/``: ``base/`` is a clean project (it
fires no rule), and ``<catalog>/<ID>/`` holds the files that, laid over it, make rule ``ID``
fire. A rule without a folder (or a builder, for input git cannot keep) fails its test.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO_ROOT
from eventcontracts.rulebook import RULEBOOK
from eventcontracts.rules import Rule

FIXTURES = REPO_ROOT / "tests" / "rules"
CLEAN_PROJECT = FIXTURES / "base"
# Files larger than this are not searched for the example's text (a 40 MB file-too-large).
SEARCHED_BYTES = 1 << 20


def rules_of(letter: str) -> list[Rule]:
    """The rules whose IDs carry ``letter`` (L, C, K, P), as the one registry of rules has
    them, in their order.

    Taken from ``RULEBOOK`` by ID, not from the module that defines them, so a rule added to a
    catalog is a new case of the parametrised tests at once (and fails there until it has a
    fixture), and a rule that moves to another module keeps its tests.
    """
    found = [rule for rule in RULEBOOK if rule.id.startswith(letter)]
    assert found, f"no {letter} rule: the parametrised tests would test nothing"
    return found


def catalog_size(letter: str) -> int:
    """How many rules the catalogs of ``letter`` define, counted catalog by catalog."""
    return sum(len(d.catalog.rules) for d in RULEBOOK.catalogs if d.catalog.letter == letter)


def rule_ids(letter: str) -> list[str]:
    return [rule.id for rule in rules_of(letter)]


def fixture_folders(catalog: str) -> dict[str, Path]:
    """``tests/rules/<catalog>/<ID>/`` by ID."""
    folder = FIXTURES / catalog
    return {path.name: path for path in sorted(folder.iterdir()) if path.is_dir()}


def lay_over(fixture: Path, project: Path) -> None:
    """Copy the files of ``fixture`` into ``project``, replacing those of the same name."""
    shutil.copytree(fixture, project, dirs_exist_ok=True, symlinks=True)


def _without_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Shown:
    """The parts of a rule's documented example its firing fixture holds.

    Each piece is quoted from the example (the test checks it still is) and must be, in the
    fixture, the end of a file's or folder's path or text of one of its files (compared
    without whitespace, so indentation does not matter). ``absent`` names what the example
    says is not there (``no v2.json``): no path may end with it.
    """

    pieces: tuple[str, ...]
    absent: tuple[str, ...] = ()

    def problems(self, rule: Rule, project: Path) -> list[str]:
        wrong = [
            f"{piece!r} is not in {rule.id}'s example"
            for piece in (*self.pieces, *self.absent)
            if piece not in rule.example
        ]
        paths = [path.relative_to(project).as_posix() for path in _walk(project)]
        texts = [_without_space(text) for text in _texts(project)]
        for piece in self.pieces:
            bare = piece.rstrip("/")
            if not any(path.endswith(bare) for path in paths) and not any(
                _without_space(piece) in text for text in texts
            ):
                wrong.append(f"the fixture holds no file named or containing {piece!r}")
        wrong += [
            f"the fixture has {path}, which the example says is not there"
            for gone in self.absent
            for path in paths
            if path.endswith(gone.rstrip("/"))
        ]
        return wrong


def _walk(project: Path) -> Iterable[Path]:
    yield from sorted(path for path in project.rglob("*") if ".git" not in path.parts)


def _texts(project: Path) -> Iterable[str]:
    for path in _walk(project):
        if path.is_file() and not path.is_symlink() and path.stat().st_size <= SEARCHED_BYTES:
            yield path.read_bytes().decode("utf-8", errors="replace")
