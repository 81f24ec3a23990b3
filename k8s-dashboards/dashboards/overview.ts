/**
 * Overview: the RED view of the API (rate, errors, duration by route), in-flight requests, and
 * both SLOs' error budget and burn rate. The first dashboard to open when something is wrong.
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import { SLO_AGGREGATION_LABELS, SLO_LABEL, SLO_SERIES } from '../../monitoring/series.js';
import type { SloWindow } from '../../monitoring/series.js';
import { burnRatePolicies } from '../../monitoring/slo/index.js';
import { CURRENT_WINDOW } from '../../monitoring/slo/meta-rules.js';
import { LATENCY_SLO_THRESHOLD_SECONDS, METRICS, UNMATCHED_ROUTE } from '../../service/src/metrics/catalog.js';
import { alertLinks } from '../alerts.js';
import { assembleDashboard, row } from '../assemble.js';
import type { DashboardDef } from '../assemble.js';
import type { DashboardConfig } from '../config.js';
import { TARGET_SERIES } from '../../monitoring/cluster-metrics.js';
import { dashedThresholdLines, defaultStat, defaultTimeseries, definePanel, serviceQuery, thresholds } from '../panel-kit.js';
import type { PanelDef } from '../panel-kit.js';
import {
  CLIENT_ERRORS,
  histogramQuantile,
  histogramSeries,
  maxBy,
  minBy,
  orZero,
  quantileName,
  rate,
  ratio,
  SERVICE_LABELS,
  selectors,
  sumBy,
} from '../promql.js';
import type { Selectors } from '../promql.js';

const { method, route } = SERVICE_LABELS;
const requests = METRICS.httpRequestsTotal.name;
const durationBuckets = histogramSeries(METRICS.httpRequestDuration.name).bucket;
/** Quantiles of the duration panel; p99 is the one the latency SLO is about (99 % within the threshold). */
const QUANTILES = [0.5, 0.95, 0.99] as const;

export function requestRate(sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Request rate')
      .description(`API requests per second by method and route template (probes and docs pages left out). Requests to unknown paths share the route "${UNMATCHED_ROUTE}".`)
      .unit(units.RequestsPerSecond),
    [serviceQuery(sumBy([method, route], rate(sel.service(requests, sel.apiRoutes))), `{{${method}}} {{${route}}}`)],
  );
}

export function errorRatio(cfg: DashboardConfig, sel: Selectors): PanelDef {
  const all = sumBy([route], rate(sel.service(requests, sel.apiRoutes)));
  const share = (matcher: string) => ratio(orZero(sumBy([route], rate(sel.service(requests, sel.apiRoutes, matcher))), all), all);
  return definePanel(
    defaultTimeseries()
      .title('Error ratio')
      .description('Share of API requests per route answered with 5xx (what the availability SLO counts as bad) and with 4xx (rejected input, missing items: the client\'s side).')
      .unit(units.PercentUnit)
      .min(0)
      .links(alertLinks(cfg, 'availabilitySlo')),
    [serviceQuery(share(sel.serverErrors), `{{${route}}} 5xx`), serviceQuery(share(CLIENT_ERRORS), `{{${route}}} 4xx`)],
  );
}

export function durationQuantiles(cfg: DashboardConfig, sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Request duration')
      .description(
        `p50, p95 and p99 of API request duration per route, from the http_request_duration_seconds histogram. The dashed line is the latency SLO threshold (${LATENCY_SLO_THRESHOLD_SECONDS} s): the SLO wants 99 % of requests under it.`,
      )
      .unit(units.Seconds)
      .span(24)
      .thresholds(thresholds('green', [[LATENCY_SLO_THRESHOLD_SECONDS, 'red']]))
      .thresholdsStyle(dashedThresholdLines())
      .links(alertLinks(cfg, 'latencySlo')),
    QUANTILES.map((q) => serviceQuery(histogramQuantile(q, [route], sel.service(durationBuckets, sel.apiRoutes)), `${quantileName(q)} {{${route}}}`)),
  );
}

export function inFlight(sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('In-flight requests')
      .description('Requests being served at scrape time, by method. A climb without more traffic means requests are waiting (database, event loop).')
      .unit(units.Short)
      .span(16)
      .min(0),
    [serviceQuery(sumBy([method], sel.service(METRICS.httpRequestsInFlight.name)), `{{${method}}}`)],
  );
}

