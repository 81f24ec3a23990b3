/**
 * The invariant context of this project: what must hold for items-api's objects in a cluster
 * running kube-prometheus-stack. Shared by the cdk8s tests and the Helm chart tests.
 */
import { K6_POD_LABELS } from '../../loadtest/cluster/objects.js';
import { APP_NAMESPACE, IMAGES, KUBE_PROMETHEUS_STACK, SCRAPE, CONTAINER_PORTS, STACK_PORTS } from '../../project/constants.js';
import { INSTANCE, LABEL, WORKLOADS, type Workload, selectorLabels } from '../lib/labels.js';
import { CLUSTER_DNS, PROMETHEUS_PODS } from '../network/network-policies.js';
import type { InvariantContext, NetworkPath } from './invariants.js';
import { type StackSelection, stackSelection } from './stack-selection.js';

export interface ProjectContextOptions {
  /** The database password used for the render (must not leak out of the Secret). */
  readonly password: string;
  /** @default APP_NAMESPACE */
  readonly namespace?: string;
  /** Helm release name: the `instance` label and the prefix of object names. @default INSTANCE */
  readonly release?: string;
  /** @default stackSelection() (kube-prometheus-stack chart defaults) */
  readonly stack?: StackSelection;
  /** Set false when the render has no postgres-exporter. @default true */
  readonly exporter?: boolean;
  /** Set false when the render has no ServiceMonitors (then none is expected). @default true */
  readonly serviceMonitors?: boolean;
  /** Set false when the render has no NetworkPolicies (then nothing is forbidden). @default true */
  readonly networkPolicies?: boolean;
  /** Set false when items-api runs a fixed replica count (then no HPA is expected). @default true */
  readonly autoscaling?: boolean;
  /** Set false when the render has no k6 pod (then no k6 path is checked). @default true */
  readonly loadtest?: boolean;
}

/** Fewest items-api pods the HPA may keep: one can be drained or crash while another serves. */
export const MIN_API_REPLICAS = 2;

