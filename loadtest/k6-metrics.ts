/**
 * Names of the series k6 writes to Prometheus (output `experimental-prometheus-rw`), read by the
 * Load test dashboard and the tests that query them. Every sample carries the `testid` tag.
 * Verified against a real k6 v1.8.1 remote write by loadtest/test/local-run.test.ts; change here
 * if k6 changes them.
 *
 * What a real run writes:
 * - Durations are in SECONDS (k6_http_req_duration_p95 = 0.0042), like the service's histograms.
 * - Trend stats (`_p95`, `_p99`, `_avg`, `_max`) are per series (per label set) and cumulative
 *   since the test started; aggregate them with `max`, never `sum`.
 * - HTTP series carry: testid, k6_instance, op (list/get/create/update/delete), name (route
 *   template `/items` or `/items/:id`), method, status, expected_response, scenario, level (the
 *   VU level of the profile; 0 while ramping down). `k6_vus`/`k6_vus_max` carry testid and
 *   k6_instance only. There is no `url` label (it would hold item ids).
 * - Every series ends with a stale marker when the test ends: instant queries after the test
 *   return nothing; look back with `last_over_time(...[range])` or use range queries.
 */
import { LEVEL_TAG } from './k6/digest.js';
import { OPERATION_TAG } from './k6/mix.js';

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

/**
 * Label telling apart the k6 instances of one test split over several pods (execution segments):
 * `0` .. `parallelism-1`. Without it their samples would share one series and overwrite each other.
 * Sum counters and VUs over it; take `max` of trend stats (p95 is not additive).
 */
export const K6_INSTANCE_LABEL = 'k6_instance';

/** Label with the CRUD operation of a request (`list`, `get`, `create`, `update`, `delete`). */
export const K6_OPERATION_LABEL = OPERATION_TAG;

/** Label with the profile's VU level a request ran at (`0` while ramping down). */
export const K6_LEVEL_LABEL = LEVEL_TAG;
