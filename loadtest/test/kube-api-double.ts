/**
 * TEST DOUBLE of the Kubernetes API server (no cluster can run on this machine) answering the
 * handful of endpoints the load-test launcher calls, with the JSON shapes the real API server
 * returns; the HTTP plumbing, token check and kubeconfig are cluster/test-doubles/api-server-base.ts.
 * Each created Job gets one pod whose life follows a script: Pending, then Running (its log
 * streams), then terminated with an exit code, after which the Job carries its terminal condition,
 * as the Job controller would set it. The script ConfigMap is accepted only as a server-side
 * apply PATCH with a field manager, and stored as sent; field ownership and conflicts are left to
 * the real API server (the simulated-cluster tier, cluster/sim/test), which this double must not
 * imitate.
 */
import type http from 'node:http';
import { type ApiServerDouble, type Route, route, sendJson, startApiServerDouble, statusBody } from '../../cluster/test-doubles/api-server-base.js';

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
  /**
   * The API server cannot give the log (kwok's pods have none): every log request, followed or
   * not, is answered with this Status, e.g. 404 `no logs found for container "k6"`.
   */
  readonly logUnavailable?: { readonly code: number; readonly reason: string; readonly message: string };
}

/** JSON as the API server sends it; the double only stores and echoes it. */
type Json = Record<string, unknown>;

interface StoredJob {
  readonly body: Json;
  readonly createdAt: number;
  readonly script: PodScript;
  readonly podName: string;
}

export interface KubeApiDouble extends ApiServerDouble {
  /** `<namespace>/<name>` → the ConfigMap as last applied. */
  readonly configMaps: Map<string, Json>;
  readonly jobs: Map<string, StoredJob>;
  /** `<namespace>/<name>?propagationPolicy=...` of every Job DELETE. */
  readonly deletedJobs: string[];
}

const POLL_MS = 20;

/** A request body as the JSON object the client sent. */
const jsonBody = (body: string): Json | undefined => (body ? (JSON.parse(body) as Json) : undefined);

/** The content type of a server-side apply PATCH (client-node's PatchStrategy.ServerSideApply). */
const APPLY_PATCH = 'application/apply-patch+yaml';

export async function startKubeApiDouble(scriptFor: (jobName: string, index: number) => PodScript): Promise<KubeApiDouble> {
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

  const routes: Route[] = [
    route('PATCH', /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/, (res, m, req) => {
      // Only server-side apply is served: the launcher must send no other patch.
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
      if (contentType !== APPLY_PATCH) {
        return sendJson(res, 415, statusBody(415, 'UnsupportedMediaType', `the test double serves only server-side apply (${APPLY_PATCH}) of configmaps, got "${contentType}"`));
      }
      const fieldManager = req.url.searchParams.get('fieldManager');
      if (!fieldManager) return sendJson(res, 422, statusBody(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch'));
      const force = req.url.searchParams.get('force');
      if (force !== null && force !== 'true' && force !== 'false') return sendJson(res, 400, statusBody(400, 'BadRequest', `force must be true or false, got "${force}"`));
      const body = jsonBody(req.body);
      const meta = body?.metadata as { name?: string } | undefined;
      if (body?.apiVersion !== 'v1' || body.kind !== 'ConfigMap' || meta?.name !== m[2]) {
        return sendJson(res, 400, statusBody(400, 'BadRequest', 'the body must be a v1 ConfigMap named as on the URL'));
      }
      const key = `${m[1]}/${m[2]}`;
      const existed = configMaps.has(key);
      configMaps.set(key, body);
      sendJson(res, existed ? 200 : 201, body);
    }),
    route('POST', /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs$/, (res, m, req) => {
      const body = jsonBody(req.body);
      const name = (body?.metadata as { name: string }).name;
      const key = `${m[1]}/${name}`;
      if (jobs.has(key)) return sendJson(res, 409, statusBody(409, 'AlreadyExists', `jobs.batch "${name}" already exists`));
      jobs.set(key, { body: body ?? {}, createdAt: Date.now(), script: scriptFor(name, jobs.size), podName: `${name}-x7k2p` });
      sendJson(res, 201, body);
    }),
    route('GET', /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs\/([^/]+)\/status$/, (res, m) => {
      const job = jobs.get(`${m[1]}/${m[2]}`);
      if (!job) return sendJson(res, 404, statusBody(404, 'NotFound', `jobs.batch "${m[2]}" not found`));
      sendJson(res, 200, { ...job.body, status: jobStatus(job) });
    }),
    route('DELETE', /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs\/([^/]+)$/, (res, m, req) => {
      const key = `${m[1]}/${m[2]}`;
      const policy = req.url.searchParams.get('propagationPolicy') ?? (jsonBody(req.body)?.propagationPolicy as string | undefined) ?? '';
      if (!jobs.delete(key)) return sendJson(res, 404, statusBody(404, 'NotFound', `jobs.batch "${m[2]}" not found`));
      deletedJobs.push(`${key}?propagationPolicy=${policy}`);
      sendJson(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
    }),
    route('GET', /^\/api\/v1\/namespaces\/([^/]+)\/pods$/, (res, m, req) => {
      const [key, value] = (req.url.searchParams.get('labelSelector') ?? '').split('=');
      const items = [...jobs.entries()]
        .filter(([k]) => k.startsWith(`${m[1]}/`))
        .map(([k, job]) => podOf(m[1] ?? '', k.slice(`${m[1]}/`.length), job))
        .filter((pod) => !key || (pod.metadata as { labels: Record<string, string> }).labels[key] === value);
      sendJson(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items });
    }),
    route('GET', /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/, (res, m, req) => {
      const job = [...jobs.entries()].find(([k, j]) => k.startsWith(`${m[1]}/`) && j.podName === m[2])?.[1];
      if (!job) return sendJson(res, 404, statusBody(404, 'NotFound', `pods "${m[2]}" not found`));
      const unavailable = job.script.logUnavailable;
      if (unavailable) return sendJson(res, unavailable.code, statusBody(unavailable.code, unavailable.reason, unavailable.message));
      if (req.url.searchParams.get('follow') === 'true') return streamLog(res, job);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(logSoFar(job));
    }),
  ];

  const base = await startApiServerDouble(routes);
  return {
    ...base,
    configMaps,
    jobs,
    deletedJobs,
    async close() {
      for (const res of openStreams) res.destroy();
      await base.close();
    },
  };
}
