/**
 * TEST DOUBLE of the Kubernetes API server (no cluster can run on this machine) answering the
 * handful of endpoints the load-test launcher calls, with the JSON shapes the real API server
 * returns; the HTTP plumbing, token check and kubeconfig are cluster/test-doubles/api-server-base.ts.
 * Each created Job gets one pod whose life follows a script: Pending, then Running (its log
 * streams), then terminated with an exit code, after which the Job carries its terminal condition,
 * as the Job controller would set it. ConfigMaps keep server-side apply's field ownership
 * (managedFields): an apply conflicts with another manager's differing fields unless forced, and
 * drops the fields its manager applied before but not now; create and replace take ownership as
 * the manager the API server derives from the User-Agent (`node-fetch` for client-node).
 */
import type http from 'node:http';
import { type ApiServerDouble, type DoubleRequest, type Route, route, sendJson, startApiServerDouble, statusBody } from '../../cluster/test-doubles/api-server-base.js';

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

/** Options of a server-side apply, as the query string carries them. */
export interface ApplyOptions {
  readonly fieldManager: string;
  readonly force?: boolean;
}

export interface KubeApiDouble extends ApiServerDouble {
  /** `<namespace>/<name>` → the ConfigMap as the API server returns it (with managedFields). */
  readonly configMaps: Map<string, Json>;
  /**
   * A server-side apply of a ConfigMap as `kubectl apply --server-side --field-manager=<m>
   * [--force-conflicts]` sends it (the stand-in for `make deploy`); returns the API server's answer.
   */
  applyConfigMap(body: Json, options: ApplyOptions): { readonly code: number; readonly body: Json };
  readonly jobs: Map<string, StoredJob>;
  /** `<namespace>/<name>?propagationPolicy=...` of every Job DELETE. */
  readonly deletedJobs: string[];
}

const POLL_MS = 20;

/** A request body as the JSON object the client sent. */
const jsonBody = (body: string): Json | undefined => (body ? (JSON.parse(body) as Json) : undefined);

/** The content type of a server-side apply PATCH (client-node's PatchStrategy.ServerSideApply). */
const APPLY_PATCH = 'application/apply-patch+yaml';

/**
 * A field manager as managedFields tells them apart: the same name applying and updating are two.
 * The API server names the manager of a write without `fieldManager` after its User-Agent.
 */
interface Manager {
  readonly name: string;
  readonly operation: 'Apply' | 'Update';
}
const managerKey = (m: Manager) => `${m.operation}:${m.name}`;
/** As the API server prints a manager in a conflict (`"node-fetch" using v1` for an Update). */
const describeManager = (m: Manager) => (m.operation === 'Update' ? `"${m.name}" using v1` : `"${m.name}"`);
const updateManager = (req: DoubleRequest): Manager => ({
  name: req.url.searchParams.get('fieldManager') || (req.headers['user-agent'] ?? 'unknown').split('/')[0] || 'unknown',
  operation: 'Update',
});

/** A ConfigMap's leaf fields by path: `["data","mix.ts"]` → value. What server-side apply tracks owners of. */
type Leaves = Map<string, { readonly path: readonly string[]; readonly value: unknown }>;
const SECTIONS: readonly (readonly string[])[] = [['data'], ['binaryData'], ['metadata', 'labels'], ['metadata', 'annotations']];
function leavesOf(object: Json): Leaves {
  const leaves: Leaves = new Map();
  for (const section of SECTIONS) {
    let node: unknown = object;
    for (const part of section) node = (node as Record<string, unknown> | undefined)?.[part];
    for (const [key, value] of Object.entries((node as Record<string, unknown> | undefined) ?? {})) {
      const path = [...section, key];
      leaves.set(JSON.stringify(path), { path, value });
    }
  }
  return leaves;
}
const printPath = (path: readonly string[]) => `.${path.join('.')}`;

interface StoredConfigMap {
  readonly namespace: string;
  readonly name: string;
  leaves: Leaves;
  /** managerKey → the manager and the leaf keys it owns. */
  readonly owners: Map<string, { readonly manager: Manager; readonly fields: Set<string> }>;
  readonly uid: string;
  readonly created: string;
  resourceVersion: number;
}

