# Entry points a user types. Each area keeps its targets in mk/<area>.mk; this file wires them up.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(CURDIR)/bin:$(CURDIR)/node_modules/.bin:$(PATH)

NODE_TEST := node --import tsx --test --test-concurrency=2
# Every *.test.ts outside node_modules; each file runs in its own process.
TEST_FILES = $(shell find project kube-access toolkit service monitoring k8s-dashboards localstack cdk8s charts cluster loadtest docs scripts testing -name '*.test.ts' -not -path '*/node_modules/*' 2>/dev/null | sort)

.PHONY: help
help: ## list targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

node_modules: package-lock.json
	npm ci
	@touch node_modules

.PHONY: start
start: node_modules ## run items-api on :3030 (metrics :9464) with embedded PostgreSQL
	npm start

.PHONY: lint typecheck
lint: node_modules ## eslint over every TypeScript folder
	npx eslint .
typecheck: node_modules ## tsc --noEmit, strict (Node code, then the k6 scripts with k6's runtime types)
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p loadtest/k6/tsconfig.json

.PHONY: test
test: node_modules lint typecheck ## every test tier (tiers whose tool is missing skip loudly; in CI they fail)
	$(NODE_TEST) $(TEST_FILES)

.PHONY: generate
generate: node_modules ## regenerate committed files (dashboards JSON, rule files, chart files, docs catalogs)
	node --import tsx scripts/regenerate.ts

.PHONY: build
build: node_modules ## compile the service to build/
	npx tsc -p tsconfig.build.json

-include mk/*.mk

.PHONY: bench
bench: node_modules ## performance benchmark: req/s, p50/p99, RSS with instrumentation on/off, /metrics time, series growth
	node --import tsx service/bench/bench.ts $(BENCH_ARGS)

.PHONY: soak
soak: node_modules ## 5-minute mixed-load soak of items-api: req/s, p99, errors, RSS, event-loop lag every 30 s
	node --import tsx service/bench/bench.ts --soak $${SOAK_SECONDS:-300}
