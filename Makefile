# Quick start on a fresh Debian machine:  make booklet   then   make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONTENT ?= content
OUTPUT ?= output

.PHONY: booklet check test setup fonts test-tools bench clean

booklet: setup fonts
	$(BIN)/docgen check $(CONTENT)
	$(BIN)/docgen build $(CONTENT) -o $(OUTPUT) --split-by department

check: setup
	$(BIN)/docgen check $(CONTENT)

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	sh scripts/setup-venv.sh "$(PYTHON)" "$(VENV)"
	touch $@

fonts: setup
	sh scripts/ensure-fonts.sh "$(BIN)/docgen"

test-tools:
	sh scripts/ensure-test-tools.sh

test: setup fonts test-tools
	$(BIN)/python -m pytest

bench: setup fonts
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUTPUT)/*.pdf $(OUTPUT)/*.docx $(OUTPUT)/departments .pytest_cache
