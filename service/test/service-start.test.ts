/**
 * A start that fails after the embedded PostgreSQL started (service.ts): what was opened is
 * closed before the error comes back, so no PostgreSQL keeps running as an orphan and no port
 * stays taken. Real embedded PostgreSQL, on a busy port for the step that fails.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../../toolkit/ports.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logging/logger.js';
import { startService } from '../src/service.js';

/** PostgreSQL processes running on `dir`: the postmaster has it in its command line (`-D dir`). */
function postgresOn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^[0-9]+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(dir);
      } catch {
        return false; // exited while we looked
      }
    })
    .map(Number);
}

/** Whether anything accepts connections on 127.0.0.1:port. */
function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

let root: string;
let dir: string;
let busy: net.Server;
let busyPort: number;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'items-start-'));
  await chmod(root, 0o755); // as root, PostgreSQL runs as `postgres` and must get in
  dir = path.join(root, 'postgres');
  busyPort = await freePort();
  busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(busyPort, '127.0.0.1', resolve));
});
after(async () => {
  // Should the service have left one running, stop it here rather than leave it to the machine.
  for (const pid of postgresOn(dir)) process.kill(pid, 'SIGINT');
  await new Promise<void>((resolve) => busy.close(() => resolve()));
  await rm(root, { recursive: true, force: true });
});

/** Starts the service on the embedded PostgreSQL; expects it to fail on the busy port, and checks what is left. */
async function failedStart(ports: { PORT: string; METRICS_PORT: string }): Promise<void> {
  const pgPort = await freePort();
  const config = loadConfig({ HOST: '127.0.0.1', LOG_LEVEL: 'silent', EMBEDDED_PG_DIR: dir, EMBEDDED_PG_PORT: String(pgPort), ...ports });
  assert.equal(config.databaseUrl, undefined, 'the embedded PostgreSQL is used');
  await assert.rejects(startService(config, createLogger('silent')), { code: 'EADDRINUSE', port: busyPort });
  assert.deepEqual(postgresOn(dir), [], 'no PostgreSQL runs on the data directory any more');
  assert.equal(await accepting(pgPort), false, `nothing listens on the embedded port ${pgPort}`);
}

describe('a start that fails after the embedded PostgreSQL started', () => {
  test('the API port is busy: the error is the busy port, and the embedded PostgreSQL is stopped', { timeout: 60_000 }, async () => {
    await failedStart({ PORT: String(busyPort), METRICS_PORT: '0' });
  });

  test('the metrics port is busy: the API port is closed again, and the embedded PostgreSQL is stopped', { timeout: 60_000 }, async () => {
    const apiPort = await freePort();
    await failedStart({ PORT: String(apiPort), METRICS_PORT: String(busyPort) });
    assert.equal(await accepting(apiPort), false, `nothing listens on the API port ${apiPort}`);
  });
});
