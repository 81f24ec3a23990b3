/**
 * Names of the series k6 writes to Prometheus (output `experimental-prometheus-rw`), read by the
 * Load test dashboard and the tests that query them. Every sample carries the `testid` tag.
 * Verified against a real k6 run by loadtest tests; change here if k6 changes them.
 */

/** Trend statistics k6 is asked to write (K6_PROMETHEUS_RW_TREND_STATS). */
export const K6_TREND_STATS = ['p(95)', 'p(99)', 'avg', 'max'] as const;

/** Label carrying the test id on every k6 series. */
export const K6_TEST_ID_LABEL = 'testid';

export const K6_METRICS = {
  vus: 'k6_vus',
  vusMax: 'k6_vus_max',
  httpReqsTotal: 'k6_http_reqs_total',
  httpReqFailedRate: 'k6_http_req_failed_rate',
  httpReqDurationP95: 'k6_http_req_duration_p95',
  httpReqDurationP99: 'k6_http_req_duration_p99',
  iterationsTotal: 'k6_iterations_total',
  checksRate: 'k6_checks_rate',
} as const;
