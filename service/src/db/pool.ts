import pg from 'pg';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { Statement } from './statement.js';
import { POOL_TYPES, TIMESTAMP_SESSION_OPTIONS } from './timestamps.js';

/** No connection within the bounds (refused, timed out, rejected): the database is unavailable. */
export class PoolAcquireError extends Error {
  override name = 'PoolAcquireError';
  constructor(cause: unknown) {
    super(`no database connection: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** What the pool metrics read at scrape time. */
export interface PoolState {
  /** Connections checked out by a caller. */
  used: number;
  /** Open connections nobody holds. */
  idle: number;
  /** Callers waiting for a connection (queued, or waiting for a new one to connect). */
  pending: number;
  /** Configured maximum. */
  max: number;
}

/**
 * The service's one `pg.Pool`, with every wait bounded: a connection attempt by
 * `connectTimeoutMs`, the whole wait for a connection (queue and connect) by `acquireTimeoutMs`,
 * a statement by `statement_timeout` on the server and `query_timeout` on the client (the
 * backstop when the server never answers). With the database gone, a request fails within
 * `acquireTimeoutMs` instead of hanging.
 */
export class DbPool {
  private readonly pool: pg.Pool;
  private held = 0;
  private waiting = 0;
  /** Told how long each acquire waited, successful or not (`db_pool_acquire_duration_seconds`). */
  onAcquireWait: ((seconds: number) => void) | undefined;
  /** Awaited inside every query while the connection is held (fault injection only). */
  queryDelay: (() => Promise<void>) | undefined;

  constructor(databaseUrl: string, db: Config['db'], log?: Logger) {
    const connectTimeoutMs = db.connectTimeoutMs;
    // pg-pool applies `connectionTimeoutMillis` to the whole wait for a connection; the client
    // gets its own, shorter-or-equal bound on one connection attempt.
    class BoundedClient extends pg.Client {
      constructor(config?: string | pg.ClientConfig) {
        super({ ...(typeof config === 'string' ? { connectionString: config } : config), connectionTimeoutMillis: connectTimeoutMs });
      }
    }
    this.pool = new pg.Pool({
      connectionString: databaseUrl,
      application_name: 'items-api',
      // timestamptz as UTC text, turned into ISO strings without a Date (db/timestamps.ts).
      options: TIMESTAMP_SESSION_OPTIONS,
      types: POOL_TYPES,
      statement_timeout: db.statementTimeoutMs,
      // Client-side backstop when the server never answers (network partition, frozen host).
      query_timeout: db.statementTimeoutMs + 1_000,
      min: db.poolMin,
      max: db.poolMax,
      connectionTimeoutMillis: db.acquireTimeoutMs,
      idleTimeoutMillis: 30_000,
      Client: BoundedClient,
    });
    // An idle connection that dies (database restart) is dropped by the pool; without a listener
    // the 'error' event would end the process.
    this.pool.on('error', (err) => log?.warn({ err }, 'idle database connection lost'));
    // The same for a checked-out connection between queries: its next query reports the failure.
    this.pool.on('connect', (client) => client.on('error', ignore));
  }

  /** A connection for one statement; give it back with `release`. Throws `PoolAcquireError`. */
  async acquire(): Promise<pg.PoolClient> {
    this.waiting++;
    const started = this.onAcquireWait ? performance.now() : 0;
    try {
      const client = await this.pool.connect();
      this.held++;
      return client;
    } catch (err) {
      throw new PoolAcquireError(err);
    } finally {
      this.waiting--;
      this.onAcquireWait?.((performance.now() - started) / 1000);
    }
  }

  /** Returns the connection; one that failed below SQL (timeout, socket, shutdown) is closed, not reused. */
  release(client: pg.PoolClient, err?: unknown): void {
    this.held--;
    client.release(isBroken(err) ? (err as Error) : undefined);
  }

  /** Runs a named prepared statement on a held connection. Not `async`: no extra promise per query. */
  query<R extends pg.QueryResultRow>(client: pg.PoolClient, statement: Statement, values: unknown[]): Promise<pg.QueryResult<R>> {
    const config = { name: statement.name, text: statement.text, values };
    if (this.queryDelay) return this.queryDelay().then(() => client.query<R>(config));
    return client.query<R>(config);
  }

  state(): PoolState {
    return { used: this.held, idle: this.pool.idleCount, pending: this.waiting, max: this.pool.options.max };
  }

  /** Closes idle connections now and the rest as they are released. */
  close(): Promise<void> {
    return this.pool.end();
  }
}

const ignore = () => undefined;

/**
 * An error PostgreSQL answered (constraint, syntax, statement timeout) leaves the connection fine
 * and its prepared statements worth keeping. Anything else, or the server closing the session
 * (SQLSTATE 08xxx, 57P0x), means the connection must not serve another query.
 */
function isBroken(err: unknown): boolean {
  if (err === undefined) return false;
  if (!(err instanceof pg.DatabaseError)) return true;
  const code = err.code ?? '';
  return code.startsWith('08') || code.startsWith('57P');
}