/** The ConfigMap as the API server returns it: its fields and who manages them. */
function renderConfigMap(cm: StoredConfigMap): Json {
  const object: Json = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: cm.name,
      namespace: cm.namespace,
      uid: cm.uid,
      resourceVersion: String(cm.resourceVersion),
      creationTimestamp: cm.created,
      managedFields: [...cm.owners.values()]
        .filter((o) => o.fields.size > 0)
        .map(({ manager, fields }) => {
          const fieldsV1: Record<string, Record<string, unknown>> = {};
          for (const key of fields) {
            let node = fieldsV1;
            for (const part of JSON.parse(key) as string[]) node = (node[`f:${part}`] ??= {}) as Record<string, Record<string, unknown>>;
          }
          return { manager: manager.name, operation: manager.operation, apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1 };
        }),
    },
  };
  for (const { path, value } of cm.leaves.values()) {
    let node = object;
    for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Json;
    node[path[path.length - 1] ?? ''] = value;
  }
  return object;
}

/** Who owns which fields after `manager` wrote `next` over `before` with create/update (not apply): it takes what it changed. */
function takeChangedFields(cm: StoredConfigMap, manager: Manager, before: Leaves, next: Leaves): void {
  const mine = cm.owners.get(managerKey(manager))?.fields ?? new Set<string>();
  for (const [key, leaf] of next) {
    if (before.has(key) && JSON.stringify(before.get(key)?.value) === JSON.stringify(leaf.value)) continue;
    for (const owner of cm.owners.values()) owner.fields.delete(key);
    mine.add(key);
  }
  for (const key of before.keys()) if (!next.has(key)) for (const owner of cm.owners.values()) owner.fields.delete(key);
  cm.owners.set(managerKey(manager), { manager, fields: mine });
}

