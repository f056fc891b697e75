VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: install system-deps test lint demo bench accuracy clean

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
	$(BIN)/python bench/accuracy.py --summary tests/real

demo: install
	$(BIN)/nianbao demo $(DEMO_ARGS)

bench: install
	$(BIN)/python bench/parse.py

# How well real reports are read, per document and by format (tests/real; any folder of cases works).
accuracy: install
	$(BIN)/python bench/accuracy.py tests/real

clean:
	rm -rf $(VENV) nianbao-data demo-output
