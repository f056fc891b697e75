VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: install system-deps test lint demo bench clean

$(BIN)/nianbao: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/nianbao

system-deps:
	@bash scripts/system-deps.sh

lint: install
	$(BIN)/ruff check .

test: install system-deps lint
	$(BIN)/pytest -q

demo: install
	$(BIN)/nianbao demo $(DEMO_ARGS)

bench: install
	$(BIN)/python bench/parse.py

clean:
	rm -rf $(VENV) nianbao-data demo-output
