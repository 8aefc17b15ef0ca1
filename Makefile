# Quick start: `make demo` (set up + label examples/sample.txt) and `make test` (set up + tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip

.PHONY: demo test bench train fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[test,plot]"
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	@echo "== textclass classify < examples/sample.txt"
	@$(BIN)/textclass classify --top-k 2 < examples/sample.txt
	@mkdir -p build
	@$(BIN)/textclass label examples/sample.txt -o build/sample.labels.jsonl --force --quiet --jobs 1
	@echo "== first rows of build/sample.labels.jsonl"
	@head -n 3 build/sample.labels.jsonl

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

train: $(VENV)/.installed
	$(BIN)/python train.py

bench: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build .pytest_cache
