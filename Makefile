# The two commands of the README: `make synth` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
# Test processes (pytest-xdist; each test module stays in one process: module-scoped emulators and synths).
TEST_JOBS ?= 2
# deploy / diff / destroy: STACKS (required), ENV_FILE (optional: only that environment is synthesized,
# as PLATFORM_ENV_FILES), ARGS (extra cdktf flags, e.g. ARGS=--auto-approve). Read before the
# local-up default of ENV_FILE below, so `make deploy` without ENV_FILE synthesizes every environment.
STACKS ?=
ARGS ?=
CDKTF_ENV_FILES := $(ENV_FILE)
CDKTF := node_modules/.bin/cdktf

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CHECKPOINT_DISABLE := 1
# Air-gapped machines: a provider mirror (unpacked layout). Found on this machine if not given.
PLATFORM_PROVIDER_MIRROR ?= $(shell scripts/find-provider-mirror)
export PLATFORM_PROVIDER_MIRROR

.PHONY: help setup setup-test synth test test-fast validate check review bench deploy diff destroy local-up local-down docs diagram mutate clean

help:
	@echo "make synth       install (first run; Python packages and the pinned cdktf CLI) and synthesize every environment into cdktf.out/"
	@echo "make deploy      STACKS=\"aws-prod-network aws-prod-cluster\" [ENV_FILE=environments/aws-prod.yaml] [ARGS=--auto-approve]"
	@echo "                 cdktf deploy with the pinned CLI; with PLATFORM_PROVIDER_MIRROR, its CLI config and --skip-provider-lock"
	@echo "make diff        STACKS=\"...\" [ENV_FILE=...]  cdktf diff, one stack after the other (same CLI, mirror and flags)"
	@echo "make destroy     STACKS=\"aws-prod-addons aws-prod-cluster aws-prod-network\" [ENV_FILE=...] [ARGS=\"--auto-approve --ignore-missing-stack-dependencies\"]  cdktf destroy"
	@echo "make test        install test extras and run the whole suite (slow groups included; TEST_JOBS=2 processes)"
	@echo "make test-fast   unit and environment tests only (no Terraform, no emulator, no CLI)"
	@echo "make validate    terraform validate the synthesized AWS network, cluster and data stacks (no helm/kubernetes provider binary here for addons and observability)"
	@echo "make check       checkov over every synthesized stack: one line per stack (resources, passed, failed, skipped)"
	@echo "make review      BASE=origin/main [ENV_FILE=...] [ALLOW_REPLACE=1] [ALLOW_DESTROY=1] [PLAN=1]  synthesize BASE (temporary"
	@echo "                 worktree) and the working tree, print the stack/resource diff as Markdown; exit 4 when resources holding"
	@echo "                 data or identity would be destroyed or replaced (ALLOW_DESTROY=1 accepts), 3 when resources would be"
	@echo "                 replaced (ALLOW_REPLACE=1 accepts); flags take 1/true/yes or 0/false/no/empty, anything else exits 2"
	@echo "make local-up    apply ENV_FILE (default environments/aws-local.yaml) to a local AWS emulator"
	@echo "make local-down  destroy it again and stop the emulator"
	@echo "make docs        regenerate docs/reference/environment.md, schema/environment.schema.json and docs/diagrams.md from the model"
	@echo "make diagram     ENV_FILE=environments/aws-prod.yaml  print a Mermaid graph of that environment's stacks and cross-stack references"
	@echo "make mutate      [MODULES=\"platform_constructs/invariants platform_tools/policy.py\"]  mutation testing (mutmut) of the rule modules"
	@echo "                 (table in platform_tools/mutate.py); writes its summary to docs/testing.md. Not part of make test"

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

# The pinned cdktf CLI too, so every command the README shows works right after `make synth`.
synth: setup node_modules/.installed
	$(PY) main.py

