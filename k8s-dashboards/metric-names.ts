/**
 * Which series the dashboards may read, and from which table each comes. The names an expression
 * reads are found by monitoring/'s lexer (`metricNamesIn`), the same one the rules are checked with.
 */
import { K6_METRICS } from '../loadtest/k6-metrics.js';
import { recordingRuleNames } from '../monitoring/index.js';
import { CLUSTER_SERIES, SERVICE_SERIES } from '../monitoring/promql-names.js';

/**
 * - `service`: items-api's catalog and runtime metrics, and `up` (what a local stack has);
 * - `slo`: the SLO recording rules' series; `k6`: remote-written by k6; `cluster`: kube-state-metrics, cAdvisor.
 */
export type SeriesSource = 'service' | 'slo' | 'k6' | 'cluster';

/** Every series name a dashboard may read, with the table it comes from. */
export function knownSeries(): ReadonlyMap<string, SeriesSource> {
  const known = new Map<string, SeriesSource>();
  const add = (source: SeriesSource, names: Iterable<string>) => {
    for (const name of names) known.set(name, source);
  };
  add('service', SERVICE_SERIES);
  add('slo', recordingRuleNames());
  add('k6', Object.values(K6_METRICS));
  add('cluster', CLUSTER_SERIES);
  return known;
}
