/**
 * TEST DOUBLE of a Kubernetes API server (no cluster can run here): a node:http server answering
 * the few endpoints the post-deploy check and `make kind-up` read, from a mutable state the test
 * sets. It behaves like the real one where the check depends on it: it requires the kubeconfig's
 * bearer token, removes the Authorization header before proxying (as kube-apiserver does), answers
 * 503 "no endpoints available" for a Service with no ready pod, and plays Prometheus' HTTP API and
 * Grafana's login + search behind `services/<scheme>:<name>:<port>/proxy/`.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_NAMESPACE, KUBE_PROMETHEUS_STACK, SCRAPE } from '../../project/constants.js';
import type { DashboardHit } from '../checks/grafana.js';
import type { ActiveAlert, ActiveTarget, LoadedGroup } from '../checks/prometheus.js';
import type { ProjectExpectations } from '../expectations.js';
import { GRAFANA_ADMIN_SECRET, KIND, STACK } from '../stack.js';

export interface WorkloadState {
  readonly name: string;
  readonly replicas: number;
  readonly ready: number;
  readonly updated: number;
}

export interface ClusterState {
  deployments: WorkloadState[];
  statefulSets: WorkloadState[];
  /** The Secret's credentials; absent: the Secret does not exist. */
  grafanaAdmin?: { user: string; password: string };
  /** What Grafana itself accepts (the password it was installed with). */
  grafanaLogin: { user: string; password: string };
  /** false: the Service has no ready endpoint, so the API server's proxy answers 503. */
  prometheusReady: boolean;
  grafanaReady: boolean;
  targets: ActiveTarget[];
  ruleGroups: LoadedGroup[];
  alerts: ActiveAlert[];
  dashboards: DashboardHit[];
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface FakeApiServer {
  readonly url: string;
  readonly token: string;
  state: ClusterState;
  readonly requests: RecordedRequest[];
  /** Requests as the proxied service saw them (after the API server's header handling). */
  readonly proxied: RecordedRequest[];
  /** Writes a kubeconfig whose context KIND.context points here; returns its path. */
  writeKubeconfig(file: string): Promise<string>;
  close(): Promise<void>;
}

const ALWAYS_FIRING: ActiveAlert = { labels: { alertname: 'Watchdog', severity: 'none' }, annotations: { summary: 'dead man switch' }, state: 'firing' };

/** A cluster where everything the check looks at is fine, shaped by the project's catalogues. */
export function healthyState(expect: ProjectExpectations = {}): ClusterState {
  const ruleFile = (name: string) => `/etc/prometheus/rules/prometheus-${STACK.prometheus.service}-rulefiles-0/${APP_NAMESPACE}-${name}-0b2c.yaml`;
  const groups = expect.ruleGroupNames ?? ['items-api-slo', 'items-api-alerts'];
  const alertNames = expect.alertNames ?? ['ItemsApiDown'];
  return {
    deployments: [{ name: 'items-api', replicas: 2, ready: 2, updated: 2 }],
    statefulSets: [{ name: 'postgres', replicas: 1, ready: 1, updated: 1 }],
    grafanaAdmin: { user: GRAFANA_ADMIN_SECRET.user, password: 'pw-from-the-secret' },
    grafanaLogin: { user: GRAFANA_ADMIN_SECRET.user, password: 'pw-from-the-secret' },
    prometheusReady: true,
    grafanaReady: true,
    targets: [
      {
        labels: { job: SCRAPE.job, namespace: APP_NAMESPACE, pod: 'items-api-7d9f-abcde' },
        scrapeUrl: 'http://10.244.1.7:9464/metrics',
        health: 'up',
        lastError: '',
      },
      { labels: { job: 'apiserver', namespace: 'default' }, scrapeUrl: 'https://172.18.0.2:6443/metrics', health: 'up', lastError: '' },
    ],
    ruleGroups: [
      ...groups.map((name, i) => ({
        name,
        file: ruleFile('items-api-rules'),
        // Every alert in the last group, a recording rule in the others.
        rules: i === groups.length - 1 ? alertNames.map((a) => ({ name: a, type: 'alerting' as const, health: 'ok' as const })) : [{ name: `${name}:record`, type: 'recording' as const, health: 'ok' as const }],
      })),
      { name: 'kubernetes-apps', file: '/etc/prometheus/rules/x/monitoring-kube-prometheus-stack-kubernetes-apps-1a2b.yaml', rules: [{ name: 'KubePodCrashLooping', type: 'alerting', health: 'ok' }] },
    ],
    alerts: [ALWAYS_FIRING, { labels: { alertname: 'InfoInhibitor', severity: 'none' }, annotations: {}, state: 'firing' }],
    dashboards: [
      ...(expect.dashboards ?? [{ uid: 'items-api-overview', title: 'Items API / Overview' }]).map(({ uid, title }) => ({
        uid,
        title,
        type: 'dash-db',
        folderTitle: KUBE_PROMETHEUS_STACK.dashboardFolder,
      })),
      { uid: 'k8s-resources-cluster', title: 'Kubernetes / Compute Resources / Cluster', type: 'dash-db' },
    ],
  };
}

