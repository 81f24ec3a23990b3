# Monitoring rules (monitoring/): SLO recordings, SLO and cause alerts, promtool unit tests.
RULES_GEN := monitoring/_gen

.PHONY: rules-check
rules-check: ## promtool check rules + promtool test rules on the generated rule files (monitoring/_gen)
	@command -v promtool >/dev/null || { echo "rules-check needs promtool (Debian: apt-get install prometheus)"; exit 1; }
	promtool check rules $(RULES_GEN)/items-api.rules.yaml
	promtool test rules $(RULES_GEN)/items-api.rules.test.yaml
