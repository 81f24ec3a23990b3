# Live proofs on the local stack (also part of `make test`): telemetry, alert proofs, docs PromQL.
LIVE_TESTS := localstack/test/live-telemetry.test.ts localstack/test/alert-proof.test.ts localstack/test/alert-proof-causes.test.ts docs/promql-examples.test.ts

.PHONY: live-proof
live-proof: node_modules ## live proofs on a local stack: every recording rule and dashboard query has data, alerts fire on their faults, docs PromQL runs
	$(NODE_TEST) $(LIVE_TESTS)
