/**
 * Cause alerts from kube-state-metrics and cAdvisor, which kube-prometheus-stack scrapes in the
 * cluster. A local stack has neither, so these are `clusterOnly`.
 */
import { CLUSTER_LABELS } from '../cluster-metrics.js';
import { alertName, CONFIG, type MonitoringConfig } from '../config.js';
import { by, eq, selector } from '../promql.js';
import type { AlertDefinition } from './define.js';

export function kubernetesAlerts(config: MonitoringConfig = CONFIG): AlertDefinition[] {
  const { container, kubeStateMetricsSelector, cadvisorSelector, metrics } = config.kubernetes;
  const { podRestarts, memoryNearLimit } = config.causes;
  const ofContainer = eq(CLUSTER_LABELS.container, container);
  const perContainer = by(['namespace', CLUSTER_LABELS.pod, CLUSTER_LABELS.container]);
  const where = (t: { label(name: string): string }) =>
    `Container ${t.label(CLUSTER_LABELS.container)} of pod ${t.label(CLUSTER_LABELS.pod)} in namespace ${t.label('namespace')}`;

  return [
    {
      name: alertName('PodRestarting', config),
      severity: 'warning',
      expr: `sum ${perContainer} (increase(${selector(metrics.restarts, [...kubeStateMetricsSelector, ofContainer])}[${podRestarts.window}])) >= ${podRestarts.count}`,
      for: podRestarts.for,
      summary: (t) => `${container} pod ${t.label(CLUSTER_LABELS.pod)} is restarting`,
      description: (t) =>
        `${where(t)} restarted at least ${podRestarts.count} times within ${podRestarts.window}: a crash loop, OOM kills or a ` +
        `failing liveness probe. Each restart drops the requests in flight on it.`,
      clusterOnly: true,
    },
    {
      name: alertName('MemoryNearLimit', config),
      severity: 'warning',
      expr: [
        `max ${perContainer} (${selector(metrics.memoryWorkingSet, [...cadvisorSelector, ofContainer])})`,
        `/ on (namespace, ${CLUSTER_LABELS.pod}, ${CLUSTER_LABELS.container})`,
        `max ${perContainer} (${selector(metrics.resourceLimits, [...kubeStateMetricsSelector, ofContainer, eq(CLUSTER_LABELS.resource, CLUSTER_LABELS.memory)])})`,
        `  > ${memoryNearLimit.ratio}`,
      ].join('\n'),
      for: memoryNearLimit.for,
      summary: (t) => `${container} pod ${t.label(CLUSTER_LABELS.pod)} is near its memory limit`,
      description: (t) =>
        `${where(t)} has used ${t.value('humanizePercentage')} of its memory limit (working set) for ${memoryNearLimit.for}; ` +
        `threshold ${memoryNearLimit.ratio * 100} %. At 100 % the kernel OOM-kills it.`,
      clusterOnly: true,
    },
  ];
}
