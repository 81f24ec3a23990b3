/**
 * Series the dashboards and alerts read that items-api does not expose, so they are not in the service's
 * metric catalog. Kept here, in one table each, so no query spells them out.
 */

/**
 * Only in a cluster: kube-state-metrics and the kubelet's cAdvisor, as kube-prometheus-stack
 * scrapes them (labels `namespace`, `pod`, `container`). A local stack never has these.
 */
export const CLUSTER_METRICS = {
  /** cAdvisor: memory the kernel will not reclaim; what the OOM killer and the limit compare against. */
  memoryWorkingSet: 'container_memory_working_set_bytes',
  /** kube-state-metrics: requests and limits, one series per `resource` and `unit`. */
  resourceRequests: 'kube_pod_container_resource_requests',
  resourceLimits: 'kube_pod_container_resource_limits',
  /** kube-state-metrics: container restarts since the pod was created. */
  restarts: 'kube_pod_container_status_restarts_total',
} as const;

/** Labels of the cluster series above (kube-state-metrics and cAdvisor agree on these). */
export const CLUSTER_LABELS = {
  pod: 'pod',
  container: 'container',
  resource: 'resource',
  /** `resource` value of memory requests/limits. */
  memory: 'memory',
} as const;

/** Series Prometheus itself writes for every scrape target, locally and in the cluster. */
export const TARGET_SERIES = {
  up: 'up',
} as const;
