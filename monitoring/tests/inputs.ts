/**
 * Input series for the promtool tests, shaped like what kube-prometheus-stack scrapes in the
 * cluster: the same labels on the same metric names the service exposes (from its catalog).
 * Time runs in steps of one minute (the test groups' `interval`).
 */
import { APP_NAMESPACE, PORT_NAMES, RULE_EVALUATION_INTERVAL, CONTAINER_PORTS } from '../../project/constants.js';
import { LATENCY_SLO_THRESHOLD_SECONDS, METRICS } from '../../service/src/metrics/catalog.js';
import { CONFIG } from '../config.js';
import { durationSeconds } from '../promql.js';
import { labelsText, type InputSeries } from './promtool.js';

export type Labels = Readonly<Record<string, string>>;

/** The labels the Prometheus Operator gives every series of the items-api ServiceMonitor target. */
export const TARGET: Labels = {
  job: CONFIG.service.job,
  namespace: APP_NAMESPACE,
  pod: 'items-api-5d8f7b9c4-x2x7p',
  instance: `10.244.0.12:${CONTAINER_PORTS.metrics}`,
  service: CONFIG.service.job,
  endpoint: PORT_NAMES.metrics,
  container: CONFIG.kubernetes.container,
};

/** A second, healthy replica of the same Deployment. */
export const SECOND_TARGET: Labels = { ...TARGET, pod: 'items-api-5d8f7b9c4-q9r2w', instance: `10.244.0.13:${CONTAINER_PORTS.metrics}` };

/** The labels cause alerts aggregate to (CONFIG.service.targetLabels) for the target above. */
export const TARGET_KEY: Labels = Object.fromEntries(CONFIG.service.targetLabels.map((name) => [name, TARGET[name] as string]));

export const series = (name: string, labels: Labels, values: string): InputSeries => ({ series: `${name}${labelsText(labels)}`, values });

/** Seconds between two rule evaluations (the groups' `evaluation_interval`, as in the cluster). */
export const EVALUATION_STEP_S = durationSeconds(RULE_EVALUATION_INTERVAL);

/** A `promtool` duration from seconds: 150 → `2m30s`. */
export function at(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m > 0 ? `${m}m` : ''}${s > 0 || m === 0 ? `${s}s` : ''}`;
}

/**
 * A counter that grows by `perMinute` for `minutes`, then by the next segment's rate, and so on:
 * `[[6, 30], [0, 30]]` is 6/min for 30 minutes, then flat for 30. One value per minute from t=0.
 */
export function counterValues(segments: ReadonlyArray<readonly [perMinute: number, minutes: number]>): string {
  let value = 0;
  return segments
    .map(([perMinute, minutes], i) => {
      // The first segment starts at t=0 with 0; later ones start one step after the previous end.
      const start = i === 0 ? 0 : value + perMinute;
      const steps = i === 0 ? minutes : minutes - 1;
      value = start + perMinute * steps;
      return `${start}+${perMinute}x${steps}`;
    })
    .join(' ');
}

/** A gauge holding `value` for `minutes` samples, then the next segment's value: `[[1, 5], [0, 10]]` drops to 0 at t=5m. */
export function gaugeValues(segments: ReadonlyArray<readonly [value: number, minutes: number]>): string {
  return segments.map(([value, minutes]) => `${value}+0x${minutes - 1}`).join(' ');
}

export interface RequestStream {
  readonly route?: string;
  readonly method?: string;
  readonly status?: string;
  readonly target?: Labels;
}

const requestLabels = (s: RequestStream): Labels => ({
  ...(s.target ?? TARGET),
  method: s.method ?? 'GET',
  route: s.route ?? '/items',
  status_code: s.status ?? '200',
});

/** http_requests_total of one method/route/status, counted per minute by segment. */
export const requests = (s: RequestStream, segments: ReadonlyArray<readonly [number, number]>): InputSeries =>
  series(METRICS.httpRequestsTotal.name, requestLabels(s), counterValues(segments));

/**
 * http_request_duration_seconds `_count` and the bucket at the latency threshold: `slow` of every
 * `perMinute` requests take longer than the threshold. Other buckets do not enter the SLI.
 */
export function durations(s: RequestStream, segments: ReadonlyArray<readonly [perMinute: number, slowPerMinute: number, minutes: number]>): InputSeries[] {
  const name = METRICS.httpRequestDuration.name;
  const labels = requestLabels(s);
  return [
    series(`${name}_count`, labels, counterValues(segments.map(([all, , minutes]) => [all, minutes]))),
    series(`${name}_bucket`, { ...labels, le: String(LATENCY_SLO_THRESHOLD_SECONDS) }, counterValues(segments.map(([all, slow, minutes]) => [all - slow, minutes]))),
  ];
}

/**
 * Every `_bucket` series (and `_count`) of a classic histogram whose observations all take
 * `seconds`: buckets below it stay 0, the others grow by `perMinute`.
 */
export function histogram(name: string, labels: Labels, bounds: readonly number[], seconds: number, perMinute: number, minutes: number): InputSeries[] {
  const bucket = (le: string, count: number) => series(`${name}_bucket`, { ...labels, le }, counterValues([[count, minutes]]));
  return [
    ...bounds.map((bound) => bucket(String(bound), seconds <= bound ? perMinute : 0)),
    bucket('+Inf', perMinute),
    series(`${name}_count`, labels, counterValues([[perMinute, minutes]])),
  ];
}
