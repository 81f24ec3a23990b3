import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { CONTAINER_PORTS } from '../../project/constants.js';
import { ConfigError, loadConfig } from '../src/config/config.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('loadConfig(env)', () => {
  test('defaults: API 3030, metrics 9464, embedded database, faults off', () => {
    const config = loadConfig({});
    assert.equal(config.port, CONTAINER_PORTS.api);
    assert.equal(config.metricsPort, CONTAINER_PORTS.metrics);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.faults, undefined);
    assert.equal(config.metricsEnabled, true);
  });

  test('reads and converts values', () => {
    const config = loadConfig({ PORT: '8080', DB_POOL_MAX: '25', METRICS_ENABLED: 'false', DATABASE_URL: 'postgres://u:p@db:5432/items' });
    assert.equal(config.port, 8080);
    assert.equal(config.db.poolMax, 25);
    assert.equal(config.metricsEnabled, false);
    assert.equal(config.databaseUrl, 'postgres://u:p@db:5432/items');
  });

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'abc' }, /^invalid configuration: PORT must be a number \(got "abc"\)$/],
    [{ PORT: '70000' }, /PORT must be <= 65535/],
    [{ METRICS_PORT: '3030' }, /METRICS_PORT must differ from PORT/],
    [{ DB_POOL_MAX: '0' }, /DB_POOL_MAX must be >= 1/],
    [{ DB_POOL_MIN: '5', DB_POOL_MAX: '2' }, /DB_POOL_MIN must be <= DB_POOL_MAX/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres:\/\/ URL/],
    [{ METRICS_ENABLED: 'yes' }, /METRICS_ENABLED must be true or false/],
    [{ FAULT_ERROR_RATE: '0.5' }, /FAULT_INJECTION must be true when a FAULT_\* value is set/],
    [{ FAULT_INJECTION: 'true', FAULT_ERROR_RATE: '2' }, /FAULT_ERROR_RATE must be <= 1/],
  ];
  for (const [env, message] of bad) {
    test(`rejects ${JSON.stringify(env)} with one clear line`, () => {
      assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && message.test(err.message) && !err.message.includes('\n'));
    });
  }

  test('fault injection needs the explicit switch and then carries the values', () => {
    const config = loadConfig({ FAULT_INJECTION: 'true', FAULT_ERROR_RATE: '0.25', FAULT_LATENCY_MS: '100' });
    assert.deepEqual(config.faults, { errorRate: 0.25, latencyMs: 100, dbDelayMs: 0 });
  });

  test('.env.example lists exactly the variables the schema reads', () => {
    const listed = readFileSync(path.join(ROOT, '.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=')[0]);
    const source = readFileSync(path.join(ROOT, 'service/src/config/config.ts'), 'utf8');
    const read = [...source.matchAll(/^ {4}([A-Z][A-Z_]+):/gm)].map((m) => m[1]);
    assert.deepEqual([...listed].sort(), [...read].sort());
  });
});

test('a bad value stops the process with exit 1 and one line on stderr', async () => {
  await assert.rejects(
    run(process.execPath, ['--import', 'tsx', 'service/src/main.ts'], { cwd: ROOT, env: { ...process.env, PORT: 'nope' } }),
    (err: { code: number; stderr: string; stdout: string }) => {
      assert.equal(err.code, 1);
      assert.equal(err.stderr.trim(), 'items-api: invalid configuration: PORT must be a number (got "nope")');
      assert.equal(err.stdout, '');
      return true;
    },
  );
});
