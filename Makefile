# Set-up is two commands: `make demo` and `make test`. Each builds its virtualenv when needed
# (`make demo` a light one, .venv-demo; `make test` the full dev one, .venv).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make demo` gets a light virtualenv of its own: the package and Flask, no dev tools
DEMO_VENV ?= .venv-demo
DEMO_STAMP := $(DEMO_VENV)/.installed

.PHONY: demo test lint typecheck unit other-pythons lowest coverage bench pictures clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(DEMO_STAMP): pyproject.toml
	$(PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DEMO_VENV)/bin/python -m pip install --quiet -e '.[demo]'
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(DEMO_VENV)/bin/twimlsim call https://app.test/voice --app fixtures.flask_app:app \
		--status-callback https://app.test/status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict twimlsim

# -n auto: two pytest-xdist workers where the machine has two cores (conftest.py; none on
# one core), each test file's tests in one worker, the files in the order collected (the
# wheel-install test, the longest, first: conftest.py). Bytecode is written even where
# PYTHONDONTWRITEBYTECODE is set: pytest keeps the modules it rewrites for their asserts
# (the tests, hypothesis, twimlsim) as bytecode, which the run's other pytest processes (the
# workers, the pytest runs the tests start) then load instead of rewriting each again.
unit: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n auto --dist loadfile --no-loadscope-reorder

test: lint typecheck unit

# The suite on the other Pythons twimlsim supports, each in a virtualenv of its own
# (.venv-3.12...): `make other-pythons OTHER_PYTHONS="/path/to/python3.12 ..."`. An
# interpreter that cannot be run is named and skipped. Not part of `make test`.
OTHER_PYTHONS ?= python3.12 python3.13

other-pythons:
	@for python in $(OTHER_PYTHONS); do \
		version=$$($$python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) \
			|| { echo "other-pythons: $$python cannot be run here; skipped"; continue; }; \
		$(MAKE) --no-print-directory unit PYTHON=$$python VENV=.venv-$$version || exit 1; \
	done

# The suite with the lowest version of each dependency pyproject.toml allows (its >= bounds
# pinned with ==), in .venv-lowest: keeps those bounds true. Not part of `make test`.
LOWEST := .venv-lowest
lowest:
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --upgrade pip
	$(LOWEST)/bin/python -m pip install --quiet -e '.[dev]' $$($(PYTHON) -c 'import tomllib; \
		print(" ".join(d.replace(">=", "==") for d in \
		tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))')
	PYTHONDONTWRITEBYTECODE= $(LOWEST)/bin/python -m pytest -q -n auto --dist loadfile --no-loadscope-reorder

coverage: $(STAMP)
	$(BIN)/python -m coverage run --branch --source=twimlsim -m pytest -q
	$(BIN)/python -m coverage report -m --skip-covered

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The README's timeline picture and coverage table (docs/), from fixtures/menus_app.py;
# the screenshot needs Debian's chromium.
pictures: $(STAMP)
	$(BIN)/python -m fixtures.pictures docs

clean:
	rm -rf $(VENV) $(DEMO_VENV) .venv-3.* $(LOWEST) build dist *.egg-info .mypy_cache .pytest_cache .ruff_cache
