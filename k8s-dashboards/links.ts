/**
 * Links: every dashboard links to the others by tag (carrying the time range and the variables)
 * and to the runbook index; panels that watch what an alert fires on link to its runbook.
 */
import { DashboardLinkBuilder, DashboardLinkType } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DashboardConfig } from './config.js';

/** The dropdown of every dashboard tagged like this one, and the runbook index. */
export function dashboardLinks(cfg: DashboardConfig): DashboardLinkBuilder[] {
  return [
    new DashboardLinkBuilder('Items API dashboards')
      .type(DashboardLinkType.Dashboards)
      .tags([cfg.tag])
      .asDropdown(true)
      .includeVars(true)
      .keepTime(true),
    new DashboardLinkBuilder('Runbooks')
      .type(DashboardLinkType.Link)
      .url(cfg.monitoring.runbookBaseUrl)
      .icon('doc')
      .tooltip('One runbook per alert')
      .targetBlank(true),
  ];
}

/** Panel links titled `Runbook: <AlertName>`, opening in a new tab. */
export function runbookLinks(runbooks: readonly { alert: string; url: string }[]): DashboardLinkBuilder[] {
  if (runbooks.length === 0) throw new Error('runbookLinks() needs at least one alert');
  return runbooks.map(({ alert, url }) => new DashboardLinkBuilder(`Runbook: ${alert}`).type(DashboardLinkType.Link).url(url).targetBlank(true));
}
