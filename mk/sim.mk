# The simulated cluster: a real Kubernetes control plane (kube-apiserver, kube-controller-manager,
# kube-scheduler, etcd) with kwok's simulated nodes, all on 127.0.0.1, no Docker. The binaries
# and the real prometheus-operator are built from the Go module proxy by the wrapper module in
# tools/cluster-sim (its go.mod holds the pinned versions). Build time: docs/SIMULATED_CLUSTER.md.
SIM_MODULE   := tools/cluster-sim
# Must equal the k8s.io/kubernetes version in $(SIM_MODULE)/go.mod (a test checks): `go install`
# leaves the version variables empty, and kwokctl picks its component flags from `--version`.
SIM_KUBE_VERSION := v1.36.3
SIM_LDFLAGS  := -X k8s.io/component-base/version.gitVersion=$(SIM_KUBE_VERSION) \
	-X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=36 \
	-X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z
SIM_STAMP    := bin/.cluster-sim-tools
SIM_CLI      := node --import tsx cluster/sim/cli.ts

.PHONY: sim-tools sim-up sim-down sim-status
sim-tools: $(SIM_STAMP) ## build the simulated cluster's binaries into ./bin (Kubernetes, etcd, kwok, prometheus-operator; ~10 min cold)

$(SIM_STAMP): $(SIM_MODULE)/go.mod $(SIM_MODULE)/go.sum $(SIM_MODULE)/cmd/etcd/main.go
	@command -v go >/dev/null || { echo "make sim-tools needs Go (https://go.dev/dl/)"; exit 1; }
	cd $(SIM_MODULE) && GOBIN=$(GOBIN_DIR) go install -ldflags '$(SIM_LDFLAGS)' tool ./cmd/etcd
	mv -f $(GOBIN_DIR)/operator $(GOBIN_DIR)/prometheus-operator
	@touch $@

sim-up: node_modules $(SIM_STAMP) bin/helm ## simulated cluster (no Docker) + kube-prometheus-stack + the real prometheus-operator + items-api, checked
	@$(SIM_CLI) up
	@CLUSTER=sim $(CLUSTER_CLI) stack-up
	@CLUSTER=sim $(MAKE) --no-print-directory deploy
	@$(SIM_CLI) status

sim-down: node_modules ## stop the simulated cluster and delete its state
	@$(SIM_CLI) down

sim-status: node_modules ## is the simulated cluster running; its kubeconfig and context
	@$(SIM_CLI) status
