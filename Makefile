# e-Certif — two commands: `make run` (demo on http://127.0.0.1:8000) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: run test install lint format migrations-check deploy-check pytest bench clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || "$$(sh scripts/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

# Local demo: SQLite, Celery eager, emails printed on the console.
run: export DJANGO_SETTINGS_MODULE = ecertif.settings.dev
run: install
	env -u DATABASE_URL -u REDIS_URL $(MANAGE) migrate --noinput
	env -u DATABASE_URL -u REDIS_URL $(MANAGE) seed_demo
	env -u DATABASE_URL -u REDIS_URL $(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/djlint templates --lint

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	DJANGO_SETTINGS_MODULE=ecertif.settings.test $(MANAGE) makemigrations --check --dry-run

# The production settings with throwaway values: no warning allowed.
deploy-check: install
	DJANGO_SETTINGS_MODULE=ecertif.settings.prod \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ALLOWED_HOSTS=ecertif.example.org EMAIL_URL=smtp://localhost:25 \
	DATABASE_URL=postgres://ecertif@localhost:5432/ecertif REDIS_URL=redis://localhost:6379/0 \
	SITE_URL=https://ecertif.example.org \
	$(MANAGE) check --deploy --fail-level WARNING

# Both cores by default (PYTEST_WORKERS=0 runs in one process).
PYTEST_WORKERS ?= 2

# Settings named explicitly: manage.py, wsgi and Celery default to production.
pytest: export DJANGO_SETTINGS_MODULE = ecertif.settings.test
pytest: install
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup

# The deploy check runs once, inside the suite (tests/test_deploy_check.py).
test: lint migrations-check pytest

BENCH_DOSSIERS ?= 100000
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/ecertif_bench

# Performance benchmark on PostgreSQL (not part of `make test`): see bench/README.md.
bench: export DJANGO_SETTINGS_MODULE = ecertif.settings.dev
bench: install
	psql "$(dir $(BENCH_DB))postgres" -qc "DROP DATABASE IF EXISTS $(notdir $(BENCH_DB))"
	psql "$(dir $(BENCH_DB))postgres" -qc "CREATE DATABASE $(notdir $(BENCH_DB))"
	DATABASE_URL=$(BENCH_DB) $(MANAGE) migrate --noinput -v0
	DATABASE_URL=$(BENCH_DB) $(MANAGE) generate_load_data --dossiers $(BENCH_DOSSIERS)
	DATABASE_URL=$(BENCH_DB) $(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles
