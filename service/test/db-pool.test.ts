import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config/config.js';
import { DbPool, PoolAcquireError } from '../src/db/pool.js';
import { isDatabaseUnavailable } from '../src/http/db-errors.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';

const ACQUIRE_TIMEOUT_MS = 300;
let pg: TestPostgres;
before(async () => {
  pg = await startTestPostgres();
});
after(() => pg.destroy());

const poolOf = (env: Record<string, string>) => new DbPool(pg.url, loadConfig({ DATABASE_URL: pg.url, ...env }).db);

describe('DbPool: the state the pool metrics read', () => {
  test('used, idle, pending and max follow acquire and release; every wait is reported', async () => {
    const pool = poolOf({ DB_POOL_MAX: '2', DB_ACQUIRE_TIMEOUT_MS: '5000' });
    const waits: number[] = [];
    pool.onAcquireWait = (s) => waits.push(s);
    try {
      assert.deepEqual(pool.state(), { used: 0, idle: 0, pending: 0, max: 2 });
      const a = await pool.acquire();
      const b = await pool.acquire();
      const third = pool.acquire();
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(pool.state(), { used: 2, idle: 0, pending: 1, max: 2 });
      pool.release(a);
      const c = await third;
      assert.deepEqual(pool.state(), { used: 2, idle: 0, pending: 0, max: 2 });
      pool.release(b);
      pool.release(c);
      assert.deepEqual(pool.state(), { used: 0, idle: 2, pending: 0, max: 2 });
      assert.equal(waits.length, 3);
    } finally {
      await pool.close();
    }
  });

  test('acquire is bounded by DB_ACQUIRE_TIMEOUT_MS when the pool stays full, and the failure means "unavailable"', async () => {
    const pool = poolOf({ DB_POOL_MAX: '1', DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS) });
    const waits: number[] = [];
    pool.onAcquireWait = (s) => waits.push(s);
    try {
      const held = await pool.acquire();
      const started = Date.now();
      const err = await pool.acquire().then(() => undefined, (e: unknown) => e);
      const elapsed = Date.now() - started;
      assert.ok(err instanceof PoolAcquireError, String(err));
      assert.ok(isDatabaseUnavailable(err), 'mapped to 503');
      assert.ok(elapsed >= ACQUIRE_TIMEOUT_MS - 20 && elapsed < ACQUIRE_TIMEOUT_MS + 1_000, `failed after ${elapsed} ms`);
      assert.equal(pool.state().pending, 0);
      assert.ok((waits.at(-1) ?? 0) >= (ACQUIRE_TIMEOUT_MS - 20) / 1000, 'the failed wait is observed too');
      pool.release(held);
    } finally {
      await pool.close();
    }
  });

  test('a connection that failed below SQL is closed; one that got an SQL error is kept with its statements', async () => {
    const pool = poolOf({ DB_POOL_MAX: '1' });
    try {
      const a = await pool.acquire();
      const sqlError = await a.query('select * from no_such_table').then(() => undefined, (e: unknown) => e);
      pool.release(a, sqlError);
      assert.equal(pool.state().idle, 1, 'kept after an SQL error');
      const b = await pool.acquire();
      assert.equal(b, a, 'the same connection');
      pool.release(b, new Error('Query read timeout'));
      assert.equal(pool.state().idle, 0, 'closed after a client-side failure');
      const c = await pool.acquire();
      assert.notEqual(c, a);
      pool.release(c);
    } finally {
      await pool.close();
    }
  });

  test('with the database down, acquire fails at once with an "unavailable" error', async () => {
    const pool = poolOf({ DB_ACQUIRE_TIMEOUT_MS: '2000' });
    await pg.stop();
    try {
      const started = Date.now();
      const err = await pool.acquire().then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof PoolAcquireError && isDatabaseUnavailable(err));
      assert.ok(Date.now() - started < 2_000);
      assert.deepEqual(pool.state(), { used: 0, idle: 0, pending: 0, max: 10 });
    } finally {
      await pg.start();
      await pool.close();
    }
  });
});
