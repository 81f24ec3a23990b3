import pg from 'pg';
import type { Gauge } from 'prom-client';
import type { Logger } from '../logging/logger.js';
import { pendingMigrations } from '../db/migrations/index.js';

export interface DbHealthOptions {
  databaseUrl: string;
  /** How often the check runs in the background. */
  intervalMs: number;
  /** Bound on one check: connect plus `select 1`. */
  timeoutMs: number;
  dbUp: Gauge<string>;
  log: Logger;
}

export interface DbHealthState {
  reachable: boolean;
  migrationsCurrent: boolean;
  checkedAt: Date | undefined;
  lastError: string | undefined;
}

/**
 * Checks the database on its own short-lived connection, outside the pool: a saturated pool is
 * not an unreachable database, and readiness must not flap because the API is busy.
 */
export class DbHealth {
  private state: DbHealthState = { reachable: false, migrationsCurrent: false, checkedAt: undefined, lastError: undefined };
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: DbHealthOptions) {
    opts.dbUp.set(0);
  }

  get current(): Readonly<DbHealthState> {
    return this.state;
  }

  async check(): Promise<Readonly<DbHealthState>> {
    const { databaseUrl, timeoutMs } = this.opts;
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    client.on('error', () => undefined); // a dropped socket after the check is not news
    try {
      await client.connect();
      await client.query('select 1');
      const migrationsCurrent = this.state.migrationsCurrent || (await pendingMigrations(client)) === 0;
      this.update({ reachable: true, migrationsCurrent, lastError: undefined });
    } catch (err) {
      this.update({ reachable: false, migrationsCurrent: this.state.migrationsCurrent, lastError: (err as Error).message });
    } finally {
      await client.end().catch(() => undefined);
    }
    return this.state;
  }

  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.check(), this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private update(next: Omit<DbHealthState, 'checkedAt'>): void {
    if (next.reachable !== this.state.reachable) {
      const log = this.opts.log;
      if (next.reachable) log.info('database reachable');
      else log.warn({ error: next.lastError }, 'database unreachable');
    }
    this.state = { ...next, checkedAt: new Date() };
    this.opts.dbUp.set(next.reachable ? 1 : 0);
  }
}
