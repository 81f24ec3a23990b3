# Screenshots (screenshots/README.md): taken by scripts/screenshots/main.ts from a real local-stack
# run (and Grafana when the kind cluster is up). Needs prometheus, prometheus-alertmanager,
# chromium (CHROMIUM=/path overrides /usr/bin/chromium) and k6 (`make tools`). About five minutes.
.PHONY: screenshots
screenshots: node_modules ## regenerate screenshots/ from a real run (local stack; Grafana too when a cluster is up)
	node --import tsx scripts/screenshots/main.ts
