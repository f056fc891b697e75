VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: install system-deps test check-install lint demo bench accuracy clean

$(BIN)/nianbao: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,ocr]'
	touch $@

install: $(BIN)/nianbao

system-deps:
	@bash scripts/system-deps.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

test: install system-deps lint
	$(BIN)/pytest -q
	$(BIN)/python bench/accuracy.py --summary tests/real
	$(MAKE) --no-print-directory check-install

# The wheel, installed into a new virtual environment outside the checkout, runs help, the demo and serve.
check-install:
	bash scripts/check-install.sh $(PYTHON)

demo: install
	$(BIN)/nianbao demo $(DEMO_ARGS)

# The benchmarks' own dependencies (the `bench` extra), on top of the test install.
$(VENV)/.bench-installed: $(BIN)/nianbao
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@

bench: install $(VENV)/.bench-installed
	$(BIN)/python bench/parse.py

# How well real reports are read, per document and by format (tests/real; any folder of cases works).
accuracy: install
	$(BIN)/python bench/accuracy.py tests/real

clean:
	rm -rf $(VENV) nianbao-data demo-output
