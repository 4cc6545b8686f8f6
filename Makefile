# Real Voice: `make demo` runs the site with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# The demo's port and address: `make demo PORT=8123` serves on 8123, and every link the
# demo prints or e-mails names it.
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
# The demo's e-mails are written to files here, not printed.
DEMO_MAIL := $(CURDIR)/var/demo-mail
# DEBUG stays on (static files, the published demo password), with the site's own error
# pages instead of Django's debug pages.
DEMO_ENV := SITE_URL="$(SITE_URL)" EMAIL_URL="file://$(DEMO_MAIL)" SITE_ERROR_PAGES=true

.PHONY: demo test lint format messages clean

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

demo: $(INSTALLED)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	$(DEMO_ENV) $(PY) manage.py serve_demo 127.0.0.1:$(PORT)

test: $(INSTALLED)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(INSTALLED)
	$(PY) manage.py makemessages --locale es --locale en --ignore '.venv/*' --no-obsolete
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
