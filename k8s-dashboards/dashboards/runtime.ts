/**
 * Runtime: the Node.js process (event-loop lag, heap, GC, CPU, resident memory, uptime, build)
 * and, in a cluster, its container (memory against requests and limits, restarts).
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import { METRICS, RUNTIME_METRICS } from '../../service/src/metrics/catalog.js';
import { alertLinks } from '../alerts.js';
import { assembleDashboard, row } from '../assemble.js';
import type { DashboardDef } from '../assemble.js';
import type { DashboardConfig } from '../config.js';
import { CLUSTER_LABELS, CLUSTER_METRICS } from '../../monitoring/cluster-metrics.js';
import { clusterQuery, dashedThresholdLines, defaultStat, defaultTable, defaultTimeseries, definePanel, serviceQuery, thresholds } from '../panel-kit.js';
import type { PanelDef } from '../panel-kit.js';
import { eq, histogramSeries, maxBy, rate, selectors, sumBy, TARGET_LABELS } from '../promql.js';
import type { Selectors } from '../promql.js';

const { instance } = TARGET_LABELS;
const { pod } = CLUSTER_LABELS;

/** Why the container panels are empty outside a cluster. */
const CADVISOR_REASON = `${CLUSTER_METRICS.memoryWorkingSet} comes from the kubelet's cAdvisor, which only a Kubernetes cluster has`;
const KSM_REASON = 'kube-state-metrics series (requests, limits, restarts) exist only in a Kubernetes cluster';

export function eventLoopLag(cfg: DashboardConfig, sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Event-loop lag p99')
      .description(
        'p99 of the Node.js event-loop delay per instance (prom-client\'s sampler): every request on the process may wait this long before its code runs. The dashed line is where the event-loop alert fires (averaged over its window): CPU starvation or synchronous work on the loop.',
      )
      .unit(units.Seconds)
      .min(0)
      .thresholds(thresholds('green', [[cfg.monitoring.causes.eventLoopLag.p99Seconds, 'red']]))
      .thresholdsStyle(dashedThresholdLines())
      .links(alertLinks(cfg, 'eventLoopLag')),
    [serviceQuery(maxBy([instance], sel.service(RUNTIME_METRICS.eventLoopLagP99)), `{{${instance}}}`)],
  );
}

export function heap(sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Heap')
      .description('V8 heap used and allocated (total) per instance. Used climbing over hours without coming back after GC is a leak.')
      .unit(units.BytesIEC)
      .min(0),
    [
      serviceQuery(sumBy([instance], sel.service(RUNTIME_METRICS.heapUsed)), `{{${instance}}} used`),
      serviceQuery(sumBy([instance], sel.service(RUNTIME_METRICS.heapTotal)), `{{${instance}}} total`),
    ],
  );
}

export function garbageCollection(sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Time in GC')
      .description('Share of wall-clock time each instance spends in garbage collection (GC seconds per second, all kinds). A few percent is normal; tens of percent starve requests.')
      .unit(units.PercentUnit)
      .min(0),
    [serviceQuery(sumBy([instance], rate(sel.service(histogramSeries(RUNTIME_METRICS.gcDuration).sum))), `{{${instance}}}`)],
  );
}

export function cpu(sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('CPU')
      .description('CPU time used per second by each process (user + system); 100 % is one full core. The JavaScript thread cannot use more than one core, so near 100 % it is saturated.')
      .unit(units.PercentUnit)
      .min(0),
    [serviceQuery(sumBy([instance], rate(sel.service(RUNTIME_METRICS.cpuSeconds))), `{{${instance}}}`)],
  );
}

export function residentMemory(sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Resident memory')
      .description('Resident set size of each process as the process itself reports it: heap, native memory and code.')
      .unit(units.BytesIEC)
      .min(0),
    [serviceQuery(sumBy([instance], sel.service(RUNTIME_METRICS.residentMemory)), `{{${instance}}}`)],
  );
}

export function uptime(sel: Selectors): PanelDef {
  return definePanel(
    defaultStat().title('Uptime').description('Time since each process started. A reset to seconds is a restart or a new rollout.').unit(units.DurationSeconds).span(12).height(8),
    [serviceQuery(`time() - ${maxBy([instance], sel.service(RUNTIME_METRICS.startTime))}`, `{{${instance}}}`)],
  );
}

export function runningBuilds(sel: Selectors): PanelDef {
  const labels = [instance, ...METRICS.buildInfo.labelNames];
  return definePanel(
    defaultTable()
      .title('Running builds')
      .description('Version, git revision and Node.js version of every selected process: check a rollout landed everywhere.')
      .unit(units.NoUnit)
      .span(24)
      .withTransformation({ id: 'organize', options: { excludeByName: { Time: true, Value: true } } }),
    [serviceQuery(maxBy(labels, sel.service(METRICS.buildInfo.name)), '', { instant: true, format: 'table' })],
  );
}

export function memoryAgainstLimits(cfg: DashboardConfig, sel: Selectors): PanelDef {
  const memory = eq(CLUSTER_LABELS.resource, CLUSTER_LABELS.memory);
  return definePanel(
    defaultTimeseries()
      .title('Container memory vs requests and limits')
      .description(
        'Working set of the items-api container per pod (what the OOM killer compares with the limit) against its memory request and limit. Only in a cluster: the series come from cAdvisor and kube-state-metrics.',
      )
      .unit(units.BytesIEC)
      .min(0)
      .links(alertLinks(cfg, 'memoryNearLimit')),
    [
      clusterQuery(maxBy([pod], sel.cadvisor(CLUSTER_METRICS.memoryWorkingSet)), `{{${pod}}} working set`, CADVISOR_REASON),
      clusterQuery(maxBy([pod], sel.kubeStateMetrics(CLUSTER_METRICS.resourceRequests, memory)), `{{${pod}}} request`, KSM_REASON),
      clusterQuery(maxBy([pod], sel.kubeStateMetrics(CLUSTER_METRICS.resourceLimits, memory)), `{{${pod}}} limit`, KSM_REASON),
    ],
  );
}

export function restarts(cfg: DashboardConfig, sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Container restarts')
      .description('Restarts of the items-api container since each pod was created; every step up is a restart (crash, OOM kill, failed liveness probe). Only in a cluster (kube-state-metrics).')
      .unit(units.Short)
      .min(0)
      .decimals(0)
      .links(alertLinks(cfg, 'podRestarting')),
    [clusterQuery(maxBy([pod], sel.kubeStateMetrics(CLUSTER_METRICS.restarts)), `{{${pod}}}`, KSM_REASON)],
  );
}

export function runtimeDashboard(cfg: DashboardConfig): DashboardDef {
  const sel = selectors(cfg);
  return assembleDashboard(cfg, 'runtime', {
    description: 'The Node.js runtime of items-api (event loop, heap, GC, CPU, memory) and, in a cluster, its containers against their requests and limits.',
    layout: [
      row('Node.js process'),
      eventLoopLag(cfg, sel),
      cpu(sel),
      heap(sel),
      garbageCollection(sel),
      residentMemory(sel),
      uptime(sel),
      runningBuilds(sel),
      row('Kubernetes (cluster only)'),
      memoryAgainstLimits(cfg, sel),
      restarts(cfg, sel),
    ],
  });
}
