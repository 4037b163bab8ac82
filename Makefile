# Two entry points: `make run` (set up and open the app) and `make test` (set up and run every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
REPLICAS ?= 3

.PHONY: run test lint data clean serve-team stop-team

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.app-installed $@

run: $(VENV)/.app-installed
	$(BIN)/streamlit run app.py --server.port $(PORT)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

# Rebuild the bundled monthly figures in data/ from the shared archives (see README).
data: $(VENV)/.app-installed
	$(BIN)/python -m lib.territory bundle ../shared/data/territory --out data

# A team on one machine: REPLICAS app processes on loopback behind HAProxy answering on PORT,
# on the store of DATABASE_URL (see README, "Serving a team"). Returns once the proxy answers.
serve-team: $(VENV)/.app-installed
	$(BIN)/python -m lib.team serve --replicas $(REPLICAS) --port $(PORT)

stop-team: $(VENV)/.app-installed
	$(BIN)/python -m lib.team stop

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
