/**
 * promtool cases for the cause alerts: each fires when its cause is present, not a step before
 * its `for:` has elapsed, and stays silent when the cause is absent or too small; and, where a
 * healthy start looks like a cause to a young series, is not even pending then.
 */
import { CLUSTER_LABELS, TARGET_SERIES } from '../cluster-metrics.js';
import { DB_DURATION_BUCKETS, METRICS, RUNTIME_METRICS } from '../../service/src/metrics/catalog.js';
import { alertName, CONFIG } from '../config.js';
import { durationSeconds } from '../promql.js';
import { at, counterValues, EVALUATION_STEP_S, gaugeValues, histogram, SECOND_TARGET, series, TARGET, TARGET_KEY, type Labels } from './inputs.js';
import type { AlertCase, ExprCase, InputSeries } from './promtool.js';

const causes = CONFIG.causes;

/** For a condition true from `trueFromS`: silent one evaluation before `for:` elapses, firing when it has. */
function forBoundary(trueFromS: number, forDuration: string): { silent: string; fire: string } {
  const fireS = trueFromS + durationSeconds(forDuration);
  return { silent: at(fireS - EVALUATION_STEP_S), fire: at(fireS) };
}

/** kube-state-metrics' labels on a series about the items-api container (as kube-prometheus-stack scrapes it). */
const KSM: Labels = {
  job: 'kube-state-metrics',
  namespace: TARGET.namespace as string,
  [CLUSTER_LABELS.pod]: TARGET.pod as string,
  [CLUSTER_LABELS.container]: CONFIG.kubernetes.container,
  uid: '3f6c1f8e-2d7a-4e55-9a3c-6b1d2f0e9a11',
  instance: '10.244.0.5:8080',
  service: 'kube-prometheus-stack-kube-state-metrics',
  endpoint: 'http',
};

/** cAdvisor's labels on the items-api container's series. */
const CADVISOR: Labels = {
  job: 'kubelet',
  metrics_path: '/metrics/cadvisor',
  namespace: TARGET.namespace as string,
  [CLUSTER_LABELS.pod]: TARGET.pod as string,
  [CLUSTER_LABELS.container]: CONFIG.kubernetes.container,
  id: '/kubepods/burstable/pod3f6c1f8e/abc123',
  image: 'docker.io/library/items-api:0.1.0',
  node: 'items-control-plane',
  instance: '172.18.0.2:10250',
};

/** What the cluster alerts aggregate to. */
const CONTAINER_KEY: Labels = { namespace: TARGET.namespace as string, [CLUSTER_LABELS.pod]: TARGET.pod as string, [CLUSTER_LABELS.container]: CONFIG.kubernetes.container };

const MEBIBYTE = 1024 * 1024;

/** Acquires in one minute: `fast` served by an open connection, `slow` waiting `slowSeconds`. */
interface AcquireMinute {
  readonly fast: number;
  readonly slow: number;
}

/** An acquire served by an open connection (0.4 ms): what a healthy pool does. */
const FAST_ACQUIRE_SECONDS = 0.0004;

/**
 * db_pool_acquire_duration_seconds by phases of `[per minute, minutes]`, from a process whose
 * first scrape (t=0) came before its first request, as on a start.
 */
function acquireHistogram(labels: Labels, slowSeconds: number, phases: ReadonlyArray<readonly [AcquireMinute, number]>): InputSeries[] {
  const name = METRICS.dbPoolAcquireDuration.name;
  const counted = (within: (seconds: number) => boolean) =>
    counterValues(phases.map(([m, minutes]) => [(within(FAST_ACQUIRE_SECONDS) ? m.fast : 0) + (within(slowSeconds) ? m.slow : 0), minutes]));
  return [
    ...DB_DURATION_BUCKETS.map((bound) => series(`${name}_bucket`, { ...labels, le: String(bound) }, counted((seconds) => seconds <= bound))),
    series(`${name}_bucket`, { ...labels, le: '+Inf' }, counted(() => true)),
    series(`${name}_count`, labels, counted(() => true)),
  ];
}

