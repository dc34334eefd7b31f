# Two entry points, both creating and reusing a local virtual environment in .venv:
#   make course   set everything up and open the course in JupyterLab
#   make test     set everything up and run every test
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: course test setup benchmark gallery clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[course,test]"
	@touch $(STAMP)

setup: $(STAMP)

course: $(STAMP)
	$(BIN)/jupyter lab notebooks/

test: $(STAMP)
	$(BIN)/python -m pytest tests

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

gallery: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python scripts/gallery.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
