# Pinned external tools, built with `go install` into ./bin (the Makefile puts ./bin first on PATH).
HELM_VERSION        := v3.21.4
KUBECONFORM_VERSION := v0.7.0
# Must equal K6_VERSION in project/constants.ts (the in-cluster grafana/k6 image); a test checks it.
K6_VERSION          := v1.8.1
GOBIN_DIR := $(CURDIR)/bin

.PHONY: tools
tools: bin/helm bin/kubeconform bin/k6 ## install pinned helm, kubeconform, k6 into ./bin (needs Go)

bin/helm:
	@command -v go >/dev/null || { echo "make tools needs Go (https://go.dev/dl/)"; exit 1; }
	GOBIN=$(GOBIN_DIR) go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
bin/kubeconform:
	@command -v go >/dev/null || { echo "make tools needs Go (https://go.dev/dl/)"; exit 1; }
	GOBIN=$(GOBIN_DIR) go install github.com/yannh/kubeconform/cmd/kubeconform@$(KUBECONFORM_VERSION)
bin/k6:
	@command -v go >/dev/null || { echo "make tools needs Go (https://go.dev/dl/)"; exit 1; }
	GOBIN=$(GOBIN_DIR) go install go.k6.io/k6@$(K6_VERSION)
