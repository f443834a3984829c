# Two commands on a fresh machine with python3, make and git: `make demo` and `make test`.
# (`make bench` prints the timings of benchmarks/bench.py; `make serve` runs `sessionschema serve`,
# the local orq sessions server, on http://127.0.0.1:8000, and `make bench-service` puts it under
# load; `make docs` builds the documentation site into site/, and `make docs-serve` serves it.)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test test-versions lint types docs docs-serve unit bench conformance models serve \
	bench-service check-api upstream dist clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable '.[test]'
	touch $@

# The official SDK 4 (pydantic models of the orq "threads" API, /v2/sessions) in a virtualenv of
# its own: .venv keeps SDK 3 for the benchmarks. The tests run it as a peer in a subprocess
# (`.venv-sdk4/bin/python tests/sdk4/runner.py`); `make unit` builds it. It holds nothing of this
# clone, only the pinned requirements, so one copy serves every clone on the machine: it is built
# once into $(CACHE_DIR) under the hash of tests/sdk4/requirements.txt, and .venv-sdk4 links to
# it (another pin, another hash, another copy). Checked on every run, which costs milliseconds;
# flock, where there is one, keeps two clones from building it at once.
CACHE_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/sessionschema
SDK4_VENV := .venv-sdk4
SDK4_INSTALLED := $(SDK4_VENV)/.installed
SDK4_KEY := $(shell $(PYTHON) -c 'import hashlib, sys; \
	print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest()[:16])' tests/sdk4/requirements.txt)
SDK4_SHARED := $(CACHE_DIR)/venv-sdk4-$(SDK4_KEY)
LOCK := $(if $(shell command -v flock),flock $(CACHE_DIR)/.lock)
.PHONY: $(SDK4_INSTALLED)
$(SDK4_INSTALLED):
	@test -f $(SDK4_SHARED)/.installed || { mkdir -p $(CACHE_DIR) && $(LOCK) sh -c '\
		test -f $(SDK4_SHARED)/.installed && exit 0; \
		echo "building $(SDK4_SHARED)"; rm -rf $(SDK4_SHARED) && \
		$(PYTHON) -m venv $(SDK4_SHARED) && \
		$(SDK4_SHARED)/bin/python -m pip install --quiet --disable-pip-version-check \
			--requirement tests/sdk4/requirements.txt && \
		touch $(SDK4_SHARED)/.installed'; }
	@test "$$(readlink $(SDK4_VENV))" = "$(SDK4_SHARED)" || \
		{ rm -rf $(SDK4_VENV) && ln -s $(SDK4_SHARED) $(SDK4_VENV); }

# The command line over examples/: valid payloads exit 0; invalid ones print their problems and
# exit 1, which the demo expects (any other status fails it); a thread payload validated; the
# legacy examples migrated to threads.
demo: $(INSTALLED)
	$(BIN)/sessionschema validate examples/valid
	$(BIN)/sessionschema validate examples/invalid examples/sessions.jsonl; \
		test $$? -eq 1 && echo "exit status 1: invalid records, as expected"
	$(BIN)/sessionschema validate --output json examples/sessions.jsonl; \
		test $$? -eq 1 && echo "exit status 1: invalid records, as expected"
	$(BIN)/sessionschema example | $(BIN)/sessionschema validate -
	$(BIN)/sessionschema example --model create-thread-request --style snake \
		| $(BIN)/sessionschema validate --model create-thread-request --style snake -
	$(BIN)/sessionschema migrate --output-style snake examples/sessions.jsonl; \
		test $$? -eq 1 && echo "exit status 1: the invalid legacy records are not migrated"

# Everything to install first, at once where it is missing (.venv, the SDK 4's, ajv); then lint;
# then mypy beside pytest, whose processes spend part of their time waiting on subprocesses. The
# strict build of the docs runs among the tests (tests/docs/), not a second time here.
test:
	@$(MAKE) --no-print-directory -j3 $(INSTALLED) $(SDK4_INSTALLED) $(NODE_DEPS)
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory -j2 $(SYNC) types unit
SYNC := $(if $(filter 3.%,$(MAKE_VERSION)),,--output-sync=line)  # (make 3.81, macOS's, has none)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(INSTALLED)
	$(BIN)/mypy

# The documentation site (mkdocs.yml, docs/, the API reference from the docstrings), built in
# strict mode: a broken link or reference, or a page left out of the navigation, fails it. Its
# examples are run by pytest (conftest.py). NO_MKDOCS_2_WARNING quiets Material's banner about
# MkDocs 2, which is news, not a warning about this site.
MKDOCS := NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs
docs: $(INSTALLED)
	$(MKDOCS) build --strict --site-dir site

