import pg from 'pg';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { Statement } from './statement.js';
import type { QueryTimer } from '../metrics/db-metrics.js';
import { POOL_TYPES, TIMESTAMP_SESSION_OPTIONS } from './timestamps.js';

/** No connection within the bounds (refused, timed out, rejected): the database is unavailable. */
export class PoolAcquireError extends Error {
  override name = 'PoolAcquireError';
  constructor(cause: unknown) {
    super(`no database connection: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** How long past `statement_timeout` the client waits for an answer before it gives up on the connection. */
const BACKSTOP_MARGIN_MS = 1_000;

/** The client-side bound on a statement: the pool's own check, and pg's `query_timeout` on knex's connections. */
export const clientBackstopMs = (db: Pick<Config['db'], 'statementTimeoutMs'>): number => db.statementTimeoutMs + BACKSTOP_MARGIN_MS;

/**
 * The server accepted a statement and sent no answer within the backstop (a frozen host, a
 * partition): the statement fails with this, and its connection is closed rather than reused.
 */
export class StatementUnansweredError extends Error {
  override name = 'StatementUnansweredError';
  constructor(backstopMs: number) {
    super(`no answer from the database within ${backstopMs} ms (statement_timeout + ${BACKSTOP_MARGIN_MS / 1000} s); the connection was closed`);
  }
}

/** How often sent statements are checked against the backstop: a late one fails within this after it. */
export const BACKSTOP_CHECK_MS = 250;

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
 * a statement by `statement_timeout` on the server and, one second later, by the pool's own
 * backstop on the client (when the server never answers). With the database gone, a request
 * fails within `acquireTimeoutMs` instead of hanging.
 */
export class DbPool {
  private readonly pool: pg.Pool;
  private held = 0;
  private waiting = 0;
  /** When each connection's statement in flight was sent (`performance.now()`). */
  private readonly unanswered = new Map<pg.PoolClient, number>();
  private readonly backstop: NodeJS.Timeout;
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
      // No `query_timeout`: the backstop below replaces it (see there).
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
    // The client-side backstop when the server never answers (a network partition, a frozen
    // host): one interval for the pool, instead of pg's `query_timeout`, which arms a timer per
    // statement. That timer, and the wrapper pg puts around the callback with it, made the rows of
    // nearly every statement survive into V8's old generation: 3.8 KB promoted per list page
    // against 0.9 KB without it, and a peak RSS of 167 MB against 117 MB (docs/PERFORMANCE.md).
    const backstopMs = clientBackstopMs(db);
    this.backstop = setInterval(() => this.failUnanswered(backstopMs), BACKSTOP_CHECK_MS).unref();
  }

  /**
   * Acquires a connection, runs one named prepared statement on it and gives it back: the
   * repository's path, with one promise for the whole and pg's callbacks inside (no promise per
   * step). `timer` hears how long the statement took from send to answer, without the wait for
   * the connection. Throws `PoolAcquireError` when no connection came within the bounds.
   */
  execute<R extends pg.QueryResultRow>(statement: Statement, values: unknown[], timer?: QueryTimer): Promise<pg.QueryResult<R>> {
    return new Promise((resolve, reject) => {
      this.waiting++;
      const waitStarted = this.onAcquireWait ? performance.now() : 0;
      this.pool.connect((connectError, client, done) => {
        this.waiting--;
        // One clock read ends the wait and starts the statement's timing and its backstop.
        const acquired = performance.now();
        this.onAcquireWait?.((acquired - waitStarted) / 1000);
        if (connectError || !client) {
          reject(new PoolAcquireError(connectError));
          return;
        }
        this.held++;
        // pg answers `null` as the error of a statement that succeeded.
        const answered = (err: Error | null | undefined, result?: pg.QueryResult<R>) => {
          const seconds = timer ? (performance.now() - acquired) / 1000 : 0;
          this.unanswered.delete(client);
          this.held--;
          done(isBroken(err) ? (err as Error) : undefined);
          if (err) {
            timer?.error.observe(seconds);
            reject(err);
          } else {
            timer?.success.observe(seconds);
            resolve(result as pg.QueryResult<R>);
          }
        };
        const send = (sentAt: number) => {
          this.unanswered.set(client, sentAt);
          client.query(namedQuery(statement, values, answered));
        };
        if (this.queryDelay) this.queryDelay().then(() => send(performance.now()), answered);
        else send(acquired);
      });
    });
  }

  /**
   * Closes the connection of every statement sent at least `backstopMs` ago and still unanswered.
   * pg then fails the statement with the error given here, and `execute` hands the connection back
   * as broken, so the pool drops it.
   */
  private failUnanswered(backstopMs: number): void {
    const now = performance.now();
    for (const [client, sentAt] of this.unanswered) {
      if (now - sentAt < backstopMs) continue;
      this.unanswered.delete(client);
      client.connection.stream.destroy(new StatementUnansweredError(backstopMs));
    }
  }

  state(): PoolState {
    return { used: this.held, idle: this.pool.idleCount, pending: this.waiting, max: this.pool.options.max };
  }

  /**
   * Closes idle connections now and the rest as they are released. The backstop keeps running
   * until then: a statement the server never answers would otherwise hold `close` forever.
   */
  close(): Promise<void> {
    return this.pool.end().finally(() => clearInterval(this.backstop));
  }
}

const ignore = () => undefined;

/**
 * The statement as pg's own `Query`, which `client.query` takes as it is. Given a config object
 * instead (`{ name, text, values }`), pg 8.23 copies it through its property descriptors on every
 * call (`cloneQueryConfig`), the largest single cost of a query in a same-time profile; built from
 * the text, nothing is copied, and the name then makes it a named prepared statement.
 */
function namedQuery<R extends pg.QueryResultRow>(
  statement: Statement,
  values: unknown[],
  callback: (err: Error | undefined, result: pg.QueryResult<R>) => void,
) {
  const query = new pg.Query<R>(statement.text, values, callback);
  // `name` is what pg reads to prepare the statement once per connection; its typings omit it.
  (query as unknown as { name: string }).name = statement.name;
  return query;
}

/**
 * An error PostgreSQL answered (constraint, syntax, statement timeout) leaves the connection fine
 * and its prepared statements worth keeping. Anything else, or the server closing the session
 * (SQLSTATE 08xxx, 57P0x), means the connection must not serve another query.
 */
function isBroken(err: unknown): boolean {
  if (err === undefined || err === null) return false;
  if (!(err instanceof pg.DatabaseError)) return true;
  const code = err.code ?? '';
  return code.startsWith('08') || code.startsWith('57P');
}
