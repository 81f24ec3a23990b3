import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../toolkit/ports.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIN = path.join(ROOT, 'service', 'src', 'main.ts');

export interface SpawnedService {
  apiUrl: string;
  metricsUrl: string;
  pid: number;
  env: Record<string, string>;
  /** Sends the signal (default SIGTERM), waits for exit, removes the temp data dir. Resolves the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Everything the process printed so far (JSON log lines). */
  output(): string;
}

export interface SpawnServiceOptions {
  /** Extra environment; wins over the defaults chosen here. */
  env?: Record<string, string>;
  /** How long to wait for `/readyz` 200 (embedded PostgreSQL initdb takes a few seconds). */
  readyTimeoutMs?: number;
}

/**
 * Runs the real service (`service/src/main.ts` under tsx) as a child process on free ports, with
 * its own embedded PostgreSQL in a temp dir, and resolves once `/readyz` answers 200.
 */
export async function spawnService(opts: SpawnServiceOptions = {}): Promise<SpawnedService> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'items-api-test-'));
  // mkdtemp makes it 0700; as root, PostgreSQL runs as the `postgres` user and must get in.
  await chmod(dataDir, 0o755);
  const env: Record<string, string> = {
    PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    HOST: '127.0.0.1',
    EMBEDDED_PG_DIR: path.join(dataDir, 'pg'),
    EMBEDDED_PG_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  const apiUrl = `http://127.0.0.1:${env.PORT}`;
  const metricsUrl = `http://127.0.0.1:${env.METRICS_PORT}`;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (exitCode === undefined) child.kill(signal);
    const code = await exited;
    await rm(dataDir, { recursive: true, force: true });
    return code;
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`service exited with ${exitCode} before it was ready:\n${output}`);
    const ready = await fetch(`${apiUrl}/readyz`).then((r) => r.ok, () => false);
    if (ready) return { apiUrl, metricsUrl, pid: child.pid ?? -1, env, stop, output: () => output };
    await sleep(200);
  }
  await stop('SIGKILL');
  throw new Error(`service not ready within ${opts.readyTimeoutMs ?? 60_000} ms:\n${output}`);
}