export function causeAlertCases(): AlertCase[] {
  const up = TARGET_SERIES.up;
  const targetDown = forBoundary(5 * 60, causes.targetDown.for);
  const absent = forBoundary(0, causes.targetAbsent.for);
  const dbDown = forBoundary(5 * 60, causes.databaseDown.for);
  // rate() needs two samples: histogram conditions hold from t=1m.
  const pool = forBoundary(60, causes.poolSaturated.for);
  const pending = forBoundary(0, causes.poolSaturated.for);
  const queries = forBoundary(60, causes.queryErrors.for);
  const lag = forBoundary(0, causes.eventLoopLag.for);
  // Restarts at 5m and 7m: the second one makes the 15m increase reach 2.
  const restarts = forBoundary(7 * 60, causes.podRestarts.for);
  const memory = forBoundary(0, causes.memoryNearLimit.for);
  const acquire = `${METRICS.dbPoolAcquireDuration.name}`;
  const queryCount = `${METRICS.dbQueryDuration.name}_count`;
  const limitBytes = 256 * MEBIBYTE;

  return [
    {
      name: 'fires when a target stops answering, after its for: duration',
      alert: alertName('TargetDown'),
      input: [series(up, TARGET, gaugeValues([[1, 5], [0, 20]])), series(up, SECOND_TARGET, gaugeValues([[1, 25]]))],
      silentAt: [targetDown.silent],
      firing: { at: targetDown.fire, alerts: [{ labels: TARGET }] },
    },
    {
      name: 'stays silent while every target answers, whatever other jobs do',
      alert: alertName('TargetDown'),
      input: [series(up, TARGET, gaugeValues([[1, 30]])), series(up, { ...TARGET, job: 'other' }, gaugeValues([[0, 30]]))],
      silentAt: ['30m'],
    },
    {
      name: 'fires when Prometheus knows no items-api target at all',
      alert: alertName('TargetAbsent'),
      input: [series(up, { ...TARGET, job: 'other' }, gaugeValues([[1, 15]]))],
      silentAt: [absent.silent],
      firing: { at: absent.fire, alerts: [{ labels: {} }] },
    },
    {
      name: 'fires when every items-api target is down',
      alert: alertName('TargetAbsent'),
      input: [series(up, TARGET, gaugeValues([[0, 15]])), series(up, SECOND_TARGET, gaugeValues([[0, 15]]))],
      silentAt: [absent.silent],
      firing: { at: absent.fire, alerts: [{ labels: {} }] },
    },
    {
      name: 'stays silent while one target of two is up',
      alert: alertName('TargetAbsent'),
      input: [series(up, TARGET, gaugeValues([[0, 15]])), series(up, SECOND_TARGET, gaugeValues([[1, 15]]))],
      silentAt: ['15m'],
    },
    {
      name: 'fires when the database check fails, after its for: duration',
      alert: alertName('DatabaseDown'),
      input: [series(METRICS.dbUp.name, TARGET, gaugeValues([[1, 5], [0, 10]]))],
      silentAt: [dbDown.silent],
      firing: { at: dbDown.fire, alerts: [{ labels: TARGET }] },
    },
    {
      name: 'stays silent while the database check succeeds',
      alert: alertName('DatabaseDown'),
      input: [series(METRICS.dbUp.name, TARGET, gaugeValues([[1, 15]]))],
      silentAt: ['15m'],
    },
    {
      name: `fires when the p99 wait for a connection exceeds ${causes.poolSaturated.acquireP99Seconds} s`,
      alert: alertName('DatabasePoolSaturated'),
      input: [
        ...histogram(acquire, TARGET, DB_DURATION_BUCKETS, 0.2, 600, 15),
        series(METRICS.dbPoolPendingAcquires.name, TARGET, gaugeValues([[0, 15]])),
      ],
      silentAt: [pool.silent],
      firing: { at: pool.fire, alerts: [{ labels: TARGET_KEY }] },
    },
    {
      name: `fires when at least ${causes.poolSaturated.pendingAcquires} caller waits for a connection on average`,
      alert: alertName('DatabasePoolSaturated'),
      input: [
        ...histogram(acquire, TARGET, DB_DURATION_BUCKETS, 0.0004, 600, 15),
        series(METRICS.dbPoolPendingAcquires.name, TARGET, gaugeValues([[3, 15]])),
      ],
      silentAt: [pending.silent],
      firing: { at: pending.fire, alerts: [{ labels: TARGET_KEY }] },
    },
    {
      name: `fires when 5 % of the acquires wait 0.2 s: a p99 above ${causes.poolSaturated.acquireP99Seconds} s from ${causes.poolSaturated.minSlowAcquires} or more waits`,
      alert: alertName('DatabasePoolSaturated'),
      input: [
        ...acquireHistogram(TARGET, 0.2, [[{ fast: 570, slow: 30 }, 15]]),
        series(METRICS.dbPoolPendingAcquires.name, TARGET, gaugeValues([[0, 15]])),
      ],
      silentAt: [pool.silent],
      firing: { at: pool.fire, alerts: [{ labels: TARGET_KEY }] },
    },
    {
      name: 'stays silent while connections are handed out at once and nobody waits',
      alert: alertName('DatabasePoolSaturated'),
      input: [
        ...histogram(acquire, TARGET, DB_DURATION_BUCKETS, 0.0004, 600, 15),
        series(METRICS.dbPoolPendingAcquires.name, TARGET, gaugeValues([[0, 15]])),
      ],
      silentAt: ['15m'],
    },
    {
      name: `fires when more than ${causes.queryErrors.ratio * 100} % of queries fail`,
      alert: alertName('DatabaseQueryErrors'),
      input: [
        series(queryCount, { ...TARGET, operation: 'select', outcome: 'success' }, counterValues([[900, 15]])),
        series(queryCount, { ...TARGET, operation: 'select', outcome: causes.queryErrors.errorOutcome }, counterValues([[100, 15]])),
      ],
      silentAt: [queries.silent],
      firing: { at: queries.fire, alerts: [{ labels: TARGET_KEY, values: { humanizePercentage: '10%' } }] },
    },
    {
      name: `stays silent at 1 % failed queries, below ${causes.queryErrors.ratio * 100} %`,
      alert: alertName('DatabaseQueryErrors'),
      input: [
        series(queryCount, { ...TARGET, operation: 'insert', outcome: 'success' }, counterValues([[990, 15]])),
        series(queryCount, { ...TARGET, operation: 'insert', outcome: causes.queryErrors.errorOutcome }, counterValues([[10, 15]])),
      ],
      silentAt: ['15m'],
    },
    {
      name: `fires when the p99 event-loop delay stays above ${causes.eventLoopLag.p99Seconds} s`,
      alert: alertName('EventLoopLag'),
      input: [series(RUNTIME_METRICS.eventLoopLagP99, TARGET, gaugeValues([[0.15, 15]]))],
      silentAt: [lag.silent],
      firing: { at: lag.fire, alerts: [{ labels: TARGET, values: { humanizeDuration: '150ms' } }] },
    },
    {
      name: 'stays silent at the idle delay of about 10 ms',
      alert: alertName('EventLoopLag'),
      input: [series(RUNTIME_METRICS.eventLoopLagP99, TARGET, gaugeValues([[0.012, 20]]))],
      silentAt: ['20m'],
    },
    {
      name: `fires when the container restarts ${causes.podRestarts.count} times within ${causes.podRestarts.window}`,
      alert: alertName('PodRestarting'),
      input: [series(CONFIG.kubernetes.metrics.restarts, KSM, '0+0x4 1 1 2+0x13')],
      silentAt: [restarts.silent],
      firing: { at: restarts.fire, alerts: [{ labels: CONTAINER_KEY }] },
    },
    {
      name: 'stays silent after a single restart',
      alert: alertName('PodRestarting'),
      input: [series(CONFIG.kubernetes.metrics.restarts, KSM, '0+0x4 1+0x15')],
      silentAt: ['12m', '20m'],
    },
    {
      name: `fires when the working set stays above ${causes.memoryNearLimit.ratio * 100} % of the memory limit`,
      alert: alertName('MemoryNearLimit'),
      input: [
        series(CONFIG.kubernetes.metrics.memoryWorkingSet, CADVISOR, gaugeValues([[limitBytes * 0.95, 20]])),
        series(CONFIG.kubernetes.metrics.resourceLimits, { ...KSM, [CLUSTER_LABELS.resource]: CLUSTER_LABELS.memory, unit: 'byte' }, gaugeValues([[limitBytes, 20]])),
        series(CONFIG.kubernetes.metrics.resourceLimits, { ...KSM, [CLUSTER_LABELS.resource]: 'cpu', unit: 'core' }, gaugeValues([[1, 20]])),
      ],
      silentAt: [memory.silent],
      firing: { at: memory.fire, alerts: [{ labels: CONTAINER_KEY, values: { humanizePercentage: '95%' } }] },
    },
    {
      name: 'stays silent at half the limit, and without a limit',
      alert: alertName('MemoryNearLimit'),
      input: [
        series(CONFIG.kubernetes.metrics.memoryWorkingSet, CADVISOR, gaugeValues([[limitBytes * 0.5, 20]])),
        series(CONFIG.kubernetes.metrics.resourceLimits, { ...KSM, [CLUSTER_LABELS.resource]: CLUSTER_LABELS.memory, unit: 'byte' }, gaugeValues([[limitBytes, 20]])),
        series(CONFIG.kubernetes.metrics.memoryWorkingSet, { ...CADVISOR, pod: 'items-api-no-limit' }, gaugeValues([[limitBytes * 2, 20]])),
      ],
      silentAt: ['20m'],
    },
  ];
}

