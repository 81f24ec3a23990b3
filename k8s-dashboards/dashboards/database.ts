/**
 * Database: what items-api asks of PostgreSQL (query rate, latency, errors by operation) and how
 * its connection pool copes (used/idle against the maximum, callers waiting, time spent waiting).
 */
import { MappingType } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { METRICS } from '../../service/src/metrics/catalog.js';
import { alertLinks } from '../alerts.js';
import { assembleDashboard, row } from '../assemble.js';
import type { DashboardDef } from '../assemble.js';
import type { DashboardConfig } from '../config.js';
import { dashedThresholdLines, defaultGauge, defaultStat, defaultTimeseries, definePanel, serviceQuery, thresholds } from '../panel-kit.js';
import type { PanelDef } from '../panel-kit.js';
import { eq, histogramQuantile, histogramSeries, minBy, orZero, POOL_STATE_USED, quantileName, rate, ratio, SERVICE_LABELS, selectors, sumBy, TARGET_LABELS } from '../promql.js';
import type { Selectors } from '../promql.js';

const { operation, state } = SERVICE_LABELS;
const { instance } = TARGET_LABELS;
const queries = histogramSeries(METRICS.dbQueryDuration.name);
const acquires = histogramSeries(METRICS.dbPoolAcquireDuration.name);
const QUERY_QUANTILES = [0.95, 0.99] as const;

export function queryRate(sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Query rate')
      .description('Database queries per second by SQL operation (select, insert, update, delete, other), successful or not.')
      .unit(units.OpsPerSecond),
    [serviceQuery(sumBy([operation], rate(sel.service(queries.count))), `{{${operation}}}`)],
  );
}

export function queryLatency(sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Query latency')
      .description('p95 and p99 of query duration by SQL operation, measured from knex\'s query events (includes the round trip to PostgreSQL, not the wait for a connection).')
      .unit(units.Seconds),
    QUERY_QUANTILES.map((q) => serviceQuery(histogramQuantile(q, [operation], sel.service(queries.bucket)), `${quantileName(q)} {{${operation}}}`)),
  );
}

export function queryErrors(cfg: DashboardConfig, sel: Selectors): PanelDef {
  const all = sumBy([operation], rate(sel.service(queries.count)));
  return definePanel(
    defaultTimeseries()
      .title('Query errors')
      .description(
        'Share of database queries that failed, by operation (timeouts, constraint violations, lost connections); 0 while none fail. The dashed line is where the query-error alert fires (sustained over its window).',
      )
      .unit(units.PercentUnit)
      .min(0)
      .thresholds(thresholds('green', [[cfg.monitoring.causes.queryErrors.ratio, 'red']]))
      .thresholdsStyle(dashedThresholdLines())
      .links(alertLinks(cfg, 'queryErrors')),
    [serviceQuery(ratio(orZero(sumBy([operation], rate(sel.service(queries.count, sel.failedQueries))), all), all), `{{${operation}}}`)],
  );
}

export function databaseUp(cfg: DashboardConfig, sel: Selectors): PanelDef {
  return definePanel(
    defaultStat()
      .title('Database reachable')
      .description('Whether each instance\'s last database check succeeded (db_up). Down means API calls fail fast with 503 and /readyz reports not ready.')
      .unit(units.NoUnit)
      .span(12)
      .height(8)
      .mappings([{ type: MappingType.ValueToText, options: { '0': { text: 'down', color: 'red' }, '1': { text: 'up', color: 'green' } } }])
      .thresholds(thresholds('red', [[1, 'green']]))
      .links(alertLinks(cfg, 'databaseDown')),
    [serviceQuery(minBy([instance], sel.service(METRICS.dbUp.name)), `{{${instance}}}`)],
  );
}

export function poolConnections(cfg: DashboardConfig, sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Pool connections')
      .description('Connections of the database pool in use and idle, against the configured maximum, summed over the selected instances. Used at the maximum means new queries wait for a connection.')
      .unit(units.Short)
      .min(0)
      .links(alertLinks(cfg, 'poolSaturated')),
    [
      serviceQuery(sumBy([state], sel.service(METRICS.dbPoolConnections.name)), `{{${state}}}`),
      serviceQuery(sumBy([], sel.service(METRICS.dbPoolMaxConnections.name)), 'max'),
    ],
  );
}

export function poolUtilisation(cfg: DashboardConfig, sel: Selectors): PanelDef {
  return definePanel(
    defaultGauge()
      .title('Pool utilisation')
      .description('Connections in use as a share of the pool maximum, per instance. Near 100 % the pool is the bottleneck, whatever PostgreSQL could still take.')
      .unit(units.PercentUnit)
      .span(12)
      .thresholds(thresholds('green', [[0.7, 'orange'], [0.9, 'red']]))
      .links(alertLinks(cfg, 'poolSaturated')),
    [
      serviceQuery(
        ratio(sumBy([instance], sel.service(METRICS.dbPoolConnections.name, eq(state, POOL_STATE_USED))), sumBy([instance], sel.service(METRICS.dbPoolMaxConnections.name))),
        `{{${instance}}}`,
      ),
    ],
  );
}

export function pendingAcquires(cfg: DashboardConfig, sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Pending acquires')
      .description('Callers waiting for a pool connection, per instance. Anything above 0 for long is pool saturation: requests queue before they reach the database. The dashed line is where the pool-saturation alert fires (averaged over its window).')
      .unit(units.Short)
      .min(0)
      .thresholds(thresholds('green', [[cfg.monitoring.causes.poolSaturated.pendingAcquires, 'red']]))
      .thresholdsStyle(dashedThresholdLines())
      .links(alertLinks(cfg, 'poolSaturated')),
    [serviceQuery(sumBy([instance], sel.service(METRICS.dbPoolPendingAcquires.name)), `{{${instance}}}`)],
  );
}

export function acquireWait(cfg: DashboardConfig, sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Connection acquire wait')
      .description('p95 and p99 of the time a query waited for a pool connection before it could run. Near zero while the pool has idle connections; the dashed line is the p99 the pool-saturation alert fires at.')
      .unit(units.Seconds)
      .thresholds(thresholds('green', [[cfg.monitoring.causes.poolSaturated.acquireP99Seconds, 'red']]))
      .thresholdsStyle(dashedThresholdLines())
      .links(alertLinks(cfg, 'poolSaturated')),
    QUERY_QUANTILES.map((q) => serviceQuery(histogramQuantile(q, [], sel.service(acquires.bucket)), quantileName(q))),
  );
}

export function databaseDashboard(cfg: DashboardConfig): DashboardDef {
  const sel = selectors(cfg);
  return assembleDashboard(cfg, 'database', {
    description: 'items-api and PostgreSQL: query rate, latency and errors by operation; connection pool use, saturation and wait.',
    layout: [
      row('Queries'),
      queryRate(sel),
      queryLatency(sel),
      queryErrors(cfg, sel),
      databaseUp(cfg, sel),
      row('Connection pool'),
      poolConnections(cfg, sel),
      poolUtilisation(cfg, sel),
      pendingAcquires(cfg, sel),
      acquireWait(cfg, sel),
    ],
  });
}
