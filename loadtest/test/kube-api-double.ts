/**
 * TEST DOUBLE of the Kubernetes API server (no cluster can run on this machine): an HTTP server
 * answering the handful of endpoints the load-test launcher calls, with the JSON shapes the real
 * API server returns. Each created Job gets one pod whose life follows a script: Pending, then
 * Running (its log streams), then terminated with an exit code, after which the Job carries its
 * terminal condition, as the Job controller would set it.
 */
import http from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { freePort } from '../../testing/ports.js';

export interface PodScript {
  /** Time after the Job's creation when the pod starts running. */
  readonly runningAfterMs: number;
  /** Time after the Job's creation when the k6 container exits. */
  readonly exitAfterMs: number;
  readonly exitCode: number;
  /** The container's whole log; a follower gets half when the pod runs and the rest when it exits. */
  readonly log: string;
  /** Waiting reason while Pending, e.g. `ErrImagePull`; the pod then never runs. */
  readonly stuckPending?: string;
  /** Reason of the Failed condition when exitCode is not 0. @default BackoffLimitExceeded */
  readonly failedReason?: string;
  readonly terminatedReason?: string;
}

/** JSON as the API server sends it; the double only stores and echoes it. */
type Json = Record<string, unknown>;

interface StoredJob {
  readonly body: Json;
  readonly createdAt: number;
  readonly script: PodScript;
  readonly podName: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Json | undefined;
}

export interface KubeApiDouble {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly configMaps: Map<string, Json>;
  readonly jobs: Map<string, StoredJob>;
  /** `<namespace>/<name>?propagationPolicy=...` of every Job DELETE. */
  readonly deletedJobs: string[];
  /** A client configuration pointing at the double. */
  kubeConfig(): KubeConfig;
  close(): Promise<void>;
}

const POLL_MS = 20;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const statusBody = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

