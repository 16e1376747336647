# Two commands for a newcomer: `make demo` and `make test`. Both set everything up themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.vschema-installed
# The real `convex` package and TypeScript compiler, pinned by package-lock.json, for the tests.
NODE_STAMP := node_modules/.vschema-installed
# Debian's Chromium, which the contact-form browser test drives through Playwright.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The contact-form example's Astro site, pinned by its own package-lock.json.
SITE := examples/contact-form/site
SITE_STAMP := $(SITE)/node_modules/.vschema-installed
EXAMPLE_PORT ?= 8000

.PHONY: demo example test lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(SITE_STAMP): $(SITE)/package.json $(SITE)/package-lock.json
	cd $(SITE) && npm ci --no-audit --no-fund --loglevel=error
	touch $(SITE_STAMP)

# Playwright's own browser download is not used (it needs the network): the test points
# Playwright at the system's Chromium, installed here from Debian's packages when absent.
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

demo: $(STAMP)
	$(PY) examples/contact_form.py

# The contact form end to end: regenerate from schema.py, build the site, serve site and API.
example: $(STAMP) $(SITE_STAMP)
	cd examples/contact-form && ../../$(PY) -m vschema codegen schema.py \
		--ts-out convex --py-out backend/schema_types.py
	cd $(SITE) && npm run build
	cd examples/contact-form && ../../$(PY) backend/app.py --port $(EXAMPLE_PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy --strict src/vschema

pytest: $(STAMP) $(NODE_STAMP) $(SITE_STAMP) $(CHROMIUM)
	HYPOTHESIS_PROFILE=ci $(VENV)/bin/pytest

test: lint typecheck pytest

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) node_modules $(SITE)/node_modules $(SITE)/dist .mypy_cache .ruff_cache \
		.pytest_cache .hypothesis test-artifacts
