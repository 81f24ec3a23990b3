import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { BACKSTOP_CHECK_MS, DbPool, PoolAcquireError, StatementUnansweredError } from '../src/db/pool.js';
import type { Statement } from '../src/db/statement.js';
import { isDatabaseUnavailable } from '../src/http/db-errors.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';

const ACQUIRE_TIMEOUT_MS = 300;
let db: TestPostgres;
before(async () => {
  db = await startTestPostgres();
});
after(() => db.destroy());

const poolOf = (env: Record<string, string>) => new DbPool(db.url, loadConfig({ DATABASE_URL: db.url, ...env }).db);

// Statements of these tests only: they hold a connection, fail in SQL, or name the session.
const sleep: Statement<'seconds'> = { name: 'test_sleep', text: 'select pg_sleep($1)', params: ['seconds'], operation: 'other' };
const missingTable: Statement = { name: 'test_missing_table', text: 'select * from no_such_table', params: [], operation: 'other' };
const backendPid: Statement = { name: 'test_backend_pid', text: 'select pg_backend_pid() as pid', params: [], operation: 'other' };

const pidOf = async (pool: DbPool) => (await pool.execute<{ pid: number }>(backendPid, [])).rows[0]?.pid;
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

/** A pool of one connection whose statements the server cuts off after 300 ms, and its client-side backstop. */
function frozenCase(): { pool: DbPool; backstopMs: number } {
  const statementTimeoutMs = 300;
  return { pool: poolOf({ DB_POOL_MAX: '1', DB_STATEMENT_TIMEOUT_MS: String(statementTimeoutMs) }), backstopMs: statementTimeoutMs + 1_000 };
}

/**
 * Runs `body` while the backend of the pool's only connection is stopped (SIGSTOP): its socket
 * stays open and it never answers, so statement_timeout cannot fire. It is thawed afterwards, or
 * 3 s past the backstop at the latest, so that a missing backstop fails the test (the statement
 * then succeeds) instead of hanging it. Returns the backend's pid.
 */
async function whileBackendStopped(pool: DbPool, backstopMs: number, body: () => Promise<void>): Promise<number> {
  const pid = await pidOf(pool);
  assert.ok(pid, 'the backend of the only connection');
  process.kill(pid, 'SIGSTOP');
  const thaw = setTimeout(() => process.kill(pid, 'SIGCONT'), backstopMs + 3_000);
  try {
    await body();
  } finally {
    clearTimeout(thaw);
    process.kill(pid, 'SIGCONT');
  }
  return pid;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), `timed out waiting for ${what}`);
}

