/**
 * Outages the service's fault injection cannot produce, made from outside the process with the
 * same effect as the real thing, for the alert proofs:
 * - `hangProcess`: the process stops answering (SIGSTOP), as a hung or crashed pod does for
 *   Prometheus: scrapes time out, `up` becomes 0. Reversible (SIGCONT).
 * - `starveProcess`: the process gets no CPU for `stoppedMs` of every `periodMs` (a SIGSTOP /
 *   SIGCONT duty cycle), as a container throttled at its CPU limit or a node out of CPU does.
 *   Timers fire late by the stopped time: the event-loop delay the service measures is real.
 * - `hideTable`: the service's table is renamed away (a bad migration, a manual mistake): every
 *   query on it fails in PostgreSQL, so the service records failed queries.
 * Each one undoes itself when the test process exits, so a failed test leaves no frozen service.
 */
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Outage {
  /** Ends the outage; idempotent. */
  end(): Promise<void>;
}

/** Sends `signal` to `pid`; a process that is already gone is not an error (the outage ended with it). */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Runs `undo` when this process exits before `end()` did (synchronous: exit hooks cannot await). */
function undoOnExit(undo: () => void): () => void {
  process.once('exit', undo);
  return () => process.removeListener('exit', undo);
}

/** Freezes `pid` until `end()`. */
export function hangProcess(pid: number): Outage {
  const resume = () => signal(pid, 'SIGCONT');
  const forget = undoOnExit(resume);
  signal(pid, 'SIGSTOP');
  let ended = false;
  return {
    end: async () => {
      if (ended) return;
      ended = true;
      resume();
      forget();
    },
  };
}

export interface StarveOptions {
  /** Time stopped in every period. */
  readonly stoppedMs: number;
  /** @default 1_000 */
  readonly periodMs?: number;
  /** The cycle ends by itself after this long at the latest. @default 120_000 */
  readonly maxDurationMs?: number;
}

/** Stops `pid` for `stoppedMs` of every `periodMs` until `end()` (or `maxDurationMs`). */
export function starveProcess(pid: number, opts: StarveOptions): Outage {
  const periodMs = opts.periodMs ?? 1_000;
  const maxDurationMs = opts.maxDurationMs ?? 120_000;
  if (!(opts.stoppedMs > 0 && opts.stoppedMs < periodMs)) throw new Error(`starveProcess: stoppedMs must be in (0, ${periodMs}) (got ${opts.stoppedMs})`);
  const resume = () => signal(pid, 'SIGCONT');
  const forget = undoOnExit(resume);
  const stopper = new AbortController();
  const deadline = Date.now() + maxDurationMs;
  const cycle = (async () => {
    for (let i = 0; i < Math.ceil(maxDurationMs / periodMs) && !stopper.signal.aborted && Date.now() < deadline; i++) {
      signal(pid, 'SIGSTOP');
      await sleep(opts.stoppedMs, undefined, { signal: stopper.signal }).catch(() => undefined);
      resume();
      await sleep(periodMs - opts.stoppedMs, undefined, { signal: stopper.signal }).catch(() => undefined);
    }
    resume();
  })();
  return {
    end: async () => {
      stopper.abort();
      await cycle;
      forget();
    },
  };
}

/**
 * Renames the service's one table (found in the database, so no table name is repeated here) to
 * `<name>_hidden` until `end()` renames it back.
 */
export async function hideTable(databaseUrl: string): Promise<Outage & { readonly table: string }> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    // The service's tables, without knex's bookkeeping (knex_migrations, knex_migrations_lock).
    const { rows } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE 'knex\\_%' ORDER BY tablename",
    );
    if (rows.length !== 1) throw new Error(`hideTable: expected the service's one table, found ${rows.length}: ${rows.map((r) => r.tablename).join(', ') || 'none'}`);
    const table = rows[0]!.tablename;
    const hidden = `${table}_hidden`;
    await client.query(`ALTER TABLE ${pg.escapeIdentifier(table)} RENAME TO ${pg.escapeIdentifier(hidden)}`);
    let ended = false;
    return {
      table,
      end: async () => {
        if (ended) return;
        ended = true;
        try {
          await client.query(`ALTER TABLE ${pg.escapeIdentifier(hidden)} RENAME TO ${pg.escapeIdentifier(table)}`);
        } finally {
          await client.end();
        }
      },
    };
  } catch (error) {
    await client.end();
    throw error;
  }
}
