# The two commands of the README: `make synth` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CHECKPOINT_DISABLE := 1
# Air-gapped machines: a provider mirror (unpacked layout). Found on this machine if not given.
PLATFORM_PROVIDER_MIRROR ?= $(shell scripts/find-provider-mirror)
export PLATFORM_PROVIDER_MIRROR

.PHONY: help setup setup-test synth test test-fast validate check bench local-up local-down clean

help:
	@echo "make synth       install (first run) and synthesize every environment into cdktf.out/"
	@echo "make test        install test extras and run the whole suite (slow groups included)"
	@echo "make test-fast   unit and environment tests only (no Terraform, no emulator, no CLI)"
	@echo "make validate    terraform validate every synthesized AWS stack"
	@echo "make check       checkov over every synthesized stack: one line per stack (resources, passed, failed, skipped)"
	@echo "make local-up    apply ENV_FILE (default environments/aws-local.yaml) to a local AWS emulator"
	@echo "make local-down  destroy it again and stop the emulator"

$(VENV)/.runtime-installed: requirements/runtime.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements/runtime.txt
	@touch $@

$(VENV)/.test-installed: requirements/test.txt $(VENV)/.runtime-installed
	$(PY) -m pip install --quiet -r requirements/test.txt
	@touch $@

# checkov lives in its own virtualenv: its exact pins conflict with the test tools.
.venv-checkov/.installed: requirements/checkov.txt
	@test -x .venv-checkov/bin/python || $(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/python -m pip install --quiet -r requirements/checkov.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.runtime-installed

setup-test: $(VENV)/.test-installed node_modules/.installed .venv-checkov/.installed

synth: setup
	$(PY) main.py

test: setup-test
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: setup-test
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

check: setup-test synth
	$(PY) -m platform_tools.policy --outdir cdktf.out

validate: setup-test synth
	$(PY) -m pytest -m validate $(PYTEST_ARGS)

ENV_FILE ?= environments/aws-local.yaml

local-up: setup-test
	$(PY) -m platform_tools.local up --env-file $(ENV_FILE)

local-down: setup-test
	$(PY) -m platform_tools.local down --env-file $(ENV_FILE)

clean:
	rm -rf cdktf.out .cdktf.out.* .pytest_cache
