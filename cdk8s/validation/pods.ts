/** The pod templates inside workload objects, with what invariants need to know about them. */
import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import { type K8sObject, describeObject } from './manifests.js';
import type { Labels } from './selectors.js';

export interface PodTemplate {
  /** The object holding the template, e.g. `Deployment items/items-api`. */
  readonly owner: string;
  readonly ownerKind: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly spec: IPodSpec;
  /** Runs until stopped (Deployment, StatefulSet): its containers need probes. Jobs and `restartPolicy: Never` Pods run to completion. */
  readonly longRunning: boolean;
}

interface TemplateHolder {
  spec?: { template?: { metadata?: { labels?: Labels }; spec?: IPodSpec }; jobTemplate?: { spec?: { template?: { metadata?: { labels?: Labels }; spec?: IPodSpec } } } };
}

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** The pod templates of workloads, and bare Pods (a `helm test` hook) as templates of themselves. */
export function podTemplates(objects: readonly K8sObject[], defaultNamespace = 'default'): PodTemplate[] {
  return objects.flatMap((o) => {
    if (o.kind === 'Pod') {
      const spec = (o as { spec?: IPodSpec }).spec;
      if (!spec) return [];
      const runsOnce = spec.restartPolicy === 'Never' || spec.restartPolicy === 'OnFailure';
      return [{ owner: describeObject(o), ownerKind: o.kind, namespace: o.metadata.namespace ?? defaultNamespace, labels: o.metadata.labels ?? {}, spec, longRunning: !runsOnce }];
    }
    const holder = o as TemplateHolder;
    const template = o.kind === 'CronJob' ? holder.spec?.jobTemplate?.spec?.template : holder.spec?.template;
    if (!template?.spec) return [];
    return [
      {
        owner: describeObject(o),
        ownerKind: o.kind,
        namespace: o.metadata.namespace ?? defaultNamespace,
        labels: template.metadata?.labels ?? {},
        spec: template.spec,
        longRunning: LONG_RUNNING.has(o.kind),
      },
    ];
  });
}

export interface ContainerRef {
  readonly pod: PodTemplate;
  readonly container: IContainer;
  readonly init: boolean;
  /** `Deployment items/items-api container items-api`. */
  readonly where: string;
}

export function containersOf(pods: readonly PodTemplate[]): ContainerRef[] {
  return pods.flatMap((pod) => [
    ...(pod.spec.initContainers ?? []).map((container) => ({ pod, container, init: true, where: `${pod.owner} init container ${container.name}` })),
    ...pod.spec.containers.map((container) => ({ pod, container, init: false, where: `${pod.owner} container ${container.name}` })),
  ]);
}

/** The container port a Service `targetPort` or NetworkPolicy port (name or number) refers to, if any. */
export function findContainerPort(pod: PodTemplate, port: string | number): number | undefined {
  for (const container of pod.spec.containers) {
    for (const p of container.ports ?? []) {
      if (typeof port === 'number' ? p.containerPort === port : p.name === port) return p.containerPort;
    }
  }
  return undefined;
}