export async function startKubeApiDouble(scriptFor: (jobName: string, index: number) => PodScript): Promise<KubeApiDouble> {
  const stored = new Map<string, StoredConfigMap>();
  /** Each ConfigMap rendered on every write, so tests see its fields and managedFields as a GET would. */
  const configMaps = new Map<string, Json>();
  let resourceVersion = 1000;
  const remember = (cm: StoredConfigMap) => {
    cm.resourceVersion = ++resourceVersion;
    stored.set(`${cm.namespace}/${cm.name}`, cm);
    configMaps.set(`${cm.namespace}/${cm.name}`, renderConfigMap(cm));
    return renderConfigMap(cm);
  };
  const newConfigMap = (namespace: string, name: string): StoredConfigMap => ({
    namespace,
    name,
    leaves: new Map(),
    owners: new Map(),
    uid: `uid-${namespace}-${name}`,
    created: new Date().toISOString(),
    resourceVersion: 0,
  });

  /** Server-side apply of a ConfigMap, with the API server's checks, conflicts and answers. */
  const applyConfigMap = (namespace: string, name: string, body: Json | undefined, options: Partial<ApplyOptions>): { code: number; body: Json } => {
    if (!options.fieldManager) {
      return { code: 422, body: statusBody(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch') };
    }
    const meta = body?.metadata as { name?: string; namespace?: string } | undefined;
    if (body?.apiVersion !== 'v1' || body.kind !== 'ConfigMap') {
      return { code: 400, body: statusBody(400, 'BadRequest', `apply of a ConfigMap needs apiVersion v1 and kind ConfigMap, got ${String(body?.apiVersion)} ${String(body?.kind)}`) };
    }
    if (meta?.name !== name || (meta.namespace !== undefined && meta.namespace !== namespace)) {
      return { code: 400, body: statusBody(400, 'BadRequest', 'the name of the object does not match the name on the URL') };
    }
    const existing = stored.get(`${namespace}/${name}`);
    const cm = existing ?? newConfigMap(namespace, name);
    const manager: Manager = { name: options.fieldManager, operation: 'Apply' };
    const applied = leavesOf(body);
    const conflicts: { manager: Manager; path: readonly string[] }[] = [];
    for (const [key, leaf] of applied) {
      const live = cm.leaves.get(key);
      if (!live || JSON.stringify(live.value) === JSON.stringify(leaf.value)) continue;
      for (const owner of cm.owners.values()) {
        if (managerKey(owner.manager) !== managerKey(manager) && owner.fields.has(key)) conflicts.push({ manager: owner.manager, path: leaf.path });
      }
    }
    if (conflicts.length > 0 && !options.force) {
      // kube-apiserver's wording (apimachinery managedfields conflict.go).
      const byManager = new Map<string, string[]>();
      for (const c of conflicts) byManager.set(describeManager(c.manager), [...(byManager.get(describeManager(c.manager)) ?? []), printPath(c.path)]);
      const message =
        conflicts.length === 1
          ? `Apply failed with 1 conflict: conflict with ${describeManager(conflicts[0]?.manager as Manager)}: ${printPath(conflicts[0]?.path ?? [])}`
          : `Apply failed with ${conflicts.length} conflicts: ${[...byManager].map(([who, paths]) => [`conflicts with ${who}:`, ...paths.map((p) => `- ${p}`)].join('\n')).join('\n')}`;
      return { code: 409, body: statusBody(409, 'Conflict', message) };
    }
    const mine = cm.owners.get(managerKey(manager))?.fields ?? new Set<string>();
    // Fields this manager applied before and not now: released, and removed when nobody else owns them.
    for (const key of mine) {
      if (applied.has(key)) continue;
      mine.delete(key);
      if (![...cm.owners.values()].some((o) => o.fields.has(key))) cm.leaves.delete(key);
    }
    for (const [key, leaf] of applied) {
      // A forced apply takes the conflicting fields from their former owners.
      if (conflicts.some((c) => JSON.stringify(c.path) === key)) for (const owner of cm.owners.values()) owner.fields.delete(key);
      cm.leaves.set(key, leaf);
      mine.add(key);
    }
    cm.owners.set(managerKey(manager), { manager, fields: mine });
    return { code: existing ? 200 : 201, body: remember(cm) };
  };
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
    route('GET', /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/, (res, m) => {
      const cm = configMaps.get(`${m[1]}/${m[2]}`);
      return cm ? sendJson(res, 200, cm) : sendJson(res, 404, statusBody(404, 'NotFound', `configmaps "${m[2]}" not found`));
    }),
    route('POST', /^\/api\/v1\/namespaces\/([^/]+)\/configmaps$/, (res, m, req) => {
      const body = jsonBody(req.body) ?? {};
      const name = (body.metadata as { name: string }).name;
      if (stored.has(`${m[1]}/${name}`)) return sendJson(res, 409, statusBody(409, 'AlreadyExists', `configmaps "${name}" already exists`));
      const cm = newConfigMap(m[1] ?? '', name);
      cm.leaves = leavesOf(body);
      takeChangedFields(cm, updateManager(req), new Map(), cm.leaves);
      sendJson(res, 201, remember(cm));
    }),
    route('PUT', /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/, (res, m, req) => {
      const cm = stored.get(`${m[1]}/${m[2]}`);
      if (!cm) return sendJson(res, 404, statusBody(404, 'NotFound', `configmaps "${m[2]}" not found`));
      const next = leavesOf(jsonBody(req.body) ?? {});
      takeChangedFields(cm, updateManager(req), cm.leaves, next);
      cm.leaves = next;
      sendJson(res, 200, remember(cm));
    }),
    route('PATCH', /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/, (res, m, req) => {
      // Only server-side apply is served: the launcher must send no other patch.
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
      if (contentType !== APPLY_PATCH) {
        return sendJson(res, 415, statusBody(415, 'UnsupportedMediaType', `the test double serves only server-side apply (${APPLY_PATCH}) of configmaps, got "${contentType}"`));
      }
      const force = req.url.searchParams.get('force');
      if (force !== null && force !== 'true' && force !== 'false') return sendJson(res, 400, statusBody(400, 'BadRequest', `force must be true or false, got "${force}"`));
      const answer = applyConfigMap(m[1] ?? '', m[2] ?? '', jsonBody(req.body), {
        fieldManager: req.url.searchParams.get('fieldManager') ?? '',
        force: force === 'true',
      });
      sendJson(res, answer.code, answer.body);
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
    applyConfigMap: (body, options) => {
      const meta = body.metadata as { name?: string; namespace?: string } | undefined;
      return applyConfigMap(meta?.namespace ?? '', meta?.name ?? '', body, options);
    },
    jobs,
    deletedJobs,
    async close() {
      for (const res of openStreams) res.destroy();
      await base.close();
    },
  };
}