# The site on http://127.0.0.1:8001 (8000 is the service's), rebuilt on every change.
docs-serve: $(INSTALLED)
	$(MKDOCS) serve --strict --dev-addr 127.0.0.1:8001

# ajv, for the conformance suite's run in JavaScript (tests/referee/test_other_validators.py), where Node is.
NODE_MODULES := tests/js/node_modules/.package-lock.json
$(NODE_MODULES): tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
NODE_DEPS := $(if $(shell command -v npm),$(NODE_MODULES))

# Every test, in two processes. A test of JSON text runs in each configuration of the library
# (with the accelerators installed, without msgspec, without orjson, without either: the `lib`
# fixture of tests/conftest.py) within this one run; tests/boundary/test_accelerators.py checks that the
# environment's switches give those configurations.
unit: $(INSTALLED) $(NODE_DEPS)
	$(BIN)/python -m pytest -n 2
unit: $(SDK4_INSTALLED)

# The tests again on the oldest and the newest Python the package supports (3.10 and 3.13), each
# in a fresh virtualenv made by nox (noxfile.py); a Python the machine lacks is skipped, with a
# message; ajv is installed first where npm is, as for `make unit`. .ci/run runs it after
# `make test`.
test-versions: $(INSTALLED) $(NODE_DEPS) $(SDK4_INSTALLED)
	$(BIN)/nox

# Timings against the official SDK (pydantic), msgspec and json + jsonschema + cattrs.
bench: $(INSTALLED) $(SDK4_INSTALLED)
	$(BIN)/python benchmarks/bench.py

# The conformance suite, written again from the library's decisions (commit what changes).
conformance: $(INSTALLED)
	$(BIN)/python -m tools.conformance sessionschema/conformance

# The attrs classes, written again from the schema files (commit what changes): the shipped
# contract's sessionschema/_models.py and the tests' tests/support/contract/models.py.
models: $(INSTALLED)
	$(BIN)/python -m tools.models

# The schema files against the official SDKs' own models (tools/upstream.py): wire keys, required
# sets, types, nullability, enum values; every difference must be explained by an entry of
# tools/upstream-decisions.json, or it exits 1 naming the model and the property. `make upstream
# SDK=4.18.0` compares with that release of orq-ai-sdk instead, installed into a temporary
# virtualenv (a 3.x release replaces the legacy SDK); JSON=1 prints one JSON object. `make test`
# runs it on the pinned SDKs (tests/contract/test_upstream.py).
upstream: $(INSTALLED) $(SDK4_INSTALLED)
	$(BIN)/python -m tools.upstream $(if $(SDK),--sdk '$(SDK)') $(if $(JSON),--json)

# `sessionschema serve`, the local orq sessions server (the extra `service`, which the extra `test`
# includes). Settings from the environment or the command line: `make serve PORT=8080
# DB=/tmp/sessions.sqlite3 SESSIONSCHEMA_API_KEY=sk-local`; without DB the sessions are kept in
# memory, without an API key every request is served. Ctrl-C stops it.
serve: $(INSTALLED)
	$(BIN)/sessionschema serve $(if $(DB),--db '$(DB)')

# schemathesis against `sessionschema serve` (its OpenAPI document against what it does), every
# check, positive and negative data, open and with a key, lenient and strict: the long run of the
# bounded one in `make test` (tests/serve/test_openapi.py). EXAMPLES per operation, SEED fixed.
check-api: $(INSTALLED)
	$(BIN)/python -m tools.check_api $(if $(EXAMPLES),--max-examples $(EXAMPLES)) \
		$(if $(SEED),--seed $(SEED))

# The service under 20,000 mixed requests, then side by side with its pydantic peer (the official
# SDK 4's models, in .venv-sdk4), the load sent by autocannon (npm, tests/js/) on a core of its own.
bench-service: $(INSTALLED) $(SDK4_INSTALLED) $(NODE_MODULES)
	$(BIN)/python benchmarks/service.py $(REQUESTS)

# The sdist and the wheel into dist/ (the README installs the wheel from there), built by `build`
# from a small virtualenv of its own: a user who wants a wheel needs nothing of the extra `test`.
BUILD_VENV := .venv-build
dist:
	test -x $(BUILD_VENV)/bin/python || $(PYTHON) -m venv $(BUILD_VENV)
	$(BUILD_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'build>=1.0'
	rm -rf dist
	$(BUILD_VENV)/bin/python -m build --outdir dist .

clean:
	rm -rf $(VENV) $(BUILD_VENV) .nox build dist site *.egg-info .hypothesis .mypy_cache .pytest_cache \
		.ruff_cache tests/js/node_modules
	rm -rf $(SDK4_VENV)  # (the link; the shared copy stays in $(CACHE_DIR))