# The pinned CLI; with a provider mirror, Terraform gets its CLI config and cdktf skips
# `terraform providers lock` (it needs the registry). A TF_CLI_CONFIG_FILE naming no file is dropped
# (Terraform only warns about it, which cdktf prints as [ERROR]). `cdktf diff` takes one stack.
# destroy runs one stack per call, in the order given, with --parallelism 1: with
# --ignore-missing-stack-dependencies (needed to keep <env>-data, or when the later stacks were never
# deployed) cdktf 0.21 picks the next stack among those not yet done, running ones included, and
# without a parallelism limit starts the same stack's `terraform destroy` again and again.
deploy diff destroy: setup node_modules/.installed
	@test -n "$(strip $(STACKS))" || { echo 'make $@: name the stacks: make $@ STACKS="<env>-network <env>-cluster"' >&2; exit 2; }
	@set -e; lock=; \
	if [ -n "$$PLATFORM_PROVIDER_MIRROR" ]; then \
	  TF_CLI_CONFIG_FILE=$$($(PY) -m platform_tools.terraform cli-config $(CURDIR)/.local/terraform) || exit 2; \
	  export TF_CLI_CONFIG_FILE; lock=--skip-provider-lock; \
	elif [ -n "$$TF_CLI_CONFIG_FILE" ] && [ ! -e "$$TF_CLI_CONFIG_FILE" ]; then unset TF_CLI_CONFIG_FILE; fi; \
	$(if $(strip $(CDKTF_ENV_FILES)),PLATFORM_ENV_FILES="$(CDKTF_ENV_FILES)"; export PLATFORM_ENV_FILES;) \
	if [ "$@" = diff ]; then \
	  for stack in $(STACKS); do echo "+ cdktf diff $$stack $$lock $(ARGS)"; $(CDKTF) diff $$stack $$lock $(ARGS); done; \
	elif [ "$@" = destroy ]; then \
	  for stack in $(STACKS); do echo "+ cdktf destroy $$stack --parallelism 1 $$lock $(ARGS)"; \
	    $(CDKTF) destroy $$stack --parallelism 1 $$lock $(ARGS); done; \
	else \
	  echo "+ cdktf $@ $(STACKS) $$lock $(ARGS)"; $(CDKTF) $@ $(STACKS) $$lock $(ARGS); \
	fi

test: setup-test
	$(PY) -m pytest -n $(TEST_JOBS) --dist loadfile $(PYTEST_ARGS)

test-fast: setup-test
	$(PY) -m pytest -m "not slow" -n $(TEST_JOBS) --dist loadfile $(PYTEST_ARGS)

check: setup-test synth
	$(PY) -m platform_tools.policy --outdir cdktf.out

# BASE: the git ref to compare with (required). Both trees are synthesized with this checkout's Python.
# ALLOW_REPLACE=1: exit 0 even when resources would be replaced (else 3). ALLOW_DESTROY=1: exit 0 even when
# resources holding data or identity would be destroyed or replaced (else 4). PLAN=1: terraform plan summary
# per changed stack where cloud credentials exist (skipped, and said so, otherwise). The flags are passed to
# the command as they are: it accepts 1/true/yes and 0/false/no/empty, and stops (exit 2) on anything else.
review: setup
	@test -n "$(strip $(BASE))" || { echo 'make review: name the git ref to compare with: make review BASE=origin/main [ALLOW_REPLACE=1] [ALLOW_DESTROY=1] [PLAN=1]' >&2; exit 2; }
	@ALLOW_REPLACE='$(ALLOW_REPLACE)' ALLOW_DESTROY='$(ALLOW_DESTROY)' PLAN='$(PLAN)' \
	  $(PY) -m platform_tools.review --base "$(strip $(BASE))" $(foreach f,$(CDKTF_ENV_FILES),--env-file $(f))

validate: setup-test synth
	$(PY) -m pytest -m validate $(PYTEST_ARGS)

ENV_FILE ?= environments/aws-local.yaml

local-up: setup-test
	$(PY) -m platform_tools.local up --env-file $(ENV_FILE)

local-down: setup-test
	$(PY) -m platform_tools.local down --env-file $(ENV_FILE)

# The environment reference, the JSON Schema and the per-cloud stack diagrams, generated (commit the result;
# a test fails when they differ from what this writes).
docs: setup
	$(PY) -m platform_tools.docs write

diagram: setup
	@$(PY) -m platform_tools.diagram --env-file $(ENV_FILE)

# Mutation testing (mutmut, pinned in requirements/mutate.txt), not part of `make test`. MODULES: keys of the table
# in platform_tools/mutate.py (default: every module). MUTATE_JOBS: mutmut workers for the modules whose tests do
# not synthesize (those that do run one worker: forked workers share one jsii kernel). mutmut lives in
# .venv-mutate, which sees the project's $(VENV) through a .pth file, so the test venv stays as pinned.
MODULES ?=
MUTATE_JOBS ?= 1
.venv-mutate/.installed: requirements/mutate.txt $(VENV)/.test-installed
	@test -x .venv-mutate/bin/python || $(PYTHON) -m venv .venv-mutate
	@$(PY) -c 'import site; print(site.getsitepackages()[0])' \
	  > "$$(.venv-mutate/bin/python -c 'import site; print(site.getsitepackages()[0])')/project-venv.pth"
	.venv-mutate/bin/python -m pip install --quiet -r requirements/mutate.txt
	@touch $@

mutate: .venv-mutate/.installed
	.venv-mutate/bin/python -m platform_tools.mutate --jobs $(MUTATE_JOBS) $(if $(strip $(MODULES)),--modules $(MODULES))

clean:
	rm -rf cdktf.out .cdktf.out.* .pytest_cache .mutate
