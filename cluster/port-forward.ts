/**
 * `make port-forward`: one `kubectl port-forward` per entry of PORT_FORWARDS, all in the
 * background of one foreground process; Ctrl-C (SIGINT) or SIGTERM stops every one of them, and
 * if one dies on its own (pod restarted, port taken) the others are stopped too, exit code 1.
 */
import { type ChildProcess, spawn as nodeSpawn } from 'node:child_process';
import type { KubeConfig } from '@kubernetes/client-node';
import { commandLine } from './commands.js';
import { apiServerRequest } from '../kube-access/api-server.js';
import { excerpt } from '../toolkit/excerpt.js';
import type { PortForward } from './locations.js';

export interface PortForwardOptions {
  readonly context: string;
  /** The target's own kubeconfig file (the simulated cluster); undefined: kubectl's default. */
  readonly kubeconfig?: string;
  readonly forwards: readonly PortForward[];
  readonly log: (line: string) => void;
  readonly spawn?: (command: string, args: readonly string[]) => ChildProcess;
  /** Where SIGINT/SIGTERM arrive; the process itself outside tests. */
  readonly signals?: NodeJS.EventEmitter;
}

export const portForwardArgs = (context: string, f: PortForward, kubeconfig?: string): string[] => [
  ...(kubeconfig ? ['--kubeconfig', kubeconfig] : []),
  '--context',
  context,
  '-n',
  f.namespace,
  'port-forward',
  `svc/${f.service}`,
  `${f.localPort}:${f.servicePort}`,
  '--address',
  '127.0.0.1',
];

/** Resolves with the exit code once every port-forward has stopped. */
export function portForwardAll(options: PortForwardOptions): Promise<number> {
  const spawn = options.spawn ?? ((command, args) => nodeSpawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  const signals = options.signals ?? process;
  return new Promise((resolve) => {
    let running = 0;
    let exitCode = 0;
    let stopping = false;
    const children: ChildProcess[] = [];
    const stopAll = (): void => {
      if (stopping) return;
      stopping = true;
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    };
    const onSignal = (): void => {
      options.log('stopping every port-forward');
      stopAll();
    };
    signals.on('SIGINT', onSignal);
    signals.on('SIGTERM', onSignal);

    for (const forward of options.forwards) {
      const args = portForwardArgs(options.context, forward, options.kubeconfig);
      options.log(`$ ${commandLine('kubectl', args)}`);
      const child = spawn('kubectl', args);
      children.push(child);
      running++;
      const prefix = (chunk: Buffer | string): string =>
        String(chunk)
          .trimEnd()
          .split('\n')
          .map((line) => `[${forward.name}] ${line}`)
          .join('\n');
      child.stdout?.on('data', (chunk: Buffer) => options.log(prefix(chunk)));
      child.stderr?.on('data', (chunk: Buffer) => options.log(prefix(chunk)));
      let done = false; // 'exit' may or may not follow 'error'
      const finished = (code: number | null, signal: NodeJS.Signals | null, error?: Error): void => {
        if (done) return;
        done = true;
        if (!stopping && (code !== 0 || error)) {
          exitCode = 1;
          options.log(`port-forward to ${forward.name} ended (${error ? error.message : `exit ${code ?? signal}`}): stopping the others`);
        }
        stopAll();
        if (--running === 0) {
          signals.off('SIGINT', onSignal);
          signals.off('SIGTERM', onSignal);
          resolve(exitCode);
        }
      };
      child.on('error', (error) => finished(null, null, error));
      child.on('exit', (code, signal) => finished(code, signal));
    }
  });
}

/**
 * Before any kubectl starts: the API server answers and every Service to forward exists. Returns
 * one line per problem (empty when all is well), so a missing cluster or stack fails in one line
 * instead of four interleaved kubectl errors.
 */
export async function portForwardProblems(kc: KubeConfig, forwards: readonly PortForward[], createWith: string): Promise<string[]> {
  const server = kc.getCurrentCluster()?.server ?? '?';
  const ready = await apiServerRequest(kc, { path: '/readyz', timeoutMs: 5_000 }).catch((error: Error) => error);
  if (ready instanceof Error) return [`the API server of context ${kc.getCurrentContext()} (${server}) does not answer (${ready.message}): is the cluster up? ${createWith} starts it`];
  if (ready.status !== 200) return [`the API server of context ${kc.getCurrentContext()} is not ready (HTTP ${ready.status} ${excerpt(ready.body)})`];
  const problems: string[] = [];
  for (const f of forwards) {
    const res = await apiServerRequest(kc, { path: `/api/v1/namespaces/${f.namespace}/services/${f.service}`, timeoutMs: 5_000 });
    if (res.status === 404) problems.push(`Service ${f.namespace}/${f.service} (${f.name}) does not exist: ${createWith} installs it`);
    else if (res.status !== 200) problems.push(`Service ${f.namespace}/${f.service} (${f.name}): HTTP ${res.status} ${excerpt(res.body)}`);
  }
  return problems;
}
