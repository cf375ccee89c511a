# Everything a fresh machine needs, with only python3 and make installed beforehand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint-code docs clean runtime-wheel

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's metadata changes. The runtime is its own distribution
# (runtime/pyproject.toml) that the tool depends on: both are installed editable in one go, so
# pip takes the tool's eventcontracts-runtime from this tree, not from an index.
$(STAMP): pyproject.toml runtime/pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ./runtime -e '.[test]'
	touch $(STAMP)

# The Node.js tooling the TypeScript package is checked and built with (tsc, Ajv, the AWS SDK v3),
# exactly as package-lock.json pins it. Reinstalled only when the lock file changes.
NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

demo: $(STAMP) $(NODE_STAMP)
	@bash scripts/demo.sh $(BIN)

test: $(STAMP) $(NODE_STAMP)
	# The repo gates its own example catalog with the tool, as a team's CI would.
	$(BIN)/eventcontracts lint
	$(BIN)/eventcontracts check
	$(BIN)/eventcontracts generate --check
	$(BIN)/eventcontracts rules check
	$(BIN)/ruff check src tests bench contract_tests
	$(BIN)/ruff format --check src tests bench contract_tests
	$(BIN)/mypy
	# The example services, typed against the committed generated package as a service would be.
	MYPYPATH=generated $(BIN)/mypy --strict contract_tests
	# The TypeScript example services, typed against the committed TypeScript package (which
	# tests/test_codegen_typescript.py type-checks under --strict itself).
	node_modules/.bin/tsc --strict --noEmit -p contract_tests/ts
	$(BIN)/python -m pytest

docs: $(STAMP)
	$(BIN)/python -m eventcontracts.lint.docs > docs/lint-rules.md
	$(BIN)/python -m eventcontracts.compat.docs > docs/compat-rules.md
	$(BIN)/python -m eventcontracts.check.docs > docs/gate-rules.md
	$(BIN)/python -m eventcontracts.patterns.docs > docs/pattern-rules.md
	$(BIN)/python scripts/check_output_docs.py
	$(BIN)/python scripts/observability_docs.py

# The wheel a service's deployment installs with its generated package (README: "Deploying a
# service"), into dist/.
runtime-wheel: $(STAMP)
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist ./runtime
	@ls dist/eventcontracts_runtime-*.whl

clean:
	rm -rf $(VENV) build runtime/build generated/build dist *.egg-info src/*.egg-info generated/*.egg-info \
		.pytest_cache .mypy_cache .ruff_cache node_modules
