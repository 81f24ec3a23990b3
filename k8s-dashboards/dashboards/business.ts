/**
 * Business: what users do with items (created, read, updated, deleted), counted only when the
 * operation succeeded, as rates over time and as totals for the selected time range.
 */
import { BigValueGraphMode, BigValueTextMode } from '@grafana/grafana-foundation-sdk/common';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { METRICS } from '../../service/src/metrics/catalog.js';
import { assembleDashboard } from '../assemble.js';
import type { DashboardDef } from '../assemble.js';
import type { DashboardConfig } from '../config.js';
import { defaultStat, defaultTimeseries, definePanel, serviceQuery } from '../panel-kit.js';
import type { PanelDef } from '../panel-kit.js';
import { increase, rate, selectors, sumBy } from '../promql.js';
import type { Selectors } from '../promql.js';

/** The four business counters, in CRUD order, with the word each legend uses. */
const ITEM_COUNTERS = [
  ['created', METRICS.itemsCreated.name],
  ['read', METRICS.itemsRead.name],
  ['updated', METRICS.itemsUpdated.name],
  ['deleted', METRICS.itemsDeleted.name],
] as const;

export function itemOperationRate(sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Item operations')
      .description('Items created, read, updated and deleted per second, counted only when the operation succeeded. A list page counts one read per item returned.')
      .unit(units.OpsPerSecond)
      .span(24),
    ITEM_COUNTERS.map(([word, metric]) => serviceQuery(sumBy([], rate(sel.service(metric))), word)),
  );
}

export function itemTotals(sel: Selectors): PanelDef {
  return definePanel(
    defaultStat()
      .title('Items in the time range')
      .description('Items created, read, updated and deleted over the whole selected time range (increase of each counter; restarts handled).')
      .unit(units.Short)
      .decimals(0)
      .span(16)
      .graphMode(BigValueGraphMode.None)
      .textMode(BigValueTextMode.ValueAndName),
    ITEM_COUNTERS.map(([word, metric]) => serviceQuery(sumBy([], increase(sel.service(metric))), word, { instant: true })),
  );
}

export function netItemChange(sel: Selectors): PanelDef {
  const total = (metric: string) => sumBy([], increase(sel.service(metric)));
  return definePanel(
    defaultStat()
      .title('Net change in stored items')
      .description('Items created minus items deleted over the selected time range: how much the table grew.')
      .unit(units.Short)
      .decimals(0)
      .span(8)
      .graphMode(BigValueGraphMode.None),
    [serviceQuery(`${total(METRICS.itemsCreated.name)} - ${total(METRICS.itemsDeleted.name)}`, 'net change', { instant: true })],
  );
}

export function businessDashboard(cfg: DashboardConfig): DashboardDef {
  const sel = selectors(cfg);
  return assembleDashboard(cfg, 'business', {
    description: 'What users do with items: created, read, updated and deleted, per second and in total.',
    layout: [itemOperationRate(sel), itemTotals(sel), netItemChange(sel)],
  });
}
