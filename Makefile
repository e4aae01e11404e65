# The two commands a person needs: `make run` and `make test`. Everything else is for developers.
VENV ?= .venv
STAMP := $(VENV)/.stamp-install
BIN := $(VENV)/bin

.PHONY: run test check lint typecheck format bench package clean

$(STAMP): pyproject.toml scripts/bootstrap.sh
	VENV=$(VENV) scripts/bootstrap.sh

run: $(STAMP)  ## open the app (pass ARGS="--data-dir /path" or a CLI command)
	$(BIN)/cryptoorchestrator $(ARGS)

test: $(STAMP)  ## run the whole test suite with its real parts
	VENV=$(VENV) scripts/test.sh $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy core models desktop server

check: lint typecheck test  ## the gate: the same locally and in CI

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)  ## benchmarks; each prints one JSON line last
	VENV=$(VENV) scripts/bench.sh

package: $(STAMP)  ## one-folder app for this OS in dist/ (packaging/README.md), size-checked
	VENV=$(VENV) packaging/build.sh

clean:
	rm -rf $(VENV) node_modules artifacts .mypy_cache .ruff_cache .pytest_cache
