# The kind cluster: kube-prometheus-stack + items-api. Recipes stay one line per step; each step is
# a subcommand of cluster/cli.ts (TypeScript), which takes names, ports, the image and the pinned
# chart version from project/constants.ts, so nothing here retypes them. Every kubectl/helm call
# is pinned to the kind cluster's context: these targets never touch another cluster.
CLUSTER_CLI := node --import tsx cluster/cli.ts
# Optional kindest/node image for a new cluster, e.g. KIND_NODE_IMAGE=kindest/node:v1.34.0
KIND_NODE_IMAGE ?=
# Seconds the post-deploy check keeps retrying before it reports what still fails.
CHECK_TIMEOUT ?= 300

.PHONY: kind-up kind-down deploy image port-forward post-deploy-check
kind-up: node_modules ## kind cluster + kube-prometheus-stack + items-api from nothing, checked, then prints how to reach it
	@$(CLUSTER_CLI) preflight docker kind kubectl helm
	@$(CLUSTER_CLI) cluster-up $(if $(KIND_NODE_IMAGE),--node-image $(KIND_NODE_IMAGE))
	@$(CLUSTER_CLI) stack-up
	@$(MAKE) --no-print-directory deploy
	@$(CLUSTER_CLI) access

deploy: ## (re)deploy items-api into the running kind cluster (CLUSTER=sim: the simulated one): image, synth, apply, rollout, post-deploy check
	@$(CLUSTER_CLI) preflight docker kind kubectl
	@$(MAKE) --no-print-directory image
	@$(MAKE) --no-print-directory synth
	@$(CLUSTER_CLI) apply
	@$(CLUSTER_CLI) check --timeout $(CHECK_TIMEOUT)

image: ## build the items-api image (service/Dockerfile) and load it into the kind cluster
	@$(CLUSTER_CLI) preflight docker kind
	@$(CLUSTER_CLI) image

post-deploy-check: ## check the running stack through the API server: rollouts, target up, rules, alerts, dashboards
	@$(CLUSTER_CLI) check --timeout $(CHECK_TIMEOUT)

port-forward: ## forward API :3030, Prometheus :9090, Grafana :4040, Alertmanager :9093 (one Ctrl-C stops all)
	@$(CLUSTER_CLI) preflight kubectl
	@$(CLUSTER_CLI) port-forward

kind-down: ## delete the kind cluster (and everything in it)
	@$(CLUSTER_CLI) preflight docker kind
	@$(CLUSTER_CLI) cluster-down
