/**
 * The real prometheus-operator, run outside the simulated cluster against its API server. In
 * the cluster the chart's operator Deployment is a kwok-played pod (no container runs), so this
 * process does its work: it reads the chart's Prometheus and the project's ServiceMonitors and
 * PrometheusRules and writes what a real operator writes (the Prometheus configuration Secret,
 * the rule ConfigMaps, the StatefulSets). It runs with the Deployment's own arguments, less the
 * web server's TLS flags (their certificate lives in a Secret mounted into the pod). The operator
 * has no --kubeconfig flag: out of a cluster it takes the API server's address and the client
 * certificate files (--apiserver, --ca-file, --cert-file, --key-file), read here from the
 * simulated cluster's kubeconfig.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Kubectl } from '../kubectl.js';

export interface OperatorFiles {
  readonly pidFile: string;
  readonly logFile: string;
}

export const operatorFiles = (home: string): OperatorFiles => ({
  pidFile: path.join(home, 'prometheus-operator.pid'),
  logFile: path.join(home, 'prometheus-operator.log'),
});

/** The web server's flags: in the pod they point at a mounted TLS Secret and the pod's port. */
const isWebFlag = (arg: string): boolean => arg.startsWith('--web.');

/** How the operator reaches the API server from outside: its address and the TLS files. */
export interface ApiServerConnection {
  readonly server: string;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * The connection of the kubeconfig's current context as files: paths the kubeconfig names are
 * used as they are, inline data is written under `dir` (mode 0600).
 */
export function apiServerConnection(kc: KubeConfig, dir: string): ApiServerConnection {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster || !user) throw new Error(`kubeconfig context "${kc.getCurrentContext()}" names no cluster or user`);
  const fileOf = (file: string | undefined, data: string | undefined, name: string): string => {
    if (file) return file;
    if (!data) throw new Error(`kubeconfig context "${kc.getCurrentContext()}" has no ${name} (file or data): prometheus-operator needs client certificates`);
    const target = path.join(dir, name);
    writeFileSync(target, Buffer.from(data, 'base64'), { mode: 0o600 });
    return target;
  };
  return {
    server: cluster.server,
    caFile: fileOf(cluster.caFile, cluster.caData, 'ca.crt'),
    certFile: fileOf(user.certFile, user.certData, 'client.crt'),
    keyFile: fileOf(user.keyFile, user.keyData, 'client.key'),
  };
}

/** The operator's arguments out of the cluster: the Deployment's, without web flags, plus the connection and a loopback listener. */
export function operatorArgs(deploymentArgs: readonly string[], connection: ApiServerConnection): string[] {
  return [
    ...deploymentArgs.filter((arg) => !isWebFlag(arg)),
    `--apiserver=${connection.server}`,
    `--ca-file=${connection.caFile}`,
    `--cert-file=${connection.certFile}`,
    `--key-file=${connection.keyFile}`,
    '--web.listen-address=127.0.0.1:0',
  ];
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pid of the running operator, or undefined. */
export function runningOperator(files: OperatorFiles): number | undefined {
  if (!existsSync(files.pidFile)) return undefined;
  const pid = Number(readFileSync(files.pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

/** Starts the operator in the background (it outlives this process); returns its pid. */
export function startOperator(binary: string, args: readonly string[], files: OperatorFiles): number {
  const running = runningOperator(files);
  if (running !== undefined) return running;
  if (!existsSync(binary)) throw new Error(`${binary} is missing: build it with \`make sim-tools\``);
  const log = openSync(files.logFile, 'a');
  try {
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', log, log] });
    if (child.pid === undefined) throw new Error(`could not start ${binary}: see ${files.logFile}`);
    child.unref();
    writeFileSync(files.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** Stops the operator if it runs (SIGTERM, then SIGKILL after `graceMs`). */
export async function stopOperator(files: OperatorFiles, graceMs = 5_000): Promise<boolean> {
  const pid = runningOperator(files);
  rmSync(files.pidFile, { force: true });
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await delay(100);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}

export interface OperatorStart {
  /** The chart's operator Deployment, whose container arguments the operator runs with. */
  readonly namespace: string;
  readonly deployment: string;
  readonly binary: string;
  /** The simulated cluster's client configuration (pinned to its context). */
  readonly kubeConfig: KubeConfig;
  readonly files: OperatorFiles;
  readonly log: (line: string) => void;
}

/** Reads the chart's operator Deployment and starts the real operator with its arguments. */
export async function startOperatorLike(kubectl: Kubectl, start: OperatorStart): Promise<number> {
  const { stdout } = await kubectl(['-n', start.namespace, 'get', 'deployment', start.deployment, '-o', 'json'], { capture: true, quiet: true });
  const deployment = JSON.parse(stdout) as { spec?: { template?: { spec?: { containers?: Array<{ args?: string[] }> } } } };
  const deploymentArgs = deployment.spec?.template?.spec?.containers?.[0]?.args;
  if (!deploymentArgs) throw new Error(`deployment ${start.namespace}/${start.deployment} has no container arguments: is it the chart's prometheus-operator?`);
  const connection = apiServerConnection(start.kubeConfig, path.dirname(start.files.pidFile));
  const pid = startOperator(start.binary, operatorArgs(deploymentArgs, connection), start.files);
  start.log(`prometheus-operator runs outside the cluster with the arguments of deployment ${start.namespace}/${start.deployment} (pid ${pid}, log ${start.files.logFile})`);
  return pid;
}
