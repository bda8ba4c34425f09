# Two commands on a fresh machine with Python 3.11 and pip:
#   make run    set up .venv, analyse sample_data/, write the pain-point and weekly reports, print where
#   make test   set up .venv and run the test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
OUT := out

.PHONY: run test setup bench clean

setup: $(STAMP)

# torch first, pinned: this exact version is a local CPU wheel here; any other spec pulls a CUDA build.
$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "voc needs Python >= 3.11")'
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -e ".[models,bench,test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	@mkdir -p $(OUT)
	@for f in sample_data/*.csv sample_data/*.xlsx sample_data/*.jsonl; do \
		name=$$(basename $$f); \
		$(BIN)/voc analyze $$f -o $(OUT)/$$name.analysis.jsonl || exit 1; \
	done
	@$(BIN)/voc report sample_data/survey_2026.csv sample_data/reviews_ecommerce.xlsx sample_data/tickets_gbk.csv -o $(OUT)/report
	@rm -f $(OUT)/voc.duckdb
	@$(BIN)/voc ingest sample_data/survey_2026.csv sample_data/tickets_gbk.csv --store $(OUT)/voc.duckdb
	@$(BIN)/voc weekly --store $(OUT)/voc.duckdb -o $(OUT)/weekly
	@echo ""
	@echo "analysed records:   $(OUT)/*.analysis.jsonl"
	@echo "pain-point report:  $(OUT)/report/report.html  (also .md, .xlsx, .json)"
	@echo "weekly report:      $(OUT)/weekly/weekly.html  (store: $(OUT)/voc.duckdb)"

test: $(STAMP)
	OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m pytest

bench: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
