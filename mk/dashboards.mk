# Grafana dashboards (k8s-dashboards/): TypeScript sources -> committed JSON via `make generate`.
.PHONY: dashboards-test
dashboards-test: node_modules ## dashboard tests: structure, metric names, needs, promtool check of every query
	$(NODE_TEST) $(sort $(wildcard k8s-dashboards/*.test.ts))
