# The two set-up commands of the README: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= gongbao.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test venv install install-test browser bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e '.[ocr]'

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test,ocr]'

demo: install
	$(BIN)/gongbao ingest samples/ --db $(DB)
	$(BIN)/gongbao serve --db $(DB) --host $(HOST) --port $(PORT) --jurisdiction 重庆

test: install-test
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/all.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info $(DB) $(DB)-wal $(DB)-shm
