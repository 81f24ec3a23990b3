import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { K6_METRICS } from '../loadtest/k6-metrics.js';
import { SLO_SERIES } from '../monitoring/series.js';
import { CONFIG as MONITORING_CONFIG } from '../monitoring/config.js';
import { apiRouteMatcher } from '../monitoring/slo/items-api.js';
import { LABELS, METRICS, UNMATCHED_ROUTE } from '../service/src/metrics/catalog.js';
import { CLUSTER_METRICS } from '../monitoring/cluster-metrics.js';
import { metricNamesIn } from '../monitoring/promql-names.js';
import { knownSeries } from './metric-names.js';
import { dashboardQueries, substituteVariables, SUBSTITUTION_DEFAULTS } from './queries.js';

describe('substituteVariables(expr, values)', () => {
  test('replaces $var, ${var}, ${var:regex} and [[var]] with the given values', () => {
    const values = { namespace: 'items', instance: '10.0.0.1:9464', testid: 'smoke-1' };
    assert.equal(
      substituteVariables('up{namespace=~"$namespace", instance=~"${instance}", a=~"${namespace:regex}", b=~"[[testid]]"}', values),
      'up{namespace=~"items", instance=~"10.0.0.1:9464", a=~"items", b=~"smoke-1"}',
    );
  });

  test('falls back to "All" (.*) for the dashboard variables and to Grafana-like values for built-ins', () => {
    assert.equal(SUBSTITUTION_DEFAULTS.namespace, '.*');
    assert.equal(SUBSTITUTION_DEFAULTS.instance, '.*');
    assert.equal(SUBSTITUTION_DEFAULTS.testid, '.*');
    assert.equal(
      substituteVariables('rate(x{namespace=~"$namespace"}[$__rate_interval]) + increase(x[$__range]) + y[$__interval]'),
      'rate(x{namespace=~".*"}[60s]) + increase(x[3600s]) + y[15s]',
    );
  });

  test('the longest name wins: $__rate_interval_ms is not $__rate_interval followed by "_ms"', () => {
    assert.equal(substituteVariables('$__rate_interval_ms $__range_s $__range_ms $__interval_ms'), '60000 3600 3600000 15000');
  });

  test('given values override the defaults, built-ins included', () => {
    assert.equal(substituteVariables('rate(x[$__rate_interval])', { __rate_interval: '2m' }), 'rate(x[2m])');
  });

  test('throws on an unknown variable, naming every one', () => {
    assert.throws(() => substituteVariables('x{a="$nope", b="${other}", c="$namespace"}'), (error: Error) => {
      assert.match(error.message, /unknown variable\(s\) \$nope, \$other/);
      assert.match(error.message, /x\{a=/, 'quotes the expression');
      return true;
    });
  });

  test('throws on a format it cannot honour', () => {
    assert.throws(() => substituteVariables('x{a=~"${namespace:csv}"}'), /unsupported variable format.*csv/);
  });

  test('leaves $1 (a label_replace back-reference) alone', () => {
    assert.equal(substituteVariables('label_replace(up, "x", "$1", "instance", "(.*):.*")'), 'label_replace(up, "x", "$1", "instance", "(.*):.*")');
  });

  test('every dashboard query substitutes with the defaults alone, leaving no $ behind', () => {
    for (const q of dashboardQueries()) {
      const substituted = substituteVariables(q.expr);
      assert.doesNotMatch(substituted, /\$[A-Za-z_{]|\[\[/, `${q.dashboardUid} / ${q.panelTitle} ${q.refId}`);
    }
  });
});

describe('metricNamesIn(expr)', () => {
  test('finds selectors, skips functions, aggregations, grouping labels, strings and windows', () => {
    assert.deepEqual(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{route!~"/livez|x_total"}[$__rate_interval]))) ' +
          '/ on (namespace, job) group_left slo:error_budget:ratio{job="a"} or time() - max(process_start_time_seconds) > bool 1 unless absent(up)',
      ),
      ['http_request_duration_seconds_bucket', 'slo:error_budget:ratio', 'process_start_time_seconds', 'up'],
    );
  });

  test('a misspelt metric is reported as an unknown series', () => {
    const known = knownSeries();
    assert.deepEqual(
      metricNamesIn('sum(rate(http_request_total{job="x"}[1m]))').filter((n) => !known.has(n)),
      ['http_request_total'],
    );
  });
});

describe('metric names in the dashboards', () => {
  test('every series a query reads is in the catalog, the SLO series, the k6 table or the cluster-only table', () => {
    const known = knownSeries();
    const unknown = dashboardQueries().flatMap((q) => metricNamesIn(q.expr).filter((n) => !known.has(n)).map((n) => `${q.dashboardUid} / ${q.panelTitle}: ${n}`));
    assert.deepEqual(unknown, []);
  });

  test('the dashboards read every table: service, SLO, k6 and cluster series all appear', () => {
    const known = knownSeries();
    const used = new Set(dashboardQueries().flatMap((q) => metricNamesIn(q.expr)));
    for (const name of [METRICS.httpRequestsTotal.name, SLO_SERIES.budgetRemaining, K6_METRICS.vus, CLUSTER_METRICS.restarts]) {
      assert.ok(used.has(name), `${name} (${known.get(name)}) is read by some panel`);
    }
  });
});

describe('API requests', () => {
  test('every query that leaves routes out leaves out exactly what the SLOs do (apiRouteMatcher): probes, docs and unmatched', () => {
    const want = apiRouteMatcher(MONITORING_CONFIG);
    const routeExclusions = dashboardQueries().flatMap((q) =>
      [...q.expr.matchAll(new RegExp(`${LABELS.route}!~"(?:[^"\\\\]|\\\\.)*"`, 'g'))].map((m) => ({ where: `${q.dashboardUid} / ${q.panelTitle}`, matcher: m[0] })),
    );
    assert.ok(routeExclusions.length >= 5, `the API panels filter routes (found ${routeExclusions.length})`);
    assert.deepEqual(routeExclusions.filter((r) => r.matcher !== want), []);
    assert.match(want, new RegExp(`\\b${UNMATCHED_ROUTE}\\b`));
  });
});

describe('needs', () => {
  test('is consistent with the series each query reads: cluster metric => cluster, k6 metric => k6, else service', () => {
    const known = knownSeries();
    for (const q of dashboardQueries()) {
      const sources = new Set(metricNamesIn(q.expr).map((n) => known.get(n)));
      const expected = sources.has('cluster') ? 'cluster' : sources.has('k6') ? 'k6' : 'service';
      assert.equal(q.needs, expected, `${q.dashboardUid} / ${q.panelTitle} ${q.refId}: ${q.expr}`);
    }
  });

  test('every query that cannot have data on a local stack says why; service queries give no reason', () => {
    for (const q of dashboardQueries()) {
      if (q.needs === 'service') assert.equal(q.reason, undefined, `${q.panelTitle} ${q.refId}`);
      else assert.ok(q.reason && q.reason.length > 20, `${q.dashboardUid} / ${q.panelTitle} ${q.refId}: reason`);
    }
  });

  test('most queries need only the service: the local stack can prove them', () => {
    const count = (needs: string) => dashboardQueries().filter((q) => q.needs === needs).length;
    assert.ok(count('service') > 40, `service queries: ${count('service')}`);
    assert.ok(count('cluster') > 0 && count('k6') > 0);
  });
});