export async function startKubeApiDouble(scriptFor: (jobName: string, index: number) => PodScript): Promise<KubeApiDouble> {
  const requests: RecordedRequest[] = [];
  const configMaps = new Map<string, Json>();
  const jobs = new Map<string, StoredJob>();
  const deletedJobs: string[] = [];
  const openStreams = new Set<http.ServerResponse>();

  const podOf = (namespace: string, name: string, job: StoredJob): Json => {
    const age = Date.now() - job.createdAt;
    const s = job.script;
    const template = (job.body.spec as { template: { metadata: { labels: Record<string, string> } } }).template;
    const exited = !s.stuckPending && age >= s.exitAfterMs;
    const running = !s.stuckPending && age >= s.runningAfterMs;
    const state = exited
      ? { terminated: { exitCode: s.exitCode, ...(s.terminatedReason ? { reason: s.terminatedReason } : { reason: s.exitCode === 0 ? 'Completed' : 'Error' }) } }
      : running
        ? { running: { startedAt: new Date(job.createdAt + s.runningAfterMs).toISOString() } }
        : { waiting: { reason: s.stuckPending ?? 'ContainerCreating' } };
    return {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: job.podName, namespace, labels: { ...template.metadata.labels, 'job-name': name, 'batch.kubernetes.io/job-name': name } },
      status: {
        phase: exited ? (s.exitCode === 0 ? 'Succeeded' : 'Failed') : running ? 'Running' : 'Pending',
        containerStatuses: [{ name: 'k6', image: 'grafana/k6', imageID: '', ready: running && !exited, restartCount: 0, state }],
      },
    };
  };

  const jobStatus = (job: StoredJob): Json => {
    const s = job.script;
    if (s.stuckPending || Date.now() - job.createdAt < s.exitAfterMs) return { active: 1 };
    const condition =
      s.exitCode === 0
        ? { type: 'Complete', status: 'True' }
        : { type: 'Failed', status: 'True', reason: s.failedReason ?? 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    return { conditions: [condition], ...(s.exitCode === 0 ? { succeeded: 1 } : { failed: 1 }) };
  };

  const logSoFar = (job: StoredJob): string => {
    const age = Date.now() - job.createdAt;
    const lines = job.script.log.split('\n');
    if (age >= job.script.exitAfterMs) return job.script.log;
    if (age >= job.script.runningAfterMs) return lines.slice(0, Math.floor(lines.length / 2)).join('\n') + '\n';
    return '';
  };

  const streamLog = (res: http.ServerResponse, job: StoredJob) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    openStreams.add(res);
    let sent = 0;
    const tick = () => {
      if (res.destroyed) return openStreams.delete(res);
      const text = logSoFar(job);
      if (text.length > sent) {
        res.write(text.slice(sent));
        sent = text.length;
      }
      if (Date.now() - job.createdAt >= job.script.exitAfterMs) {
        openStreams.delete(res);
        return res.end();
      }
      setTimeout(tick, POLL_MS);
    };
    tick();
  };

  const routes: Array<[string, RegExp, (res: http.ServerResponse, m: RegExpExecArray, q: URLSearchParams, body: Json | undefined) => void]> = [
    ['GET', /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/, (res, m) => {
      const cm = configMaps.get(`${m[1]}/${m[2]}`);
      return cm ? send(res, 200, cm) : send(res, 404, statusBody(404, 'NotFound', `configmaps "${m[2]}" not found`));
    }],
    ['POST', /^\/api\/v1\/namespaces\/([^/]+)\/configmaps$/, (res, m, _q, body) => {
      const name = (body?.metadata as { name: string }).name;
      configMaps.set(`${m[1]}/${name}`, body ?? {});
      send(res, 201, body);
    }],
    ['PUT', /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/, (res, m, _q, body) => {
      configMaps.set(`${m[1]}/${m[2]}`, body ?? {});
      send(res, 200, body);
    }],
    ['POST', /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs$/, (res, m, _q, body) => {
      const name = (body?.metadata as { name: string }).name;
      const key = `${m[1]}/${name}`;
      if (jobs.has(key)) return send(res, 409, statusBody(409, 'AlreadyExists', `jobs.batch "${name}" already exists`));
      jobs.set(key, { body: body ?? {}, createdAt: Date.now(), script: scriptFor(name, jobs.size), podName: `${name}-x7k2p` });
      send(res, 201, body);
    }],
    ['GET', /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs\/([^/]+)\/status$/, (res, m) => {
      const job = jobs.get(`${m[1]}/${m[2]}`);
      if (!job) return send(res, 404, statusBody(404, 'NotFound', `jobs.batch "${m[2]}" not found`));
      send(res, 200, { ...job.body, status: jobStatus(job) });
    }],
    ['DELETE', /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs\/([^/]+)$/, (res, m, q, body) => {
      const key = `${m[1]}/${m[2]}`;
      const policy = q.get('propagationPolicy') ?? (body?.propagationPolicy as string | undefined) ?? '';
      if (!jobs.delete(key)) return send(res, 404, statusBody(404, 'NotFound', `jobs.batch "${m[2]}" not found`));
      deletedJobs.push(`${key}?propagationPolicy=${policy}`);
      send(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
    }],
    ['GET', /^\/api\/v1\/namespaces\/([^/]+)\/pods$/, (res, m, q) => {
      const [key, value] = (q.get('labelSelector') ?? '').split('=');
      const items = [...jobs.entries()]
        .filter(([k]) => k.startsWith(`${m[1]}/`))
        .map(([k, job]) => podOf(m[1] ?? '', k.slice(`${m[1]}/`.length), job))
        .filter((pod) => !key || (pod.metadata as { labels: Record<string, string> }).labels[key] === value);
      send(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items });
    }],
    ['GET', /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/, (res, m, q) => {
      const job = [...jobs.entries()].find(([k, j]) => k.startsWith(`${m[1]}/`) && j.podName === m[2])?.[1];
      if (!job) return send(res, 404, statusBody(404, 'NotFound', `pods "${m[2]}" not found`));
      if (q.get('follow') === 'true') return streamLog(res, job);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(logSoFar(job));
    }],
  ];

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://double');
      const body = raw ? (JSON.parse(raw) as Json) : undefined;
      requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, body });
      for (const [method, pattern, handle] of routes) {
        const m = req.method === method ? pattern.exec(url.pathname) : null;
        if (m) return handle(res, m, url.searchParams, body);
      }
      send(res, 404, statusBody(404, 'NotFound', `the test double does not serve ${req.method} ${url.pathname}`));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    requests,
    configMaps,
    jobs,
    deletedJobs,
    kubeConfig() {
      const config = new KubeConfig();
      config.loadFromOptions({
        clusters: [{ name: 'double', server: url, skipTLSVerify: true }],
        users: [{ name: 'tester', token: 'test-double-token' }],
        contexts: [{ name: 'double', cluster: 'double', user: 'tester', namespace: 'items' }],
        currentContext: 'double',
      });
      return config;
    },
    async close() {
      for (const res of openStreams) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
