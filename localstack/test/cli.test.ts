/**
 * `make local-up` / `local-status` / `local-down` through the real CLI, on free ports and a temp
 * state dir (never the default ports or .local/stack, which a developer's stack may be using).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, symlink } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { SCRAPE } from '../../project/constants.js';
import { freePort } from '../../testing/ports.js';
import { findTool, requireTools } from '../../testing/tools.js';
import { localStackToolNames } from '../binaries.js';
import { readState } from '../control.js';
import { PrometheusClient } from '../prometheus-client.js';
import { setFaults } from '../stack.js';
import { isAlive, waitForExit } from './support/processes.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'localstack', 'cli.ts');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env, timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let stateDir: string;
before(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'localstack-cli-'));
  await chmod(stateDir, 0o755); // as root, PostgreSQL runs as `postgres` and must get through it
});
after(async () => {
  await cli(['down', '--state-dir', stateDir]); // whatever a failed assertion left running
  await rm(stateDir, { recursive: true, force: true });
});

test('up starts the stack detached and prints its URLs; status reports it; a second up refuses; down leaves no process behind', async (t) => {
  if (!requireTools(t, localStackToolNames())) return;
  const ports = { api: await freePort(), metrics: await freePort(), prometheus: await freePort(), alertmanager: await freePort() };
  const portArgs = [
    '--api-port', String(ports.api),
    '--metrics-port', String(ports.metrics),
    '--prometheus-port', String(ports.prometheus),
    '--alertmanager-port', String(ports.alertmanager),
  ];
  const upResult = await cli(['up', '--state-dir', stateDir, ...portArgs, '--scrape-interval', '1s', '--evaluation-interval', '1s']);
  assert.equal(upResult.code, 0, upResult.stderr + upResult.stdout);
  for (const url of [
    `http://127.0.0.1:${ports.api}`,
    `http://127.0.0.1:${ports.api}/docs`,
    `http://127.0.0.1:${ports.metrics}${SCRAPE.path}`,
    `http://127.0.0.1:${ports.prometheus}`,
    `http://127.0.0.1:${ports.alertmanager}`,
  ]) {
    assert.ok(upResult.stdout.includes(url), `up prints ${url}:\n${upResult.stdout}`);
  }
  assert.match(upResult.stdout, /Stop it with: .* down --state-dir/);
  assert.match(upResult.stdout, /Fault injection is off/);

  // Detached: the stack serves after `up` has exited.
  assert.equal((await fetch(`http://127.0.0.1:${ports.api}/readyz`)).status, 200);
  const targets = await new PrometheusClient(`http://127.0.0.1:${ports.prometheus}`).waitForTargetsUp(SCRAPE.job, { timeoutMs: 10_000 });
  assert.equal(targets.length, 1);
  await assert.rejects(setFaults(`http://127.0.0.1:${ports.metrics}`, { errorRate: 1 }), /fault injection is off/, 'faults stay off unless asked for');

  const state = readState(stateDir);
  assert.ok(state);
  const pids = [state.supervisorPid, ...state.processes.map((p) => p.pid)];
  assert.deepEqual(state.processes.map((p) => p.component).sort(), ['alertmanager', 'items-api', 'postgres', 'prometheus']);
  assert.ok(pids.every(isAlive));

  const statusResult = await cli(['status', '--state-dir', stateDir]);
  assert.equal(statusResult.code, 0, statusResult.stderr);
  assert.match(statusResult.stdout, /The local stack is running/);
  assert.match(statusResult.stdout, /items-api\s+pid \d+\s+ok/);
  assert.match(statusResult.stdout, /prometheus\s+pid \d+\s+ok/);

  const again = await cli(['up', '--state-dir', stateDir, ...portArgs]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, new RegExp(`already running \\(pid ${state.supervisorPid}.*stop it with`));

  const downResult = await cli(['down', '--state-dir', stateDir]);
  assert.equal(downResult.code, 0, downResult.stderr);
  assert.match(downResult.stdout, /The local stack is stopped/);
  assert.deepEqual(await waitForExit(pids, 5_000), [], 'no process of the stack is left');
  assert.equal((await fetch(`http://127.0.0.1:${ports.api}/readyz`).catch(() => undefined))?.status, undefined, 'the API port is closed');

  const after = await cli(['status', '--state-dir', stateDir]);
  assert.equal(after.code, 3);
  assert.match(after.stdout, /not running/);
  assert.match((await cli(['down', '--state-dir', stateDir])).stdout, /not running/);
});

test('up without Prometheus on PATH names the package to install and starts nothing', async (t) => {
  const sh = findTool('sh');
  if (!sh) return t.skip('no sh');
  const bare = await mkdtemp(path.join(tmpdir(), 'localstack-path-'));
  try {
    await symlink(sh, path.join(bare, 'sh')); // PATH lookups still run, and find nothing
    const result = await cli(['up', '--state-dir', stateDir, '--api-port', String(await freePort())], { ...process.env, PATH: bare });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /prometheus not found on PATH.*apt-get install prometheus\b/);
    assert.equal(readState(stateDir), undefined);
  } finally {
    await rm(bare, { recursive: true, force: true });
  }
});

test('up on a port already taken says which one and starts nothing', async (t) => {
  if (!requireTools(t, localStackToolNames())) return;
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = (blocker.address() as net.AddressInfo).port;
  try {
    const free = async () => String(await freePort());
    const result = await cli([
      'up', '--state-dir', stateDir,
      '--api-port', await free(), '--metrics-port', await free(), '--alertmanager-port', await free(),
      '--prometheus-port', String(taken),
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`port\\(s\\) already in use on 127.0.0.1: ${taken} \\(Prometheus\\)`));
    assert.equal(readState(stateDir), undefined);
  } finally {
    blocker.close();
  }
});
