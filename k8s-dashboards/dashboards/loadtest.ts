/**
 * Load test: what k6 sees (virtual users, request rate, p95, failures; remote-written, tagged with
 * the test id) beside what items-api measured for the same traffic, so a gap between the client
 * and the server view (queueing, network, connection limits) shows up at once.
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import { K6_METRICS, K6_TEST_ID_LABEL } from '../../loadtest/k6-metrics.js';
import { LATENCY_SLO_THRESHOLD_SECONDS, METRICS } from '../../service/src/metrics/catalog.js';
import { assembleDashboard } from '../assemble.js';
import type { DashboardDef } from '../assemble.js';
import type { DashboardConfig } from '../config.js';
import { dashedThresholdLines, defaultTimeseries, definePanel, k6Query, serviceQuery, thresholds } from '../panel-kit.js';
import type { PanelDef } from '../panel-kit.js';
import { histogramQuantile, histogramSeries, maxBy, orZero, rate, ratio, selectors, sumBy } from '../promql.js';
import type { Selectors } from '../promql.js';
import { testIdVariable } from '../variables.js';

const testId = K6_TEST_ID_LABEL;
const requests = METRICS.httpRequestsTotal.name;

export function virtualUsers(sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Virtual users')
      .description('k6 virtual users running and the maximum allocated, per test run (summed over the k6 pods of a split test).')
      .unit(units.Short)
      .min(0),
    [
      k6Query(sumBy([testId], sel.k6(K6_METRICS.vus)), `{{${testId}}} VUs`),
      k6Query(sumBy([testId], sel.k6(K6_METRICS.vusMax)), `{{${testId}}} max VUs`),
    ],
  );
}

export function requestRates(sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('Request rate: k6 vs items-api')
      .description('Requests per second as k6 sent them, per test run, beside the API requests items-api answered (probes left out). Client above server means requests are lost or still queued on the way.')
      .unit(units.RequestsPerSecond)
      .min(0),
    [
      k6Query(sumBy([testId], rate(sel.k6(K6_METRICS.httpReqsTotal))), `k6 {{${testId}}}`),
      serviceQuery(sumBy([], rate(sel.service(requests, sel.apiRoutes))), 'items-api'),
    ],
  );
}

export function latencyP95(sel: Selectors): PanelDef {
  return definePanel(
    defaultTimeseries()
      .title('p95 latency: k6 vs items-api')
      .description(
        'p95 request duration seen by k6 (including network and queueing; k6 computes it over the run so far, the worst of its pods is shown) beside the p95 items-api measured over the rate window. The dashed line is the latency SLO threshold.',
      )
      .unit(units.Seconds)
      .min(0)
      .thresholds(thresholds('green', [[LATENCY_SLO_THRESHOLD_SECONDS, 'red']]))
      .thresholdsStyle(dashedThresholdLines()),
    [
      k6Query(maxBy([testId], sel.k6(K6_METRICS.httpReqDurationP95)), `k6 p95 {{${testId}}}`),
      serviceQuery(histogramQuantile(0.95, [], sel.service(histogramSeries(METRICS.httpRequestDuration.name).bucket, sel.apiRoutes)), 'items-api p95'),
    ],
  );
}

export function failureRate(sel: Selectors): PanelDef {
  // k6 writes http_req_failed as a ratio per tag set (method, status, ...) over the run so far;
  // weighting each by its request count gives the run's overall ratio, the number k6's threshold checks.
  const failed = sumBy([testId], `${sel.k6(K6_METRICS.httpReqFailedRate)} * ${sel.k6(K6_METRICS.httpReqsTotal)}`);
  const sent = sumBy([testId], sel.k6(K6_METRICS.httpReqsTotal));
  const answered = sumBy([], rate(sel.service(requests, sel.apiRoutes)));
  return definePanel(
    defaultTimeseries()
      .title('Failure rate: k6 vs items-api')
      .description(
        'Share of k6 requests that failed (unexpected status, timeout, connection error) over the run so far, as k6\'s threshold sees it, beside the share of API requests items-api answered with 5xx over the rate window.',
      )
      .unit(units.PercentUnit)
      .min(0),
    [k6Query(ratio(failed, sent), `k6 failed {{${testId}}}`), serviceQuery(ratio(orZero(sumBy([], rate(sel.service(requests, sel.apiRoutes, sel.serverErrors))), answered), answered), 'items-api 5xx')],
  );
}

export function loadtestDashboard(cfg: DashboardConfig): DashboardDef {
  const sel = selectors(cfg);
  return assembleDashboard(cfg, 'loadtest', {
    description: 'A k6 load test (make load / make load-local) from the client side, beside the server side of items-api.',
    extraVariables: [testIdVariable(K6_METRICS.vus, testId)],
    layout: [virtualUsers(sel), requestRates(sel), latencyP95(sel), failureRate(sel)],
  });
}
