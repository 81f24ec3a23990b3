/**
 * The invariant context of this project: what must hold for items-api's objects in a cluster
 * running kube-prometheus-stack. Shared by the cdk8s tests and the Helm chart tests.
 */
import { K6_POD_LABELS } from '../../loadtest/cluster/objects.js';
import { APP_NAMESPACE, IMAGES, PORTS } from '../../project/constants.js';
import { INSTANCE, LABEL, WORKLOADS, type Workload, selectorLabels } from '../lib/labels.js';
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
}

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

  const required: NetworkPath[] = [
    { description: 'items-api reaches PostgreSQL', from: pod(WORKLOADS.api), ...to(WORKLOADS.postgres, PORTS.postgres) },
    { description: 'k6 pods reach the API', from: k6InNamespace, ...to(WORKLOADS.api, PORTS.api) },
    { description: 'pods of other namespaces reach the API', from: elsewhere, ...to(WORKLOADS.api, PORTS.api) },
    ...(exporter ? [{ description: 'the exporter reaches PostgreSQL', from: pod(WORKLOADS.postgresExporter), ...to(WORKLOADS.postgres, PORTS.postgres) }] : []),
  ];
  const forbidden: NetworkPath[] = [
    { description: 'k6 pods cannot reach PostgreSQL', from: k6InNamespace, ...to(WORKLOADS.postgres, PORTS.postgres) },
    { description: 'other namespaces cannot reach PostgreSQL', from: elsewhere, ...to(WORKLOADS.postgres, PORTS.postgres) },
    { description: 'other namespaces cannot scrape items-api', from: elsewhere, ...to(WORKLOADS.api, PORTS.metrics) },
    { description: 'k6 pods cannot scrape items-api', from: k6InNamespace, ...to(WORKLOADS.api, PORTS.metrics) },
    ...(exporter ? [{ description: 'other namespaces cannot scrape the exporter', from: elsewhere, ...to(WORKLOADS.postgresExporter, PORTS.postgresExporter) }] : []),
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
    requiredPaths: required,
    forbiddenPaths: options.networkPolicies === false ? [] : forbidden,
  };
}
