/**
 * The simulated cluster's life cycle (`make sim-up`, `sim-down`, `sim-status`): kwokctl starts
 * etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok from ./bin on 127.0.0.1;
 * then the nodes kind-config.yaml describes, and storage for the PostgreSQL claims. Its state,
 * its kubeconfig and the operator's log stay under the sim home (`.local/sim`), so the user's
 * ~/.kube/config and ~/.kwok are never touched.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FIELD_MANAGER } from '../../project/constants.js';
import type { Run } from '../commands.js';
import { kubectlFor } from '../kubectl.js';
import type { ClusterTarget } from '../../kube-access/target.js';
import { kwokctlConfigYaml, SIM_TOOLS } from './kwokctl-config.js';
import { simulatedNodes } from './nodes.js';
import { operatorFiles, runningOperator, stopOperator } from './operator.js';
import { storageManifests } from './storage.js';

export interface SimContext {
  readonly run: Run;
  readonly target: ClusterTarget;
  /** Where the cluster's state lives (SIM_HOME). */
  readonly home: string;
  /** Where `make sim-tools` put the binaries. */
  readonly binDir: string;
  readonly kindConfigFile: string;
  readonly log: (line: string) => void;
}

const kwokEnv = (home: string) => ({ KWOK_WORKDIR: path.join(home, 'kwok') });

/** One line per missing binary, naming the build that makes it. */
export function missingSimTools(binDir: string): string[] {
  return SIM_TOOLS.filter((tool) => !existsSync(path.join(binDir, tool))).map(
    (tool) => `missing ${path.join(binDir, tool)}: build the simulated cluster's binaries with \`make sim-tools\` (Go; about 10 minutes the first time)`,
  );
}

/** Whether kwokctl knows the cluster (in this sim home). */
export async function simClusterExists(ctx: SimContext): Promise<boolean> {
  const kwokctl = path.join(ctx.binDir, 'kwokctl');
  const { stdout } = await ctx.run(kwokctl, ['get', 'clusters'], { capture: true, quiet: true, env: kwokEnv(ctx.home) });
  return stdout.split('\n').some((line) => line.trim() === ctx.target.name) && existsSync(ctx.target.kubeconfig ?? '');
}

export async function simUp(ctx: SimContext): Promise<'created' | 'existing'> {
  const missing = missingSimTools(ctx.binDir);
  if (missing.length > 0) throw new Error(missing.join('\n'));
  mkdirSync(ctx.home, { recursive: true });
  const kwokctl = path.join(ctx.binDir, 'kwokctl');
  const existing = await simClusterExists(ctx);
  if (existing) {
    ctx.log(`simulated cluster "${ctx.target.name}" exists (${ctx.home}): keeping it`);
    await ctx.run(kwokctl, ['--name', ctx.target.name, 'start', 'cluster'], { env: kwokEnv(ctx.home) });
  } else {
    const configFile = path.join(ctx.home, 'kwokctl.yaml');
    writeFileSync(configFile, kwokctlConfigYaml(ctx.binDir));
    await ctx.run(
      kwokctl,
      ['--config', configFile, '--name', ctx.target.name, 'create', 'cluster', '--runtime', 'binary', '--kubeconfig', ctx.target.kubeconfig ?? '', '--wait', '120s'],
      { env: kwokEnv(ctx.home) },
    );
  }
  const kubectl = kubectlFor(ctx.run, ctx.target);
  const objects = [...simulatedNodes(ctx.target.name, ctx.kindConfigFile), ...storageManifests()];
  await kubectl(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) });
  await kubectl(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=120s']);
  return existing ? 'existing' : 'created';
}

/** Stops the operator and deletes the cluster and its state; nothing outside the sim home is touched. */
export async function simDown(ctx: SimContext): Promise<void> {
  if (await stopOperator(operatorFiles(ctx.home))) ctx.log('stopped prometheus-operator');
  if (existsSync(path.join(ctx.binDir, 'kwokctl')) && (await simClusterExists(ctx))) {
    await ctx.run(path.join(ctx.binDir, 'kwokctl'), ['--name', ctx.target.name, 'delete', 'cluster', '--kubeconfig', ctx.target.kubeconfig ?? ''], { env: kwokEnv(ctx.home) });
  } else {
    ctx.log(`no simulated cluster "${ctx.target.name}" in ${ctx.home}: nothing to delete`);
  }
  rmSync(path.join(ctx.home, 'kwok'), { recursive: true, force: true });
  rmSync(ctx.target.kubeconfig ?? path.join(ctx.home, 'kubeconfig'), { force: true });
}

/** Lines describing the cluster; exit status 0 when it runs, 3 when it does not. */
export async function simStatus(ctx: SimContext): Promise<{ code: number; lines: string[] }> {
  const missing = missingSimTools(ctx.binDir);
  if (missing.length > 0) return { code: 3, lines: missing };
  if (!(await simClusterExists(ctx))) return { code: 3, lines: [`no simulated cluster in ${ctx.home}: start one with \`make sim-up\``] };
  const kubectl = kubectlFor(ctx.run, ctx.target);
  const nodes = await kubectl(['get', 'nodes', '-o', 'wide'], { capture: true, quiet: true, allowFailure: true });
  const pid = runningOperator(operatorFiles(ctx.home));
  return {
    code: nodes.code === 0 ? 0 : 3,
    lines: [
      `simulated cluster "${ctx.target.name}": kubeconfig ${ctx.target.kubeconfig}, context ${ctx.target.context}`,
      `  kubectl --kubeconfig ${ctx.target.kubeconfig} get pods -A`,
      nodes.code === 0 ? nodes.stdout.trimEnd() : `the API server does not answer: ${nodes.stderr.trim().split('\n').pop() ?? ''}`,
      pid === undefined ? 'prometheus-operator: not running (`make sim-up` starts it)' : `prometheus-operator: running (pid ${pid}, log ${operatorFiles(ctx.home).logFile})`,
    ],
  };
}
