# The local stack (localstack/): items-api + PostgreSQL + Prometheus + Alertmanager from binaries on
# this machine, loading the generated rules. State, logs and data under .local/stack/ (git-ignored).
LOCAL_STACK := node --import tsx localstack/cli.ts
LOCAL_RULES := charts/items-api/files/prometheus-rules.yaml
# What the rule file is generated from: regenerate before starting when any of it is newer.
LOCAL_RULE_SOURCES = $(shell find monitoring -name '*.ts' -not -name '*.test.ts' 2>/dev/null) project/constants.ts

.PHONY: local-up local-down local-status
local-up: node_modules $(LOCAL_RULES) ## start the local stack in the background (FAULTS=1 enables fault injection)
	@$(LOCAL_STACK) up $(if $(filter 1 true yes,$(FAULTS)),--faults)

local-down: node_modules ## stop everything local-up started
	@$(LOCAL_STACK) down

local-status: node_modules ## is the local stack running; URLs and component health
	@$(LOCAL_STACK) status || [ $$? -eq 3 ]

# `make generate` writes only files whose content changed; touch the rule file so an unchanged one
# counts as up to date (never create it: a missing file means generation failed to write it).
$(LOCAL_RULES): $(LOCAL_RULE_SOURCES)
	$(MAKE) --no-print-directory generate
	@if [ -f $@ ]; then touch $@; fi
