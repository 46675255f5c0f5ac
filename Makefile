# Two commands set everything up on a fresh machine:
#   make run   - create .venv if needed, install, run the quick flagship sweep and its report
#   make test  - create .venv if needed, install, and run the test suite
# make results remakes every committed result in results/, in dependency order (about an hour on
# 2 cores, from a clean tree: each manifest records the commit and whether the source was modified).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench-quick lint clean results

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

ECOSIM := $(BIN)/ecosim
results: $(STAMP)
	rm -rf results/calibration_baseline_2015 results/cost_control_vs_transformation results/scenario_discovery \
	  results/sensitivity_morris results/sensitivity_sobol results/cooperation_dynamics \
	  results/cooperation_flagship_cells results/region_amsterdam results/region_achterhoek results/national_strategies
	$(ECOSIM) calibrate calibration/baseline_2015.toml --out results/calibration_baseline_2015 --workers 2
	$(ECOSIM) sweep experiments/cost_control_vs_transformation.toml --out results/cost_control_vs_transformation --workers 2
	for e in scenario_discovery sensitivity_morris sensitivity_sobol; do \
	  $(ECOSIM) sweep experiments/$$e.toml --out results/$$e --workers 2 && $(ECOSIM) report results/$$e || exit 1; done
	$(ECOSIM) sweep experiments/cooperation_dynamics.toml --out results/cooperation_dynamics --workers 2
	$(ECOSIM) sweep experiments/cooperation_flagship_cells.toml --out results/cooperation_flagship_cells --workers 2
	$(BIN)/python -m ecosim.report.cooperation results/cooperation_dynamics --cells results/cooperation_flagship_cells
	for r in amsterdam achterhoek; do \
	  $(ECOSIM) sweep experiments/region_$$r.toml --out results/region_$$r --workers 2 && \
	  $(BIN)/python -m ecosim.report.region results/region_$$r || exit 1; done
	$(ECOSIM) report results/cost_control_vs_transformation --regions results/region_amsterdam results/region_achterhoek
	$(ECOSIM) sweep experiments/national_strategies.toml --out results/national_strategies --workers 2
	$(ECOSIM) report results/national_strategies
	$(BIN)/python -m ecosim.report.policy_summary results/ > results/SUMMARY.md

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