/** Times of every rule evaluation from the first one to `untilS`. */
const evaluationsUntil = (untilS: number): string[] => Array.from({ length: untilS / EVALUATION_STEP_S }, (_, i) => at((i + 1) * EVALUATION_STEP_S));

/**
 * Expression cases of the cause alerts: states promtool's alert tests cannot see. They check only
 * firing alerts; a cause alert that goes pending on every healthy start teaches people to ignore it.
 */
export function causeExprCases(): ExprCase[] {
  const pool = alertName('DatabasePoolSaturated');
  const notPending = (input: InputSeries[]) => ({
    input: [...input, series(METRICS.dbPoolPendingAcquires.name, TARGET, gaugeValues([[0, 11]]))],
    // ALERTS holds pending and firing alerts alike: no series means neither.
    checks: evaluationsUntil(8 * 60).map((time) => ({ expr: `ALERTS{alertname="${pool}"}`, at: time, samples: [] })),
  });
  const steady: AcquireMinute = { fast: 480, slow: 0 }; // 8 requests/s, each served by an open connection
  return [
    {
      name: `${pool} is not even pending on a healthy start: one slow first acquire (0.3 s, opening a connection) among the first 90`,
      ...notPending(acquireHistogram(TARGET, 0.3, [[{ fast: 89, slow: 1 }, 1], [steady, 10]])),
    },
    {
      name: `${pool} is not even pending on a healthy start: a pool of 10 connections opened at once (0.3 s each) among the first 120 acquires`,
      ...notPending(acquireHistogram(TARGET, 0.3, [[{ fast: 110, slow: 10 }, 1], [steady, 10]])),
    },
  ];
}
