# Two commands: `make run` starts the app with demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000

.PHONY: install run test bench lint check-deploy clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Reciprocal Mentoring is starting at http://127.0.0.1:$(PORT)/"
	@echo "  Sign in with one of the demo logins above. E-mails land in var/mail/."
	@echo ""
	@# honcho gives each process its own PORT, so the worker learns the web address from SITE_URL.
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" PORT=$(PORT) $(BIN)/honcho --procfile Procfile.dev start

test: install
	$(BIN)/lint-imports
	@# One process per core; each has its own test database and Redis database.
	$(BIN)/pytest --numprocesses=auto

# Every benchmark in bench/, one table; needs PostgreSQL and Redis on 127.0.0.1, wrk and gunicorn.
bench: install
	mkdir -p var
	$(BIN)/python bench/run_all.py --markdown var/bench.md

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf var .pytest_cache .ruff_cache
