/**
 * The pages the running Prometheus and Alertmanager really serve, so `make local-up` and
 * `make local-status` print links that open. Builds differ: upstream Prometheus serves its UI at
 * `/targets`, `/rules`, `/alerts`; Debian's 2.42 package has no React UI and serves the classic one
 * under `/classic/` (its `/targets` is 404). Upstream Alertmanager has a web UI (`/script.js`);
 * Debian's has none (its `/` only says so), so the alerts are read through the API or `amtool`.
 */

export type PrometheusUi = 'react' | 'classic' | 'api-only';

export interface PrometheusPages {
  readonly ui: PrometheusUi;
  readonly targets: string;
  readonly rules: string;
  readonly alerts: string;
  /** The query page (the API's instant query when there is no UI). */
  readonly graph: string;
}

export interface AlertmanagerPages {
  /** The web UI, absent when this build has none. */
  readonly ui?: string;
  /** Alerts as JSON (API v2): works on every build. */
  readonly alertsApi: string;
  /** The amtool command that lists the alerts, when amtool is installed. */
  readonly amtool?: string;
}

/** Where each build keeps its UI pages, tried in this order. */
const PROMETHEUS_LAYOUTS: ReadonlyArray<{ readonly ui: Exclude<PrometheusUi, 'api-only'>; readonly prefix: string }> = [
  { ui: 'react', prefix: '' },
  { ui: 'classic', prefix: '/classic' },
];

/** True when GET `url` answers 200 itself (a redirect does not count: Debian redirects `/graph` to the classic UI). */
async function serves(url: string): Promise<boolean> {
  return fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(3_000) }).then(
    async (res) => {
      await res.body?.cancel();
      return res.status === 200;
    },
    () => false,
  );
}

export async function detectPrometheusPages(baseUrl: string): Promise<PrometheusPages> {
  for (const { ui, prefix } of PROMETHEUS_LAYOUTS) {
    const page = (name: string) => `${baseUrl}${prefix}/${name}`;
    if (await serves(page('targets'))) return { ui, targets: page('targets'), rules: page('rules'), alerts: page('alerts'), graph: page('graph') };
  }
  const api = (name: string) => `${baseUrl}/api/v1/${name}`;
  return { ui: 'api-only', targets: api('targets'), rules: api('rules'), alerts: api('alerts'), graph: `${api('query')}?query=up` };
}

/** `amtool`: the path of the binary when installed (Debian's prometheus-alertmanager ships it). */
export async function detectAlertmanagerPages(baseUrl: string, amtool: string | undefined): Promise<AlertmanagerPages> {
  // The UI's compiled script; Debian's build answers 404 for it.
  const ui = (await serves(`${baseUrl}/script.js`)) ? `${baseUrl}/#/alerts` : undefined;
  return {
    ...(ui ? { ui } : {}),
    alertsApi: `${baseUrl}/api/v2/alerts`,
    ...(amtool ? { amtool: `amtool --alertmanager.url=${baseUrl} alert query` } : {}),
  };
}

/** Lines for the stack's description, indented to its table. */
export function describePages(prometheusUrl: string, prometheus: PrometheusPages, alertmanagerUrl: string, alertmanager: AlertmanagerPages): string[] {
  const uiNote: Record<PrometheusUi, string> = {
    react: '',
    classic: '   (this build serves the classic UI, under /classic/)',
    'api-only': '   (this build serves no UI: the links are its API)',
  };
  return [
    `  Prometheus     ${prometheusUrl}${uiNote[prometheus.ui]}`,
    `    targets      ${prometheus.targets}`,
    `    rules        ${prometheus.rules}`,
    `    alerts       ${prometheus.alerts}`,
    `    query        ${prometheus.graph}`,
    `  Alertmanager   ${alertmanager.ui ?? `${alertmanagerUrl}   (this build has no web UI: read its alerts below)`}`,
    `    alerts       ${alertmanager.alertsApi}`,
    ...(alertmanager.amtool ? [`                 ${alertmanager.amtool}`] : []),
  ];
}
