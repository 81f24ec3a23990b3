import type { Knex } from 'knex';
import { loadConfig } from '../../src/config/config.js';
import { createKnex } from '../../src/db/knex.js';
import { createLogger } from '../../src/logging/logger.js';
import { startService, type RunningService } from '../../src/service.js';
import { startTestPostgres, type TestPostgres } from './postgres.js';

export interface Harness {
  pg: TestPostgres;
  service: RunningService;
  api: string;
  metricsUrl: string;
  /** The test's own connection to the service's database, for reading and changing rows directly. */
  db: Knex;
  close(): Promise<void>;
}

/**
 * One real PostgreSQL and one in-process service on free ports. `env` overrides configuration
 * exactly as the process environment would.
 */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const pg = await startTestPostgres();
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    DATABASE_URL: pg.url,
    LOG_LEVEL: 'silent',
    DB_CHECK_INTERVAL_MS: '200',
    SHUTDOWN_TIMEOUT_MS: '2000',
    ...env,
  });
  const service = await startService(config, createLogger(config.logLevel));
  const db = createKnex(pg.url, { ...config.db, poolMin: 0, poolMax: 2 });
  return {
    pg,
    service,
    api: `http://127.0.0.1:${service.apiPort}`,
    metricsUrl: `http://127.0.0.1:${service.metricsPort}/metrics`,
    db,
    async close() {
      await service.shutdown('test finished');
      await db.destroy();
      await pg.destroy();
    },
  };
}

export const json = (body: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Rows in the items table, read straight from the database. */
export async function countItems(db: Knex): Promise<number> {
  const [row] = await db('items').count<{ count: string }[]>({ count: '*' });
  return Number(row?.count ?? 0);
}
