# Two commands set everything up on a fresh machine:
#   make run   - create .venv if needed, install, run the quick flagship sweep and its report
#   make test  - create .venv if needed, install, and run the test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench-quick lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,ema]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/ecosim sweep experiments/cost_control_vs_transformation_quick.toml --out results/quick
	$(BIN)/ecosim report results/quick
	@echo "Open results/quick/report.md (figures in results/quick/figures/)."

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/bench_sweep.py --quick
	$(BIN)/python benchmarks/bench_model.py --quick

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
