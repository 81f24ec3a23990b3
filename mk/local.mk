# The local stack (localstack/): items-api + PostgreSQL + Prometheus + Alertmanager from binaries on
# this machine, loading the generated rules. State, logs and data under .local/stack/ (git-ignored).
LOCAL_STACK := node --import tsx localstack/cli.ts
LOCAL_RULES := charts/items-api/files/prometheus-rules.yaml
# What the rule file is generated from: regenerate before starting when any of it is newer.
LOCAL_RULE_SOURCES = $(shell find monitoring -name '*.ts' -not -name '*.test.ts' 2>/dev/null) project/constants.ts

# `make local-up` settings (each one optional; localstack/README.md):
#   FAULTS=1        fault injection (PUT /faults on the metrics port)
#   TRAFFIC=1       steady API traffic (TRAFFIC_RATE requests/s, default 5; TRAFFIC_DURATION, default 30m)
#   FRESH=1         empty Prometheus and Alertmanager data first (no past incident in the alert windows)
#   API_PORT METRICS_PORT PROMETHEUS_PORT ALERTMANAGER_PORT POSTGRES_PORT   ports instead of the defaults
# The names are localstack/control.ts's PORT_SETTINGS; localstack/test/cli.test.ts checks they match.
LOCAL_UP_ARGS = $(if $(filter 1 true yes,$(FAULTS)),--faults) \
	$(if $(filter 1 true yes,$(FRESH)),--fresh) \
	$(if $(filter 1 true yes,$(TRAFFIC)),--traffic) \
	$(if $(TRAFFIC_RATE),--traffic-rate $(TRAFFIC_RATE)) \
	$(if $(TRAFFIC_DURATION),--traffic-duration $(TRAFFIC_DURATION)) \
	$(if $(API_PORT),--api-port $(API_PORT)) \
	$(if $(METRICS_PORT),--metrics-port $(METRICS_PORT)) \
	$(if $(PROMETHEUS_PORT),--prometheus-port $(PROMETHEUS_PORT)) \
	$(if $(ALERTMANAGER_PORT),--alertmanager-port $(ALERTMANAGER_PORT)) \
	$(if $(POSTGRES_PORT),--postgres-port $(POSTGRES_PORT))

.PHONY: local-up local-down local-status
local-up: node_modules $(LOCAL_RULES) ## start the local stack in the background (FAULTS=1 TRAFFIC=1 FRESH=1 PROMETHEUS_PORT=…: see mk/local.mk)
	@$(LOCAL_STACK) up $(strip $(LOCAL_UP_ARGS))

local-down: node_modules ## stop everything local-up started
	@$(LOCAL_STACK) down

local-status: node_modules ## is the local stack running; URLs, component health, traffic
	@$(LOCAL_STACK) status || [ $$? -eq 3 ]

# `make generate` writes only files whose content changed; touch the rule file so an unchanged one
# counts as up to date (never create it: a missing file means generation failed to write it).
$(LOCAL_RULES): $(LOCAL_RULE_SOURCES)
	$(MAKE) --no-print-directory generate
	@if [ -f $@ ]; then touch $@; fi
