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

.PHONY: demo example fastapi-example test lint typecheck pytest bench clean node-version

# The oldest Node.js every pinned package supports, from the "engines" of both lock files: the
# contact-form site and yargs want ^20.19 || ^22.12 || >=23, @napi-rs/wasm-runtime ^22.13 on
# 22 and >=23.5 after (convex wants >=20, typescript and pyright >=14). One exception: undici
# (under Astro's font loader) declares >=22.19, yet the site builds and its tests pass on 20.19+.
# Debian 12 ships Node 18, which is too old.
NODE_MINIMUM := Node.js 20.19+, 22.13+ or 23.5+
NODE_OK := const [a, b] = process.versions.node.split(".").map(Number); \
	process.exit((a === 20 && b >= 19) || (a === 22 && b >= 13) || (a === 23 && b >= 5) || a > 23 ? 0 : 1)
NODE_HOWTO := install Node.js 22 LTS from https://nodejs.org/en/download or NodeSource \
	(https://github.com/nodesource/distributions), or run: sudo npm install -g n && sudo n lts

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Order-only, so the check runs before every npm ci and every test run (the node on PATH may
# change) without making the installed packages out of date.
$(NODE_STAMP): package.json package-lock.json | node-version
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(SITE_STAMP): $(SITE)/package.json $(SITE)/package-lock.json | node-version
	cd $(SITE) && npm ci --no-audit --no-fund --loglevel=error
	touch $(SITE_STAMP)

# npm only warns about an unsupported Node; the failure would come much later, as a crash in
# a test. Say it up front, in one line, with what to do.
node-version:
	@command -v node >/dev/null 2>&1 || { echo "make: the tests need $(NODE_MINIMUM), and node \
	is not on PATH; $(NODE_HOWTO)" >&2; exit 1; }
	@node -e '$(NODE_OK)' || { echo "make: the tests need $(NODE_MINIMUM), found node \
	$$(node --version); $(NODE_HOWTO)" >&2; exit 1; }

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
		--ts-out convex --py-out backend/schema_types.py --zod-out site/src/schema.zod.ts
	cd $(SITE) && npm run build
	cd examples/contact-form && ../../$(PY) backend/app.py --port $(EXAMPLE_PORT)

# The FastAPI example: regenerate its typed module from schema.py, then serve the API (its docs
# at /docs). FastAPI checks every body with vschema (examples/fastapi/README.md).
fastapi-example: $(STAMP)
	cd examples/fastapi && ../../$(PY) -m vschema codegen schema.py --py-out schema_types.py
	cd examples/fastapi && ../../$(PY) app.py --port $(EXAMPLE_PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The FastAPI example too: it is what a user copies, typed against the generated module; and
# the benchmarks, which no test runs (a renamed private name once broke `make bench` unseen).
typecheck: $(STAMP)
	$(VENV)/bin/mypy --strict src/vschema
	$(VENV)/bin/mypy --strict benchmarks
	cd examples/fastapi && ../../$(VENV)/bin/mypy --strict --cache-dir ../../.mypy_cache \
		app.py schema_types.py

pytest: $(STAMP) $(NODE_STAMP) $(SITE_STAMP) $(CHROMIUM)
	HYPOTHESIS_PROFILE=ci $(VENV)/bin/pytest

test: lint typecheck pytest

# The validation benchmarks (which write benchmarks/RESULTS.md), then diff, the data commands
# and the strategies, each printing its own table.
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) -m benchmarks
	$(PY) -m benchmarks.diff
	$(PY) -m benchmarks.data
	$(PY) -m benchmarks.strategies

clean:
	rm -rf $(VENV) node_modules $(SITE)/node_modules $(SITE)/dist .mypy_cache .ruff_cache \
		.pytest_cache .hypothesis test-artifacts
