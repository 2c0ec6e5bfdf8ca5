# Two commands: `make run` and `make test`. Everything else here serves those two.
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
AXE_VERSION := 4.14.1
AXE := var/node/node_modules/axe-core/axe.min.js

.PHONY: run test install lint lock browser messages clean fuzz backup restore bench

$(INSTALLED): requirements.lock
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || $(MAKE) --no-print-directory venv-fallback
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(INSTALLED)

# Debian's python3 lacks venv until python3-venv is installed.
venv-fallback:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	else echo "Python's venv module is missing: run 'sudo apt-get install python3-venv' and try again."; exit 1; fi

install: $(INSTALLED)

# The web server and one background worker (long exports), stopped together.
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	@echo "Samverkansregistret: http://127.0.0.1:$(PORT)/ (with a background worker for long exports)"
	@DEBUG=1 $(PY) manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install browser
	$(VENV)/bin/pytest -n 2

# Explore with fresh random input (the suite's own draws are fixed); replay what it finds
# as an ordinary test in tests/test_hostile_input.py.
fuzz: install
	FUZZ_PROFILE=explore $(VENV)/bin/pytest -n 2 tests/test_fuzz.py

# Pages at demo size and at scale size, the feeds and the workbook against their floors:
# one table (SQLite; PostgreSQL when DATABASE_URL is set); then 16 readers at once, with
# and without a writer; then the largest direct exports through gunicorn's defaults.
# Never part of `make test`.
bench: install
	$(PY) benchmarks/pages.py $(BENCH_ARGS)
	$(PY) benchmarks/concurrent_readers.py
	$(PY) benchmarks/exports_gunicorn.py

# The browser tests drive Debian's Chromium and the workbook tests recalculate in
# LibreOffice; install them when we may. The accessibility tests inject axe-core (pinned,
# from the npm registry) into every page; it lives under var/node, outside the code.
browser:
	@{ command -v chromium && command -v soffice; } >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libreoffice-calc-nogui; \
		else echo "The tests need Chromium and LibreOffice: run 'sudo apt-get install chromium libreoffice-calc-nogui'."; exit 1; fi; }
	@command -v npm >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
		else echo "The accessibility tests need npm: run 'sudo apt-get install nodejs npm'."; exit 1; fi; }
	@test -f $(AXE) || npm install --prefix var/node --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py check

# Refresh the Swedish translations after changing UI strings, then fill in the new msgstr.
messages: install
	DEBUG=1 $(PY) manage.py makemessages --locale sv --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*'
	DEBUG=1 $(PY) manage.py compilemessages --locale sv --ignore '.venv/*'

# Re-resolve the locked dependency set from pyproject.toml.
lock:
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet --disable-pip-version-check '.[test]'
	var/lock-venv/bin/pip freeze --exclude samverkansregistret > requirements.lock
	rm -rf var/lock-venv

# Back up the database (safe while the service runs), or restore one: make restore FILE=…
# Neither installs anything, so both are fit for cron on a production server.
backup:
	$(PY) manage.py backup_database $(FILE)

restore:
	@test -n "$(FILE)" || { echo "Which backup? make restore FILE=var/backups/…"; exit 1; }
	$(PY) manage.py restore_database $(FILE)

clean:
	rm -rf $(VENV) var/static
