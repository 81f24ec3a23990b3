/**
 * Test support for the simulated-cluster tier (nothing in production imports it): one simulated
 * cluster per test file, brought up through the project's own commands (`cluster/sim/cli.ts up`,
 * `cluster/cli.ts stack-up` with CLUSTER=sim), in a sim home of its own under the system temp
 * directory, and torn down after the file. The binaries come from `make sim-tools`: when they
 * are missing the tier skips loudly on a developer machine and fails in CI.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { runTool, type ToolRun } from '../../../toolkit/run-tool.js';
import { loadKubeConfig } from '../../../kube-access/api-server.js';
import { simTarget } from '../../../kube-access/target.js';
import { SIM_TOOLS } from '../kwokctl-config.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
export const BIN = path.join(ROOT, 'bin');


export interface SimHarness {
  readonly home: string;
  readonly kubeconfig: string;
  /** The environment every command of the cluster gets: CLUSTER=sim, SIM_HOME, ./bin first on PATH. */
  readonly env: NodeJS.ProcessEnv;
  readonly kc: KubeConfig;
  /** Runs a command in the repository with the cluster's environment (plus `extra`). */
  run(command: string, args: readonly string[], extra?: NodeJS.ProcessEnv, timeoutMs?: number): Promise<ToolRun>;
  /** `node --import tsx <script> ...` in the repository. */
  node(script: string, args: readonly string[], extra?: NodeJS.ProcessEnv, timeoutMs?: number): Promise<ToolRun>;
  /** kubectl pinned to the simulated cluster. */
  kubectl(args: readonly string[]): Promise<ToolRun>;
  stop(): Promise<void>;
}

/** Whether the tier's binaries (`make sim-tools`, `make tools`) are in ./bin; false after skipping loudly (in CI: throws). */
export function requireSimTools(t: TestContext, extra: readonly string[] = []): boolean {
  const missing = [...SIM_TOOLS, 'helm', ...extra].filter((tool) => !existsSync(path.join(BIN, tool)));
  if (missing.length === 0) return true;
  const reason = `missing ${missing.map((m) => `bin/${m}`).join(', ')} (build them: make sim-tools; helm: make tools)`;
  if (process.env.CI === 'true') throw new Error(`CI requires the simulated cluster: ${reason}`);
  console.error(`\n!!! SKIPPED ${t.name}: ${reason}\n`);
  t.skip(reason);
  return false;
}

/** Starts a simulated cluster with kube-prometheus-stack and the real operator, through the project's own steps. */
export async function startSimCluster(log: (line: string) => void = () => undefined): Promise<SimHarness> {
  const home = await mkdtemp(path.join(tmpdir(), 'items-api-sim-'));
  const target = simTarget(home);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLUSTER: 'sim',
    SIM_HOME: home,
    PATH: `${BIN}${path.delimiter}${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    // helm keeps its caches and registry settings here, not in the user's home.
    HELM_CACHE_HOME: path.join(home, 'helm', 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'helm', 'config'),
    HELM_DATA_HOME: path.join(home, 'helm', 'data'),
  };
  const run = (command: string, args: readonly string[], extra: NodeJS.ProcessEnv = {}, timeoutMs = 300_000) =>
    runTool(command, args, timeoutMs, { cwd: ROOT, env: { ...env, ...extra } });
  const node = (script: string, args: readonly string[], extra: NodeJS.ProcessEnv = {}, timeoutMs = 300_000) =>
    run(process.execPath, ['--import', 'tsx', script, ...args], extra, timeoutMs);
  const stop = async () => {
    const down = await node('cluster/sim/cli.ts', ['down'], {}, 120_000).catch((error: Error) => ({ code: 1, stdout: '', stderr: error.message }));
    if (down.code !== 0) log(`sim down failed: ${down.stdout}${down.stderr}`);
    await rm(home, { recursive: true, force: true });
  };
  const must = async (what: string, result: Promise<ToolRun>) => {
    const r = await result;
    if (r.code !== 0) {
      await stop();
      throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
    log(`${what}: ok`);
    return r;
  };
  await must('sim up', node('cluster/sim/cli.ts', ['up']));
  await must('stack-up (kube-prometheus-stack from the vendored chart, real operator)', node('cluster/cli.ts', ['stack-up'], {}, 600_000));
  const kc = loadKubeConfig(target);
  return {
    home,
    kubeconfig: target.kubeconfig ?? '',
    env,
    kc,
    run,
    node,
    kubectl: (args) => run(path.join(BIN, 'kubectl'), ['--kubeconfig', target.kubeconfig ?? '', '--context', target.context, ...args]),
    stop,
  };
}

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes; then throws with the last reason. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 1_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (last error: ${String(last)})` : ''}`);
    await delay(intervalMs);
  }
}
