# Monitoring rules (monitoring/): SLO recordings, SLO and cause alerts, promtool unit tests.
# The rule file is generated into the Helm chart, the one folder Helm can read it from (project/generated.ts
# CHART_FILES.rules); scripts/generated-files.test.ts checks these paths against monitoring/generate.ts.
RULE_FILE := charts/items-api/files/prometheus-rules.yaml
RULE_TEST_FILE := monitoring/_gen/items-api.rules.test.yaml

.PHONY: rules-check
rules-check: ## promtool check rules + promtool test rules on the generated rule file and its unit tests
	@command -v promtool >/dev/null || { echo "rules-check needs promtool (Debian: apt-get install prometheus)"; exit 1; }
	promtool check rules $(RULE_FILE)
	promtool test rules $(RULE_TEST_FILE)
