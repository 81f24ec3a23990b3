/**
 * Cause alerts from the series items-api and Prometheus produce: they say what broke, where the
 * SLO alerts say what users felt. Each one can fire on a local stack.
 */
import { TARGET_SERIES } from '../cluster-metrics.js';
import { DB_DURATION_BUCKETS, LABELS, METRICS, RUNTIME_METRICS } from '../../service/src/metrics/catalog.js';
import { alertName, CONFIG, type MonitoringConfig } from '../config.js';
import { by, eq, selector } from '../promql.js';
import type { AlertDefinition } from './define.js';

const FAULTS = 'FAULT_INJECTION=true, then PUT /faults on the metrics port with';

export function serviceAlerts(config: MonitoringConfig = CONFIG): AlertDefinition[] {
  const job = config.service.job;
  const ofJob = (metric: string, extra: readonly string[] = []) => selector(metric, [eq('job', job), ...extra]);
  const perTarget = by(config.service.targetLabels);
  const { targetDown, targetAbsent, databaseDown, poolSaturated, queryErrors, eventLoopLag } = config.causes;
  if (!DB_DURATION_BUCKETS.some((bound) => bound === poolSaturated.acquireP99Seconds)) {
    throw new Error(
      `monitoring config: causes.poolSaturated.acquireP99Seconds (${poolSaturated.acquireP99Seconds}) must be a bucket bound of ` +
        `${METRICS.dbPoolAcquireDuration.name} (${DB_DURATION_BUCKETS.join(', ')}): the pool alert counts the waits above it from that bucket`,
    );
  }
  const acquire = METRICS.dbPoolAcquireDuration.name;
  const where = (t: { label(name: string): string }) => `${t.label('pod')} (${t.label('instance')}) in namespace ${t.label('namespace')}`;

  return [
    {
      name: alertName('TargetDown', config),
      severity: 'warning',
      expr: `${ofJob(TARGET_SERIES.up)} == 0`,
      for: targetDown.for,
      summary: (t) => `${job} target ${t.label('instance')} is down`,
      description: (t) =>
        `Prometheus has failed to scrape ${where(t)} for ${targetDown.for}: the process does not answer on its metrics port ` +
        `(crashed, hung, or unreachable). Its requests and alerts are invisible meanwhile.`,
      clusterOnly: false,
      localTrigger: 'stop or hang (SIGSTOP) the service process; Prometheus keeps the target and records up=0',
    },
    {
      name: alertName('TargetAbsent', config),
      severity: 'critical',
      // absent() of a comparison: fires when no target is up, whether none is known or all fail.
      expr: `absent(${ofJob(TARGET_SERIES.up)} == 1)`,
      for: targetAbsent.for,
      // absent() of an expression carries no labels; say whose absence this is.
      labels: { job },
      summary: `No ${job} target is up`,
      description:
        `For ${targetAbsent.for} Prometheus has had no ${job} target it could scrape: none is discovered (Deployment scaled to zero ` +
        `or gone, Service or ServiceMonitor labels wrong) or every one fails. Every other ${job} alert, the SLO ones included, ` +
        `is blind meanwhile.`,
      clusterOnly: false,
      localTrigger: 'stop or hang (SIGSTOP) the service process',
    },
    {
      name: alertName('DatabaseDown', config),
      severity: 'critical',
      expr: `${ofJob(METRICS.dbUp.name)} == 0`,
      for: databaseDown.for,
      summary: (t) => `${job} ${t.label('pod')} cannot reach PostgreSQL`,
      description: (t) =>
        `The database check of ${where(t)} has failed for ${databaseDown.for}. API requests that need the database are ` +
        `answered 503 and the pod is not ready; the service recovers by itself when the database is back.`,
      clusterOnly: false,
      localTrigger: 'stop PostgreSQL',
    },
    {
      name: alertName('DatabasePoolSaturated', config),
      severity: 'warning',
      expr: [
        '(',
        `  histogram_quantile(0.99, sum ${by([...config.service.targetLabels, 'le'])} (rate(${ofJob(`${acquire}_bucket`)}[${poolSaturated.window}])))`,
        `    > ${poolSaturated.acquireP99Seconds}`,
        'and',
        // The waits above the threshold (all minus those within its bucket), so that the few slow
        // first acquires of a fresh start, the p99 of a young series, do not count as saturation.
        `  sum ${perTarget} (increase(${ofJob(`${acquire}_count`)}[${poolSaturated.window}]))`,
        `    - sum ${perTarget} (increase(${ofJob(`${acquire}_bucket`, [eq('le', String(poolSaturated.acquireP99Seconds))])}[${poolSaturated.window}]))`,
        `    >= ${poolSaturated.minSlowAcquires}`,
        ')',
        'or',
        `max ${perTarget} (avg_over_time(${ofJob(METRICS.dbPoolPendingAcquires.name)}[${poolSaturated.window}]))`,
        `  >= ${poolSaturated.pendingAcquires}`,
      ].join('\n'),
      for: poolSaturated.for,
      summary: (t) => `${job} ${t.label('pod')}: requests are queueing for database connections`,
      description: (t) =>
        `Callers on ${where(t)} wait for a pooled PostgreSQL connection: over ${poolSaturated.window} the p99 wait is above ` +
        `${poolSaturated.acquireP99Seconds} s (at least ${poolSaturated.minSlowAcquires} waits that long) or at least ${poolSaturated.pendingAcquires} caller waits on average. Requests slow down, ` +
        `and once a wait exceeds DB_ACQUIRE_TIMEOUT_MS they fail with 503.`,
      clusterOnly: false,
      localTrigger: `${FAULTS} {"dbDelayMs":100}, and more concurrent API requests than DB_POOL_MAX (default 10)`,
    },
    {
      name: alertName('DatabaseQueryErrors', config),
      severity: 'warning',
      expr: [
        `sum ${perTarget} (rate(${ofJob(`${METRICS.dbQueryDuration.name}_count`, [eq(LABELS.outcome, queryErrors.errorOutcome)])}[${queryErrors.window}]))`,
        '/',
        `sum ${perTarget} (rate(${ofJob(`${METRICS.dbQueryDuration.name}_count`)}[${queryErrors.window}]))`,
        `  > ${queryErrors.ratio}`,
      ].join('\n'),
      for: queryErrors.for,
      summary: (t) => `${job} ${t.label('pod')}: database queries are failing`,
      description: (t) =>
        `${t.value('humanizePercentage')} of the database queries of ${where(t)} failed over the last ${queryErrors.window} ` +
        `(threshold ${queryErrors.ratio * 100} %). Failed queries become 500 or 503 answers.`,
      clusterOnly: false,
      localTrigger:
        'no fault injects query errors (an unreachable database fails before any query); make the table disappear: ' +
        'ALTER TABLE items RENAME TO items_away in PostgreSQL, send API traffic, then rename it back',
    },
    {
      name: alertName('EventLoopLag', config),
      severity: 'warning',
      expr: `avg_over_time(${ofJob(RUNTIME_METRICS.eventLoopLagP99)}[${eventLoopLag.window}]) > ${eventLoopLag.p99Seconds}`,
      for: eventLoopLag.for,
      summary: (t) => `${job} ${t.label('pod')}: event loop is blocked`,
      description: (t) =>
        `The p99 event-loop delay of ${where(t)} averaged ${t.value('humanizeDuration')} over ${eventLoopLag.window} ` +
        `(threshold ${eventLoopLag.p99Seconds} s). Every request on this process waits that long before its code runs: ` +
        `CPU starvation (throttling, too much load for one process) or synchronous work on the loop.`,
      clusterOnly: false,
      // No fault blocks the loop; starving the process of CPU does, as throttling would.
      localTrigger: 'starve the service process of CPU: SIGSTOP/SIGCONT it so it is stopped for part of every second (e.g. 300 ms of every 700 ms)',
    },
  ];
}
