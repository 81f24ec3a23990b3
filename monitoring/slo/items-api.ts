/**
 * The SLOs of items-api. Both count the same events: API requests, i.e. every request answered
 * by one of the API's routes. Probe, OpenAPI and docs routes are excluded (Kubernetes probes every
 * few seconds; counting them would make the SLO look better the more we are probed), and so are
 * requests that matched no route (`route="unmatched"`, always a 404 without any work: not a call
 * to the API, and a scanner sending thousands would dilute the ratio and hide real failures).
 */
import { HTTP_DURATION_BUCKETS, LABELS, METRICS } from '../../service/src/metrics/catalog.js';
import { CONFIG, type MonitoringConfig } from '../config.js';
import { anyOf, by, eq, leMatcher, matches, notMatches, selector } from '../promql.js';
import { SLO_AGGREGATION_LABELS, type SloWindow } from '../series.js';
import type { SloSpec } from './spec.js';

/** Fault injection is off unless the service starts with this. */
const FAULTS_ON = 'FAULT_INJECTION=true';

/** `sum by (namespace, job) (rate(<series>[<window>]))` */
const sumRate = (series: string, window: SloWindow): string => `sum ${by(SLO_AGGREGATION_LABELS)} (rate(${series}[${window}]))`;

/**
 * The one definition of "an API request" by its route: not a probe, OpenAPI or docs route, and
 * not unmatched. The SLOs count these; the dashboards' API panels show these.
 */
export function apiRouteMatcher(config: MonitoringConfig): string {
  return notMatches(LABELS.route, anyOf([...config.sli.excludedRoutes, config.sli.unmatchedRoute]));
}

/** Matchers of API requests: the service's job and `apiRouteMatcher`. */
export function apiRequestMatchers(config: MonitoringConfig): string[] {
  return [eq('job', config.service.job), apiRouteMatcher(config)];
}

export function availabilitySlo(config: MonitoringConfig = CONFIG): SloSpec {
  const requests = METRICS.httpRequestsTotal.name;
  const api = apiRequestMatchers(config);
  return {
    id: 'availability',
    job: config.service.job,
    promise: 'API requests are not answered with a 5xx',
    badEvents: 'failed (5xx) API requests',
    objective: config.slos.availability.objective,
    period: config.slos.period,
    sli: {
      total: (window) => sumRate(selector(requests, api), window),
      bad: (window) => sumRate(selector(requests, [...api, matches(LABELS.statusCode, config.sli.serverErrorStatusRegex)]), window),
    },
    notes: [
      'Bad: any 5xx, including 503s while the database is unreachable. 4xx (validation, missing item) are the client\'s and count as good.',
      'Events: API requests only; probes, /openapi.json, /docs and route="unmatched" (404 for unknown paths) are excluded.',
      'A window without API requests has an error ratio of 0 (nothing failed), not NaN.',
    ],
    localTrigger: `${FAULTS_ON}, PUT /faults {"errorRate":0.5} on the metrics port, and API traffic`,
  };
}

export function latencySlo(config: MonitoringConfig = CONFIG): SloSpec {
  const threshold = config.slos.latency.thresholdSeconds;
  // "Within the threshold" is exact only at a bucket bound; between bounds it would be a guess.
  if (!(HTTP_DURATION_BUCKETS as readonly number[]).includes(threshold)) {
    throw new Error(`latency SLO threshold ${threshold} s is not a bucket bound of ${METRICS.httpRequestDuration.name} (${HTTP_DURATION_BUCKETS.join(', ')})`);
  }
  const histogram = METRICS.httpRequestDuration.name;
  const api = apiRequestMatchers(config);
  const all = (window: SloWindow) => sumRate(selector(`${histogram}_count`, api), window);
  const fast = (window: SloWindow) => sumRate(selector(`${histogram}_bucket`, [...api, leMatcher(threshold)]), window);
  return {
    id: 'latency',
    job: config.service.job,
    promise: `API requests are answered within ${threshold} s`,
    badEvents: `API requests slower than ${threshold} s`,
    objective: config.slos.latency.objective,
    period: config.slos.period,
    sli: {
      total: all,
      bad: (window) => `(\n  ${all(window)}\n-\n  ${fast(window)}\n)`,
    },
    notes: [
      `Bad: answered in more than ${threshold} s (the le="${threshold}" bucket of ${histogram}), whatever the status.`,
      'A request that fails fast counts as fast here; the availability SLO counts it as failed. Each SLO answers one question.',
      'Events: the same API requests as the availability SLO.',
    ],
    // Added to every API request, so with any traffic nearly every request is slow.
    localTrigger: `${FAULTS_ON}, PUT /faults {"latencyMs":${Math.round(threshold * 1000) + 50}} on the metrics port, and API traffic`,
  };
}

/** The SLOs of items-api, in the order their rule groups appear. */
export const itemsApiSlos = (config: MonitoringConfig = CONFIG): SloSpec[] => [availabilitySlo(config), latencySlo(config)];
