/**
 * TEST DOUBLE of a Kubernetes API server (no cluster can run here) answering the few endpoints
 * the post-deploy check and `make kind-up` read, from a mutable state the test sets. On top of the
 * shared plumbing (api-server-base.ts: bearer token required, Authorization removed before
 * proxying, as kube-apiserver does) it answers 503 "no endpoints available" for a Service with no
 * ready pod, and plays Prometheus' HTTP API and Grafana's login + search behind
 * `services/<scheme>:<name>:<port>/proxy/`.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { APP_NAMESPACE, KUBE_PROMETHEUS_STACK, SCRAPE } from '../../project/constants.js';
import type { DashboardHit } from '../checks/grafana.js';
import type { CheckedAlert, CheckedGroup, CheckedTarget } from '../checks/prometheus.js';
import { projectExpectations, type ProjectExpectations } from '../expectations.js';
import { GRAFANA_ADMIN_SECRET } from '../locations.js';
import { STACK } from '../../project/kube-prometheus-stack.js';
import { type ApiServerDouble, type DoubleRequest, type RecordedRequest, type Route, route, sendJson, startApiServerDouble, statusBody } from './api-server-base.js';

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
  /** Services that do not exist (chart not installed): the API server's proxy answers 404 `services "<name>" not found`. */
  missingServices?: string[];
  targets: CheckedTarget[];
  ruleGroups: CheckedGroup[];
  alerts: CheckedAlert[];
  dashboards: DashboardHit[];
}

export interface FakeApiServer extends ApiServerDouble {
  state: ClusterState;
  /** Requests as the proxied service saw them (after the API server's header handling). */
  readonly proxied: RecordedRequest[];
}

const ALWAYS_FIRING: CheckedAlert = { labels: { alertname: 'Watchdog', severity: 'none' }, annotations: { summary: 'dead man switch' }, state: 'firing' };

/** A cluster where everything the check looks at is fine, shaped by the project's catalogues. */
export function healthyState(expect: ProjectExpectations = projectExpectations()): ClusterState {
  const ruleFile = (name: string) => `/etc/prometheus/rules/prometheus-${STACK.prometheus.service}-rulefiles-0/${APP_NAMESPACE}-${name}-0b2c.yaml`;
  const groups = expect.ruleGroupNames;
  const alertNames = expect.alertNames;
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
      ...expect.dashboards.map(({ uid, title }) => ({
        uid,
        title,
        type: 'dash-db',
        folderTitle: KUBE_PROMETHEUS_STACK.dashboardFolder,
      })),
      { uid: 'k8s-resources-cluster', title: 'Kubernetes / Compute Resources / Cluster', type: 'dash-db' },
    ],
  };
}

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
  const proxied: RecordedRequest[] = [];
  const grafanaSessions = new Set<string>();
  const double = { state: initial };

  const prometheus = (res: http.ServerResponse, apiPath: string): void => {
    const { state } = double;
    const data: Record<string, unknown> = {
      '/api/v1/targets?state=active': { activeTargets: state.targets, droppedTargets: [] },
      '/api/v1/rules': { groups: state.ruleGroups },
      '/api/v1/alerts': { alerts: state.alerts },
    };
    if (!(apiPath in data)) return sendJson(res, 404, { status: 'error', errorType: 'not_found', error: `unknown path ${apiPath}` });
    sendJson(res, 200, { status: 'success', data: data[apiPath] });
  };

  const grafana = (res: http.ServerResponse, apiPath: string, { method, body, headers }: DoubleRequest): void => {
    const admin = double.state.grafanaLogin;
    if (method === 'POST' && apiPath === '/login') {
      const { user, password } = JSON.parse(body || '{}') as { user?: string; password?: string };
      if (user !== admin.user || password !== admin.password) return sendJson(res, 401, { message: 'Invalid username or password' });
      const session = randomBytes(8).toString('hex');
      grafanaSessions.add(session);
      return sendJson(res, 200, { message: 'Logged in' }, { 'set-cookie': [`grafana_session=${session}; Path=/; HttpOnly; SameSite=Lax`, 'grafana_session_expiry=1; Path=/'] });
    }
    const session = /grafana_session=([0-9a-f]+)/.exec(headers.cookie ?? '')?.[1];
    if (!session || !grafanaSessions.has(session)) return sendJson(res, 401, { message: 'Unauthorized' });
    if (method === 'GET' && apiPath.startsWith('/api/search')) return sendJson(res, 200, double.state.dashboards);
    sendJson(res, 404, { message: 'Not found' });
  };

  /** `services/<scheme>:<name>:<port>/proxy/...` of a Service: 404 when it is missing, 503 without a ready endpoint, as the API server answers. */
  const proxyRoute = (
    service: { readonly service: string; readonly port: string },
    ready: () => boolean,
    handle: (res: http.ServerResponse, servicePath: string, req: DoubleRequest) => void,
  ): Route =>
    route('*', new RegExp(`^/api/v1/namespaces/${STACK.namespace}/services/http:${service.service}:${service.port}/proxy(/.*)$`), (res, match, req) => {
      if (double.state.missingServices?.includes(service.service)) return sendJson(res, 404, statusBody(404, 'NotFound', `services "${service.service}" not found`));
      if (!ready()) return sendJson(res, 503, statusBody(503, 'ServiceUnavailable', `no endpoints available for service "${service.service}"`));
      const servicePath = `${match[1] ?? '/'}${req.url.search}`;
      proxied.push({ method: req.method, path: servicePath, headers: req.headers });
      handle(res, servicePath, req);
    });

  const secret = GRAFANA_ADMIN_SECRET;
  const base = await startApiServerDouble([
    proxyRoute(STACK.prometheus, () => double.state.prometheusReady, prometheus),
    proxyRoute(STACK.grafana, () => double.state.grafanaReady, grafana),
    route('GET', new RegExp(`^/apis/apps/v1/namespaces/${APP_NAMESPACE}/deployments$`), (res) =>
      sendJson(res, 200, { apiVersion: 'apps/v1', kind: 'DeploymentList', metadata: {}, items: double.state.deployments.map(deployment) }),
    ),
    route('GET', new RegExp(`^/apis/apps/v1/namespaces/${APP_NAMESPACE}/statefulsets$`), (res) =>
      sendJson(res, 200, { apiVersion: 'apps/v1', kind: 'StatefulSetList', metadata: {}, items: double.state.statefulSets.map(statefulSet) }),
    ),
    route('GET', new RegExp(`^/api/v1/namespaces/${secret.namespace}/secrets/${secret.name}$`), (res) => {
      const admin = double.state.grafanaAdmin;
      if (!admin) return sendJson(res, 404, statusBody(404, 'NotFound', `secrets "${secret.name}" not found`));
      sendJson(res, 200, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secret.name, namespace: secret.namespace },
        type: 'Opaque',
        data: {
          [secret.userKey]: Buffer.from(admin.user).toString('base64'),
          [secret.passwordKey]: Buffer.from(admin.password).toString('base64'),
        },
      });
    }),
  ]);

  return {
    ...base,
    proxied,
    get state() {
      return double.state;
    },
    set state(next: ClusterState) {
      double.state = next;
    },
  };
}
