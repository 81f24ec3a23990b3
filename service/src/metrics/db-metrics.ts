import type { Knex } from 'knex';
import type { DbOperation, DbQueryOutcome } from './catalog.js';
import type { Metrics } from './metrics.js';

/** knex builder methods mapped to the bounded `operation` label. */
const METHOD_TO_OPERATION: Record<string, DbOperation> = {
  select: 'select',
  first: 'select',
  pluck: 'select',
  insert: 'insert',
  update: 'update',
  del: 'delete',
};

/** Raw SQL: the first keyword decides. */
const SQL_KEYWORD_TO_OPERATION: Record<string, DbOperation> = {
  select: 'select',
  with: 'select',
  insert: 'insert',
  update: 'update',
  delete: 'delete',
};

interface QueryEvent {
  __knexQueryUid?: string;
  method?: string;
  sql?: string;
}

export function operationOf(query: QueryEvent): DbOperation {
  const byMethod = query.method ? METHOD_TO_OPERATION[query.method] : undefined;
  if (byMethod) return byMethod;
  const keyword = /^\s*([a-z]+)/i.exec(query.sql ?? '')?.[1]?.toLowerCase();
  return (keyword && SQL_KEYWORD_TO_OPERATION[keyword]) || 'other';
}

/** The parts of tarn's pool this module reads; knex exposes it as `client.pool`. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  on(event: 'acquireRequest', listener: (eventId: number) => void): void;
  on(event: 'acquireSuccess' | 'acquireFail', listener: (eventId: number) => void): void;
}

type DbMetrics = Pick<
  Metrics,
  'dbQueryDuration' | 'dbPoolConnections' | 'dbPoolMaxConnections' | 'dbPoolPendingAcquires' | 'dbPoolAcquireDuration'
>;

/**
 * Query durations from knex's query events, pool acquire waits from tarn's events, and pool
 * gauges read at scrape time (so they are exact when Prometheus looks, with no timer).
 */
export function instrumentDatabase(db: Knex, metrics: DbMetrics, poolMax: number): void {
  const started = new Map<string, bigint>();
  const finish = (query: QueryEvent, outcome: DbQueryOutcome) => {
    const uid = query.__knexQueryUid;
    const start = uid === undefined ? undefined : started.get(uid);
    if (uid === undefined || start === undefined) return;
    started.delete(uid);
    metrics.dbQueryDuration.observe({ operation: operationOf(query), outcome }, Number(process.hrtime.bigint() - start) / 1e9);
  };
  db.on('query', (query: QueryEvent) => {
    if (query.__knexQueryUid) started.set(query.__knexQueryUid, process.hrtime.bigint());
  });
  db.on('query-response', (_response: unknown, query: QueryEvent) => finish(query, 'success'));
  db.on('query-error', (_error: unknown, query: QueryEvent) => finish(query, 'error'));

  const pool = (db.client as { pool?: TarnPool }).pool;
  if (!pool) throw new Error('knex pool is not initialised; create the knex instance with a connection first');
  const waits = new Map<number, bigint>();
  pool.on('acquireRequest', (id) => waits.set(id, process.hrtime.bigint()));
  const acquired = (id: number) => {
    const start = waits.get(id);
    if (start === undefined) return;
    waits.delete(id);
    metrics.dbPoolAcquireDuration.observe(Number(process.hrtime.bigint() - start) / 1e9);
  };
  pool.on('acquireSuccess', acquired);
  pool.on('acquireFail', acquired);

  metrics.dbPoolMaxConnections.set(poolMax);
  collectOnScrape(metrics.dbPoolConnections, function () {
    this.set({ state: 'used' }, pool.numUsed());
    this.set({ state: 'idle' }, pool.numFree());
  });
  collectOnScrape(metrics.dbPoolPendingAcquires, function () {
    this.set(pool.numPendingAcquires());
  });
}

interface Collectable<T> {
  collect?: (this: T) => void;
}

/** prom-client calls `collect` on each scrape; set it after construction to read live state. */
export function collectOnScrape<T>(metric: T, collect: (this: T) => void): void {
  (metric as Collectable<T>).collect = collect;
}