export function budgetRemaining(cfg: DashboardConfig, sel: Selectors): PanelDef {
  return definePanel(
    defaultStat()
      .title('Error budget remaining')
      .description('Share of each SLO\'s 30-day error budget still unspent (100 % = untouched, below 0 = SLO missed). The worst deployment when several namespaces are selected.')
      .unit(units.PercentUnit)
      .span(8)
      .height(8)
      .thresholds(thresholds('red', [[0, 'orange'], [0.25, 'green']]))
      .links(alertLinks(cfg, 'availabilitySlo', 'latencySlo')),
    [serviceQuery(minBy([SLO_LABEL], sel.slo(SLO_SERIES.budgetRemaining)), `{{${SLO_LABEL}}}`)],
  );
}

/** Burn rate over a window: the window's error ratio divided by the error budget (1 = on track to spend it exactly). */
const burnRateOver = (sel: Selectors, window: SloWindow): string =>
  maxBy([SLO_LABEL], `${sel.slo(SLO_SERIES.errorRatio(window))} / on (${[...SLO_AGGREGATION_LABELS, SLO_LABEL].join(', ')}) ${sel.slo(SLO_SERIES.errorBudget)}`);

export function burnRates(cfg: DashboardConfig, sel: Selectors): PanelDef {
  // The long window of every alert condition, with the factor it alerts at: the line to compare with.
  const conditions = burnRatePolicies(cfg.monitoring).flatMap((policy) => policy.windows.map((w) => ({ window: w.long, factor: w.factor, severity: policy.severity })));
  const lineColours: Readonly<Record<string, string>> = { critical: 'red', warning: 'orange', info: 'blue' };
  return definePanel(
    defaultTimeseries()
      .title('Burn rate')
      .description(
        'How fast each SLO spends its error budget: 1 spends it exactly over the SLO period, N spends it N times faster. One line per alert window (5m is the most recent); the dashed lines are the factors the burn-rate alerts fire at, when the long window and its short companion both exceed them.',
      )
      .unit(units.Short)
      .span(16)
      .min(0)
      .thresholds(thresholds('green', [...conditions].sort((a, b) => a.factor - b.factor).map((c) => [c.factor, lineColours[c.severity] ?? 'red'] as const)))
      .thresholdsStyle(dashedThresholdLines())
      .links(alertLinks(cfg, 'availabilitySlo', 'latencySlo')),
    [
      serviceQuery(maxBy([SLO_LABEL], sel.slo(SLO_SERIES.currentBurnRate)), `{{${SLO_LABEL}}} ${CURRENT_WINDOW}`),
      ...conditions.map((c) => serviceQuery(burnRateOver(sel, c.window), `{{${SLO_LABEL}}} ${c.window} (alerts above ${c.factor})`)),
    ],
  );
}

export function scrapeTargets(cfg: DashboardConfig, sel: Selectors): PanelDef {
  return definePanel(
    defaultStat()
      .title('Targets up')
      .description('items-api processes Prometheus scraped successfully, out of those it knows. Below the total, a process is down or unreachable and its traffic is missing from every other panel.')
      .unit(units.Short)
      .decimals(0)
      .span(8)
      .height(8)
      .links(alertLinks(cfg, 'scrapeTargets')),
    [serviceQuery(sumBy([], sel.service(TARGET_SERIES.up)), 'up'), serviceQuery(`count(${sel.service(TARGET_SERIES.up)})`, 'scraped')],
  );
}

export function overviewDashboard(cfg: DashboardConfig): DashboardDef {
  const sel = selectors(cfg);
  return assembleDashboard(cfg, 'overview', {
    description: 'items-api at a glance: request rate, errors and duration by route, in-flight requests, SLO error budget and burn rate.',
    layout: [
      row('Traffic'),
      requestRate(sel),
      errorRatio(cfg, sel),
      durationQuantiles(cfg, sel),
      inFlight(sel),
      scrapeTargets(cfg, sel),
      row('SLOs'),
      budgetRemaining(cfg, sel),
      burnRates(cfg, sel),
    ],
  });
}
