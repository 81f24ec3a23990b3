# Load tests with k6 (docs/LOAD_TESTING.md). Optional: BASE_URL, PROMETHEUS_URL, HOLD, RAMP_DOWN, TEST_ID.
LOAD_LOCAL_ARGS = --profile $(PROFILE) \
	$(if $(BASE_URL),--base-url $(BASE_URL)) \
	$(if $(PROMETHEUS_URL),--prometheus-url $(PROMETHEUS_URL)) \
	$(if $(HOLD),--hold $(HOLD)) $(if $(RAMP_DOWN),--ramp-down $(RAMP_DOWN)) \
	$(if $(TEST_ID),--test-id $(TEST_ID))
LOAD_CLUSTER_ARGS = --profile $(PROFILE) \
	$(if $(PARALLELISM),--parallelism $(PARALLELISM)) \
	$(if $(KUBE_CONTEXT),--context $(KUBE_CONTEXT)) \
	$(if $(BASE_URL),--base-url $(BASE_URL)) \
	$(if $(HOLD),--hold $(HOLD)) $(if $(RAMP_DOWN),--ramp-down $(RAMP_DOWN)) \
	$(if $(TEST_ID),--test-id $(TEST_ID))

.PHONY: load-local load load-typecheck
load-local: PROFILE ?= smoke
load-local: node_modules ## k6 against the local items-api: PROFILE=smoke|light|medium|heavy [BASE_URL=http://127.0.0.1:3030]
	node --import tsx loadtest/local/cli.ts $(LOAD_LOCAL_ARGS)

load: PROFILE ?= light
load: node_modules ## k6 as Jobs in the project cluster (kind; CLUSTER=sim): PROFILE=light [PARALLELISM=N] [KUBE_CONTEXT=other]
	node --import tsx loadtest/cluster/cli.ts $(LOAD_CLUSTER_ARGS)

load-typecheck: node_modules ## typecheck the k6 scripts (k6 runtime types, not Node's)
	npx tsc -p loadtest/k6/tsconfig.json
