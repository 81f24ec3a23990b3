/**
 * The one config object every dashboard is a function of: the dashboards' identities and, through
 * the monitoring config, which series are items-api's (job, container, exporter selectors), the
 * alert thresholds the panels draw and where runbooks live. A fork that renames the job or the
 * repository changes project/constants.ts; a team that wants other uids or titles passes its own.
 */
import { CONFIG as MONITORING_CONFIG } from '../monitoring/config.js';
import type { MonitoringConfig } from '../monitoring/config.js';
import { APP_NAME } from '../project/constants.js';

export type DashboardKey = 'overview' | 'database' | 'business' | 'runtime' | 'loadtest';

export interface DashboardIdentity {
  /** Stable uid: bookmarks, links and the sidecar's ConfigMap all hang on it. Never derive it from the title. */
  readonly uid: string;
  readonly title: string;
}

export interface DashboardConfig {
  /**
   * The rules' config: `service.job` (the service's `job` label), `kubernetes.container` and the
   * exporter selectors, the cause-alert thresholds and burn-rate factors (drawn as dashed lines),
   * `runbookBaseUrl`. Dashboards and alerts read the same values, so they cannot disagree.
   */
  readonly monitoring: MonitoringConfig;
  /** Tag on every dashboard; the dashboards link to each other through it. */
  readonly tag: string;
  /** Default time range (`now-<timeRange>` .. `now`) and auto-refresh of every dashboard. */
  readonly timeRange: string;
  readonly refresh: string;
  readonly dashboards: Readonly<Record<DashboardKey, DashboardIdentity>>;
}

export const DEFAULT_CONFIG: DashboardConfig = {
  monitoring: MONITORING_CONFIG,
  tag: APP_NAME,
  timeRange: '1h',
  refresh: '30s',
  dashboards: {
    overview: { uid: `${APP_NAME}-overview`, title: 'Items API / Overview' },
    database: { uid: `${APP_NAME}-database`, title: 'Items API / Database' },
    business: { uid: `${APP_NAME}-business`, title: 'Items API / Business' },
    runtime: { uid: `${APP_NAME}-runtime`, title: 'Items API / Runtime' },
    loadtest: { uid: `${APP_NAME}-loadtest`, title: 'Items API / Load test' },
  },
};
