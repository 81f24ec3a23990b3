/**
 * Which alerts watch what a panel shows, so the panel can link to their runbooks. Panels name the
 * cause; this table names the alerts with monitoring/'s own naming functions, and a test checks
 * every name against ALERTS (monitoring/index.ts) and that every alert there has a panel linking
 * to its runbook.
 */
import type { DashboardLinkBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertName, runbookUrl, type CauseAlert } from '../monitoring/config.js';
import type { SloId } from '../monitoring/series.js';
import { burnRateAlertName } from '../monitoring/slo/alert-rules.js';
import { burnRatePolicies, itemsApiSlos } from '../monitoring/slo/index.js';
import type { DashboardConfig } from './config.js';
import { runbookLinks } from './links.js';

export type AlertCause =
  | 'availabilitySlo'
  | 'latencySlo'
  | 'scrapeTargets'
  | 'databaseDown'
  | 'queryErrors'
  | 'poolSaturated'
  | 'eventLoopLag'
  | 'podRestarting'
  | 'memoryNearLimit';

/** The page and ticket burn-rate alerts of one SLO. */
const sloAlerts = (cfg: DashboardConfig, slo: SloId): string[] =>
  itemsApiSlos(cfg.monitoring)
    .filter((spec) => spec.id === slo)
    .flatMap((spec) => burnRatePolicies(cfg.monitoring).map((policy) => burnRateAlertName(cfg.monitoring.alertNamePrefix, spec, policy)));

const causeAlert = (cfg: DashboardConfig, cause: CauseAlert): string => alertName(cause, cfg.monitoring);

const ALERTS_BY_CAUSE: Readonly<Record<AlertCause, (cfg: DashboardConfig) => string[]>> = {
  availabilitySlo: (cfg) => sloAlerts(cfg, 'availability'),
  latencySlo: (cfg) => sloAlerts(cfg, 'latency'),
  scrapeTargets: (cfg) => [causeAlert(cfg, 'TargetDown'), causeAlert(cfg, 'TargetAbsent')],
  databaseDown: (cfg) => [causeAlert(cfg, 'DatabaseDown')],
  queryErrors: (cfg) => [causeAlert(cfg, 'DatabaseQueryErrors')],
  poolSaturated: (cfg) => [causeAlert(cfg, 'DatabasePoolSaturated')],
  eventLoopLag: (cfg) => [causeAlert(cfg, 'EventLoopLag')],
  podRestarting: (cfg) => [causeAlert(cfg, 'PodRestarting')],
  memoryNearLimit: (cfg) => [causeAlert(cfg, 'MemoryNearLimit')],
};

export const alertNames = (cfg: DashboardConfig, causes: readonly AlertCause[]): string[] => [...new Set(causes.flatMap((cause) => ALERTS_BY_CAUSE[cause](cfg)))];

/** One link per alert of these causes, to the runbook its `runbook_url` names. */
export function alertLinks(cfg: DashboardConfig, ...causes: AlertCause[]): DashboardLinkBuilder[] {
  return runbookLinks(alertNames(cfg, causes).map((alert) => ({ alert, url: runbookUrl(alert, cfg.monitoring) })));
}
