# Quick start on a fresh Debian machine:  make booklet   then   make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONTENT ?= content
OUTPUT ?= output

.PHONY: booklet check test setup fonts test-tools bench fuzz examples clean

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

# many more generated plan shapes than make test tries (FUZZ_SHAPES examples each), then FUZZ_CASES
# hostile mutations of the bundled, fixture and example plans (tests/fuzz/) over FUZZ_JOBS processes;
# FUZZ_SEED repeats a run (the seed is printed; failing folders go to /tmp/docgen-fuzz-failures/)
fuzz: setup fonts test-tools
	@rc=0; \
	FUZZ_SHAPES=$${FUZZ_SHAPES:-300} $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz_shapes.py tests/test_fuzz_content.py || rc=1; \
	$(BIN)/python -m tests.fuzz.run --cases $${FUZZ_CASES:-10000} --seed $${FUZZ_SEED:-$$(date +%s)} --jobs $${FUZZ_JOBS:-2} || rc=1; \
	PUBLISH_KILLS=$${PUBLISH_KILLS:-50} $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_publish.py -k killed || rc=1; \
	LAYOUT_SHAPES=$${LAYOUT_SHAPES:-200} $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_layout.py -k generated || rc=1; \
	exit $$rc

# the example plans of other shapes, built into output/examples/<name>/
examples: setup fonts
	for d in examples/*/; do n=$$(basename $$d); $(BIN)/docgen build $$d -o $(OUTPUT)/examples/$$n || exit 1; done

bench: setup fonts
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUTPUT)/*.pdf $(OUTPUT)/*.docx $(OUTPUT)/departments $(OUTPUT)/examples .pytest_cache
