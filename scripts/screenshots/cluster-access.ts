/**
 * Is a kind cluster up, and how to reach its Grafana and items-api: the kubeconfig context,
 * the API server's /readyz (a few seconds, never a hang), the Grafana admin Secret, and our own
 * `kubectl port-forward`s on free ports (so `make port-forward` may or may not be running).
 * Anything missing means "no cluster": the caller skips the Grafana shots and says why.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CoreV1Api } from '@kubernetes/client-node';
import { readGrafanaCredentials, type GrafanaCredentials } from '../../cluster/checks/grafana.js';
import { apiServerRequest, loadKubeConfig } from '../../kube-access/api-server.js';
import { portForwardArgs } from '../../cluster/port-forward.js';
import { GRAFANA_ADMIN_SECRET, KIND, PORT_FORWARDS, type PortForward } from '../../cluster/locations.js';
import { httpOk } from '../../localstack/processes.js';
import { poll } from '../../toolkit/poll.js';
import { freePort } from '../../toolkit/ports.js';

const API_SERVER_TIMEOUT_MS = 5_000;
const PORT_FORWARD_READY_MS = 30_000;

export interface ForwardedService {
  /** `http://127.0.0.1:<free port>` */
  readonly url: string;
  stop(): Promise<void>;
}

export interface ClusterAccess {
  readonly grafanaUrl: string;
  readonly credentials: GrafanaCredentials;
  /** The cluster's items-api, for traffic that gives the dashboards something to show. */
  readonly apiUrl: string;
  /** Stops the port-forwards. Idempotent. */
  stop(): Promise<void>;
}

export type ClusterProbe = { readonly access: ClusterAccess } | { readonly skipped: string };

const forwardNamed = (name: string): PortForward => {
  const found = PORT_FORWARDS.find((f) => f.name === name);
  if (!found) throw new Error(`cluster/locations.ts PORT_FORWARDS has no entry "${name}"`);
  return found;
};

/** `kubectl port-forward` of one Service to a free local port; resolves once `readyPath` answers 2xx. */
export async function forwardService(forward: PortForward, readyPath: string): Promise<ForwardedService> {
  const localPort = await freePort();
  const url = `http://127.0.0.1:${localPort}`;
  const child: ChildProcess = spawn('kubectl', portForwardArgs(KIND.context, { ...forward, localPort }), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2_000)));
  let failed = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (error) => {
    failed = true; // e.g. no kubectl on PATH: no 'exit' follows
    stderr += error.message;
  });
  const stop = async () => {
    if (failed) return;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  };
  const ready = await poll({ timeoutMs: PORT_FORWARD_READY_MS, intervalMs: 500 }, async () => {
    if (failed || child.exitCode !== null) return false;
    return (await httpOk(`${url}${readyPath}`)()) || undefined;
  });
  if (!ready) {
    await stop();
    throw new Error(`kubectl port-forward to ${forward.namespace}/${forward.service} did not serve ${readyPath} within ${PORT_FORWARD_READY_MS / 1000} s: ${stderr.trim() || 'no output'}`);
  }
  return { url, stop };
}

/** Quick look for the kind cluster; never throws: a reason to skip instead. */
export async function probeCluster(log: (line: string) => void): Promise<ClusterProbe> {
  let kc;
  try {
    kc = loadKubeConfig(KIND);
  } catch (error) {
    return { skipped: (error as Error).message };
  }
  const ready = await apiServerRequest(kc, { path: '/readyz', timeoutMs: API_SERVER_TIMEOUT_MS }).catch((error: Error) => error);
  if (ready instanceof Error) return { skipped: `the API server of context ${KIND.context} does not answer: ${ready.message}` };
  if (ready.status !== 200) return { skipped: `the API server of context ${KIND.context} is not ready (HTTP ${ready.status})` };
  let credentials: GrafanaCredentials;
  try {
    credentials = await readGrafanaCredentials(kc.makeApiClient(CoreV1Api), GRAFANA_ADMIN_SECRET);
  } catch (error) {
    return { skipped: `cannot read Grafana's admin Secret: ${(error as Error).message}` };
  }
  const started: ForwardedService[] = [];
  const stopAll = async () => {
    await Promise.allSettled(started.map((f) => f.stop()));
  };
  try {
    log(`cluster ${KIND.context} is up: port-forwarding Grafana and items-api`);
    const grafana = await forwardService(forwardNamed('Grafana'), '/api/health');
    started.push(grafana);
    const api = await forwardService(forwardNamed('items-api'), '/readyz');
    started.push(api);
    let stopping: Promise<void> | undefined;
    return { access: { grafanaUrl: grafana.url, credentials, apiUrl: api.url, stop: () => (stopping ??= stopAll()) } };
  } catch (error) {
    await stopAll();
    return { skipped: (error as Error).message };
  }
}
