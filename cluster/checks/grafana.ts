/**
 * Grafana, reached through the API server's service proxy: every project dashboard is there, in
 * the project's folder. The API server drops the Authorization header of any request it
 * authenticates (kubernetes/kubernetes#38775), so Basic auth cannot pass its proxy: the check
 * logs in with the admin Secret's credentials (`POST /login`) and sends the session cookie.
 * An answer is told apart by who gave it: a `Status` object is the API server's own (the Service
 * is missing or has no ready pod, so Grafana never saw the request); anything else is Grafana's.
 */
import type { CoreV1Api } from '@kubernetes/client-node';
import { apiServerStatus, type HttpResponse, type ServiceClient } from '../../kube-access/api-server.js';
import { excerpt } from '../../toolkit/excerpt.js';
import { type Check, type Finding, fail, ok } from './findings.js';

export const DASHBOARDS_CHECK = 'grafana-dashboards';

export interface GrafanaCredentials {
  readonly user: string;
  readonly password: string;
}

export interface AdminSecretRef {
  readonly namespace: string;
  readonly name: string;
  readonly userKey: string;
  readonly passwordKey: string;
}

/** The admin credentials from the Secret Grafana was installed with. */
export async function readGrafanaCredentials(core: CoreV1Api, ref: AdminSecretRef): Promise<GrafanaCredentials> {
  let data: Record<string, string> | undefined;
  try {
    data = (await core.readNamespacedSecret({ namespace: ref.namespace, name: ref.name })).data;
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === 404) throw new Error(`Secret ${ref.namespace}/${ref.name} not found: \`make kind-up\` creates it before installing Grafana`);
    throw error;
  }
  const decode = (key: string): string => {
    const value = data?.[key];
    if (!value) throw new Error(`Secret ${ref.namespace}/${ref.name} has no "${key}" key`);
    return Buffer.from(value, 'base64').toString('utf8');
  };
  return { user: decode(ref.userKey), password: decode(ref.passwordKey) };
}

/** A hit of Grafana's `/api/search`; dashboards in the root folder have no folder fields. */
export interface DashboardHit {
  readonly uid: string;
  readonly title: string;
  readonly type?: string;
  readonly folderTitle?: string;
}

export interface GrafanaApi {
  login(credentials: GrafanaCredentials): Promise<void>;
  dashboards(): Promise<DashboardHit[]>;
}

/** The Service's namespace, from the client's `namespace/service` label. */
const namespaceOf = (client: ServiceClient): string => client.label.split('/')[0] ?? '';

/** One line for an answer the API server's service proxy gave instead of Grafana, else undefined. */
function proxyProblem(client: ServiceClient, res: HttpResponse): string | undefined {
  // A Status object is the API server's own answer: the proxy never reached Grafana.
  const status = apiServerStatus(res.body);
  if (status === undefined) return undefined;
  const message = status.message || `HTTP ${res.status}`;
  const state = res.status === 404 ? 'is missing' : res.status === 503 ? 'has no ready pod' : 'cannot be reached';
  return `the Grafana Service ${client.label} ${state}: the API server answered HTTP ${res.status} "${message}"; is kube-prometheus-stack installed and Grafana running? \`kubectl -n ${namespaceOf(client)} get svc,pods\``;
}

export function grafanaApi(client: ServiceClient): GrafanaApi {
  let cookie = '';
  return {
    async login({ user, password }) {
      const res = await client.request({
        method: 'POST',
        path: '/login',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, password }),
      });
      if (res.status !== 200) {
        const problem = proxyProblem(client, res);
        if (problem) throw new Error(problem);
        // Grafana's own 401: it does not take these credentials.
        if (res.status === 401) throw new Error(`Grafana login as ${user} failed (HTTP 401 ${excerpt(res.body)}): is the admin Secret the one Grafana was installed with?`);
        throw new Error(`Grafana login as ${user} failed: Grafana answered HTTP ${res.status} ${excerpt(res.body)}; its log says why: \`kubectl -n ${namespaceOf(client)} logs -l app.kubernetes.io/name=grafana -c grafana\``);
      }
      const setCookie = res.headers['set-cookie'] ?? [];
      cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
      if (!cookie) throw new Error('Grafana accepted the login but set no session cookie');
    },
    async dashboards() {
      const res = await client.request({ path: '/api/search?type=dash-db&limit=5000', headers: { cookie } });
      if (res.status !== 200) throw new Error(proxyProblem(client, res) ?? `GET /api/search on Grafana (${client.label}, through the API server): HTTP ${res.status} ${excerpt(res.body)}`);
      return JSON.parse(res.body) as DashboardHit[];
    },
  };
}

export interface DashboardExpectation {
  /** The project's dashboards (k8s-dashboards DASHBOARDS). */
  readonly dashboards: readonly { readonly uid: string; readonly title: string }[];
  /** Grafana folder they belong in. */
  readonly folder: string;
  /** What labels a ConfigMap for the sidecar, for the hint in the failure line. */
  readonly sidecarHint: string;
}

export function dashboardFindings(hits: readonly DashboardHit[], expect: DashboardExpectation): Finding[] {
  const byUid = new Map(hits.map((h) => [h.uid, h]));
  return expect.dashboards.map(({ uid, title }) => {
    const hit = byUid.get(uid);
    if (!hit) return fail(DASHBOARDS_CHECK, `dashboard ${uid} ("${title}") not found in Grafana (${expect.sidecarHint})`);
    const folder = hit.folderTitle ?? 'General';
    if (folder !== expect.folder) return fail(DASHBOARDS_CHECK, `dashboard ${uid} ("${title}") is in folder "${folder}", expected "${expect.folder}"`);
    return ok(DASHBOARDS_CHECK, `dashboard ${uid} ("${title}") in folder "${expect.folder}"`);
  });
}

export const grafanaCheck = (api: GrafanaApi, credentials: () => Promise<GrafanaCredentials>, expect: DashboardExpectation): Check => ({
  name: DASHBOARDS_CHECK,
  async run() {
    await api.login(await credentials());
    return dashboardFindings(await api.dashboards(), expect);
  },
});
