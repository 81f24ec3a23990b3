/**
 * Facts shared by the service, the monitoring rules, the Kubernetes manifests, the Helm chart and
 * the load tests. Change a value here and regenerate (`make generate`); drift tests catch the rest.
 */

/** Name of the application: container, Deployment, Service, `app.kubernetes.io/name` label. */
export const APP_NAME = 'items-api';

/** Version reported in `items_api_build_info` and used as the image tag. */
export const APP_VERSION = '0.1.0';

/**
 * Where this repository lives; alert `runbook_url`s and dashboard links point into it. A fork
 * changes this one line and runs `make generate`.
 */
export const REPOSITORY_URL = 'https://github.com/items-api/items-api-monitoring';

/** Base of every alert's `runbook_url`: `${RUNBOOK_BASE_URL}/<AlertName>.md`. */
export const RUNBOOK_BASE_URL = `${REPOSITORY_URL}/blob/main/docs/runbooks`;

/** Namespace the cdk8s app and the Helm chart deploy items-api and PostgreSQL into. */
export const APP_NAMESPACE = 'items';

/** Ports. The API and the metrics endpoint are separate so metrics never leave the cluster. */
export const PORTS = {
  api: 3030,
  metrics: 9464,
  postgres: 5432,
  postgresExporter: 9187,
  prometheus: 9090,
  alertmanager: 9093,
  /** Grafana's local port-forward; the in-cluster Service listens on 80. */
  grafana: 4040,
} as const;

/** Named container/Service ports, referenced by the ServiceMonitor. */
export const PORT_NAMES = {
  api: 'http',
  metrics: 'metrics',
} as const;

/** How Prometheus scrapes items-api, in the cluster (ServiceMonitor) and locally alike. */
export const SCRAPE = {
  interval: '15s',
  scrapeTimeout: '10s',
  path: '/metrics',
  /** Value of the `job` label: kube-prometheus-stack uses the Service name. */
  job: APP_NAME,
} as const;

const KUBE_PROMETHEUS_STACK_VERSION = '88.5.3';

/** kube-prometheus-stack, pinned; its selectors decide which of our objects it loads. */
export const KUBE_PROMETHEUS_STACK = {
  chart: 'kube-prometheus-stack',
  /** Where the vendored archive comes from (`helm pull` to move to another version). */
  repoUrl: 'https://prometheus-community.github.io/helm-charts',
  version: KUBE_PROMETHEUS_STACK_VERSION,
  /**
   * The chart, vendored (the chart repository may be unreachable): installed from this archive,
   * whose sha256 is checked before every install. See charts/kube-prometheus-stack/vendor/README.md.
   */
  archive: `charts/kube-prometheus-stack/vendor/kube-prometheus-stack-${KUBE_PROMETHEUS_STACK_VERSION}.tgz`,
  archiveSha256: '0890d522f945bac2c0a0ffc14239e8404fd92904b1d1c4a4da331be9f94b61a2',
  namespace: 'monitoring',
  release: 'kube-prometheus-stack',
  /** Label the Grafana sidecar watches on ConfigMaps holding dashboards. */
  dashboardLabel: { key: 'grafana_dashboard', value: '1' },
  dashboardFolder: 'Items API',
} as const;

/** k6, pinned: the local binary (`make tools`) and the in-cluster image must match. */
export const K6_VERSION = '1.8.1';

/** Container images. kind-loaded images are never pulled (`IfNotPresent`). */
export const IMAGES = {
  api: `${APP_NAME}:${APP_VERSION}`,
  postgres: 'postgres:17.6-alpine',
  postgresExporter: 'quay.io/prometheuscommunity/postgres-exporter:v0.17.1',
  k6: `grafana/k6:${K6_VERSION}`,
} as const;

/**
 * How often Prometheus evaluates rule groups that set no `interval`, in the cluster
 * (kube-prometheus-stack `prometheus.prometheusSpec.evaluationInterval`) and in the local stack
 * alike. 30s is the Prometheus Operator's default, which the chart keeps when the value is empty.
 */
export const RULE_EVALUATION_INTERVAL = '30s';

/** The local kind cluster (`make kind-up`); kind names its kubeconfig context `kind-<name>`. */
export const KIND_CLUSTER = { name: APP_NAME, context: `kind-${APP_NAME}` } as const;

/**
 * The simulated cluster (`make sim-up`): a real control plane with kwok nodes on 127.0.0.1.
 * kwokctl names its context `kwok-<name>`; its kubeconfig and state stay under `home` (relative
 * to the repository, overridable with SIM_HOME), never in the user's ~/.kube/config.
 */
export const SIM_CLUSTER = { name: APP_NAME, context: `kwok-${APP_NAME}`, home: '.local/sim' } as const;

/**
 * Annotation on dashboard ConfigMaps whose value names the Grafana folder the sidecar files the
 * dashboard under (kube-prometheus-stack `grafana.sidecar.dashboards.folderAnnotation`); the
 * project's dashboards carry `KUBE_PROMETHEUS_STACK.dashboardFolder` in it.
 */
export const GRAFANA_FOLDER_ANNOTATION = 'grafana_folder';

/**
 * The server-side apply field manager of every write the project makes to the cluster
 * (`make deploy`'s `kubectl apply --server-side`, the load-test launcher's ConfigMap). One owner:
 * writers under different managers conflict on the fields they both set (the k6 scripts), and
 * keys one of them drops would live on under the other. A literal, not APP_NAME: renaming the app
 * must not hand the fields to a new owner.
 */
export const FIELD_MANAGER = 'items-api';
