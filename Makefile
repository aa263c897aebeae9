# The two commands: `make run` and `make test`.  See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO ?= 1
DEMO_HOUSEHOLDS ?= 400
PYTEST_ARGS ?= -n 2

.PHONY: setup run test lint bench contract clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	@if [ "$$(id -u)" = "0" ] && { [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "wqy"; }; then \
		apt-get update && apt-get install -y chromium fonts-wqy-zenhei; \
	fi

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_setup --demo=$(DEMO) --households=$(DEMO_HOUSEHOLDS)
	@# The background worker (docs/jobs.md) runs beside the server, one task
	@# at a time, and is stopped when the server stops (Ctrl-C included).
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.txt
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@

# PostgreSQL (BENCH_DATABASE_URL); BENCH_LARGE=1 adds 300,000 households.
bench: setup $(VENV)/.bench-installed
	$(PY) bench/run.py --sizes $${BENCH_SIZES:-6000,60000} $${BENCH_LARGE:+--large}

contract: setup
	../shared/tools/check-contract

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