const status = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

const deployment = (w: WorkloadState) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: w.name, namespace: APP_NAMESPACE, generation: 3 },
  spec: { replicas: w.replicas },
  status: { observedGeneration: 3, replicas: Math.max(w.replicas, w.updated), updatedReplicas: w.updated, readyReplicas: w.ready, availableReplicas: w.ready },
});

const statefulSet = (w: WorkloadState) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: w.name, namespace: APP_NAMESPACE, generation: 1 },
  spec: { replicas: w.replicas },
  status: { observedGeneration: 1, replicas: w.replicas, updatedReplicas: w.updated, readyReplicas: w.ready, availableReplicas: w.ready },
});

export async function startFakeApiServer(initial: ClusterState = healthyState()): Promise<FakeApiServer> {
  const token = randomBytes(16).toString('hex');
  const requests: RecordedRequest[] = [];
  const proxied: RecordedRequest[] = [];
  const grafanaSessions = new Set<string>();
  const double = { state: initial };

  const json = (res: http.ServerResponse, code: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const prometheus = (apiPath: string, res: http.ServerResponse): void => {
    const { state } = double;
    const data: Record<string, unknown> = {
      '/api/v1/targets?state=active': { activeTargets: state.targets, droppedTargets: [] },
      '/api/v1/rules': { groups: state.ruleGroups },
      '/api/v1/alerts': { alerts: state.alerts },
    };
    if (!(apiPath in data)) return json(res, 404, { status: 'error', errorType: 'not_found', error: `unknown path ${apiPath}` });
    json(res, 200, { status: 'success', data: data[apiPath] });
  };

  const grafana = (method: string, apiPath: string, body: string, headers: http.IncomingHttpHeaders, res: http.ServerResponse): void => {
    const admin = double.state.grafanaLogin;
    if (method === 'POST' && apiPath === '/login') {
      const { user, password } = JSON.parse(body || '{}') as { user?: string; password?: string };
      if (user !== admin.user || password !== admin.password) return json(res, 401, { message: 'Invalid username or password' });
      const session = randomBytes(8).toString('hex');
      grafanaSessions.add(session);
      return json(res, 200, { message: 'Logged in' }, { 'set-cookie': [`grafana_session=${session}; Path=/; HttpOnly; SameSite=Lax`, 'grafana_session_expiry=1; Path=/'] });
    }
    const session = /grafana_session=([0-9a-f]+)/.exec(headers.cookie ?? '')?.[1];
    if (!session || !grafanaSessions.has(session)) return json(res, 401, { message: 'Unauthorized' });
    if (method === 'GET' && apiPath.startsWith('/api/search')) return json(res, 200, double.state.dashboards);
    json(res, 404, { message: 'Not found' });
  };

  const services: Record<string, { ready: () => boolean; handle: (method: string, p: string, body: string, h: http.IncomingHttpHeaders, res: http.ServerResponse) => void }> = {
    [`/api/v1/namespaces/${STACK.namespace}/services/http:${STACK.prometheus.service}:${STACK.prometheus.port}/proxy`]: {
      ready: () => double.state.prometheusReady,
      handle: (_m, p, _b, _h, res) => prometheus(p, res),
    },
    [`/api/v1/namespaces/${STACK.namespace}/services/http:${STACK.grafana.service}:${STACK.grafana.port}/proxy`]: {
      ready: () => double.state.grafanaReady,
      handle: grafana,
    },
  };

  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      requests.push({ method, path: url, headers: { ...req.headers } });
      if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      // kube-apiserver: "authorization header is not required anymore in case of a successful authentication"
      const headers = { ...req.headers };
      delete headers.authorization;

      for (const [prefix, service] of Object.entries(services)) {
        if (!url.startsWith(`${prefix}/`)) continue;
        const servicePath = url.slice(prefix.length);
        if (!service.ready()) return json(res, 503, status(503, 'ServiceUnavailable', `no endpoints available for service "${prefix.split(':')[1]}"`));
        proxied.push({ method, path: servicePath, headers });
        return service.handle(method, servicePath, body, headers, res);
      }

      const { state } = double;
      const secretPath = `/api/v1/namespaces/${GRAFANA_ADMIN_SECRET.namespace}/secrets/${GRAFANA_ADMIN_SECRET.name}`;
      const routes: Record<string, () => void> = {
        [`/apis/apps/v1/namespaces/${APP_NAMESPACE}/deployments`]: () =>
          json(res, 200, { apiVersion: 'apps/v1', kind: 'DeploymentList', metadata: {}, items: state.deployments.map(deployment) }),
        [`/apis/apps/v1/namespaces/${APP_NAMESPACE}/statefulsets`]: () =>
          json(res, 200, { apiVersion: 'apps/v1', kind: 'StatefulSetList', metadata: {}, items: state.statefulSets.map(statefulSet) }),
        [secretPath]: () =>
          state.grafanaAdmin
            ? json(res, 200, {
                apiVersion: 'v1',
                kind: 'Secret',
                metadata: { name: GRAFANA_ADMIN_SECRET.name, namespace: GRAFANA_ADMIN_SECRET.namespace },
                type: 'Opaque',
                data: {
                  [GRAFANA_ADMIN_SECRET.userKey]: Buffer.from(state.grafanaAdmin.user).toString('base64'),
                  [GRAFANA_ADMIN_SECRET.passwordKey]: Buffer.from(state.grafanaAdmin.password).toString('base64'),
                },
              })
            : json(res, 404, status(404, 'NotFound', `secrets "${GRAFANA_ADMIN_SECRET.name}" not found`)),
      };
      const route = method === 'GET' ? routes[url.split('?')[0] ?? ''] : undefined;
      if (route) return route();
      json(res, 404, status(404, 'NotFound', `the test double does not serve ${method} ${url}`));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    token,
    get state() {
      return double.state;
    },
    set state(next: ClusterState) {
      double.state = next;
    },
    requests,
    proxied,
    async writeKubeconfig(file) {
      const kubeconfig = [
        'apiVersion: v1',
        'kind: Config',
        `current-context: ${KIND.context}`,
        'clusters:',
        `- name: ${KIND.context}`,
        '  cluster:',
        `    server: ${url}`,
        // The client refuses plain HTTP unless told TLS is not verified: the double has no certificate.
        '    insecure-skip-tls-verify: true',
        'users:',
        `- name: ${KIND.context}`,
        '  user:',
        `    token: ${token}`,
        'contexts:',
        `- name: ${KIND.context}`,
        '  context:',
        `    cluster: ${KIND.context}`,
        `    user: ${KIND.context}`,
        '',
      ].join('\n');
      await writeFile(file, kubeconfig, { mode: 0o600 });
      return file;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
