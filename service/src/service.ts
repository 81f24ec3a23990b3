import { Registry } from 'prom-client';
import { APP_VERSION } from '../../project/constants.js';
import { createApp } from './app.js';
import type { Config } from './config/config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded.js';
import { createKnex } from './db/knex.js';
import { migrateLatest } from './db/migrations/index.js';
import { DbPool } from './db/pool.js';
import { FaultState, injectDatabaseDelay } from './faults/faults.js';
import { DbHealth } from './health/db-health.js';
import { InflightRequests } from './http/inflight.js';
import { drain, listen, type ListeningServer } from './http/listen.js';
import { createItemsRepository } from './items/repository.js';
import type { Logger } from './logging/logger.js';
import { createMetricsApp } from './metrics-app.js';
import { instrumentPool, queryTimers } from './metrics/db-metrics.js';
import { createMetrics } from './metrics/metrics.js';

export interface RunningService {
  apiPort: number;
  /** Undefined when METRICS_ENABLED=false. */
  metricsPort: number | undefined;
  /** The one connection pool every API query runs on. */
  pool: DbPool;
  registry: Registry;
  /** Readiness off, drain in-flight requests, close the pool and servers. Resolves true when drained in time. */
  shutdown(reason: string): Promise<boolean>;
}

/** Closes one thing a start opened. */
type Closer = () => Promise<unknown> | void;

/**
 * Wires config into a running service: database (embedded when no URL), migrations, metrics,
 * the API and metrics servers. Everything it creates is closed by `shutdown`; if a step fails,
 * what the steps before it opened is closed before the error is rethrown, so that a failed start
 * (migrations, database check, a busy port) leaves no embedded PostgreSQL running as an orphan,
 * and no pool, timer or listening port behind in a process that goes on (a test, a retry).
 */
export async function startService(config: Config, log: Logger): Promise<RunningService> {
  const opened: Closer[] = [];
  try {
    return await start(config, log, opened);
  } catch (err) {
    // Last opened, first closed: the servers before the pool, the pool before its database.
    for (const close of opened.reverse()) {
      try {
        await close();
      } catch (closeErr) {
        // The start's own error is the one to report; this one only goes to the log.
        log.warn({ err: closeErr }, 'closing after a failed start failed');
      }
    }
    throw err;
  }
}

/** The steps of `startService`; each thing opened is pushed on `opened` as soon as it is. */
async function start(config: Config, log: Logger, opened: Closer[]): Promise<RunningService> {
  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const started = await startEmbeddedPostgres({ ...config.embeddedPostgres, log });
    opened.push(() => started.stop());
    embedded = started;
    databaseUrl = started.url;
  }

  if (config.migrateOnStart) {
    // knex runs the migrations on its own short-lived connections; requests never use knex.
    const migrator = createKnex(databaseUrl, config.db, log);
    try {
      const applied = await migrateLatest(migrator);
      log.info({ applied }, 'migrations applied');
    } finally {
      await migrator.destroy();
    }
  }

  const pool = new DbPool(databaseUrl, config.db, log);
  opened.push(() => pool.close());
  const registry = new Registry();
  const metrics = createMetrics(registry, { version: APP_VERSION, revision: config.revision });
  if (config.metricsEnabled) instrumentPool(pool, metrics);
  const faults = config.faults && new FaultState(config.faults);
  if (faults) {
    injectDatabaseDelay(pool, faults);
    log.warn({ faults: faults.snapshot() }, 'fault injection is ENABLED; never run this in production');
  }

  const health = new DbHealth({
    databaseUrl,
    intervalMs: config.db.checkIntervalMs,
    timeoutMs: config.db.connectTimeoutMs,
    dbUp: metrics.dbUp,
    log,
  });
  await health.check();
  health.start();
  opened.push(() => health.stop());

  let shuttingDown = false;
  const inflight = new InflightRequests();
  const app = createApp({
    inflight,
    config,
    items: createItemsRepository({ pool, timers: config.metricsEnabled ? queryTimers(metrics) : undefined }),
    logger: log,
    metrics: config.metricsEnabled ? metrics : undefined,
    health: { dbState: () => health.current, isShuttingDown: () => shuttingDown },
    faults,
  });
  const api = await listen(app.callback(), config.host, config.port);
  opened.push(() => drain(api.server, 1_000));
  let metricsServer: ListeningServer | undefined;
  if (config.metricsEnabled) {
    metricsServer = await listen(createMetricsApp({ registry, faults }).callback(), config.host, config.metricsPort);
  }
  log.info({ port: api.port, metricsPort: metricsServer?.port, embeddedPostgres: Boolean(embedded) }, 'items-api listening');

  let stopping: Promise<boolean> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      shuttingDown = true;
      log.info({ reason, delayMs: config.shutdown.delayMs }, 'shutting down: readiness off');
      if (config.shutdown.delayMs > 0) await new Promise((r) => setTimeout(r, config.shutdown.delayMs));
      const deadline = Date.now() + config.shutdown.timeoutMs;
      const drained = (await drain(api.server, config.shutdown.timeoutMs)) && (await inflight.settled(deadline - Date.now()));
      health.stop();
      await pool.close();
      if (metricsServer) await drain(metricsServer.server, 1_000);
      if (embedded) await embedded.stop();
      log.info({ drained }, 'shutdown complete');
      return drained;
    })();
    return stopping;
  };

  return { apiPort: api.port, metricsPort: metricsServer?.port, pool, registry, shutdown };
}