describe('DbPool: the state the pool metrics read', () => {
  test('used, idle, pending and max follow statements in flight; every wait is reported', async () => {
    const pool = poolOf({ DB_POOL_MAX: '2', DB_ACQUIRE_TIMEOUT_MS: '5000' });
    const waits: number[] = [];
    pool.onAcquireWait = (s) => waits.push(s);
    try {
      assert.deepEqual(pool.state(), { used: 0, idle: 0, pending: 0, max: 2 });
      const running = [0.3, 0.3, 0].map((seconds) => pool.execute(sleep, [seconds]));
      await until(() => pool.state().used === 2, 'two connections in use');
      assert.deepEqual(pool.state(), { used: 2, idle: 0, pending: 1, max: 2 });
      await Promise.all(running);
      assert.deepEqual(pool.state(), { used: 0, idle: 2, pending: 0, max: 2 });
      assert.equal(waits.length, 3);
      assert.ok((waits[2] ?? 0) >= 0.2, `the third statement waited for a connection (${waits[2]} s)`);
    } finally {
      await pool.close();
    }
  });

  test('the wait for a connection is bounded by DB_ACQUIRE_TIMEOUT_MS when the pool stays full, and the failure means "unavailable"', async () => {
    const pool = poolOf({ DB_POOL_MAX: '1', DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS) });
    const waits: number[] = [];
    pool.onAcquireWait = (s) => waits.push(s);
    try {
      const holding = pool.execute(sleep, [1]);
      await until(() => pool.state().used === 1, 'the connection in use');
      const started = Date.now();
      const err = await failureOf(pool.execute(backendPid, []));
      const elapsed = Date.now() - started;
      assert.ok(err instanceof PoolAcquireError, String(err));
      assert.ok(isDatabaseUnavailable(err), 'mapped to 503');
      assert.ok(elapsed >= ACQUIRE_TIMEOUT_MS - 20 && elapsed < ACQUIRE_TIMEOUT_MS + 1_000, `failed after ${elapsed} ms`);
      assert.equal(pool.state().pending, 0);
      assert.ok((waits.at(-1) ?? 0) >= (ACQUIRE_TIMEOUT_MS - 20) / 1000, 'the failed wait is observed too');
      await holding;
    } finally {
      await pool.close();
    }
  });

  test('the statement is timed from send to answer, apart from the wait, as success or error', async () => {
    const pool = poolOf({ DB_POOL_MAX: '1' });
    const seen: string[] = [];
    const timer = { success: { observe: (s: number) => seen.push(`success ${s >= 0.1}`) }, error: { observe: (s: number) => seen.push(`error ${s < 0.1}`) } };
    try {
      await pool.execute(sleep, [0.1], timer);
      await failureOf(pool.execute(missingTable, [], timer));
      assert.deepEqual(seen, ['success true', 'error true']);
    } finally {
      await pool.close();
    }
  });

  test('a connection whose session the server ended is closed; one that got an SQL error is kept with its statements', async () => {
    const pool = poolOf({ DB_POOL_MAX: '1' });
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const first = await pidOf(pool);
      const sqlError = await failureOf(pool.execute(missingTable, []));
      assert.ok(sqlError instanceof pg.DatabaseError, String(sqlError));
      assert.equal(pool.state().idle, 1, 'kept after an SQL error');
      assert.equal(await pidOf(pool), first, 'the same session');

      const holding = failureOf(pool.execute(sleep, [5]));
      await until(() => pool.state().used === 1, 'the connection in use');
      await admin.query('select pg_terminate_backend($1)', [first]);
      const ended = await holding;
      assert.ok(ended instanceof Error, 'the statement failed with its session');
      assert.equal(pool.state().idle, 0, 'closed, not given back');
      const next = await pidOf(pool);
      assert.notEqual(next, first, 'a new session');
    } finally {
      await admin.end();
      await pool.close();
    }
  });

  test('a statement the server never answers fails one second after statement_timeout, as "unavailable", and its connection is not reused', async () => {
    const { pool, backstopMs } = frozenCase();
    const first = await whileBackendStopped(pool, backstopMs, async () => {
      const started = Date.now();
      const err = await failureOf(pool.execute(backendPid, []));
      const elapsed = Date.now() - started;
      assert.ok(err instanceof StatementUnansweredError, String(err));
      assert.ok(isDatabaseUnavailable(err), 'mapped to 503');
      assert.ok(elapsed >= backstopMs - 20 && elapsed <= backstopMs + BACKSTOP_CHECK_MS + 500, `failed after ${elapsed} ms`);
      assert.deepEqual(pool.state(), { used: 0, idle: 0, pending: 0, max: 1 }, 'the connection is closed, not given back');
    });
    try {
      assert.notEqual(await pidOf(pool), first, 'the next statement runs on a new session');
    } finally {
      await pool.close();
    }
  });

  test('closing the pool while the server never answers a statement ends at the backstop, not never', async () => {
    const { pool, backstopMs } = frozenCase();
    await whileBackendStopped(pool, backstopMs, async () => {
      const statement = failureOf(pool.execute(backendPid, []));
      await until(() => pool.state().used === 1, 'the statement sent');
      const started = Date.now();
      await pool.close();
      const elapsed = Date.now() - started;
      assert.ok(elapsed <= backstopMs + BACKSTOP_CHECK_MS + 500, `closed after ${elapsed} ms`);
      assert.ok((await statement) instanceof StatementUnansweredError);
    });
  });

  test('with the database down, a statement fails at once with an "unavailable" error', async () => {
    const pool = poolOf({ DB_ACQUIRE_TIMEOUT_MS: '2000' });
    await db.stop();
    try {
      const started = Date.now();
      const err = await failureOf(pool.execute(backendPid, []));
      assert.ok(err instanceof PoolAcquireError && isDatabaseUnavailable(err));
      assert.ok(Date.now() - started < 2_000);
      assert.deepEqual(pool.state(), { used: 0, idle: 0, pending: 0, max: 10 });
    } finally {
      await db.start();
      await pool.close();
    }
  });
});
