/**
 * The dashboards of items-api. The cdk8s app makes one ConfigMap per entry (sidecar label, key
 * `file`); the Helm chart ships the generated JSON files; `make generate` writes them.
 */
import { CHART_FILES, generatedJson } from '../project/generated.js';
import type { DashboardDef } from './assemble.js';
import { DEFAULT_CONFIG } from './config.js';
import type { DashboardConfig } from './config.js';
import { businessDashboard } from './dashboards/business.js';
import { databaseDashboard } from './dashboards/database.js';
import { loadtestDashboard } from './dashboards/loadtest.js';
import { overviewDashboard } from './dashboards/overview.js';
import { runtimeDashboard } from './dashboards/runtime.js';

export interface DashboardEntry {
  readonly uid: string;
  readonly title: string;
  /** File name of the JSON, e.g. `items-api-overview.json`: the ConfigMap key and the file in the chart's `CHART_FILES.dashboards`. */
  readonly file: string;
  /** The plain dashboard model, ready for Grafana's sidecar. */
  readonly json: Record<string, unknown>;
}

/** Every dashboard with its targets and their `needs` (what queries.ts reads). */
export function buildDashboards(cfg: DashboardConfig = DEFAULT_CONFIG): readonly DashboardDef[] {
  return [overviewDashboard(cfg), databaseDashboard(cfg), businessDashboard(cfg), runtimeDashboard(cfg), loadtestDashboard(cfg)];
}

export const DASHBOARDS: readonly DashboardEntry[] = buildDashboards().map(({ uid, title, file, json }) => ({ uid, title, file, json }));

/** The generator named in each dashboard file's generated-by marker. */
export const DASHBOARD_GENERATOR = 'k8s-dashboards/generate.ts';

/**
 * The text of a dashboard's JSON file: the generated-by marker, then the model, pretty-printed
 * with a trailing newline. cdk8s' ConfigMaps carry exactly this, so what `make synth` applies is
 * byte for byte the file the chart ships.
 */
export const dashboardText = (dashboard: Pick<DashboardEntry, 'json'>): string => generatedJson(DASHBOARD_GENERATOR, dashboard.json);

/** Where a dashboard's JSON is committed: once, in the chart, which can read nothing outside its folder. */
export const dashboardPath = (dashboard: Pick<DashboardEntry, 'file'>): string => `${CHART_FILES.dashboards}/${dashboard.file}`;
