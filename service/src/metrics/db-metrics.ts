import type { DbPool } from '../db/pool.js';
import { DB_OPERATIONS, DB_QUERY_OUTCOMES, LABELS, POOL_STATES, type DbOperation, type DbQueryOutcome } from './catalog.js';
import type { Metrics } from './metrics.js';

/** `db_query_duration_seconds` children bound once per operation and outcome: no label lookup per query. */
export type QueryTimer = Readonly<Record<DbQueryOutcome, { observe(seconds: number): void }>>;
export type QueryTimers = Readonly<Record<DbOperation, QueryTimer>>;

export function queryTimers(metrics: Pick<Metrics, 'dbQueryDuration'>): QueryTimers {
  const byOutcome = (operation: DbOperation) =>
    Object.fromEntries(DB_QUERY_OUTCOMES.map((outcome) => [outcome, metrics.dbQueryDuration.labels({ [LABELS.operation]: operation, [LABELS.outcome]: outcome })]));
  return Object.fromEntries(DB_OPERATIONS.map((operation) => [operation, byOutcome(operation)])) as unknown as QueryTimers;
}

type PoolMetrics = Pick<Metrics, 'dbPoolConnections' | 'dbPoolMaxConnections' | 'dbPoolPendingAcquires' | 'dbPoolAcquireDuration'>;

/**
 * Pool gauges read from the pool at scrape time (exact when Prometheus looks, with no timer and
 * no work per request), and every acquire's wait, successful or not, in the histogram.
 */
export function instrumentPool(pool: DbPool, metrics: PoolMetrics): void {
  pool.onAcquireWait = (seconds) => metrics.dbPoolAcquireDuration.observe(seconds);
  collectOnScrape(metrics.dbPoolMaxConnections, function () {
    this.set(pool.state().max);
  });
  collectOnScrape(metrics.dbPoolConnections, function () {
    const { used, idle } = pool.state();
    this.set({ [LABELS.state]: POOL_STATES.used }, used);
    this.set({ [LABELS.state]: POOL_STATES.idle }, idle);
  });
  collectOnScrape(metrics.dbPoolPendingAcquires, function () {
    this.set(pool.state().pending);
  });
}

interface Collectable<T> {
  collect?: (this: T) => void;
}

/** prom-client calls `collect` on each scrape; set it after construction to read live state. */
export function collectOnScrape<T>(metric: T, collect: (this: T) => void): void {
  (metric as Collectable<T>).collect = collect;
}
