/**
 * Labels on every object (Kubernetes recommended labels). Selectors use only `name` and
 * `instance`: they never change for the life of a workload (Deployment selectors are immutable).
 * The Helm chart (`charts/items-api/templates/_helpers.tpl`) writes the same keys.
 */
import { K6_POD_LABELS } from '../../loadtest/cluster/objects.js';
import { APP_NAME, KUBE_PROMETHEUS_STACK } from '../../project/constants.js';

export const LABEL = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

/**
 * The Service label whose value a ServiceMonitor's `jobLabel` makes the target's `job`. Without
 * it Prometheus uses the Service name, which follows the Helm release name, while the rules and
 * dashboards select `job` = SCRAPE.job (project/constants.ts): `name` is the chart's name whatever the release.
 */
export const JOB_LABEL = LABEL.name;

/** The instance name (Helm's release name): prefix of every object name. */
export const INSTANCE = APP_NAME;

/** What manages the objects; Helm writes `Helm` here, the one deliberate label difference. */
export const MANAGED_BY = 'cdk8s';

/** One workload of the instance: its `app.kubernetes.io/name` and `component`, and its object name. */
export interface Workload {
  /** `app.kubernetes.io/name`, e.g. `postgres`. */
  readonly name: string;
  /** `app.kubernetes.io/component`, e.g. `database`. */
  readonly component: string;
  /** Object name: `items-api`, `items-api-postgres`, ... */
  readonly objectName: string;
}

export const WORKLOADS = {
  api: { name: APP_NAME, component: 'api', objectName: INSTANCE },
  postgres: { name: 'postgres', component: 'database', objectName: `${INSTANCE}-postgres` },
  postgresExporter: { name: 'postgres-exporter', component: 'database-metrics', objectName: `${INSTANCE}-postgres-exporter` },
  monitoring: { name: APP_NAME, component: 'monitoring', objectName: INSTANCE },
  /**
   * The k6 pods (loadtest/cluster/objects.ts) name only the k6 NetworkPolicy. Their pods carry
   * K6_POD_LABELS, without `instance` (the launcher's Jobs belong to no release): select them by
   * K6_POD_LABELS, never by selectorLabels().
   */
  loadtest: { name: K6_POD_LABELS[LABEL.name], component: K6_POD_LABELS[LABEL.component], objectName: `${INSTANCE}-k6` },
} as const satisfies Record<string, Workload>;

/** Labels a workload's pods are selected by (Service, PodDisruptionBudget, NetworkPolicy). */
export function selectorLabels(workload: Workload): Record<string, string> {
  return { [LABEL.name]: workload.name, [LABEL.instance]: INSTANCE };
}

/** Labels on every object of a workload and on its pods. */
export function workloadLabels(workload: Workload): Record<string, string> {
  return {
    ...selectorLabels(workload),
    [LABEL.component]: workload.component,
    [LABEL.partOf]: APP_NAME,
    [LABEL.managedBy]: MANAGED_BY,
  };
}

/**
 * Labels kube-prometheus-stack's Prometheus selects ServiceMonitors and PrometheusRules by when its
 * `*SelectorNilUsesHelmValues` stay true (the chart default). Our values select every object
 * anyway; carrying the label keeps discovery working with a stock installation too.
 */
export function prometheusDiscoveryLabels(): Record<string, string> {
  return { release: KUBE_PROMETHEUS_STACK.release };
}