export function projectInvariantContext(options: ProjectContextOptions): InvariantContext {
  const namespace = options.namespace ?? APP_NAMESPACE;
  const exporter = options.exporter ?? true;
  const release = options.release ?? INSTANCE;
  // The chart's fullname rule: the release name, with the chart name unless it already contains it.
  const prefix = release.includes(INSTANCE) ? release : `${release}-${INSTANCE}`;
  const objectName = (workload: Workload) => prefix + workload.objectName.slice(INSTANCE.length);
  const labelsOf = (workload: Workload) => ({ ...selectorLabels(workload), [LABEL.instance]: release });
  const pod = (workload: Workload) => ({ namespace, labels: labelsOf(workload) });
  const k6InNamespace = { namespace, labels: { ...K6_POD_LABELS } };
  const elsewhere = { namespace: 'default', labels: { 'app.kubernetes.io/name': 'curl' } };
  const to = (workload: Workload, port: number) => ({ toLabels: labelsOf(workload), port });
  const monitoringNamespace = options.stack?.prometheusNamespace ?? KUBE_PROMETHEUS_STACK.namespace;
  const dns = { toNamespace: CLUSTER_DNS.namespace, toLabels: CLUSTER_DNS.podLabels, port: CLUSTER_DNS.port };
  const prometheus = { toNamespace: monitoringNamespace, toLabels: PROMETHEUS_PODS.podLabels };
  const k6 = options.loadtest ?? true;

  const k6Required: NetworkPath[] = [
    { description: 'k6 pods resolve names (cluster DNS, UDP)', from: k6InNamespace, ...dns, protocol: 'UDP' },
    { description: 'k6 pods resolve names (cluster DNS, TCP)', from: k6InNamespace, ...dns },
    { description: 'k6 pods remote-write to Prometheus', from: k6InNamespace, ...prometheus, port: PROMETHEUS_PODS.port },
  ];
  // 6565: k6's REST API, which can pause, resume and rescale a running test.
  const k6Forbidden: NetworkPath[] = [
    { description: 'nothing connects to k6 pods', from: elsewhere, toLabels: { ...K6_POD_LABELS }, port: 6565 },
    { description: 'pods of the namespace do not connect to k6 pods', from: pod(WORKLOADS.api), toLabels: { ...K6_POD_LABELS }, port: 6565 },
    { description: 'k6 pods cannot reach other namespaces', from: k6InNamespace, toNamespace: elsewhere.namespace, toLabels: elsewhere.labels, port: 443 },
    { description: 'k6 pods cannot reach Alertmanager', from: k6InNamespace, toNamespace: monitoringNamespace, toLabels: { 'app.kubernetes.io/name': 'alertmanager' }, port: STACK_PORTS.alertmanager },
    { description: 'k6 pods cannot reach Prometheus on another port', from: k6InNamespace, ...prometheus, port: STACK_PORTS.alertmanager },
    { description: 'k6 pods cannot reach other kube-system pods', from: k6InNamespace, toNamespace: CLUSTER_DNS.namespace, toLabels: { component: 'etcd' }, port: 2379 },
  ];
  const required: NetworkPath[] = [
    { description: 'items-api reaches PostgreSQL', from: pod(WORKLOADS.api), ...to(WORKLOADS.postgres, CONTAINER_PORTS.postgres) },
    { description: 'k6 pods reach the API', from: k6InNamespace, ...to(WORKLOADS.api, CONTAINER_PORTS.api) },
    { description: 'pods of other namespaces reach the API', from: elsewhere, ...to(WORKLOADS.api, CONTAINER_PORTS.api) },
    ...(exporter ? [{ description: 'the exporter reaches PostgreSQL', from: pod(WORKLOADS.postgresExporter), ...to(WORKLOADS.postgres, CONTAINER_PORTS.postgres) }] : []),
    ...(k6 ? k6Required : []),
  ];
  const forbidden: NetworkPath[] = [
    { description: 'k6 pods cannot reach PostgreSQL', from: k6InNamespace, ...to(WORKLOADS.postgres, CONTAINER_PORTS.postgres) },
    { description: 'other namespaces cannot reach PostgreSQL', from: elsewhere, ...to(WORKLOADS.postgres, CONTAINER_PORTS.postgres) },
    { description: 'other namespaces cannot scrape items-api', from: elsewhere, ...to(WORKLOADS.api, CONTAINER_PORTS.metrics) },
    { description: 'k6 pods cannot scrape items-api', from: k6InNamespace, ...to(WORKLOADS.api, CONTAINER_PORTS.metrics) },
    ...(exporter ? [{ description: 'other namespaces cannot scrape the exporter', from: elsewhere, ...to(WORKLOADS.postgresExporter, CONTAINER_PORTS.postgresExporter) }] : []),
    ...(k6 ? k6Forbidden : []),
  ];

  return {
    stack: options.stack ?? stackSelection(),
    localImages: [IMAGES.api],
    secretValues: [options.password],
    expectedScrapes:
      options.serviceMonitors === false
        ? {}
        : {
            [objectName(WORKLOADS.api)]: objectName(WORKLOADS.api),
            ...(exporter ? { [objectName(WORKLOADS.postgresExporter)]: objectName(WORKLOADS.postgresExporter) } : {}),
          },
    // Fixed values, not objectName(): the job must not change with the release name.
    expectedJobs:
      options.serviceMonitors === false
        ? {}
        : {
            [objectName(WORKLOADS.api)]: SCRAPE.job,
            ...(exporter ? { [objectName(WORKLOADS.postgresExporter)]: WORKLOADS.postgresExporter.name } : {}),
          },
    autoscaledDeployments: options.autoscaling === false ? {} : { [objectName(WORKLOADS.api)]: MIN_API_REPLICAS },
    requiredPaths: required,
    forbiddenPaths: options.networkPolicies === false ? [] : forbidden,
  };
}
