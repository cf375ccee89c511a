"""Generated models against jsonschema, with many examples: the figures of the differential test.

For the example catalog (its committed package), a schema per dialect using every keyword the
models must enforce, and the corpus as `eventcontracts import` brings it in, hypothesis draws
``--examples`` valid details and as many mutated ones per schema version; model and the
version's own validator must agree on accept/reject, and the model must write every accepted
detail back unchanged. Prints versions, instances and disagreements per part; exit 1 when
there is a disagreement. Run it with ``.venv/bin/python bench/strictness_bench.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests"))

import differential  # noqa: E402 - tests/ holds the comparison the test suite runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="per version and kind")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    total = differential.Figures()
    with tempfile.TemporaryDirectory(prefix="strictness-") as temporary:
        tmp = Path(temporary)
        parts = [("example catalog", [differential.example_catalog_models(REPO_ROOT)])]
        parts.append(("keywords", [differential.keywords_models(tmp)]))
        not_covered: dict[str, str] = {}
        if differential.CORPUS.is_dir():
            setup = differential.corpus_models(tmp / "corpus")
            parts.append((f"corpus ({len(setup.covered)} documents)", setup.catalogs))
            not_covered = setup.not_covered
            count, valid, problems = setup.judge_events()
            print(f"corpus events: {count} ({valid} valid), {len(problems)} disagreements")
            for line in problems:
                print(f"  {line}")
            total.disagreements += problems
        for name, catalogs in parts:
            started = time.perf_counter()
            figures = differential.Figures()
            for registry, models in catalogs:
                differential.compare(registry, models, args.examples, figures, args.seed)
            print(f"{name}: {figures.line()} in {time.perf_counter() - started:.1f} s")
            for line in figures.disagreements[:20]:
                print(f"  {line}")
            total.versions += figures.versions
            total.valid += figures.valid
            total.invalid += figures.invalid
            total.rejected += figures.rejected
            total.disagreements += figures.disagreements
        for document, reason in sorted(not_covered.items()):
            print(f"not covered: {document}: {reason}")
    print(f"total: {total.line()}")
    return 1 if total.disagreements else 0


if __name__ == "__main__":
    raise SystemExit(main())
