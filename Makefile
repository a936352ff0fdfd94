# Quick start: `make run` serves the demo site; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000
# Links in certificates' QR codes and in mails point at the port the site is served on, unless set.
BASE_URL ?= http://127.0.0.1:$(PORT)
export FLASK_APP := wsgi

.PHONY: install translations run seed test browser nginx hsm ldap oidc lint serve-prod clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

translations: $(STAMP)
	@$(BIN)/pybabel compile -d learning/translations >/dev/null

install: $(STAMP) translations

seed: install
	$(BIN)/flask db upgrade
	$(BIN)/flask content load
	$(BIN)/flask demo seed

run: export BASE_URL := $(BASE_URL)
run: seed
	@echo "Serving on http://127.0.0.1:$(PORT) — Ctrl+C to stop."
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Debian's Chromium for the browser tests; without it they are skipped (or fail with REQUIRE_BROWSER=1).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the browser tests…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Could not install Chromium: browser tests will be skipped."; \
	  else echo "Chromium is not installed (apt-get install chromium): browser tests will be skipped."; fi; }

# Debian's nginx for the scale-out tests (tests/ops); never started as a service, only with a temporary config.
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing nginx for the scale-out tests…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) \
	      || echo "Could not install nginx: scale-out tests will be skipped."; \
	  else echo "nginx is not installed (apt-get install nginx): scale-out tests will be skipped."; fi; }

# Debian's SoftHSM2 (a real PKCS#11 module) and poppler's pdfsig for the signing tests; skipped without
# them (or failing with REQUIRE_HSM=1).
hsm:
	@{ command -v softhsm2-util >/dev/null 2>&1 && command -v pdfsig >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing SoftHSM2 and poppler-utils for the signing tests…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq softhsm2 poppler-utils >/dev/null) \
	      || echo "Could not install SoftHSM2: PKCS#11 signing tests will be skipped."; \
	  else echo "SoftHSM2 is not installed (apt-get install softhsm2 poppler-utils): PKCS#11 tests will be skipped."; fi; }

# Debian's OpenLDAP for the LDAP sign-in tests; the package's service is never started (the tests run their
# own slapd with a temporary config on a spare port). Skipped without it (or failing with REQUIRE_LDAP=1).
ldap:
	@{ command -v slapd >/dev/null 2>&1 || [ -x /usr/sbin/slapd ]; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing OpenLDAP (slapd) for the LDAP sign-in tests…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq slapd ldap-utils >/dev/null \
	      && { service slapd stop >/dev/null 2>&1 || true; }) \
	      || echo "Could not install slapd: LDAP sign-in tests will be skipped."; \
	  else echo "slapd is not installed (apt-get install slapd ldap-utils): LDAP sign-in tests will be skipped."; fi; }

# A real OpenID provider for the OIDC sign-in tests: Debian's nodejs and npm, then the pinned node-oidc-provider
# (tests/oidc/package-lock.json); skipped without them (or failing with REQUIRE_OIDC=1).
oidc:
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Node.js for the OIDC tests…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null) \
	      || echo "Could not install Node.js: OIDC tests will be skipped."; \
	  else echo "Node.js is not installed (apt-get install nodejs npm): OIDC tests will be skipped."; fi; }
	@[ -d tests/oidc/node_modules/oidc-provider ] || ! command -v npm >/dev/null 2>&1 || \
	  npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error \
	  || echo "Could not install tests/oidc/node_modules: OIDC tests will be skipped."

# One pytest-xdist worker per core (each with its own databases and servers); PYTEST_ARGS= runs in one process.
PYTEST_ARGS ?= -n auto
test: install browser nginx hsm ldap oidc
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check learning tests
	$(BIN)/bandit -q -r learning -c pyproject.toml

# The production stack on this machine (gunicorn + Celery worker + beat, PostgreSQL + Redis).
serve-prod: install
	deploy/serve-prod.sh

clean:
	rm -rf $(VENV) instance .pytest_cache

# Benchmarks (bench/README.md): each builds its own database and prints a Markdown table.
.PHONY: bench-install bench-throughput bench-throughput-sqlite bench-textcheck bench-passwords bench-indexes bench-signing bench-learners bench-soak
bench-install: install
	@$(BIN)/pip install --quiet -e ".[bench]"

bench-throughput: bench-install
	$(BIN)/python bench/throughput.py --db postgresql --people 60000

bench-throughput-sqlite: bench-install
	$(BIN)/python bench/throughput.py --db sqlite --people 60000

bench-textcheck: install
	$(BIN)/python bench/textcheck.py --runs 50

bench-passwords: install
	$(BIN)/python bench/password_hash.py --runs 30

bench-indexes: install
	$(BIN)/python bench/hot_indexes.py

bench-signing: install
	$(BIN)/python bench/signing.py

bench-learners: bench-install
	$(BIN)/python bench/learners.py

SOAK_MINUTES ?= 30
bench-soak: bench-install
	$(BIN)/python bench/learners.py --soak $(SOAK_MINUTES)
