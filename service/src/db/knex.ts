import knexPkg, { type Knex } from 'knex';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { clientBackstopMs } from './pool.js';

/**
 * A knex instance for migrations (`migrate.ts`, and `startService` before it opens its pool),
 * with every wait bounded: connect, pool acquire and statement time. Requests never use knex's
 * runner: they run named prepared statements on `DbPool` (`pool.ts`).
 */
export function createKnex(databaseUrl: string, db: Config['db'], log?: Logger): Knex {
  return knexPkg({
    // knex prints to the console by default; its messages belong in the JSON log.
    ...(log && {
      log: {
        warn: (message: unknown) => log.warn({ knex: String(message) }, 'knex warning'),
        error: (message: unknown) => log.error({ knex: String(message) }, 'knex error'),
        deprecate: (message: unknown) => log.warn({ knex: String(message) }, 'knex deprecation'),
        debug: (message: unknown) => log.debug({ knex: String(message) }, 'knex debug'),
      },
    }),
    client: 'pg',
    connection: {
      connectionString: databaseUrl,
      connectionTimeoutMillis: db.connectTimeoutMs,
      statement_timeout: db.statementTimeoutMs,
      // Client-side backstop when the server never answers (network partition); few statements,
      // so pg's timer per statement costs nothing here (unlike on the request path, pool.ts).
      query_timeout: clientBackstopMs(db),
      application_name: 'items-api',
    },
    pool: {
      min: db.poolMin,
      max: db.poolMax,
      acquireTimeoutMillis: db.acquireTimeoutMs,
      createTimeoutMillis: db.connectTimeoutMs,
      idleTimeoutMillis: 30_000,
      // Retry creating a connection soon after a failure, so recovery after an outage is quick.
      createRetryIntervalMillis: 200,
    },
    acquireConnectionTimeout: db.acquireTimeoutMs,
  });
}
