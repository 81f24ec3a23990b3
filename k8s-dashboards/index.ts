/**
 * The dashboards of items-api. The cdk8s app makes one ConfigMap per entry (sidecar label, key
 * `file`); the Helm chart ships the generated JSON files; `make generate` writes them.
 */
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
  /** File name of the JSON, e.g. `items-api-overview.json`: the ConfigMap key and the file in k8s-dashboards/. */
  readonly file: string;
  /** The plain dashboard model, ready for Grafana's sidecar. */
  readonly json: Record<string, unknown>;
}

/** Every dashboard with its targets and their `needs` (what queries.ts reads). */
export function buildDashboards(cfg: DashboardConfig = DEFAULT_CONFIG): readonly DashboardDef[] {
  return [overviewDashboard(cfg), databaseDashboard(cfg), businessDashboard(cfg), runtimeDashboard(cfg), loadtestDashboard(cfg)];
}

export const DASHBOARDS: readonly DashboardEntry[] = buildDashboards().map(({ uid, title, file, json }) => ({ uid, title, file, json }));

/**
 * The text of a dashboard's JSON file: pretty-printed, trailing newline. ConfigMaps and the Helm
 * chart should carry exactly this, so every copy is byte-identical to the committed file.
 */
export const dashboardText = (dashboard: Pick<DashboardEntry, 'json'>): string => `${JSON.stringify(dashboard.json, null, 2)}\n`;
