# Kubernetes manifests (cdk8s) and the items-api Helm chart.
# The PostgreSQL password is generated once, never committed; see cdk8s/database/password-source.ts.
CDK8S_DB_PASSWORD_FILE := .local/kind/postgres-password

$(CDK8S_DB_PASSWORD_FILE):
	@mkdir -p $(dir $@)
	@umask 077 && node -e "process.stdout.write(require('node:crypto').randomBytes(24).toString('base64url'))" > $@
	@echo "generated a random PostgreSQL password in $@ (keep it as long as the cluster's volume)"

.PHONY: db-password
db-password: $(CDK8S_DB_PASSWORD_FILE) ## generate the PostgreSQL password once (.local/kind/postgres-password)

.PHONY: synth
synth: node_modules $(CDK8S_DB_PASSWORD_FILE) ## synthesize the Kubernetes manifests into dist/ (cdk8s)
	node --import tsx cdk8s/main.ts

.PHONY: chart-lint
chart-lint: ## helm lint the items-api chart
	helm lint charts/items-api --set database.password=lint-only-password-0000

.PHONY: chart-template
chart-template: $(CDK8S_DB_PASSWORD_FILE) ## render the items-api chart with helm template (password from .local/kind/postgres-password)
	helm template items-api charts/items-api --namespace items --set database.password="$$(cat $(CDK8S_DB_PASSWORD_FILE))"
