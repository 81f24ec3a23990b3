/**
 * PromQL building blocks. The label filters every query needs (job, namespace, instance, test id)
 * live here and only here: panels ask for `sel.service(metric)` instead of pasting a selector.
 */
import { K6_TEST_ID_LABEL } from '../loadtest/k6-metrics.js';
import { by, eq, matches, selector } from '../monitoring/promql.js';
import { SLO_LABEL } from '../monitoring/series.js';
import type { SloId } from '../monitoring/series.js';
import { apiRouteMatcher } from '../monitoring/slo/items-api.js';
import { LABELS, POOL_STATES } from '../service/src/metrics/catalog.js';
import type { DashboardConfig } from './config.js';
import { CLUSTER_LABELS, TARGET_SERIES } from '../monitoring/cluster-metrics.js';
import { VARIABLES, variableRef } from './variables.js';

/** Quoting and escaping come from monitoring/'s builders, so rules and dashboards quote alike. */
export { eq };

/** Labels Prometheus (and the Prometheus Operator) attach to every scraped series. */
export const TARGET_LABELS = { job: 'job', namespace: 'namespace', instance: 'instance' } as const;

/** Label names of items-api's own metrics: the catalog's. */
export const SERVICE_LABELS = LABELS;

/** `state` value of pool connections handed out to queries. */
export const POOL_STATE_USED = POOL_STATES.used;

/** Grafana's rate window: at least four scrapes, whatever the zoom. */
export const RATE_INTERVAL = '$__rate_interval';
/** Grafana's whole selected time range, for "how many in this range" stats. */
export const RANGE = '$__range';

/** Requests rejected as the client's fault (the availability SLO counts them as good). */
export const CLIENT_ERRORS = matches(SERVICE_LABELS.statusCode, '4..');

export interface Selectors {
  /** items-api's own series: `metric{job, namespace=~$namespace, instance=~$instance, ...extra}`. */
  service(metric: string, ...extra: string[]): string;
  /** SLO recording rules: `namespace`, `job` and `slo` labels, no `instance` (they aggregate over pods). */
  slo(metric: string, slo?: SloId): string;
  /** k6 series: remote-written, so no target labels; they carry the test id instead. */
  k6(metric: string, ...extra: string[]): string;
  /**
   * A cAdvisor / kube-state-metrics series of the items-api container, kept only for the pods
   * behind the selected instances (joined on `namespace`, `pod` with the service's `up`), so the
   * `instance` filter means the same on cluster panels as on the others.
   */
  cadvisor(metric: string, ...extra: string[]): string;
  kubeStateMetrics(metric: string, ...extra: string[]): string;
  /** The service's `up` in every namespace, for the `namespace` variable. */
  upAnyNamespace(): string;
  /** The service's `up` in the selected namespaces, for the `instance` variable. */
  upInNamespace(): string;
  /** Matcher of API requests, the events the SLOs count (monitoring's `apiRouteMatcher`): no probe, docs or unmatched route. */
  readonly apiRoutes: string;
  /** Matcher of requests answered with a server error: what the availability SLO counts as bad. */
  readonly serverErrors: string;
  /** Matcher of failed database queries (`outcome`), as the query-error alert counts them. */
  readonly failedQueries: string;
}

export function selectors(cfg: DashboardConfig): Selectors {
  const { service: target, kubernetes, sli, causes } = cfg.monitoring;
  const job = eq(TARGET_LABELS.job, target.job);
  const namespace = matches(TARGET_LABELS.namespace, variableRef(VARIABLES.namespace));
  const instance = matches(TARGET_LABELS.instance, variableRef(VARIABLES.instance));
  const service = (metric: string, ...extra: string[]) => selector(metric, [job, namespace, instance, ...extra]);
  const ofSelectedPods = (exporter: readonly string[]) => (metric: string, ...extra: string[]) =>
    `(${selector(metric, [...exporter, namespace, eq(CLUSTER_LABELS.container, kubernetes.container), ...extra])} and on (${TARGET_LABELS.namespace}, ${CLUSTER_LABELS.pod}) ${service(TARGET_SERIES.up)})`;
  return {
    service,
    slo: (metric, slo) => selector(metric, [job, namespace, ...(slo ? [eq(SLO_LABEL, slo)] : [])]),
    k6: (metric, ...extra) => selector(metric, [matches(K6_TEST_ID_LABEL, variableRef(VARIABLES.testId)), ...extra]),
    cadvisor: ofSelectedPods(kubernetes.cadvisorSelector),
    kubeStateMetrics: ofSelectedPods(kubernetes.kubeStateMetricsSelector),
    upAnyNamespace: () => selector(TARGET_SERIES.up, [job]),
    upInNamespace: () => selector(TARGET_SERIES.up, [job, namespace]),
    apiRoutes: apiRouteMatcher(cfg.monitoring),
    serverErrors: matches(SERVICE_LABELS.statusCode, sli.serverErrorStatusRegex),
    failedQueries: eq(SERVICE_LABELS.outcome, causes.queryErrors.errorOutcome),
  };
}

export const rate = (series: string, window: string = RATE_INTERVAL): string => `rate(${series}[${window}])`;
export const increase = (series: string, window: string = RANGE): string => `increase(${series}[${window}])`;

/** `op by (labels) (expr)`, or `op(expr)` with no labels. */
const aggregateBy = (op: 'sum' | 'max' | 'min') => (labels: readonly string[], expr: string): string =>
  labels.length > 0 ? `${op} ${by(labels)} (${expr})` : `${op}(${expr})`;
export const sumBy = aggregateBy('sum');
export const maxBy = aggregateBy('max');
export const minBy = aggregateBy('min');

/** `(numerator) / (denominator)`: parenthesised, since `or` binds looser than `/`. */
export const ratio = (numerator: string, denominator: string): string => `(${numerator}) / (${denominator})`;

/** `p95` for 0.95: legends and panel text. */
export const quantileName = (q: number): string => `p${Math.round(q * 100)}`;

/** Prometheus' series names for a classic histogram's parts. */
export const histogramSeries = (name: string) => ({ bucket: `${name}_bucket`, count: `${name}_count`, sum: `${name}_sum` }) as const;

/** The q-quantile of a histogram, aggregated over every series but `by`. `bucketSeries` is a selector of `<name>_bucket`. */
export const histogramQuantile = (q: number, by: readonly string[], bucketSeries: string): string =>
  `histogram_quantile(${q}, ${sumBy(['le', ...by], rate(bucketSeries))})`;

/**
 * `expr`, or 0 for every series of `baseline` where `expr` has none. An error rate is 0, not
 * "no data", while nothing fails: the panel shows a flat line, and a missing series stays a
 * signal that scraping broke.
 */
export const orZero = (expr: string, baseline: string): string => `(${expr}) or (${baseline} * 0)`;
