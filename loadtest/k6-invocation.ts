/**
 * How k6 is started, on this machine (local/runner.ts) and in a Job (cluster/objects.ts): the same
 * tags and remote-write settings in both, so the series the Load test dashboard reads look the
 * same wherever k6 ran.
 */
import { K6_INSTANCE_LABEL, K6_TEST_ID_LABEL, K6_TREND_STATS } from './k6-metrics.js';
import type { DurationOverrides } from './k6/profiles.js';

export interface K6RunArgsOptions {
  readonly testId: string;
  /** This instance's number among the pods of a split test (`0` when k6 runs alone). */
  readonly instance: number;
  /** Write the metrics to Prometheus (configured by `remoteWriteEnv`). */
  readonly remoteWrite: boolean;
}

/** `k6 run` and its flags up to the execution segment and the script: output and the tags on every series. */
export function k6RunArgs(opts: K6RunArgsOptions): string[] {
  return [
    'run',
    ...(opts.remoteWrite ? ['--out', 'experimental-prometheus-rw'] : []),
    '--tag', `${K6_TEST_ID_LABEL}=${opts.testId}`,
    '--tag', `${K6_INSTANCE_LABEL}=${opts.instance}`,
  ];
}

/** Environment of k6's Prometheus remote-write output. */
export function remoteWriteEnv(writeUrl: string): Record<string, string> {
  return {
    K6_PROMETHEUS_RW_SERVER_URL: writeUrl,
    K6_PROMETHEUS_RW_TREND_STATS: K6_TREND_STATS.join(','),
    // Ends every series when the test ends, so dashboards do not draw stale lines.
    K6_PROMETHEUS_RW_STALE_MARKERS: 'true',
  };
}

/** The duration overrides that are set, as the script's environment (`HOLD`, `RAMP_DOWN`). */
export function durationEnv(durations: DurationOverrides = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(durations).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
}
