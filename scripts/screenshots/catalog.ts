/**
 * Every screenshot `make screenshots` takes: its file, what it must show, and where it comes
 * from. The capture code, screenshots/README.md and the test all read this one list.
 */
import path from 'node:path';
import { DASHBOARDS } from '../../k8s-dashboards/index.js';
import { FAULT_SIZES, alertName } from '../../localstack/proof-kit/alert-proof-plan.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The committed PNGs and their README. */
export const SCREENSHOTS_DIR = path.join(ROOT, 'screenshots');
export const README_FILE = path.join(SCREENSHOTS_DIR, 'README.md');

/** The alert the fault of the run fires, and the fault: a share of API requests answered 500. */
export const FIRING_ALERT = alertName('AvailabilityFastBurn');
export const ERROR_RATE = FAULT_SIZES.errorRate;

/** `local`: from the local stack, taken on every run. `cluster`: Grafana in kind, only when a cluster is up. */
export type ShotSource = 'local' | 'cluster';

export interface Shot {
  /** File name in screenshots/. */
  readonly file: string;
  /** One line: what the picture proves. */
  readonly shows: string;
  readonly source: ShotSource;
}

/** The local shots in capture order; their ids key the capture steps (local-pages.ts). */
export const LOCAL_SHOTS = {
  targets: { file: 'prometheus-targets.png', shows: 'Prometheus targets page: the items-api target UP, with the labels a ServiceMonitor gives it', source: 'local' },
  metrics: { file: 'metrics-endpoint.png', shows: "The service's /metrics page (internal port): business counters such as items_created_total, then the database histograms", source: 'local' },
  graph: { file: 'prometheus-graph-items-created.png', shows: 'Prometheus graph of items created per second (rate over 1m): the steady CRUD traffic, the bump of the k6 smoke run, back to steady', source: 'local' },
  apiDocs: { file: 'api-docs.png', shows: 'Swagger UI at /docs (served from the package, no CDN) listing every route of the OpenAPI document', source: 'local' },
  k6Report: { file: 'k6-report.png', shows: "k6's HTML report of the smoke profile run against the local stack (request rate, p95, failures, VUs)", source: 'local' },
  alerts: { file: 'prometheus-alerts-firing.png', shows: `Prometheus alerts page after injecting ${ERROR_RATE * 100} % HTTP 500s: ${FIRING_ALERT} FIRING, expanded (rule, labels, value)`, source: 'local' },
  alertmanager: {
    file: 'alertmanager-api-alert.png',
    shows: "The same alert held by Alertmanager, its API v2 answer pretty-printed by Chromium (Debian's Alertmanager ships no web UI)",
    source: 'local',
  },
} as const satisfies Record<string, Shot>;

export type LocalShotId = keyof typeof LOCAL_SHOTS;

/** One Grafana shot per project dashboard, named after its uid. */
export const grafanaShotFile = (uid: string): string => `grafana-${uid}.png`;

export const CLUSTER_SHOTS: readonly (Shot & { readonly uid: string; readonly title: string })[] = DASHBOARDS.map(({ uid, title }) => ({
  uid,
  title,
  file: grafanaShotFile(uid),
  shows: `Grafana dashboard "${title}" in the kind cluster, with data`,
  source: 'cluster',
}));

export const SHOTS: readonly Shot[] = [...Object.values(LOCAL_SHOTS), ...CLUSTER_SHOTS];
