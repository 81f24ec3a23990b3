/**
 * `.env`: optional settings beside `.env.example`, read by `main.ts` from its working directory.
 * The real environment wins over the file; a missing file changes nothing; an unreadable one stops
 * the start with one line. The process tests run the real entry point in a directory of their own.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConfigError, ENV_FILE, loadConfig, withEnvFile } from '../src/config/config.js';

const run = promisify(execFile);
const MAIN = path.resolve(import.meta.dirname, '..', 'src', 'main.ts');
// The loader by absolute path: `--import tsx` would be looked up from the temp dir the process runs in.
const TSX = fileURLToPath(import.meta.resolve('tsx'));

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'items-env-file-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** A fresh directory holding `.env` with `content` (none when undefined). */
async function folderWith(name: string, content: string | undefined): Promise<string> {
  const folder = path.join(dir, name);
  await mkdir(folder, { recursive: true });
  if (content !== undefined) await writeFile(path.join(folder, ENV_FILE), content);
  return folder;
}

describe('withEnvFile(env, file)', () => {
  test('adds what the file sets and the environment does not; the environment wins', async () => {
    const folder = await folderWith('merge', '# my settings\nPORT=3999\nexport LOG_LEVEL=debug\nDB_POOL_MAX="4"\nMETRICS_PORT=9999\n');
    const env = withEnvFile({ METRICS_PORT: '9465', HOME: '/root' }, path.join(folder, ENV_FILE));
    assert.deepEqual(env, { PORT: '3999', LOG_LEVEL: 'debug', DB_POOL_MAX: '4', METRICS_PORT: '9465', HOME: '/root' });
    const config = loadConfig(env);
    assert.deepEqual([config.port, config.metricsPort, config.db.poolMax, config.logLevel], [3999, 9465, 4, 'debug']);
  });

  test('a variable set empty in the environment still wins (as with node --env-file)', async () => {
    const folder = await folderWith('empty', 'PORT=3999\n');
    assert.deepEqual(withEnvFile({ PORT: '' }, path.join(folder, ENV_FILE)), { PORT: '' });
  });

  test('no file: the environment unchanged', async () => {
    const folder = await folderWith('absent', undefined);
    const env = { PORT: '3031' };
    assert.deepEqual(withEnvFile(env, path.join(folder, ENV_FILE)), env);
  });

  test('a file that cannot be read (a directory here) is one line naming it and the fix', async () => {
    const folder = await folderWith('unreadable', undefined);
    await mkdir(path.join(folder, ENV_FILE));
    assert.throws(
      () => withEnvFile({}, path.join(folder, ENV_FILE)),
      (err: unknown) => err instanceof ConfigError && /^cannot read .*\.env \(EISDIR.*\): make it a readable file of KEY=value lines, or remove it$/.test(err.message),
    );
  });
});

describe('main.ts reads .env from its working directory', () => {
  /** Runs the entry point in `cwd` with `env` on top of a clean copy of ours; resolves its failure. */
  const start = (cwd: string, env: Record<string, string>) =>
    run(process.execPath, ['--import', TSX, MAIN], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 30_000,
    }).then(
      () => assert.fail('the process was expected to stop on its configuration'),
      (err: { code: number; stderr: string }) => err,
    );

  test('a setting from .env applies, and the same variable in the environment wins over it', async () => {
    // Both values from .env are invalid beside the environment's DB_POOL_MAX=5: if the file won,
    // the error would be about DB_POOL_MAX; it is about DB_POOL_MIN, which only the file sets.
    const folder = await folderWith('process', 'DB_POOL_MAX=many\nDB_POOL_MIN=9\n');
    const err = await start(folder, { DB_POOL_MAX: '5' });
    assert.equal(err.code, 1);
    assert.equal(err.stderr.trim(), 'items-api: invalid configuration: DB_POOL_MIN must be <= DB_POOL_MAX (got "9")');
  });

  test('an unreadable .env stops the start with one line', async () => {
    const folder = await folderWith('process-unreadable', undefined);
    await mkdir(path.join(folder, ENV_FILE));
    const err = await start(folder, {});
    assert.equal(err.code, 1);
    assert.match(err.stderr.trim(), /^items-api: cannot read \.env \(EISDIR[^\n]*\): make it a readable file of KEY=value lines, or remove it$/);
  });
});
