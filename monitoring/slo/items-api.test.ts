import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LATENCY_SLO_THRESHOLD_SECONDS, METRICS, NON_SLI_ROUTES, UNMATCHED_ROUTE } from '../../service/src/metrics/catalog.js';
import { CONFIG, type MonitoringConfig } from '../config.js';
import { anyOf } from '../promql.js';
import { apiRequestMatchers, availabilitySlo, latencySlo } from './items-api.js';

const withLatencyThreshold = (thresholdSeconds: number): MonitoringConfig => ({
  ...CONFIG,
  slos: { ...CONFIG.slos, latency: { ...CONFIG.slos.latency, thresholdSeconds } },
});

describe('API requests (the events of both SLIs)', () => {
  const matchers = apiRequestMatchers(CONFIG);
  test('are the service job\'s requests', () => assert.ok(matchers.includes(`job="${CONFIG.service.job}"`)));
  test('exclude every probe, OpenAPI and docs route and the unmatched route', () => {
    const excluded = matchers.find((m) => m.startsWith('route!~'));
    assert.ok(excluded, 'a route!~ matcher');
    for (const route of [...NON_SLI_ROUTES, UNMATCHED_ROUTE]) {
      assert.ok(excluded.includes(JSON.stringify(anyOf([route])).slice(1, -1)), `${route} excluded in ${excluded}`);
    }
  });
});

describe('availabilitySlo()', () => {
  const slo = availabilitySlo();
  test('counts 5xx answers as bad', () => assert.match(slo.sli.bad('5m'), /status_code=~"5\.\."/));
  test('reads http_requests_total over the asked window', () => assert.match(slo.sli.total('1h'), new RegExp(`rate\\(${METRICS.httpRequestsTotal.name}\\{.*\\}\\[1h\\]\\)`)));
  test('aggregates by namespace and job, the labels of the SLO series', () => assert.match(slo.sli.total('5m'), /^sum by \(namespace, job\) /));
});

describe('latencySlo()', () => {
  const slo = latencySlo();
  test('counts as fast the requests in the bucket at the threshold', () =>
    assert.match(slo.sli.bad('5m'), new RegExp(`${METRICS.httpRequestDuration.name}_bucket\\{.*le="${LATENCY_SLO_THRESHOLD_SECONDS}"`)));
  test('counts every request through the histogram count', () => assert.match(slo.sli.total('5m'), new RegExp(`${METRICS.httpRequestDuration.name}_count`)));
  test('refuses a threshold between bucket bounds, where "within" would be a guess', () =>
    assert.throws(() => latencySlo(withLatencyThreshold(0.3)), /not a bucket bound/));
});
